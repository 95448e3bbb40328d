"""Every command, as JSON (the shapes the README documents) and as text in Dutch and English."""

from __future__ import annotations

import csv
import io
from functools import partial

import pytest

from tests import helpers

# These commands succeed without a word on stderr.
ok = partial(helpers.ok, quiet=True)


def text(cli, lang: str, *argv: str) -> str:
    return ok(cli(*argv, "--lang", lang)).out


# --- init, demo ---------------------------------------------------------------------------


def test_init_answers_with_the_organisation_and_its_first_invoice(org):
    assert org["organisation"] == "acme-b-v"
    assert org["invoice"] == "2026-0001"
    assert org["lines"] == [
        {
            "description": "Licentie Tribe",
            "quantity": 3,
            "unit_price": "360.00",
            "days": 365,
            "period_days": 365,
            "amount": "1080.00",
            "period_from": "2026-06-01",
            "period_to": "2027-05-31",
        }
    ]
    assert (org["subtotal"], org["vat_rate"], org["vat"], org["total"]) == ("1080.00", "21", "226.80", "1306.80")


@pytest.mark.parametrize(
    "lang, words",
    [
        ("nl", ["Organisatie acme aangemaakt", "€\xa01.306,80", "Btw 21%"]),
        ("en", ["Organisation acme created", "€1,306.80", "VAT 21%"]),
    ],
)
def test_init_text(cli, lang, words):
    out = text(
        cli,
        lang,
        "init",
        "--org",
        "Acme",
        "--admin-email",
        "a@acme.nl",
        "--admin-username",
        "admin",
        "--licences",
        "3",
        "--start",
        "2026-06-01",
    )
    for word in words:
        assert word in out


