"""Renewal (R7) over several years, leap years included; cancellation ending; the forecast it fulfils."""

from __future__ import annotations

import time
from datetime import date

from tests.lifecycle.conftest import ADMIN_PASSWORD, USER_PASSWORD


def invoices(run) -> list[dict]:
    listed = run("invoices", "list", "--json")
    assert listed.code == 0, listed.err
    return listed.json


def show(run, *extra: str) -> dict:
    shown = run("account", "show", "--json", *extra)
    assert shown.code == 0, shown.err
    return shown.json


def test_non_renewing_licence_lapses_at_paid_until_plus_one(run, org, join, can_sign_in):
    join("bas@acme.nl", "bas")
    assert run("licences", "renew", "bas@acme.nl", "off").code == 0
    assert can_sign_in("bas", USER_PASSWORD, "--today", "2026-12-31")
    assert not can_sign_in("bas", USER_PASSWORD, "--today", "2027-01-01")  # before `billing run`

    done = run("billing", "run", "--today", "2027-01-01", "--json")
    assert done.code == 0, done.err
    [outcome] = done.json["outcomes"]
    assert outcome["status"] == "renewed" and outcome["licences"] == 2 and outcome["licences_removed"] == 1
    assert (outcome["period_start"], outcome["paid_until"]) == ("2027-01-01", "2027-12-31")

    assert not can_sign_in("bas", USER_PASSWORD, "--today", "2027-01-01")
    assert can_sign_in("beheerder", ADMIN_PASSWORD, "--today", "2027-01-01")
    people = {e["email"]: e for e in run("employees", "list", "--json", "--today", "2027-01-01").json}
    assert people["bas@acme.nl"]["licence"] is None  # unlinked, still there
    assert show(run, "--today", "2027-01-01")["licences"] == {"total": 2, "in_use": 1, "free": 1}

    renewal = invoices(run)[-1]
    assert (renewal["number"], renewal["date"], renewal["reason"]) == ("2027-0001", "2027-01-01", "renewal")
    assert renewal["subtotal"] == "720.00"  # 2 x 360.00


def test_second_run_the_same_day_creates_nothing(run, org):
    assert len(run("billing", "run", "--today", "2027-01-01", "--json").json["outcomes"]) == 1
    before = invoices(run)
    again = run("billing", "run", "--today", "2027-01-01", "--json")
    assert again.code == 0 and again.json["outcomes"] == []
    assert invoices(run) == before
    assert "niets te verlengen" in run("billing", "run", "--today", "2027-01-01").out


def test_catching_up_several_years_across_leap_years(run):
    made = run(
        "init",
        "--org",
        "Schrikkel BV",
        "--admin-email",
        "a@schrikkel.nl",
        "--admin-username",
        "schrik",
        "--start",
        "2027-03-01",
        "--licences",
        "2",
        "--today",
        "2027-03-01",
        "--password-stdin",
        stdin=ADMIN_PASSWORD,
    )
    assert made.code == 0, made.err
    assert show(run, "--today", "2027-03-01")["paid_until"] == "2028-02-29"

    done = run("billing", "run", "--today", "2030-03-01", "--json").json["outcomes"]
    assert [(o["period_start"], o["paid_until"]) for o in done] == [
        ("2028-03-01", "2029-02-28"),
        ("2029-03-01", "2030-02-28"),
        ("2030-03-01", "2031-02-28"),
    ]
    # R10: each missed period is its own invoice, all issued on the day of the run, each with its period.
    renewals = [i for i in invoices(run) if i["reason"] == "renewal"]
    assert [(i["number"], i["date"]) for i in renewals] == [
        ("2030-0001", "2030-03-01"),
        ("2030-0002", "2030-03-01"),
        ("2030-0003", "2030-03-01"),
    ]
    assert all(i["subtotal"] == "720.00" for i in renewals)
    lines = run("invoices", "show", "2030-0001", "--json").json["lines"]
    assert [(l["quantity"], l["days"], l["period_days"], l["period_from"], l["period_to"]) for l in lines] == [
        (2, 365, 365, "2028-03-01", "2029-02-28")
    ]
    assert [
        run("invoices", "show", n, "--json").json["lines"][0]["period_from"] for n in ("2030-0002", "2030-0003")
    ] == ["2029-03-01", "2030-03-01"]
    assert run("billing", "run", "--today", "2030-03-01", "--json").json["outcomes"] == []


