"""Countries from babel's CLDR data (ISO 3166-1 only), Dutch postcodes and the EU list checked
against python-stdnum."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tribe_tui import billing
from tribe_tui.countries import NOT_ISO_3166_1, country_codes, country_name
from tribe_tui.schemas import BillingDetailsInput


def test_the_country_list_is_iso_3166_1_alpha_2():
    codes = country_codes()
    assert len(codes) == 249  # the officially assigned codes
    assert {"NL", "BE", "DE", "GB", "US", "AQ", "BQ", "CW", "SS", "AX"} <= codes
    assert not codes & NOT_ISO_3166_1


@pytest.mark.parametrize("code", ["AC", "CP", "CQ", "DG", "EA", "IC", "TA", "EU", "XK", "ZZ", "UN"])
def test_codes_cldr_has_but_iso_3166_1_does_not_assign_are_refused(code):
    with pytest.raises(ValidationError) as error:
        BillingDetailsInput(country=code)
    assert error.value.errors()[0]["type"] == "country"


@pytest.mark.parametrize(
    "code, lang, name",
    [
        ("DE", "nl", "Duitsland"),
        ("DE", "en", "Germany"),
        ("nl", "nl", "Nederland"),
        ("NL", "en", "Netherlands"),
        ("GB", "nl", "Verenigd Koninkrijk"),
        ("BE", "de", "België"),
    ],
)
def test_a_country_has_its_dutch_and_english_name(code, lang, name):
    assert country_name(code, lang) == name


@pytest.mark.parametrize("code", ["", "N", "XX", "IC", "NLD"])
def test_a_code_that_is_no_country_has_no_name(code):
    assert country_name(code, "nl") is None


@pytest.mark.parametrize("typed, stored", [("1234ab", "1234 AB"), (" 2601 dc ", "2601 DC"), ("NL-2611ET", "2611 ET")])
def test_a_dutch_postcode_is_stored_as_postnl_writes_it(typed, stored):
    assert BillingDetailsInput(country="NL", postcode=typed).postcode == stored


@pytest.mark.parametrize("typed", ["0123 AB", "1234 SS", "1234 SA", "1234 SD", "12345 AB", "1234", "ABCD 12"])
def test_a_postcode_that_is_not_dutch_is_refused_for_the_netherlands(typed):
    with pytest.raises(ValidationError) as error:
        BillingDetailsInput(country="NL", postcode=typed)
    assert error.value.errors()[0]["type"] == "postcode"


def test_the_eu_member_states_are_those_python_stdnum_knows():
    """billing.py stays free of libraries, so its list is written out; this keeps it true. stdnum
    lists VAT prefixes: XI is Northern Ireland (a VAT arrangement, not a member state), and Greece's
    VAT prefix EL is the country GR."""
    from stdnum.eu.vat import MEMBER_STATES

    iso = {{"EL": "GR"}.get(code.upper(), code.upper()) for code in MEMBER_STATES} - {"XI"}
    assert billing.EU_COUNTRIES == iso
    assert billing.EU_COUNTRIES <= country_codes()