def test_init_reads_the_password_from_stdin(cli, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Lange-zin-als-wachtwoord-42\n"))
    ok(
        cli(
            "init",
            "--org",
            "Acme",
            "--admin-email",
            "a@acme.nl",
            "--admin-username",
            "admin",
            "--password-stdin",
            "--json",
        )
    )
    from tribe_tui.models import Employee

    assert Employee.get(Employee.username == "admin").password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(
    "lang, created, exists",
    [
        ("nl", "Demo-organisatie aangemaakt met 30 licenties", "De demo-organisatie bestaat al (30 licenties)"),
        ("en", "Demo organisation created with 30 licences", "The demo organisation already exists (30 licences)"),
    ],
)
def test_demo_is_created_once(cli, lang, created, exists):
    assert created in text(cli, lang, "demo", "--no-open")
    assert exists in text(cli, lang, "demo", "--no-open")
    data = ok(cli("demo", "--no-open", "--json")).json
    assert data == {"organisation": "demo", "created": False, "licences": 30}
    shown = ok(cli("account", "show", "--json")).json
    assert shown["licences"] == {"total": 30, "in_use": 27, "free": 3}
    assert {m["code"] for m in shown["modules"]} == {"projects", "exact-online"}
    assert len(ok(cli("employees", "list", "--former", "--json")).json) > 24
    assert any(e["former"] for e in ok(cli("employees", "list", "--former", "--json")).json)
    # The first period's invoice, then 2 and 1 licences added during it: paid, overdue, open.
    assert [i["status"] for i in ok(cli("invoices", "list", "--json")).json] == ["paid", "overdue", "open"]


# --- account show, catalogue -----------------------------------------------------------------


def test_account_show_json_has_the_documented_fields(cli, org):
    data = ok(cli("account", "show", "--json")).json
    assert {k: data[k] for k in ("organisation", "edition", "status", "period_start", "paid_until", "licences")} == {
        "organisation": "Acme B.V.",
        "edition": "tribe",
        "status": "active",
        "period_start": "2026-06-01",
        "paid_until": "2027-05-31",
        "licences": {"total": 3, "in_use": 1, "free": 2},
    }
    assert data["modules"] == []
    assert data["next_invoice"]["total"] == "1306.80"
    assert set(data["next_invoice"]) >= {"lines", "subtotal", "vat_rate", "vat", "total"}


@pytest.mark.parametrize(
    "lang, words",
    [
        (
            "nl",
            [
                "Let op! Dit zijn niet jouw eigen organisatiegegevens.",
                "1 in gebruik van 3 (2 vrij)",
                "31 mei 2027",
                "nog 187 dagen",
                "Volgende factuur",
            ],
        ),
        (
            "en",
            [
                "these are not your organisation's own company data",
                "1 in use of 3 (2 free)",
                "31 May 2027",
                "187 days left",
                "Next invoice",
            ],
        ),
    ],
)
def test_account_show_text(cli, org, lang, words):
    out = text(cli, lang, "account", "show")
    for word in words:
        assert word in out


def test_catalogue_lists_editions_and_modules_with_their_prices(cli, org):
    data = ok(cli("catalogue", "--json")).json
    assert data["editions"] == [
        {"code": "tribe", "name": "Tribe", "yearly_price": "360.00"},
        {"code": "creator", "name": "Tribe Creator", "yearly_price": "540.00"},
    ]
    projects = next(m for m in data["modules"] if m["code"] == "projects")
    assert projects == {
        "code": "projects",
        "name": "Projecten",
        "kind": "module",
        "per_user": True,
        "yearly_price": "60.00",
        "requires": None,
    }
    assert "per licentie per jaar" in text(cli, "nl", "catalogue")
    assert "per licence per year" in text(cli, "en", "catalogue")


# --- licences add: the acceptance test ---------------------------------------------------------


def test_dry_run_then_add_give_the_same_numbers_and_one_invoice(cli, org, dump):
    ok(cli("modules", "add", "projects"))
    before = dump()
    preview = ok(cli("licences", "add", "2", "--dry-run", "--json")).json
    assert dump() == before
    invoices_before = ok(cli("invoices", "list", "--json")).json
    done = ok(cli("licences", "add", "2", "--json")).json
    invoices_after = ok(cli("invoices", "list", "--json")).json
    keys = ("lines", "subtotal", "vat_rate", "vat", "total")
    assert {k: preview[k] for k in keys} == {k: done[k] for k in keys}
    assert preview["lines"] == [
        {
            "description": "Licentie Tribe",
            "quantity": 2,
            "unit_price": "360.00",
            "days": 187,
            "period_days": 365,
            "amount": "368.88",
            "period_from": "2026-11-26",
            "period_to": "2027-05-31",
        },
        {
            "description": "Projecten (per gebruiker)",
            "quantity": 2,
            "unit_price": "60.00",
            "days": 187,
            "period_days": 365,
            "amount": "61.48",
            "period_from": "2026-11-26",
            "period_to": "2027-05-31",
        },
    ]
    assert (preview["subtotal"], preview["vat"], preview["total"]) == ("430.36", "90.38", "520.74")
    assert preview["dry_run"] is True and preview["invoice"] is None
    assert done["dry_run"] is False
    assert len(invoices_after) == len(invoices_before) + 1
    assert invoices_after[-1]["number"] == done["invoice"]
    assert invoices_after[-1]["total"] == done["total"]
    shown = ok(cli("invoices", "show", done["invoice"], "--json")).json
    assert shown["lines"] == done["lines"]


@pytest.mark.parametrize(
    "lang, words",
    [
        (
            "nl",
            ["Voorbeeld, er is niets gewijzigd:", "2 × €\xa0360,00 × 187/365", "€\xa0368,88", "Btw 21%", "€\xa0446,34"],
        ),
        ("en", ["Preview, nothing was changed:", "2 × €360.00 × 187/365", "€368.88", "VAT 21%", "€446.34"]),
    ],
)
def test_licences_add_text(cli, org, lang, words):
    out = text(cli, lang, "licences", "add", "2", "--dry-run")
    for word in words:
        assert word in out
    done = text(cli, lang, "licences", "add", "2")
    assert ("Factuur 2026-0002" if lang == "nl" else "Invoice 2026-0002") in done


def test_options_before_or_after_the_command(cli, org):
    after = ok(cli("licences", "add", "1", "--dry-run", "--json", "--today", "2027-05-31")).json
    before = ok(cli("--json", "--today", "2027-05-31", "licences", "add", "1", "--dry-run")).json
    assert after == before
    assert after["lines"][0]["days"] == 1
    assert ok(cli("--org", "acme-b-v", "account", "show", "--json")).json["organisation"] == "Acme B.V."


# --- licences list / unlink / link / renew / offboard -------------------------------------------------


def test_licences_list(cli, staff):
    rows = ok(cli("licences", "list", "--json")).json
    assert [r["email"] for r in rows] == ["admin@acme.nl", "daan@acme.nl", "emma@acme.nl"]
    assert rows[0] | {"id": 0} == {
        "id": 0,
        "holder": "admin",
        "email": "admin@acme.nl",
        "status": "in_use",
        "auto_renew": True,
        "former": False,
        "ends_on": None,
    }
    assert "Daan de Jong" in text(cli, "nl", "licences", "list")
    assert "in use" in text(cli, "en", "licences", "list", "--filter", "emma")
    assert [r["email"] for r in ok(cli("licences", "list", "--filter", "JONG", "--json")).json] == ["daan@acme.nl"]


@pytest.mark.parametrize("lang, word", [("nl", "losgekoppeld"), ("en", "unlinked")])
def test_unlink_and_link(cli, staff, lang, word):
    assert word in text(cli, lang, "licences", "unlink", "daan@acme.nl")
    rows = ok(cli("licences", "list", "--json")).json
    assert [r["status"] for r in rows].count("free") == 1
    data = ok(cli("licences", "link", "daan@acme.nl", "--json")).json
    assert data["email"] == "daan@acme.nl" and data["action"] == "link"


@pytest.mark.parametrize(
    "lang, off_word, on_word",
    [
        ("nl", "wordt niet automatisch verlengd; tot en met 31 mei 2027", "wordt weer automatisch verlengd"),
        ("en", "will not renew; it stays usable up to and including 31 May 2027", "renews automatically again"),
    ],
)
def test_renew_off_and_on(cli, staff, lang, off_word, on_word):
    assert off_word in text(cli, lang, "licences", "renew", "daan@acme.nl", "off")
    licence_id = str(next(r["id"] for r in ok(cli("licences", "list", "--json")).json if r["email"] == "daan@acme.nl"))
    assert ok(cli("licences", "list", "--json")).json[1]["ends_on"] == "2027-05-31"
    assert on_word in text(cli, lang, "licences", "renew", licence_id, "on")
    data = ok(cli("licences", "renew", licence_id, "off", "--json")).json
    assert data == {
        "licence": int(licence_id),
        "auto_renew": False,
        "usable_until": "2027-05-31",
        "settled": [],  # before paid-until nothing is settled first (R9)
        "invoices_total": "0.00",
    }


@pytest.mark.parametrize("lang, word", [("nl", "Voormalig"), ("en", "former")])
def test_offboarding_frees_the_licence_and_marks_the_holder_voormalig(cli, staff, lang, word):
    assert word in text(cli, lang, "licences", "offboard", "emma@acme.nl")
    employees = ok(cli("employees", "list", "--former", "--json")).json
    emma = next(e for e in employees if e["email"] == "emma@acme.nl")
    assert emma["former"] is True and emma["licence"] is None
    assert "emma@acme.nl" not in [e["email"] for e in ok(cli("employees", "list", "--json")).json]


# --- employees --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang, on_word, off_word",
    [
        ("nl", "staat nu op Voormalig", "staat niet meer op Voormalig"),
        ("en", "is now marked as former", "no longer marked as former"),
    ],
)
def test_employees_former(cli, staff, lang, on_word, off_word):
    assert on_word in text(cli, lang, "employees", "former", "daan@acme.nl", "on")
    assert "Daan" not in text(cli, lang, "employees", "list")
    assert "Daan" in text(cli, lang, "employees", "list", "--former")
    assert off_word in text(cli, lang, "employees", "former", "daan@acme.nl", "off")
    data = ok(cli("employees", "list", "--json")).json
    assert data[0] == {
        "name": "admin",
        "email": "admin@acme.nl",
        "username": "admin",
        "role": "admin",
        "former": False,
        "licence": data[0]["licence"],
        "last_sign_in": None,
        "locked_until": None,
    }