def test_a_period_starting_on_29_february_is_followed_by_1_march(run):
    made = run(
        "init",
        "--org",
        "Feb BV",
        "--admin-email",
        "a@feb.nl",
        "--admin-username",
        "februari",
        "--start",
        "2028-02-29",
        "--today",
        "2028-02-29",
        "--password-stdin",
        stdin=ADMIN_PASSWORD,
    )
    assert made.code == 0, made.err
    assert show(run, "--today", "2028-02-29")["paid_until"] == "2029-02-28"
    [outcome] = run("billing", "run", "--today", "2029-03-01", "--json").json["outcomes"]
    assert (outcome["period_start"], outcome["paid_until"]) == ("2029-03-01", "2030-02-28")


def test_yearly_runs_renew_one_period_each(run, org):
    first = run("billing", "run", "--today", "2027-01-01", "--json").json["outcomes"]
    second = run("billing", "run", "--today", "2028-01-01", "--json").json["outcomes"]
    assert [o["period_start"] for o in first + second] == ["2027-01-01", "2028-01-01"]
    assert [i["number"] for i in invoices(run)] == ["2026-0001", "2027-0001", "2028-0001"]


def test_forecast_is_what_renewal_invoices_with_scheduled_changes(run, org, join):
    join("cees@acme.nl", "cees")
    assert run("edition", "set", "creator").code == 0
    assert run("modules", "add", "workflows").code == 0  # needs Creator: ends with the downgrade
    assert run("modules", "add", "projects").code == 0
    assert run("modules", "add", "sales").code == 0
    assert run("modules", "remove", "sales").code == 0  # removal takes effect at renewal
    assert run("modules", "add", "exact-online").code == 0
    assert run("licences", "add", "2").code == 0
    assert run("licences", "renew", "cees@acme.nl", "off").code == 0
    assert run("edition", "set", "tribe").code == 0  # scheduled downgrade
    assert run("billing-details", "set", "vat_number=BE0403019261", "country=BE", "kvk_number=").code == 0

    forecast = show(run)["next_invoice"]
    [outcome] = run("billing", "run", "--today", "2027-01-01", "--json").json["outcomes"]
    invoice = run("invoices", "show", outcome["invoice"], "--json").json
    for key in ("subtotal", "vat_rate", "vat", "total", "vat_reason"):
        assert invoice[key] == forecast[key], key
    assert invoice["lines"] == forecast["lines"]
    assert [(l["description"], l["quantity"]) for l in invoice["lines"]] == [
        ("Licentie Tribe", 4),
        ("Koppeling Exact Online", 1),
        ("Projecten (per gebruiker)", 4),
    ]
    assert invoice["vat_rate"] == "0" and invoice["vat_reason"] == "reverse_charge"

    after = show(run, "--today", "2027-01-01")
    assert after["edition"] == "tribe" and after["scheduled_edition"] is None
    active = {m["code"] for m in after["modules"] if m["active"]}
    assert active == {"projects", "exact-online"}
    assert after["licences"]["total"] == 4


def test_cancellation_keeps_access_through_paid_until_then_ends(run, org, join, can_sign_in):
    join("dirk@acme.nl", "dirk")
    before = invoices(run)
    assert run("cancel", "--reason", "We stoppen", "--yes").code == 0
    assert run("billing", "run", "--today", "2026-12-31", "--json").json["outcomes"] == []
    assert can_sign_in("dirk", USER_PASSWORD, "--today", "2026-12-31")
    assert show(run, "--today", "2027-01-01")["status"] == "ended"  # by date, before the run
    assert not can_sign_in("dirk", USER_PASSWORD, "--today", "2027-01-01")

    [outcome] = run("billing", "run", "--today", "2027-01-01", "--json").json["outcomes"]
    assert outcome["status"] == "ended" and outcome["invoice"] is None
    assert invoices(run) == before  # no renewal invoice
    assert (
        run("billing", "run", "--today", "2028-06-01", "--json").json["outcomes"] == []
    )  # an ended account stays ended
    after = show(run, "--today", "2028-06-01")
    assert after["status"] == "ended" and after["licences"]["total"] == 3  # data kept
    assert len(run("employees", "list", "--json").json) == 2
    assert not can_sign_in("beheerder", ADMIN_PASSWORD, "--today", "2028-06-01")
    changed = run("licences", "add", "1", "--today", "2028-06-01")
    assert changed.code == 1


