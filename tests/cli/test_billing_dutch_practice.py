"""Billing input and Dutch practice, rule by rule, through the command line: what is bad input is refused (exit 2, one
line, nothing changed), and billing follows Dutch practice (docs/rules.md R9-R12).

The fixture organisation (tests/cli/conftest.py): Acme B.V., Tribe, 3 licences, period
2026-06-01 .. 2027-05-31, made by `init` on 2026-11-26 (TRIBE_TODAY), which issued 2026-0001.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest

from tests.helpers import ok


def one_line(result, code: int) -> str:
    assert result.code == code, (result.code, result.out, result.err)
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tribe-tui: "), result.err
    assert "unexpected error" not in result.err and "Traceback" not in result.err
    return lines[0]


@pytest.fixture
def seen(cli, dump):
    """What a user and a script can see, plus every row: seen() before and after must be equal."""

    def take():
        return (ok(cli("account", "show", "--json")).json, ok(cli("invoices", "list", "--json")).json, dump())

    return take


def init_args(name: str, *extra: str) -> tuple[str, ...]:
    slug = re.sub(r"[^a-z]", "", name.lower())
    return ("init", "--org", name, "--admin-email", f"a@{slug}.nl", "--admin-username", slug, *extra)


# --- 1, 2: --today and TRIBE_TODAY are strict YYYY-MM-DD; empty is bad input --------------------------


@pytest.mark.parametrize(
    "value",
    [
        "1748736000",
        "2025-06-01T00:00",
        "2025-06-01T00:00:00+05:00",
        "1748736000000",
        "",
        " 2026-11-26",
        "２０２６-11-26",
    ],
)
def test_today_that_is_no_plain_date_is_bad_input(cli, org, seen, monkeypatch, value):
    before = seen()
    assert "JJJJ-MM-DD" in one_line(cli("licences", "add", "1", "--today", value), 2)
    monkeypatch.setenv("TRIBE_TODAY", value)
    one_line(cli("licences", "add", "1"), 2)
    monkeypatch.setenv("TRIBE_TODAY", "2026-11-26")
    assert seen() == before


# --- 3: init --start has the range of --today and may not lie after today --------------------------------


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31", "1999-12-31", "2026-11-27", "1748736000"])
def test_init_start_out_of_range_or_after_today_is_bad_input(cli, dump, start):
    before = dump()
    one_line(cli(*init_args("Beta", "--start", start)), 2)
    assert dump() == before


def test_init_start_today_and_earlier_work(cli):
    ok(cli(*init_args("Beta", "--start", "2026-11-26")))
    ok(cli(*init_args("Gamma", "--start", "2000-01-01")))


# --- 4: numeric fields take ASCII digits only ----------------------------------------------------------


@pytest.mark.parametrize(
    "assignment",
    [
        "kvk_number=１２３４５６７８",
        "kvk_number=١٢٣٤٥٦٧٨",
        "postcode=1٢٣٤ AB",
        "postcode=１２３４ AB",
        "vat_number=NL００４４９５４４５B01",
        "iban=NL91ABNA０４１７１６４３００",
    ],
)
def test_non_ascii_digits_are_bad_input(cli, org, seen, assignment):
    before = seen()
    one_line(cli("billing-details", "set", assignment), 2)
    assert seen() == before


# --- 5, 6: --db -------------------------------------------------------------------------------------


def test_db_as_a_plain_path_is_bad_input_with_the_url_form(cli, tmp_path):
    message = one_line(cli("account", "show", "--db", str(tmp_path / "file.db")), 2)
    assert "sqlite:///" in message
    assert not (tmp_path / "file.db").exists()


def test_postgres_without_its_driver_says_what_to_install(cli, monkeypatch):
    import peewee

    monkeypatch.setattr(peewee, "psycopg2", None)  # as if psycopg2 were not installed
    message = one_line(cli("account", "show", "--db", "postgresql://tribe@127.0.0.1:9/tribe"), 2)
    assert "pip install 'tribe-tui[postgres]'" in message


# --- 7: numeric order; nothing dated before the latest invoice -----------------------------------------


def test_invoices_list_in_numeric_order_past_9999(cli, org):
    from tribe_tui.models import InvoiceCounter

    InvoiceCounter.update(last=9998).where(InvoiceCounter.year == 2026).execute()
    ok(cli("licences", "add", "1"))
    ok(cli("licences", "add", "1"))
    numbers = [i["number"] for i in ok(cli("invoices", "list", "--json")).json]
    assert numbers == ["2026-0001", "2026-9999", "2026-10000"]


def test_a_change_dated_before_the_latest_invoice_is_refused(cli, org, seen):
    ok(cli("licences", "add", "1", "--today", "2026-12-10"))
    before = seen()
    assert "10 december 2026" in one_line(cli("licences", "add", "1", "--today", "2026-12-09"), 1)
    one_line(cli("modules", "add", "projects", "--today", "2026-12-01"), 1)
    assert seen() == before
    ok(cli("licences", "add", "1", "--today", "2026-12-10"))  # the same day is fine


# --- 8, 9: seats and roles ----------------------------------------------------------------------------


def _token_for(address: str) -> str:
    from tribe_tui.models import OutboxMessage

    body = OutboxMessage.select().where(OutboxMessage.recipient == address).order_by(OutboxMessage.id.desc()).get().body
    found = re.search(r"^tribe-tui accept-invite ([A-Za-z0-9_-]+)\r?$", body, re.M)
    assert found, body
    return found.group(1)


def test_a_seat_that_gets_a_new_holder_renews(cli, staff, monkeypatch):
    ok(cli("licences", "offboard", "daan@acme.nl"))  # his licence: free, auto-renew off
    ok(cli("licences", "offboard", "emma@acme.nl"))
    ok(cli("invite", "fien@acme.nl"))
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"Collega-wachtwoord-2026\n")))
    accepted = ok(
        cli("accept-invite", _token_for("fien@acme.nl"), "--username", "fien", "--password-stdin", "--json")
    ).json
    assert accepted["auto_renew"] is True
    rows = {r["email"]: r for r in ok(cli("licences", "list", "--json")).json}
    assert rows["fien@acme.nl"]["auto_renew"] is True and rows["fien@acme.nl"]["ends_on"] is None
    ok(cli("licences", "link", "emma@acme.nl"))
    rows = {r["email"]: r for r in ok(cli("licences", "list", "--json")).json}
    assert rows["emma@acme.nl"]["auto_renew"] is True


def test_the_last_admin_cannot_stop_their_own_licence_renewing(cli, staff, seen):
    before = seen()
    one_line(cli("licences", "renew", "admin@acme.nl", "off"), 1)
    assert seen() == before
    # With a second admin whose licence renews, it may.
    from tribe_tui.models import Employee

    Employee.update(role="admin").where(Employee.email == "daan@acme.nl").execute()
    ok(cli("licences", "renew", "admin@acme.nl", "off"))
    one_line(cli("licences", "renew", "daan@acme.nl", "off"), 1)  # now he is the last one who renews


# --- 10: a renewal never blocks the admin (R9) ----------------------------------------------------------


def test_a_change_after_paid_until_settles_the_renewal_first(cli, org):
    done = ok(cli("modules", "add", "projects", "--today", "2027-06-02", "--json")).json
    listed = ok(cli("invoices", "list", "--json")).json
    assert [(i["reason"], i["date"]) for i in listed] == [
        ("initial", "2026-11-26"),
        ("renewal", "2027-06-02"),
        ("module", "2027-06-02"),
    ]
    # The renewal: 3 licences x 360.00 for 2027-06-01 .. 2028-05-31 (366 days: 29 February 2028).
    assert listed[1]["subtotal"] == "1080.00"
    # The module: 3 x 60.00 x 365/366 = 179.508... -> 179.51, in the renewed period.
    assert (done["lines"][0]["days"], done["lines"][0]["period_days"], done["lines"][0]["amount"]) == (
        365,
        366,
        "179.51",
    )
    assert (
        ok(cli("billing", "run", "--today", "2027-06-02", "--json")).json["outcomes"] == []
    )  # idempotent: nothing left


def test_billing_details_can_always_be_corrected_and_settle_nothing(cli, org):
    ok(cli("billing-details", "set", "city=Utrecht", "--today", "2027-06-02"))
    assert [i["reason"] for i in ok(cli("invoices", "list", "--json")).json] == ["initial"]
    ok(cli("billing-details", "set", "city=Zeist", "--today", "2026-01-01"))  # no date rule either
    assert ok(cli("billing-details", "show", "--json")).json["city"] == "Zeist"


def test_a_dry_run_after_paid_until_shows_the_settled_numbers_and_keeps_nothing(cli, org, seen):
    before = seen()
    preview = ok(cli("licences", "add", "1", "--dry-run", "--today", "2027-06-01", "--json")).json
    assert (preview["lines"][0]["days"], preview["lines"][0]["period_to"], preview["total"]) == (
        366,
        "2028-05-31",
        "435.60",
    )  # 360.00 for the whole new period + 21% = 75.60
    assert seen() == before


# --- 11: the invoice date is the issue date; every line states its period (R10) ----------------------------


def test_catch_up_renewals_are_issued_today_each_with_its_period(cli, org):
    run = ok(cli("billing", "run", "--today", "2029-06-15", "--json")).json["outcomes"]
    assert [(o["period_start"], o["invoice"]) for o in run] == [
        ("2027-06-01", "2029-0001"),
        ("2028-06-01", "2029-0002"),
        ("2029-06-01", "2029-0003"),
    ]
    for number, start, end in (
        ("2029-0001", "2027-06-01", "2028-05-31"),
        ("2029-0002", "2028-06-01", "2029-05-31"),
        ("2029-0003", "2029-06-01", "2030-05-31"),
    ):
        shown = ok(cli("invoices", "show", number, "--json")).json
        assert shown["date"] == "2029-06-15"
        assert [(l["period_from"], l["period_to"]) for l in shown["lines"]] == [(start, end)]
    text = ok(cli("invoices", "show", "2029-0001", "--lang", "nl")).out
    assert "periode 1 juni 2027 t/m 31 mei 2028" in text


# --- 12: today is Amsterdam's date (R11) ----------------------------------------------------------------


def test_without_today_the_date_is_amsterdams(cli, monkeypatch):
    from tribe_tui import config

    monkeypatch.delenv("TRIBE_TODAY")
    # 23:30 UTC on 25 November is 00:30 on 26 November in Amsterdam (CET, UTC+1).
    monkeypatch.setattr(config, "_now", lambda: datetime(2026, 11, 25, 23, 30, tzinfo=UTC))
    ok(cli(*init_args("Nacht")))
    assert ok(cli("invoices", "list", "--json")).json[0]["date"] == "2026-11-26"
    # and in summer (CEST, UTC+2): 22:30 UTC on 30 June is 00:30 on 1 July
    assert config.amsterdam_today() == date(2026, 11, 26)
    monkeypatch.setattr(config, "_now", lambda: datetime(2027, 6, 30, 22, 30, tzinfo=UTC))
    assert config.amsterdam_today() == date(2027, 7, 1)


# --- 13: prices are fixed per period (R12) ----------------------------------------------------------------


@pytest.fixture
def new_prices(monkeypatch):
    """Edit the catalogue as a release would: Tribe from 360.00 to 420.00 a year."""
    from tribe_tui import migrations

    def change(**prices: str) -> None:
        data = migrations.read_catalogue()
        edited = {
            **data,
            "editions": [{**e, "yearly_price": prices.get(e["code"], e["yearly_price"])} for e in data["editions"]],
            "modules": [{**m, "yearly_price": prices.get(m["code"], m["yearly_price"])} for m in data["modules"]],
        }
        monkeypatch.setattr(migrations, "read_catalogue", lambda: edited)

    return change


def test_a_new_price_applies_from_the_next_period(cli, org, new_prices):
    new_prices(tribe="420.00")
    # Mid-period: still 360.00 a year: 1 x 360.00 x 187/365 = 184.438... -> 184.44.
    added = ok(cli("licences", "add", "1", "--json")).json
    assert (added["lines"][0]["unit_price"], added["lines"][0]["amount"]) == ("360.00", "184.44")
    # The forecast of the next period shows the new price: 4 x 420.00 = 1680.00.
    forecast = ok(cli("account", "show", "--json")).json["next_invoice"]
    assert (forecast["lines"][0]["unit_price"], forecast["subtotal"]) == ("420.00", "1680.00")
    [renewed] = ok(cli("billing", "run", "--today", "2027-06-01", "--json")).json["outcomes"]
    assert renewed["total"] == "2032.80"  # 1680.00 + 21% (352.80)
    from tribe_tui.models import CataloguePrice, CatalogueVersion

    assert CatalogueVersion.select().count() == 2  # a version was added, none rewritten
    assert sorted(
        p.yearly_price
        for p in CataloguePrice.select().where((CataloguePrice.kind == "edition") & (CataloguePrice.code == "tribe"))
    ) == [360, 420]


# --- 14: init takes billing details, so the first invoice has the right VAT ----------------------------


def test_init_with_billing_details_gets_reverse_charge(cli):
    made = ok(
        cli(
            *init_args(
                "Belg",
                "--billing",
                "country=BE",
                "--billing",
                "kvk_number=",
                "--billing",
                "vat_number=BE0203201340",
                "--billing",
                "company_name=Belg NV",
                "--json",
            )
        )
    ).json
    assert (made["vat_rate"], made["vat"], made["vat_reason"]) == ("0", "0.00", "reverse_charge")
    shown = ok(cli("invoices", "show", made["invoice"], "--json")).json
    assert shown["customer_vat_number"] == "BE0203201340" and shown["customer"]["company_name"] == "Belg NV"


@pytest.mark.parametrize("billing", ["vat_number=BE0203201341", "colour=red", "kvk_number=１２３４５６７８", "city"])
def test_init_with_bad_billing_details_creates_nothing(cli, dump, billing):
    before = dump()
    one_line(cli(*init_args("Belg", "--billing", billing)), 2)
    assert dump() == before


# --- 15: the seller block is valid ---------------------------------------------------------------------


def test_the_shipped_seller_block_is_valid_and_a_broken_one_is_refused(cli, org):
    from stdnum.eu import vat

    from tribe_tui import migrations
    from tribe_tui.errors import Refused

    seller = ok(cli("invoices", "show", "2026-0001", "--json")).json["seller"]
    assert vat.is_valid(seller["vat_number"]) and seller["vat_number"] != "NL001234567B01"
    with pytest.raises(Refused, match="vat_number"):
        migrations.check_seller({**seller, "vat_number": "NL001234567B01"})


# --- 16: the CSV carries what the invoice carries ------------------------------------------------------


def test_csv_carries_vat_reason_number_mention_and_line_periods(cli):
    made = ok(
        cli(
            *init_args(
                "Belg",
                "--billing",
                "country=BE",
                "--billing",
                "kvk_number=",
                "--billing",
                "vat_number=BE0203201340",
                "--json",
            )
        )
    ).json
    rows = list(csv.DictReader(io.StringIO(ok(cli("invoices", "show", made["invoice"], "--csv", "--lang", "en")).out)))
    assert [(r["period_from"], r["period_to"], r["vat_reason"], r["customer_vat_number"]) for r in rows] == [
        ("2026-11-26", "2027-11-25", "reverse_charge", "BE0203201340")
    ]
    assert "BE0203201340" in rows[0]["vat_note"] and "reverse" in rows[0]["vat_note"].lower()


# --- 17: no line of nothing, no invoice of nothing ----------------------------------------------------


def test_no_zero_line_and_no_zero_invoice(cli, seen, new_prices):
    # Prices in force when the period starts (R12): a per-user module and an integration at 0.30 a year.
    new_prices(projects="0.30", mailchimp="0.30")
    ok(cli(*init_args("Klein", "--start", "2026-06-01")))
    # 1 licence x 0.30 x 187/365 = 0.1537 -> 0.15: charged
    assert ok(cli("modules", "add", "projects", "--json")).json["total"] == "0.18"  # 0.15 + 0.03 VAT
    before = seen()
    # On the last day: 0.30 x 1/365 = 0.0008 -> 0.00: nothing to charge, refused
    assert "0,00" in one_line(cli("modules", "add", "mailchimp", "--today", "2027-05-31"), 1)
    assert seen() == before
    added = ok(cli("licences", "add", "1", "--today", "2027-05-31", "--json")).json
    # the licence line (360.00 x 1/365 = 0.986 -> 0.99) is written, the module's (0.0008 -> 0.00) is not
    assert [(l["description"], l["amount"]) for l in added["lines"]] == [("Licentie Tribe", "0.99")]
    shown = ok(cli("invoices", "show", added["invoice"], "--json")).json
    assert len(shown["lines"]) == 1