# --- edition ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang, words",
    [
        ("nl", ["Editie is nu Tribe Creator.", "3 × €\xa0180,00 × 187/365"]),
        ("en", ["The edition is now Tribe Creator.", "3 × €180.00 × 187/365"]),
    ],
)
def test_edition_upgrade_text(cli, org, lang, words):
    out = text(cli, lang, "edition", "set", "creator")
    for word in words:
        assert word in out


def test_edition_upgrade_downgrade_withdraw_json(cli, org):
    preview = ok(cli("edition", "set", "creator", "--dry-run", "--json")).json
    done = ok(cli("edition", "set", "creator", "--json")).json
    assert preview["lines"] == done["lines"] and preview["total"] == done["total"]
    assert (done["change"], done["from"], done["to"], done["invoice"]) == ("upgrade", "tribe", "creator", "2026-0002")
    assert done["lines"][0]["unit_price"] == "180.00" and done["lines"][0]["quantity"] == 3
    ok(cli("modules", "add", "workflows"))
    down = ok(cli("edition", "set", "tribe", "--json")).json
    assert (down["change"], down["effective"], down["ending_modules"]) == (
        "downgrade_scheduled",
        "2027-06-01",
        ["Workflows"],
    )
    assert ok(cli("account", "show", "--json")).json["scheduled_edition"] == "tribe"
    back = ok(cli("edition", "set", "creator", "--json")).json
    assert back["change"] == "downgrade_withdrawn"


