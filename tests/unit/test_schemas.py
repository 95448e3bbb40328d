"""Input models: what is accepted, what is refused, and that a refusal is one short line."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from tribe_tui.errors import BadInput
from tribe_tui.schemas import (
    BILLING_FIELDS,
    BillingDetailsInput,
    Code,
    EmailRef,
    InitInput,
    LicenceCount,
    LicenceRef,
    Switch,
    field_errors,
    one_line,
    parse,
)

VALID_NL_VAT = "NL004495445B01"
VALID_BE_VAT = "BE0403019261"
VALID_IBAN = "NL91ABNA0417164300"


@pytest.mark.parametrize("given, expected", [("1", 1), ("10000", 10_000), ("007", 7), (3, 3)])
def test_licence_count_accepts_whole_numbers_from_1_to_10000(given, expected):
    assert parse(LicenceCount, "en", count=given).count == expected


@pytest.mark.parametrize(
    "given",
    [
        *("0", "-3", "10001", "99999999999999", "abc", "3.0", "1e3", "", " ", "2,5", "٣", "1_000", "３"),
        # R11: exactly [0-9]+, so no sign and no spaces around the digits either
        *(" 7 ", " 1", "1 ", "+1", "+2", "1\n", "\t1"),
        *(True, 0, -1, 10_001, 2.5, None),
    ],
)
def test_licence_count_refuses_anything_else(given):
    with pytest.raises(BadInput) as caught:
        parse(LicenceCount, "en", count=given)
    assert "\n" not in caught.value.message
    assert caught.value.message.startswith("Number: ")  # the field's label, not its internal name
    assert caught.value.exit_code == 2


def test_an_absurd_licence_count_says_it_is_too_large_not_that_it_is_not_a_number():
    message = str(pytest.raises(BadInput, parse, LicenceCount, "en", count="99999999999999").value)
    assert "10000" in message, message
    assert "10000" in str(pytest.raises(BadInput, parse, LicenceCount, "en", count="10001").value)


def test_messages_come_in_dutch_and_english():
    nl = pytest.raises(BadInput, parse, LicenceCount, "nl", count="0").value.message
    en = pytest.raises(BadInput, parse, LicenceCount, "en", count="0").value.message
    assert nl != en
    assert "1" in nl and "1" in en


@pytest.mark.parametrize(
    "address, normalised", [("Jan@Example.NL", "Jan@example.nl"), ("  a.b@voorbeeld.nl ", "a.b@voorbeeld.nl")]
)
def test_email_is_normalised(address, normalised):
    assert EmailRef(email=address).email == normalised


@pytest.mark.parametrize(
    "address", ["", "jan", "jan@", "@example.nl", "jan@@example.nl", "jan example@x.nl", "a" * 250 + "@x.nl"]
)
def test_invalid_email_is_refused(address):
    with pytest.raises(BadInput):
        parse(EmailRef, "nl", email=address)


def test_licence_ref_is_a_number_or_an_email():
    assert LicenceRef(ref="42").licence_id == 42
    assert LicenceRef(ref="jan@example.nl").licence_id is None
    assert LicenceRef(ref="Jan@Example.nl").email == "Jan@example.nl"
    # regression: "²".isdigit() is True, and int("²") used to crash the command
    assert LicenceRef(ref="²").licence_id is None
    assert LicenceRef(ref="٣").licence_id is None


@pytest.mark.parametrize(
    "word, on", [("on", True), ("AAN", True), ("off", False), ("uit", False), ("ja", True), ("nee", False)]
)
def test_switch_words(word, on):
    assert Switch(on=word).on is on


@pytest.mark.parametrize("word", ["maybe", "", "2"])
def test_switch_refuses_other_words(word):
    with pytest.raises(BadInput):
        parse(Switch, "nl", on=word)


@pytest.mark.parametrize("code", ["Projects", "pro jects", "", "a" * 33, "proj;drop"])
def test_codes_are_lowercase_words(code):
    with pytest.raises(BadInput):
        parse(Code, "en", code=code)


def test_init_input_bounds():
    ok = InitInput(org_name="Acme", admin_email="a@acme.nl", admin_username="admin", licences="5", start="2026-06-01")
    assert (ok.licences, ok.start, ok.edition) == (5, date(2026, 6, 1), "tribe")
    for bad in (
        dict(licences="0"),
        dict(edition="enterprise"),
        dict(admin_username="A"),
        dict(start="2026-02-30"),
        dict(org_name=""),
        dict(org_name="x\x1b[31m"),
        dict(admin_email="nope"),
    ):
        with pytest.raises(BadInput):
            parse(InitInput, "en", **{**dict(org_name="Acme", admin_email="a@acme.nl", admin_username="admin"), **bad})


# --- billing details ------------------------------------------------------------------------


def test_valid_billing_details_are_normalised():
    details = BillingDetailsInput(
        company_name=" Acme B.V. ",
        postcode="1234ab",
        country="nl",
        vat_number="nl 0044.95445 b01",
        iban="NL91 ABNA 0417 1643 00",
        kvk_number="12345678",
        invoice_email="Facturen@Acme.NL",
    )
    assert details.company_name == "Acme B.V."
    assert details.postcode == "1234 AB"
    assert details.country == "NL"
    assert details.vat_number == VALID_NL_VAT
    assert details.iban == VALID_IBAN
    assert details.invoice_email == "Facturen@acme.nl"  # the local part as typed
    assert details.vat_country == "NL"


def test_empty_optional_fields_are_allowed():
    assert BillingDetailsInput().model_dump() == {name: ("NL" if name == "country" else "") for name in BILLING_FIELDS}


@pytest.mark.parametrize(
    "field, value, error",
    [
        ("vat_number", "NL123", "vat_number"),
        ("vat_number", "NL123456789B01", "vat_number"),  # checksum
        ("vat_number", "DE123456789", "vat_number"),
        ("vat_number", "US123456789", "vat_number"),
        ("iban", "NL91ABNA0417164301", "iban"),  # checksum
        ("iban", "not an iban", "iban"),
        ("kvk_number", "1234567", "kvk_number"),
        ("kvk_number", "1234567a", "kvk_number"),
        ("kvk_number", "123456789", "too_long"),
        ("invoice_email", "facturen at acme", "email"),
        ("country", "XX", "country"),
        ("country", "NLD", "too_long"),
        ("postcode", "0123 AB", "postcode"),
        ("postcode", "1234 SS", "postcode"),
        ("company_name", "Acme\x1b]8;;http://evil\x07", "control_characters"),
        ("company_name", "x" * 201, "too_long"),
    ],
)
def test_invalid_billing_details_name_the_field(field, value, error):
    with pytest.raises(ValidationError) as caught:
        BillingDetailsInput(**{field: value})
    first = caught.value.errors()[0]
    assert first["loc"] == (field,)
    assert first["type"] == error
    from tribe_tui.i18n import t

    line = one_line(caught.value, "nl")
    assert line.startswith(t(f"field.{field}", "nl") + ": ") and "\n" not in line  # the label, not the name


@pytest.mark.parametrize(
    "lang, words", [("nl", "te lang (hoogstens 8 tekens)"), ("en", "too long (at most 8 characters)")]
)
def test_too_long_is_said_in_the_users_language(lang, words):
    # regression: pydantic's own English ("Value should have at most 8 items ...") leaked through
    with pytest.raises(ValidationError) as caught:
        BillingDetailsInput(kvk_number="123456789")
    label = {"nl": "KvK-nummer", "en": "KvK number"}[lang]
    assert one_line(caught.value, lang) == f"{label}: {words}"


def test_billing_fields_keep_the_product_order():
    assert BILLING_FIELDS == (
        "company_name",
        "attention",
        "address",
        "postcode",
        "city",
        "country",
        "invoice_email",
        "vat_number",
        "kvk_number",
        "iban",
        "po_reference",
        "peppol_id",
    )


def test_foreign_postcodes_are_free_form():
    # regression: the postcode was checked as Dutch before the country had been read
    assert BillingDetailsInput(country="BE", postcode="1000").postcode == "1000"


def test_unknown_billing_field_is_refused():
    with pytest.raises(ValidationError) as caught:
        BillingDetailsInput(colour="red")
    assert caught.value.errors()[0]["type"] == "extra_forbidden"


def test_field_errors_reports_each_field_once():
    with pytest.raises(ValidationError) as caught:
        BillingDetailsInput(iban="x", kvk_number="1", vat_number="NL1")
    errors = field_errors(caught.value, "en")
    assert set(errors) == {"iban", "kvk_number", "vat_number"}
    assert all(errors.values())


def test_a_non_nl_eu_vat_number_is_kept_with_its_country_prefix():
    assert BillingDetailsInput(country="BE", vat_number=VALID_BE_VAT).vat_country == "BE"


# Every character that ends or reorders a line where a one-line field must stay one line: the
# line and paragraph separators (Zl, Zp), NEL and vertical tab (Cc), a right-to-left override and a
# zero-width space (Cf).
LINE_BREAKERS = ["\u2028", "\u2029", "\x85", "\x0b", "\u202e", "\u200b", "\u2066"]


@pytest.mark.parametrize("char", LINE_BREAKERS, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize(
    "model, field, extra",
    [
        ("InitInput", "org_name", {"admin_email": "a@acme.nl", "admin_username": "anna"}),
        ("InitInput", "admin_name", {"org_name": "Acme", "admin_email": "a@acme.nl", "admin_username": "anna"}),
        ("BillingDetailsInput", "company_name", {}),
        ("BillingDetailsInput", "attention", {}),
        ("BillingDetailsInput", "city", {}),
        ("CancelInput", "reason", {}),
        ("AcceptInviteInput", "name", {"username": "anna", "password": "Lang-genoeg-wachtwoord-1"}),
    ],
)
def test_single_line_fields_refuse_line_breaks_and_format_characters(char, model, field, extra):
    import tribe_tui.schemas as schemas

    with pytest.raises(BadInput) as caught:
        schemas.parse(getattr(schemas, model), "en", **extra, **{field: f"Acme{char}BV"})
    assert "\n" not in caught.value.message and "control characters" in caught.value.message


def test_names_keep_the_zero_width_joiners_their_scripts_need():
    from tribe_tui.schemas import AcceptInviteInput, parse

    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # ZWNJ inside a Persian word
    sinhala = "\u0dc1\u0dca\u200d\u0dbb\u0dd3"  # ZWJ forms a Sinhala conjunct
    for name in (persian, sinhala):
        parsed = parse(AcceptInviteInput, "en", username="anna", password="Lang-genoeg-wachtwoord-1", name=name)
        assert parsed.name == name


def test_an_invitation_token_is_found_in_the_pasted_link_or_command():
    from tribe_tui.schemas import InviteToken

    token = "Ab3_-" + "x" * 40
    assert InviteToken(token=f"  https://crm.example.test/invite?token={token}\n").token == token
    assert InviteToken(token=f"tribe-tui accept-invite {token}").token == token
    assert InviteToken(token=token).token == token


def test_a_username_typed_with_capitals_is_lowered_not_refused():
    from tribe_tui.schemas import AcceptInviteInput

    assert AcceptInviteInput(username=" Eva.DeVries ", password="x").username == "eva.devries"
    with pytest.raises(ValidationError):
        AcceptInviteInput(username="Eva!", password="x")