def test_withdrawn_cancellation_renews_normally(run, org, join, can_sign_in):
    join("els@acme.nl", "els")
    assert run("cancel", "--reason", "Misschien", "--yes").code == 0
    assert run("cancel", "--withdraw", "--today", "2026-12-31").code == 0
    [outcome] = run("billing", "run", "--today", "2027-01-01", "--json").json["outcomes"]
    assert outcome["status"] == "renewed" and outcome["invoice"] == "2027-0001"
    assert show(run, "--today", "2027-01-01")["status"] == "active"
    assert can_sign_in("els", USER_PASSWORD, "--today", "2027-01-01")


def test_a_due_renewal_is_settled_by_the_next_change_not_refused(run, org):
    """R9: the change settles the renewal first (the same code as the run), then does what was asked."""
    added = run("licences", "add", "1", "--today", "2027-01-02", "--json")
    assert added.code == 0, added.err
    assert [(i["reason"], i["date"]) for i in invoices(run)][-2:] == [
        ("renewal", "2027-01-02"),
        ("licences", "2027-01-02"),
    ]
    assert run("billing", "run", "--today", "2027-01-02", "--json").json["outcomes"] == []  # nothing left to do


def test_billing_run_with_org_only_touches_that_organisation(run, org):
    made = run(
        "init",
        "--org",
        "Tweede BV",
        "--admin-email",
        "b@tweede.nl",
        "--admin-username",
        "tweede",
        "--start",
        "2026-01-01",
        "--password-stdin",
        stdin=ADMIN_PASSWORD,
    )
    assert made.code == 0, made.err
    one = run("billing", "run", "--org", "tweede-bv", "--today", "2027-01-01", "--json").json["outcomes"]
    assert [o["organisation"] for o in one] == ["tweede-bv"]
    rest = run("billing", "run", "--today", "2027-01-01", "--json").json["outcomes"]
    assert [o["organisation"] for o in rest] == ["acme-bv"]


def test_one_audit_event_per_renewed_period(run, org):
    from tribe_tui.models import AuditEvent

    assert len(run("billing", "run", "--today", "2029-01-01", "--json").json["outcomes"]) == 3
    assert AuditEvent.select().where(AuditEvent.action == "billing.renewal").count() == 3


def test_renewal_of_100000_licences_is_fast(run, org):
    from tribe_tui.db import write_transaction
    from tribe_tui.models import Invoice, Licence
    from tribe_tui.services.renewal import run_billing

    org_id = Licence.select().first().organisation_id
    rows = [
        dict(organisation=org_id, holder=None, auto_renew=i % 4 != 0, created_on=date(2026, 1, 1))
        for i in range(100_000 - 3)
    ]
    with write_transaction():
        for batch in range(0, len(rows), 10_000):
            Licence.insert_many(rows[batch : batch + 10_000]).execute()

    started = time.perf_counter()
    [outcome] = run_billing(date(2027, 1, 1), "test").outcomes
    elapsed = time.perf_counter() - started
    assert elapsed < 5, f"renewal took {elapsed:.2f} s"
    off = sum(1 for i in range(100_000 - 3) if i % 4 == 0)
    assert outcome.licences_removed == off and outcome.licences == 100_000 - off
    assert Licence.select().count() == 100_000 - off
    assert Invoice.get(Invoice.number == outcome.invoice_number).subtotal == 360 * (100_000 - off)