@pytest.mark.parametrize(
    "lang, words",
    [
        ("nl", ["overstap naar Tribe gaat in per 1 juni 2027", "Workflows"]),
        ("en", ["change to Tribe takes effect on 1 June 2027", "Workflows"]),
    ],
)
def test_edition_downgrade_text(cli, org, lang, words):
    ok(cli("edition", "set", "creator"))
    ok(cli("modules", "add", "workflows"))
    out = text(cli, lang, "edition", "set", "tribe")
    for word in words:
        assert word in out


# --- modules -----------------------------------------------------------------------------------


def test_modules_list_add_remove_json(cli, org):
    rows = {m["code"]: m for m in ok(cli("modules", "list", "--json")).json}
    assert rows["projects"]["active"] is False and rows["workflows"]["available"] is False
    added = ok(cli("modules", "add", "exact-online", "--json")).json
    assert (added["change"], added["lines"][0]["quantity"], added["lines"][0]["amount"]) == (
        "added",
        1,
        "122.96",
    )  # 240 * 187/365 = 122.958...
    removed = ok(cli("modules", "remove", "exact-online", "--json")).json
    assert (removed["change"], removed["effective"], removed["invoice"]) == ("removal_scheduled", "2027-05-31", None)
    shown = ok(cli("account", "show", "--json")).json
    assert shown["modules"] == [
        {
            "code": "exact-online",
            "name": "Koppeling Exact Online",
            "kind": "integration",
            "active": True,
            "renews": False,
        }
    ]
    undone = ok(cli("modules", "add", "exact-online", "--json")).json
    assert (undone["change"], undone["invoice"]) == ("removal_undone", None)


