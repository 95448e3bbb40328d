"""Gapless invoice numbers under every path that writes one; CSV export; invoices never change;
offboarding as one transaction with one audit event, undone by re-linking."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict

from tests.lifecycle.conftest import ADMIN_PASSWORD


def numbers_by_year(run, *orgs: str) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for slug in orgs:
        for invoice in run("invoices", "list", "--json", "--org", slug).json:
            year, number = invoice["number"].split("-")
            found[int(year)].append(int(number))
    return {year: sorted(numbers) for year, numbers in found.items()}


def test_numbering_is_gapless_under_every_path(run, org):
    made = run(
        "init",
        "--org",
        "Tweede BV",
        "--admin-email",
        "b@tweede.nl",
        "--admin-username",
        "tweede",
        "--start",
        "2026-03-01",
        "--password-stdin",
        stdin=ADMIN_PASSWORD,
    )
    assert made.code == 0, made.err
    acme = ("--org", "acme-bv")
    assert run("licences", "add", "2", *acme).code == 0
    assert run("licences", "add", "0", *acme).code == 2  # bad input takes no number
    assert run("edition", "set", "creator", *acme).code == 0
    assert run("modules", "add", "projects", *acme).code == 0
    assert run("modules", "add", "projects", *acme).code == 1  # refused takes no number
    assert run("licences", "add", "1", "--dry-run", *acme).code == 0  # a preview takes no number
    assert run("licences", "add", "1", "--org", "tweede-bv").code == 0
    assert run("cancel", "--reason", "Stop", "--yes", "--org", "tweede-bv").code == 0
    assert run("licences", "add", "1", "--org", "tweede-bv").code == 1  # cancelled: no charge, no number
    assert run("billing", "run", "--today", "2027-01-01").code == 0  # acme renews
    assert run("licences", "add", "1", "--today", "2027-02-01", *acme).code == 0
    assert run("modules", "add", "sales", "--today", "2027-02-01", *acme).code == 0
    assert run("licences", "add", "3", "--today", "2027-02-02", "--org", "tweede-bv").code == 1  # ended by date
    assert run("billing", "run", "--today", "2027-03-01").code == 0  # tweede ends: no invoice
    assert run("billing", "run", "--today", "2028-01-01").code == 0

    by_year = numbers_by_year(run, "acme-bv", "tweede-bv")
    assert by_year == {2026: [1, 2, 3, 4, 5, 6], 2027: [1, 2, 3], 2028: [1]}
    reasons = [i["reason"] for i in run("invoices", "list", "--json", *acme).json]
    assert reasons == ["initial", "licences", "upgrade", "module", "renewal", "licences", "module", "renewal"]


def test_csv_export_matches_the_invoice(run, org):
    assert run("licences", "add", "2").code == 0
    shown = run("invoices", "show", "2026-0002", "--json").json
    exported = run("invoices", "show", "2026-0002", "--csv")
    assert exported.code == 0
    rows = list(csv.DictReader(io.StringIO(exported.out)))
    assert [(r["description"], int(r["quantity"]), r["amount"]) for r in rows] == [
        (l["description"], l["quantity"], l["amount"]) for l in shown["lines"]
    ]
    assert {(r["number"], r["subtotal"], r["vat"], r["total"]) for r in rows} == {
        (shown["number"], shown["subtotal"], shown["vat"], shown["total"])
    }
    # 2 licences x 360.00 x 36/365 days (26 Nov .. 31 Dec 2026), half up
    assert rows[0]["amount"] == "71.01" and rows[0]["days"] == "36"


def test_an_invoice_never_changes_afterwards(run, org):
    assert run("billing-details", "set", "company_name=Acme Holding", "city=Utrecht").code == 0
    assert run("licences", "add", "1").code == 0
    before = run("invoices", "show", "2026-0002", "--json").json
    assert before["customer"]["company_name"] == "Acme Holding"
    assert (
        run(
            "billing-details", "set", "company_name=Acme Nieuw", "vat_number=BE0403019261", "country=BE", "kvk_number="
        ).code
        == 0
    )
    assert run("edition", "set", "creator").code == 0
    assert run("billing", "run", "--today", "2027-01-01").code == 0
    assert run("invoices", "show", "2026-0002", "--json").json == before
    renewal = run("invoices", "show", "2027-0001", "--json").json
    assert renewal["customer"]["company_name"] == "Acme Nieuw" and renewal["vat_rate"] == "0"


def test_offboarding_is_one_event_and_relinking_undoes_it(run, org, join, can_sign_in):
    join("jet@acme.nl", "jet", "Jet Smit")
    from tribe_tui.models import AuditEvent

    events = AuditEvent.select().count()
    done = run("licences", "offboard", "jet@acme.nl", "--json")
    assert done.code == 0, done.err
    assert AuditEvent.select().count() == events + 1
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).first()
    assert event.action == "employee.offboard"
    assert json.loads(event.after) == {
        "holder": None,
        "licence": done.json["licence"],
        "auto_renew": False,
        "former": True,
    }
    person = {e["email"]: e for e in run("employees", "list", "--former", "--json").json}["jet@acme.nl"]
    assert person["former"] is True and person["licence"] is None
    freed = [l for l in run("licences", "list", "--json").json if l["id"] == done.json["licence"]][0]
    assert freed["status"] == "free" and freed["auto_renew"] is False
    assert not can_sign_in("jet")

    assert run("licences", "link", "jet@acme.nl").code == 0
    person = {e["email"]: e for e in run("employees", "list", "--json").json}["jet@acme.nl"]
    assert person["former"] is False and person["licence"] is not None
    held = [l for l in run("licences", "list", "--json").json if l["email"] == "jet@acme.nl"][0]
    assert held["auto_renew"] is True
    assert can_sign_in("jet")


def test_a_refused_offboarding_changes_nothing(run, org, can_sign_in):
    from tribe_tui.models import AuditEvent

    events = AuditEvent.select().count()
    refused = run("licences", "offboard", "admin@acme.nl")
    assert refused.code == 1  # the last admin
    assert AuditEvent.select().count() == events
    assert can_sign_in("beheerder", ADMIN_PASSWORD)
