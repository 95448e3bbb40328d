"""Every service action: the happy path, its refusals, exactly one audit event, nothing half-done."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from tribe_tui.errors import BadInput, Refused
from tribe_tui.models import Employee, Invoice, InvoiceLine, Licence, Organisation, OrganisationModule
from tribe_tui.service_types import Context
from tribe_tui.services import (
    _action,
    account,
    billing_details,
    cancellation,
    edition,
    employees,
    invoices,
    licences,
    modules,
)

from .conftest import ACTOR, HALF_WAY, LEAP_START

D = Decimal


def one_event(tracker, action: str) -> tuple[dict | None, dict | None]:
    found = tracker()
    assert [e.action for e in found] == [action]
    event = found[0]
    assert event.actor == ACTOR
    assert event.at is not None
    return (
        None if event.before is None else json.loads(event.before),
        None if event.after is None else json.loads(event.after),
    )


def org_row(ctx: Context) -> Organisation:
    return Organisation.get_by_id(ctx.org_id)


def licence_count(ctx: Context) -> int:
    return Licence.select().where(Licence.organisation == ctx.org_id).count()


# --- init (R9) ---------------------------------------------------------------------------


def test_init_creates_org_admin_licences_and_the_first_invoice(make_org, audit_events):
    ctx = make_org(start=date(2026, 6, 1), licences=4, edition="creator")
    org = org_row(ctx)
    assert (org.edition_id, org.period_start, org.paid_until, org.status) == (
        "creator",
        date(2026, 6, 1),
        date(2027, 5, 31),
        "active",
    )
    assert licence_count(ctx) == 4
    admin = Employee.get((Employee.organisation == ctx.org_id) & (Employee.role == "admin"))
    assert Licence.get(Licence.holder == admin.id).organisation_id == ctx.org_id
    (invoice,) = Invoice.select().where(Invoice.organisation == ctx.org_id)
    assert (invoice.reason, invoice.subtotal, invoice.vat, invoice.total) == (
        "initial",
        D("2160.00"),
        D("453.60"),
        D("2613.60"),
    )
    (event,) = audit_events(ctx)
    assert event.action == "organisation.create" and event.before is None
    assert json.loads(event.after)["invoice"] == invoice.number


def test_init_refuses_a_taken_name_or_username_and_changes_nothing(ctx, make_org, dump):
    before = dump()
    with pytest.raises(Refused):
        make_org()  # same slug
    with pytest.raises(Refused):
        make_org(name="Other B.V.")  # same username
    assert dump() == before


# --- account overview ----------------------------------------------------------------------


def test_overview_counts_and_forecast(ctx, staff):
    view = account.overview(ctx)
    assert (view.licences_total, view.licences_in_use, view.licences_free) == (5, 3, 2)
    assert (view.edition_code, view.status, view.paid_until, view.days_left) == (
        "tribe",
        "active",
        date(2027, 5, 31),
        187,
    )
    assert view.next_period_start == date(2027, 6, 1)
    assert view.next_invoice.subtotal == D("1800.00")  # 5 x 360 for the next, 365-day period
    data = view.to_json()
    assert data["licences"] == {"total": 5, "in_use": 3, "free": 2}
    assert data["next_invoice"]["total"] == "2178.00"


def test_forecast_leaves_out_licences_that_do_not_renew_and_modules_that_end(ctx, staff):
    modules.add_module(ctx, "projects")
    modules.add_module(ctx, "mailchimp")
    modules.remove_module(ctx, "mailchimp")
    free = Licence.select().where((Licence.organisation == ctx.org_id) & Licence.holder.is_null()).first()
    licences.set_auto_renew(ctx, str(free.id), "off")
    forecast = account.overview(ctx).next_invoice
    assert [(l.quantity, l.unit_price) for l in forecast.lines] == [(4, D("360.00")), (4, D("60.00"))]


# --- licences add (R3, R4) -------------------------------------------------------------------


def test_add_licences_half_way_a_leap_period_costs_half(make_org, new_events):
    ctx = make_org(start=LEAP_START, today=HALF_WAY, licences=1)
    new_events.mark()
    result = licences.add_licences(ctx, "2")
    (line,) = result.charge.lines
    assert (line.quantity, line.days, line.period_days, line.amount) == (2, 183, 366, D("360.00"))
    assert licence_count(ctx) == 3
    before, after = one_event(new_events, "licences.add")
    assert before == {"licences": 1}
    assert after == {"licences": 3, "invoice": result.invoice_number, "total": "435.60"}


def test_preview_and_charge_are_the_same_numbers_and_only_the_charge_writes(ctx, dump):
    modules.add_module(ctx, "projects")
    before = dump()
    preview = licences.add_licences(ctx, 2, dry_run=True)
    assert dump() == before
    assert preview.dry_run and preview.invoice_number is None
    done = licences.add_licences(ctx, 2)
    assert done.charge == preview.charge
    invoice = Invoice.get(Invoice.number == done.invoice_number)
    lines = list(InvoiceLine.select().where(InvoiceLine.invoice == invoice.id).order_by(InvoiceLine.position))
    assert [(l.description, l.quantity, l.unit_price, l.days, l.period_days, l.amount) for l in lines] == [
        (x.description, x.quantity, x.unit_price, x.days, x.period_days, x.amount) for x in done.charge.lines
    ]
    assert (invoice.subtotal, invoice.vat, invoice.total) == (done.charge.subtotal, done.charge.vat, done.charge.total)


def test_add_licences_charges_a_per_user_module_that_is_scheduled_to_end(ctx):
    modules.add_module(ctx, "projects")
    modules.remove_module(ctx, "projects")
    result = licences.add_licences(ctx, 1)
    assert [l.unit_price for l in result.charge.lines] == [D("360.00"), D("60.00")]
    # a flat integration is not charged per licence
    modules.add_module(ctx, "exact-online")
    assert len(licences.add_licences(ctx, 1, dry_run=True).charge.lines) == 2


@pytest.mark.parametrize("count", ["0", "-1", "10001", "abc", "99999999999999", "1.5", ""])
def test_add_licences_refuses_bad_counts(ctx, dump, count):
    before = dump()
    with pytest.raises(BadInput):
        licences.add_licences(ctx, count)
    assert dump() == before


def test_the_largest_add_and_a_large_init_fit_in_one_transaction(make_org):
    # regression: one INSERT of 10,000 licences exceeded SQLite's limit on bound variables
    ctx = make_org(licences=10_000)
    result = licences.add_licences(ctx, 10_000)
    assert result.licences_total == licence_count(ctx) == 20_000


def test_add_on_the_first_and_last_day(make_org):
    ctx = make_org(start=LEAP_START, today=LEAP_START)
    assert licences.add_licences(ctx, 1).charge.lines[0].amount == D("360.00")
    last = Context(ctx.org_id, ACTOR, date(2028, 2, 29), "nl")
    assert licences.add_licences(last, 1).charge.lines[0].amount == D("0.98")


def test_actions_dated_before_the_latest_invoice_are_refused(make_org, dump):
    """R10: the first invoice was issued on 1 June 2026; nothing may be dated before it."""
    ctx = make_org(start=date(2026, 6, 1))
    early = Context(ctx.org_id, ACTOR, date(2026, 5, 31), "nl")
    before = dump()
    for action in (
        lambda: licences.add_licences(early, 1),
        lambda: licences.add_licences(early, 1, dry_run=True),
        lambda: modules.add_module(early, "projects"),
        lambda: edition.set_edition(early, "creator"),
        lambda: licences.unlink(early, "admin@acme.nl"),
    ):
        with pytest.raises(Refused) as caught:
            action()
        assert "1 juni 2026" in caught.value.message
    assert dump() == before


def test_a_due_renewal_is_settled_first_and_a_dry_run_keeps_nothing(ctx, dump):
    """R9: after paid-until (31 May 2027) a change renews first, the way `billing run` would."""
    late = Context(ctx.org_id, ACTOR, date(2027, 6, 1), "nl")
    before = dump()
    for preview in (
        lambda: licences.add_licences(late, 1, dry_run=True),
        lambda: edition.set_edition(late, "creator", dry_run=True),
        lambda: modules.add_module(late, "projects", dry_run=True),
    ):
        shown = preview()
        # priced in the renewed period: 1 June 2027 .. 31 May 2028, every day of it
        assert (shown.charge.lines[0].days, shown.charge.lines[0].period_to) == (366, date(2028, 5, 31))
    assert dump() == before
    assert licences.add_licences(late, 1).charge.lines[0].days == 366
    assert [(r.reason, r.date) for r in invoices.list_invoices(late)][-2:] == [
        ("renewal", date(2027, 6, 1)),
        ("licences", date(2027, 6, 1)),
    ]
    # the last day of the period is still inside it
    last = Context(ctx.org_id, ACTOR, date(2028, 5, 31), "nl")
    assert licences.add_licences(last, 1).charge.lines[0].days == 1


# --- holders -----------------------------------------------------------------------------------


def test_unlink_frees_the_licence_and_keeps_the_person(ctx, staff, new_events):
    new_events.mark()
    result = licences.unlink(ctx, "Daan@Acme.nl")
    licence = Licence.get_by_id(result.licence_id)
    assert licence.holder_id is None
    assert Employee.get_by_id(staff[0].id).former is False
    before, after = one_event(new_events, "licence.unlink")
    assert before == {"licence": licence.id, "holder": "daan@acme.nl"}
    assert after == {"licence": licence.id, "holder": None}


def test_unlink_refusals(ctx, staff, dump):
    licences.unlink(ctx, "daan@acme.nl")
    before = dump()
    with pytest.raises(Refused):
        licences.unlink(ctx, "daan@acme.nl")  # holds no licence any more
    with pytest.raises(Refused):
        licences.unlink(ctx, "admin@acme.nl")  # the last admin
    with pytest.raises(BadInput):
        licences.unlink(ctx, "nobody@acme.nl")
    with pytest.raises(BadInput):
        licences.unlink(ctx, "not-an-address")
    assert dump() == before


def test_link_gives_a_free_licence_back(ctx, staff, new_events):
    licences.offboard(ctx, "emma@acme.nl")
    new_events.mark()
    result = licences.link(ctx, "emma@acme.nl")
    licence = Licence.get_by_id(result.licence_id)
    assert licence.holder_id == staff[1].id and licence.auto_renew
    assert Employee.get_by_id(staff[1].id).former is False
    _, after = one_event(new_events, "licence.link")
    assert after["holder"] == "emma@acme.nl"


def test_link_refused_without_free_licence_or_when_holding_one(ctx, staff, dump):
    Employee.create(organisation=ctx.org_id, name="Finn Bakker", email="finn@acme.nl", role="user")
    Employee.create(organisation=ctx.org_id, name="Mila Visser", email="mila@acme.nl", role="user")
    Employee.create(organisation=ctx.org_id, name="Levi Smit", email="levi@acme.nl", role="user")
    licences.link(ctx, "finn@acme.nl")
    licences.link(ctx, "mila@acme.nl")
    before = dump()
    with pytest.raises(Refused):
        licences.link(ctx, "levi@acme.nl")  # no free licence left
    with pytest.raises(Refused):
        licences.link(ctx, "daan@acme.nl")  # already holds one
    assert dump() == before


def test_auto_renew_by_email_or_licence_number(ctx, staff, new_events):
    new_events.mark()
    result = licences.set_auto_renew(ctx, "daan@acme.nl", "off")
    assert result.usable_until == date(2027, 5, 31) and not result.auto_renew
    assert Licence.get_by_id(result.licence_id).auto_renew is False
    before, after = one_event(new_events, "licence.auto_renew")
    assert (before["auto_renew"], after["auto_renew"]) == (True, False)
    new_events.mark()
    licences.set_auto_renew(ctx, str(result.licence_id), "aan")
    assert Licence.get_by_id(result.licence_id).auto_renew is True
    one_event(new_events, "licence.auto_renew")


def test_auto_renew_refusals(ctx, staff, dump):
    before = dump()
    with pytest.raises(Refused):
        licences.set_auto_renew(ctx, "daan@acme.nl", "on")  # already on
    with pytest.raises(BadInput):
        licences.set_auto_renew(ctx, "999999", "off")
    with pytest.raises(BadInput):
        licences.set_auto_renew(ctx, "daan@acme.nl", "maybe")
    with pytest.raises(BadInput):
        licences.set_auto_renew(ctx, "ghost@acme.nl", "off")
    assert dump() == before


def test_offboard_is_unlink_former_and_auto_renew_off_in_one_event(ctx, staff, new_events):
    new_events.mark()
    result = licences.offboard(ctx, "emma@acme.nl")
    licence = Licence.get_by_id(result.licence_id)
    assert licence.holder_id is None and licence.auto_renew is False
    assert Employee.get_by_id(staff[1].id).former is True
    before, after = one_event(new_events, "employee.offboard")
    assert before == {"holder": "emma@acme.nl", "licence": licence.id, "auto_renew": True, "former": False}
    assert after == {"holder": None, "licence": licence.id, "auto_renew": False, "former": True}


def test_offboard_refusals(ctx, staff, dump):
    licences.offboard(ctx, "emma@acme.nl")
    before = dump()
    with pytest.raises(Refused):
        licences.offboard(ctx, "emma@acme.nl")
    with pytest.raises(Refused):
        licences.offboard(ctx, "admin@acme.nl")
    assert dump() == before


def test_list_and_filter_licences(ctx, staff):
    rows = licences.list_licences(ctx)
    assert [r.holder_name for r in rows] == ["admin", "Daan de Jong", "Emma Jansen", None, None]
    assert [r.status for r in rows].count("free") == 2
    assert [r.email for r in licences.list_licences(ctx, "emma")] == ["emma@acme.nl"]
    assert licences.count_licences(ctx, "JONG") == 1
    licences.offboard(ctx, "emma@acme.nl")
    assert licences.count_licences(ctx, include_former=False) == 5  # her licence is free now, still listed
    page = licences.list_licences(ctx, offset=1, limit=2)
    assert [r.holder_name for r in page] == ["Daan de Jong", None]


# --- employees -----------------------------------------------------------------------------------


def test_former_on_and_off(ctx, staff, new_events):
    new_events.mark()
    employees.set_former(ctx, "daan@acme.nl", "on")
    assert Employee.get_by_id(staff[0].id).former is True
    before, after = one_event(new_events, "employee.former")
    assert (before["former"], after["former"]) == (False, True)
    assert "daan@acme.nl" not in [r.email for r in employees.list_employees(ctx)]
    assert "daan@acme.nl" in [r.email for r in employees.list_employees(ctx, include_former=True)]
    new_events.mark()
    employees.set_former(ctx, "daan@acme.nl", "off")
    one_event(new_events, "employee.former")


def test_former_refusals(ctx, staff, dump):
    before = dump()
    with pytest.raises(Refused):
        employees.set_former(ctx, "daan@acme.nl", "off")  # not former
    with pytest.raises(Refused):
        employees.set_former(ctx, "admin@acme.nl", "on")  # last admin
    with pytest.raises(BadInput):
        employees.set_former(ctx, "ghost@acme.nl", "on")
    with pytest.raises(BadInput):
        employees.set_former(ctx, "daan@acme.nl", "perhaps")
    assert dump() == before


# --- edition (R5) ---------------------------------------------------------------------------------


def test_upgrade_charges_all_licences_at_once(make_org, new_events):
    ctx = make_org(start=LEAP_START, today=HALF_WAY, licences=4)
    new_events.mark()
    preview = edition.set_edition(ctx, "creator", dry_run=True)
    assert new_events() == []
    result = edition.set_edition(ctx, "creator")
    assert result.charge == preview.charge
    (line,) = result.charge.lines
    assert (line.quantity, line.unit_price, line.amount) == (4, D("180.00"), D("360.00"))
    assert org_row(ctx).edition_id == "creator"
    assert Invoice.get(Invoice.number == result.invoice_number).reason == "upgrade"
    before, after = one_event(new_events, "edition.upgrade")
    assert before == {"edition": "tribe", "scheduled_edition": None}
    assert after == {"edition": "creator", "scheduled_edition": None, "invoice": result.invoice_number}


def test_downgrade_is_scheduled_ends_creator_modules_and_can_be_withdrawn(make_org, new_events, dump):
    ctx = make_org(edition="creator")
    modules.add_module(ctx, "workflows")
    invoices_before = Invoice.select().count()
    new_events.mark()
    result = edition.set_edition(ctx, "tribe")
    assert (result.kind, result.effective_on, result.charge) == ("downgrade_scheduled", date(2027, 6, 1), None)
    assert result.ending_modules == ("Workflows",)
    org = org_row(ctx)
    assert (org.edition_id, org.scheduled_edition_id) == ("creator", "tribe")
    row = OrganisationModule.get(OrganisationModule.module == "workflows")
    assert (row.active, row.renews, row.ends_with_edition) == (True, False, True)
    assert Invoice.select().count() == invoices_before  # no credit, no charge
    one_event(new_events, "edition.downgrade_scheduled")
    # scheduling it twice is refused; the module cannot be kept on its own
    before = dump()
    with pytest.raises(Refused):
        edition.set_edition(ctx, "tribe")
    with pytest.raises(Refused):
        modules.add_module(ctx, "workflows")
    assert dump() == before
    new_events.mark()
    withdrawn = edition.set_edition(ctx, "creator")
    assert withdrawn.kind == "downgrade_withdrawn"
    assert org_row(ctx).scheduled_edition_id is None
    row = OrganisationModule.get(OrganisationModule.module == "workflows")
    assert (row.renews, row.ends_with_edition) == (True, False)
    one_event(new_events, "edition.downgrade_withdrawn")


def test_edition_refusals(ctx, dump):
    before = dump()
    with pytest.raises(Refused):
        edition.set_edition(ctx, "tribe")  # already
    with pytest.raises(BadInput):
        edition.set_edition(ctx, "enterprise")
    with pytest.raises(BadInput):
        edition.set_edition(ctx, "Creator!")
    assert dump() == before


# --- modules -----------------------------------------------------------------------------------


def test_add_per_user_module_charges_every_licence_held_or_free(make_org, new_events):
    ctx = make_org(start=LEAP_START, today=HALF_WAY, licences=5)
    new_events.mark()
    result = modules.add_module(ctx, "projects")
    (line,) = result.charge.lines
    assert (line.quantity, line.amount) == (5, D("150.00"))
    row = OrganisationModule.get(OrganisationModule.module == "projects")
    assert (row.active, row.renews, row.added_on) == (True, True, HALF_WAY)
    _, after = one_event(new_events, "module.added")
    assert after["invoice"] == result.invoice_number


def test_add_flat_integration_charges_once(make_org):
    ctx = make_org(start=LEAP_START, today=HALF_WAY, licences=5)
    (line,) = modules.add_module(ctx, "exact-online").charge.lines
    assert (line.quantity, line.amount) == (1, D("120.00"))


def test_remove_module_keeps_it_until_paid_until_and_undo_is_free(ctx, new_events, dump):
    modules.add_module(ctx, "projects")
    invoices_before = Invoice.select().count()
    new_events.mark()
    removed = modules.remove_module(ctx, "projects")
    assert (removed.kind, removed.effective_on) == ("removal_scheduled", date(2027, 5, 31))
    row = OrganisationModule.get(OrganisationModule.module == "projects")
    assert (row.active, row.renews) == (True, False)
    one_event(new_events, "module.removal_scheduled")
    before = dump()
    with pytest.raises(Refused):
        modules.remove_module(ctx, "projects")  # already ends
    assert dump() == before
    new_events.mark()
    undone = modules.add_module(ctx, "projects")
    assert (undone.kind, undone.charge, undone.invoice_number) == ("removal_undone", None, None)
    assert OrganisationModule.get(OrganisationModule.module == "projects").renews is True
    assert Invoice.select().count() == invoices_before
    one_event(new_events, "module.removal_undone")


def test_remove_dry_run_changes_nothing(ctx, dump):
    modules.add_module(ctx, "projects")
    before = dump()
    preview = modules.remove_module(ctx, "projects", dry_run=True)
    assert preview.dry_run and preview.kind == "removal_scheduled"
    assert dump() == before


def test_module_refusals(ctx, dump):
    modules.add_module(ctx, "projects")
    before = dump()
    with pytest.raises(Refused):
        modules.add_module(ctx, "projects")  # active
    with pytest.raises(Refused):
        modules.add_module(ctx, "workflows")  # needs Tribe Creator
    with pytest.raises(Refused):
        modules.add_module(ctx, "workflows", dry_run=True)
    with pytest.raises(Refused):
        modules.remove_module(ctx, "mailchimp")  # not active
    with pytest.raises(BadInput):
        modules.add_module(ctx, "telepathy")
    with pytest.raises(BadInput):
        modules.remove_module(ctx, "telepathy")
    assert dump() == before


def test_catalogue_for_shows_state_and_availability(ctx):
    modules.add_module(ctx, "projects")
    modules.add_module(ctx, "mailchimp")
    modules.remove_module(ctx, "mailchimp")
    rows = {m.code: m for m in modules.catalogue_for(ctx)}
    assert (rows["projects"].active, rows["projects"].renews) == (True, True)
    assert (rows["mailchimp"].active, rows["mailchimp"].renews) == (True, False)
    assert rows["workflows"].available is False and rows["exact-online"].available is True
    assert rows["sales"].active is False


def test_shipped_catalogue_has_a_per_user_module_and_a_flat_integration_for_tribe(db):
    from tribe_tui.services.catalogue import catalogue

    cat = catalogue().to_json()
    assert [e["code"] for e in cat["editions"]] == ["tribe", "creator"]
    open_to_tribe = [m for m in cat["modules"] if m["requires"] is None]
    assert any(m["per_user"] and m["kind"] == "module" for m in open_to_tribe)
    assert any(not m["per_user"] and m["kind"] == "integration" for m in open_to_tribe)
    assert all(len(m["yearly_price"].split(".")[1]) == 2 for m in cat["modules"])


# --- billing details (R6) ---------------------------------------------------------------------


def test_billing_details_update_and_vat(ctx, new_events):
    new_events.mark()
    belgian = {"company_name": "Acme Belgium", "country": "BE", "postcode": "1000", "vat_number": "BE0403019261"}
    view = billing_details.update(ctx, {**belgian, "kvk_number": ""})  # a KvK number is Dutch only
    assert (view.vat_rate, view.vat_reason) == ("0", "reverse_charge")
    before, after = one_event(new_events, "billing_details.update")
    assert before == {
        "company_name": "Acme B.V.",
        "country": "NL",
        "postcode": "1234 AB",
        "vat_number": "",
        "kvk_number": "12345678",
    }
    assert after == {**belgian, "kvk_number": ""}
    assert billing_details.show(ctx).fields["company_name"] == "Acme Belgium"
    # the next charge is reverse charged, with the customer's number on the invoice
    result = licences.add_licences(ctx, 1)
    assert (result.charge.vat, result.charge.vat_reason) == (D("0.00"), "reverse_charge")
    invoice = Invoice.get(Invoice.number == result.invoice_number)
    assert (invoice.vat_rate, invoice.vat_reason, invoice.customer_vat_number) == (
        "0",
        "reverse_charge",
        "BE0403019261",
    )


def test_outside_the_eu_pays_no_vat(ctx):
    billing_details.update(ctx, {"country": "US", "kvk_number": ""})
    charge = licences.add_licences(ctx, 1, dry_run=True).charge
    assert (charge.vat_rate, charge.vat, charge.vat_reason) == (D("0"), D("0.00"), "outside_eu")


def test_a_dutch_vat_number_keeps_21_percent(ctx):
    billing_details.update(ctx, {"vat_number": "NL004495445B01"})
    charge = licences.add_licences(ctx, 1, dry_run=True).charge
    assert charge.vat_rate == D("21") and charge.vat_reason is None


@pytest.mark.parametrize(
    "changes",
    [
        {"vat_number": "NL123"},
        {"iban": "NL00ABNA0000000000"},
        {"kvk_number": "1234"},
        {"invoice_email": "facturen@"},
        {"country": "ZZ"},
        {"colour": "red"},
        {"postcode": "12345"},
    ],
)
def test_billing_details_refusals_change_nothing(ctx, dump, changes):
    billing_details.update(ctx, {"company_name": "Acme"})
    before = dump()
    with pytest.raises(BadInput):
        billing_details.update(ctx, changes)
    assert dump() == before


def test_parse_assignments(ctx):
    assert billing_details.parse_assignments(ctx, ["city=Den Haag", "po_reference=A=B"]) == {
        "city": "Den Haag",
        "po_reference": "A=B",
    }
    for bad in ([], ["city"], ["colour=red"]):
        with pytest.raises(BadInput):
            billing_details.parse_assignments(ctx, bad)


def test_validate_and_preview_for_forms(ctx):
    assert billing_details.validate(ctx, {"kvk_number": "12345678"}, complete=False) == {}
    assert set(billing_details.validate(ctx, {"kvk_number": "1", "iban": "x"}, complete=False)) == {
        "kvk_number",
        "iban",
    }
    # The whole form must name the customer and its full address (Wet OB art. 35a).
    assert set(billing_details.validate(ctx, {"kvk_number": "12345678"})) == {
        "company_name",
        "address",
        "postcode",
        "city",
        "country",
    }
    assert billing_details.preview({"country": "DE", "vat_number": "DE136695976"}).vat_reason == "reverse_charge"


# --- invoices ------------------------------------------------------------------------------------


def test_invoices_list_show_and_csv(ctx):
    added = licences.add_licences(ctx, 2)
    rows = invoices.list_invoices(ctx)
    assert [r.reason for r in rows] == ["initial", "licences"]
    view = invoices.get_invoice(ctx, added.invoice_number)
    assert [l.amount for l in view.lines] == [D("368.88")]
    assert view.customer["organisation"] == "Acme B.V." and view.seller["name"]
    csv_text = invoices.invoice_csv(view)
    header, row = csv_text.strip().split("\n")
    assert header.startswith("number,date,description")
    assert row.split(",")[8:12] == ["368.88", "21", "77.46", "446.34"]
    with pytest.raises(BadInput):
        invoices.get_invoice(ctx, "1999-0001")


def test_invoices_of_another_organisation_are_not_visible(ctx, make_org):
    other = make_org(name="Other B.V.", username="other", email="o@other.nl")
    number = invoices.list_invoices(other)[0].number
    with pytest.raises(BadInput):
        invoices.get_invoice(ctx, number)


def test_csv_neutralises_formulas():
    assert invoices._csv_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert invoices._csv_safe("Licentie") == "Licentie"


def test_invoice_numbers_are_gapless_across_actions(ctx):
    licences.add_licences(ctx, 1)
    edition.set_edition(ctx, "creator")
    modules.add_module(ctx, "projects")
    licences.add_licences(ctx, 1, dry_run=True)
    with pytest.raises(Refused):
        modules.add_module(ctx, "projects")
    licences.add_licences(ctx, 3)
    numbers = [r.number for r in invoices.list_invoices(ctx)]
    assert numbers == ["2026-0001", "2026-0002", "2026-0003", "2026-0004", "2026-0005"]


def test_a_failed_invoice_write_leaves_no_licences_and_no_number(ctx, dump, monkeypatch):
    before = dump()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    # Every action writes its invoice through the outline (services._action).
    monkeypatch.setattr(_action, "write_invoice", broken)
    with pytest.raises(RuntimeError):
        licences.add_licences(ctx, 2)
    assert dump() == before


# --- cancellation ------------------------------------------------------------------------------


def test_cancel_and_withdraw(ctx, new_events, dump):
    new_events.mark()
    result = cancellation.cancel(ctx, "  Te duur  ")
    assert (result.status, result.access_until, result.reason) == ("cancelled", date(2027, 5, 31), "Te duur")
    org = org_row(ctx)
    assert (org.status, org.cancel_reason, org.cancelled_on) == ("cancelled", "Te duur", ctx.today)
    before, after = one_event(new_events, "account.cancel")
    assert before == {"status": "active"} and after["status"] == "cancelled"
    assert account.overview(ctx).next_invoice.is_empty
    snapshot = dump()
    with pytest.raises(Refused):
        cancellation.cancel(ctx, "again")
    with pytest.raises(Refused):
        licences.add_licences(ctx, 1)  # a cancelled account is not charged
    with pytest.raises(BadInput):
        cancellation.cancel(ctx, "")
    assert dump() == snapshot
    new_events.mark()
    assert cancellation.withdraw(ctx).status == "active"
    assert org_row(ctx).status == "active"
    one_event(new_events, "account.cancel_withdrawn")
    snapshot = dump()
    with pytest.raises(Refused):
        cancellation.withdraw(ctx)
    assert dump() == snapshot


def test_after_paid_until_a_cancelled_account_has_ended(ctx):
    cancellation.cancel(ctx, "stoppen")
    later = Context(ctx.org_id, ACTOR, date(2027, 6, 1), "nl")
    assert account.overview(later).status == "ended"
    with pytest.raises(Refused):
        cancellation.withdraw(later)


# --- every action: exactly one event, and the version moves ----------------------------------


def test_every_change_bumps_the_version_and_a_stale_screen_is_refused(ctx, staff, dump):
    from tribe_tui.errors import StaleData

    version = org_row(ctx).version
    licences.set_auto_renew(ctx, "daan@acme.nl", "off")
    assert org_row(ctx).version == version + 1
    before = dump()
    with pytest.raises(StaleData):
        licences.add_licences(ctx, 1, expected_version=version)
    assert dump() == before
    licences.add_licences(ctx, 1, expected_version=version + 1)


def test_a_module_that_ended_can_be_added_again_and_is_charged(ctx):
    modules.add_module(ctx, "projects")
    # what a renewal does to a module that was not renewed (R7)
    OrganisationModule.update(active=False, renews=False).where(OrganisationModule.module == "projects").execute()
    again = modules.add_module(ctx, "projects")
    assert again.kind == "added" and again.invoice_number is not None
    row = OrganisationModule.get(OrganisationModule.module == "projects")
    assert (row.active, row.renews) == (True, True)
    assert OrganisationModule.select().count() == 1