@pytest.mark.parametrize(
    "lang, words",
    [
        (
            "nl",
            [
                "Projecten is toegevoegd. Factuur 2026-0002",
                "blijft actief tot en met 31 mei 2027",
                "blijft actief en wordt weer verlengd",
            ],
        ),
        (
            "en",
            [
                "Projects was added. Invoice 2026-0002",
                "stays active up to and including 31 May 2027",
                "stays active and renews again",
            ],
        ),
    ],
)
def test_modules_text(cli, org, lang, words):
    outputs = [
        text(cli, lang, "modules", "add", "projects"),
        text(cli, lang, "modules", "remove", "projects"),
        text(cli, lang, "modules", "add", "projects"),
    ]
    for out, word in zip(outputs, words, strict=False):
        assert word in out
    assert {"nl": "Projecten", "en": "Projects"}[lang] in text(cli, lang, "modules", "list")


# --- billing details ---------------------------------------------------------------------------


def test_billing_details_set_and_show(cli, org):
    data = ok(
        cli(
            "billing-details",
            "set",
            "company_name=Acme Belgium",
            "country=BE",
            "postcode=1000",
            "vat_number=BE0403019261",
            "iban=NL91ABNA0417164300",
            "kvk_number=",  # a Belgian organisation has none
            "invoice_email=Facturen@Acme.be",
            "--json",
        )
    ).json
    assert (data["vat_rate"], data["vat_reason"], data["invoice_email"]) == ("0", "reverse_charge", "Facturen@acme.be")
    assert ok(cli("billing-details", "show", "--json")).json == data
    assert "btw verlegd" in text(cli, "nl", "billing-details", "show").lower()
    assert "Reverse charge" in text(cli, "en", "billing-details", "show")
    added = ok(cli("licences", "add", "1", "--json")).json
    assert (added["vat_rate"], added["vat"]) == ("0", "0.00")
    shown = text(cli, "en", "invoices", "show", added["invoice"])
    assert "customer VAT number BE0403019261" in shown


@pytest.mark.parametrize("lang, word", [("nl", "Facturatiegegevens opgeslagen."), ("en", "Billing details saved.")])
def test_billing_details_set_text(cli, org, lang, word):
    assert word in text(cli, lang, "billing-details", "set", "city=Den Haag")


# --- invoices ---------------------------------------------------------------------------------


def test_invoices_list_show_csv(cli, org):
    ok(cli("licences", "add", "2"))
    rows = ok(cli("invoices", "list", "--json")).json
    assert rows == [
        {
            "number": "2026-0001",
            "date": "2026-11-26",
            "subtotal": "1080.00",
            "vat": "226.80",
            "total": "1306.80",
            "reason": "initial",
            # Due 14 days after issue; nothing paid yet.
            "status": "open",
            "due_date": "2026-12-10",
            "paid_on": None,
            "open_amount": "1306.80",
            "credited_by": None,
        },  # issued by init on 26 November (R10), for the period from 1 June
        {
            "number": "2026-0002",
            "date": "2026-11-26",
            "subtotal": "368.88",
            "vat": "77.46",
            "total": "446.34",
            "reason": "licences",
            "status": "open",
            "due_date": "2026-12-10",
            "paid_on": None,
            "open_amount": "446.34",
            "credited_by": None,
        },
    ]
    shown = ok(cli("invoices", "show", "2026-0002", "--json")).json
    assert (shown["period_start"], shown["period_end"], shown["vat_rate"]) == ("2026-11-26", "2027-05-31", "21")
    assert shown["seller"]["name"] and shown["customer"]["organisation"] == "Acme B.V."
    table = list(csv.DictReader(io.StringIO(ok(cli("invoices", "show", "2026-0002", "--csv")).out)))
    assert [(r["description"], r["amount"], r["total"]) for r in table] == [("Licentie Tribe", "368.88", "446.34")]
    assert "licenties uitgebreid" in text(cli, "nl", "invoices", "list")
    assert "licences added" in text(cli, "en", "invoices", "list")
    assert "Factuur 2026-0002" in text(cli, "nl", "invoices", "show", "2026-0002")
    assert "Invoice 2026-0002" in text(cli, "en", "invoices", "show", "2026-0002")


def test_invoice_numbers_are_gapless_across_init_add_upgrade_module(cli, org):
    ok(cli("licences", "add", "2"))
    assert cli("licences", "add", "0").code == 2  # a failed action takes no number
    ok(cli("edition", "set", "creator"))
    ok(cli("licences", "add", "1", "--dry-run"))
    ok(cli("modules", "add", "workflows"))
    assert cli("modules", "add", "workflows").code == 1
    ok(cli("modules", "add", "projects", "--today", "2027-05-31"))
    numbers = [r["number"] for r in ok(cli("invoices", "list", "--json")).json]
    assert numbers == [f"2026-{i:04d}" for i in range(1, 5)] + ["2027-0001"]
    reasons = [r["reason"] for r in ok(cli("invoices", "list", "--json")).json]
    assert reasons == ["initial", "licences", "upgrade", "module", "module"]


# --- cancel ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang, cancelled, withdrawn",
    [
        ("nl", "Je hebt nog toegang tot en met 31 mei 2027", "De opzegging is ingetrokken"),
        ("en", "You keep access up to and including 31 May 2027", "The cancellation is withdrawn"),
    ],
)
def test_cancel_and_withdraw(cli, org, lang, cancelled, withdrawn):
    assert cancelled in text(cli, lang, "cancel", "--reason", "Te duur", "--yes")
    assert ok(cli("account", "show", "--json")).json["status"] == "cancelled"
    assert withdrawn in text(cli, lang, "cancel", "--withdraw")
    data = ok(cli("cancel", "--reason", "[bold]x[/bold]", "--yes", "--json")).json
    assert data == {
        "status": "cancelled",
        "access_until": "2027-05-31",
        "reason": "[bold]x[/bold]",
        "settled": [],  # before paid-until nothing is settled first
        "invoices_total": "0.00",
    }
    assert ok(cli("cancel", "--withdraw", "--json")).json["status"] == "active"


@pytest.mark.parametrize(
    "today, days, amount",
    [
        ("2027-03-01", 366, "360.00"),  # the first day of the period: the full price
        ("2027-08-31", 183, "180.00"),  # half the period gone: half the price (the seed's example)
        ("2028-02-29", 1, "0.98"),  # the last day of a leap-year period: 1/366
    ],
)
def test_the_seed_example_through_the_command_line(cli, today, days, amount):
    ok(
        cli(
            "init",
            "--org",
            "Leap",
            "--admin-email",
            "a@leap.nl",
            "--admin-username",
            "admin",
            "--start",
            "2027-03-01",
            "--today",
            "2027-03-01",
        )
    )
    data = ok(cli("licences", "add", "1", "--json", "--today", today)).json
    (line,) = data["lines"]
    assert (line["days"], line["period_days"], line["amount"]) == (days, 366, amount)


def test_stored_escapes_reach_no_terminal_through_the_text_output(cli):
    """Text stored another way than through our validation (restored data, a shared PostgreSQL):
    an escape sequence, a line separator and a right-to-left override in a name and an address."""
    assert cli("demo", "--no-open").code == 0
    from tribe_tui.models import BillingDetails, Employee

    hostile = "Evil\x1b]8;;http://evil.example\x07Corp\x1b[2J\u2028\u202eLtd"
    BillingDetails.update(company_name=hostile, attention=hostile).execute()
    Employee.update(name=hostile).where(Employee.id == Employee.select(Employee.id).limit(1)).execute()
    for argv in (("billing-details", "show"), ("licences", "list"), ("employees", "list"), ("account", "show")):
        result = cli(*argv)
        assert result.code == 0, result.err
        assert not any(ch in result.out for ch in "\x1b\x07\u2028\u202e"), (argv, result.out)
    assert "Evil␛]8;;http://evil.example␇Corp␛[2J" in cli("billing-details", "show").out
    assert hostile in cli("billing-details", "show", "--json").json.values()  # JSON keeps the data (escaped)
