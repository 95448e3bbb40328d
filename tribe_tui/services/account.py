"""The account overview (Accountinstellingen) and the next-renewal forecast."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, NamedTuple

from peewee import fn

from tribe_tui import billing
from tribe_tui.i18n import labels
from tribe_tui.models import FREE_DAY, Edition, Invoice, LicenceTally, Module, Organisation, OrganisationModule
from tribe_tui.service_types import AccountOverview, Context, IdleSeats, ModuleState, OverdueInvoice
from tribe_tui.services._person import account_read
from tribe_tui.services._prices import edition_allows, priced_edition, priced_module, vat_of
from tribe_tui.services._queries import licence_counts, licence_tally, load_organisation
from tribe_tui.services.catalogue import shown_name
from tribe_tui.services.standing import standings


class _RenewalTerms(NamedTuple):
    """What the next renewal (R7) is charged by: read once for the forecast and the idle licences' cost."""

    start: date
    edition: Edition
    modules: list[Module]  # those that renew and that the renewed edition may have (R8), by kind and name
    vat: billing.Vat


def _renewal_terms(
    org: Organisation, edition: Edition | None = None, modules: list[Module] | None = None
) -> _RenewalTerms:
    """`edition` (the one the renewal starts at) and `modules` (the organisation's active, renewing
    ones) when the caller has read them already."""
    if edition is None:
        edition = Edition.get_by_id(org.scheduled_edition_id or org.edition_id)
    if modules is None:
        modules = list(
            Module.select()
            .join(OrganisationModule, on=(OrganisationModule.module == Module.code))
            .where((OrganisationModule.organisation == org.id) & OrganisationModule.active & OrganisationModule.renews)
            .order_by(Module.kind, Module.name)
        )
    allowed = [module for module in modules if edition_allows(module, edition.code)]
    return _RenewalTerms(billing.next_period_start(org.period_start), edition, allowed, vat_of(org.id))


def renewal_forecast(org: Organisation, lang: str, terms: _RenewalTerms | None = None) -> tuple[billing.Charge, date]:
    """What the next renewal (R7) will cost given today's switches and scheduled changes, its lines
    worded in `lang` for the screen (the renewal's invoice will print its catalogue's names)."""
    terms = terms or _renewal_terms(org)
    if org.status != "active":
        return billing.charge([], terms.vat), terms.start
    renewing = licence_tally(org.id, renewing=True)
    modules = [_named(priced_module(module), lang) for module in terms.modules]
    return billing.period_charge(
        renewing, _named(priced_edition(terms.edition), lang), modules, terms.start, terms.vat, labels(lang)
    ), terms.start


def _named(priced: billing.Priced, lang: str) -> billing.Priced:
    return priced._replace(name=shown_name(priced.code, priced.name, lang))


IDLE_DAYS = 60  # the overview's "not used for 60 days or more"


@account_read
def idle_seats(ctx: Context, days: int = IDLE_DAYS) -> IdleSeats:
    """How many held licences sit unused, and what the renewing ones will cost at the next renewal
    (edition and per-user modules for that many licences, by the billing rules); also the free
    licences that renew, which nobody uses either, and what both cost together (the advice)."""
    org = Organisation.get_by_id(ctx.org_id)
    return _idle_seats(ctx, org, _renewal_terms(org), days)


def _idle_seats(ctx: Context, org: Organisation, terms: _RenewalTerms, days: int = IDLE_DAYS) -> IdleSeats:
    # From the tally the database keeps (the holder's last day of use), not a join over every holder:
    # the same licences as _idle_where (a holder who never signed in counts from the day they were added).
    cutoff = ctx.today - timedelta(days=days)
    held = licence_tally(ctx.org_id, cutoff)
    renewing = licence_tally(ctx.org_id, cutoff, renewing=True) if held else 0
    free_renewing = _free_renewing(ctx.org_id)
    per_user = [priced_module(m) for m in terms.modules if m.per_user]  # as the renewal will (R8)
    active = org.status == "active"  # nothing renews otherwise
    edition, text = priced_edition(terms.edition), labels(ctx.lang)

    def cost(licences: int) -> billing.Charge:
        return billing.period_charge(licences if active else 0, edition, per_user, terms.start, terms.vat, text)

    return IdleSeats(days, held, renewing, cost(renewing), terms.start, free_renewing, cost(renewing + free_renewing))


def _free_renewing(org_id: int) -> int:
    """Free licences with auto-renew on, from the tally the database keeps (a few rows at any size)."""
    query = LicenceTally.select(fn.COALESCE(fn.SUM(LicenceTally.n), 0)).where(
        (LicenceTally.organisation_id == org_id) & (LicenceTally.active_on == FREE_DAY) & LicenceTally.auto_renew
    )
    return int(query.scalar() or 0)


@account_read
def overview(ctx: Context, *, idle: bool = True) -> AccountOverview:
    """The account at a glance; `idle=False` leaves out the idle licences (a screen that does not show them)."""
    org = load_organisation(ctx)
    total, in_use = licence_counts(org.id)
    edition = Edition.get_by_id(org.edition_id)
    scheduled = Edition.get_by_id(org.scheduled_edition_id) if org.scheduled_edition_id else None
    rows = list(
        OrganisationModule.select(OrganisationModule, Module)
        .join(Module)
        .where(OrganisationModule.organisation == org.id)
        .order_by(Module.kind, Module.name)
    )
    modules = tuple(
        ModuleState(
            row.module.code,
            shown_name(row.module.code, row.module.name, ctx.lang),
            row.module.kind,
            row.module.per_user,
            row.active,
            row.renews,
        )
        for row in rows
    )
    # One read of what the renewal is charged by, for the forecast and the idle licences alike.
    renewing_modules = [row.module for row in rows if row.active and row.renews]
    terms = _renewal_terms(org, scheduled or edition, renewing_modules)
    forecast, next_start = renewal_forecast(org, ctx.lang, terms)
    status = effective_status(org, ctx.today)
    if status == "ended":
        # Nobody can sign in and nothing renews: no licence is in use, no edition change will come.
        in_use, scheduled, idle = 0, None, False
    idle_view = _idle_seats(ctx, org, terms) if idle else None  # sums over the tally: cheap at any size
    return AccountOverview(
        organisation=org.name,
        slug=org.slug,
        edition_code=edition.code,
        edition_name=shown_name(edition.code, edition.name, ctx.lang),
        scheduled_edition_code=scheduled.code if scheduled else None,
        scheduled_edition_name=shown_name(scheduled.code, scheduled.name, ctx.lang) if scheduled else None,
        status=status,
        period_start=org.period_start,
        paid_until=org.paid_until,
        days_left=billing.days_left(ctx.today, org.paid_until),
        renewal_pending=org.status == "active" and billing.renewal_pending(org.paid_until, ctx.today),
        licences_total=total,
        licences_in_use=in_use,
        modules=modules,
        next_invoice=forecast,
        next_period_start=next_start,
        cancel_reason=org.cancel_reason,
        version=org.version,
        idle=idle_view,
        access_until=_access_until(org, ctx.today),
        **owed(ctx),
    )


def _access_until(org: Organisation, today: date) -> date:
    """The paid-until an action taken today leaves: after paid-until it first settles the renewals
    that are due (R9), each a further period."""
    due = billing.renewals_due(org.paid_until, today) if org.status == "active" else []
    return due[-1].paid_until if due else org.paid_until


@account_read
def organisation_version(ctx: Context) -> int:
    """The version every change bumps: a screen that charges passes the one it read with what it
    showed, so a change made meanwhile refuses the charge (services/_locking.py)."""
    return load_organisation(ctx).version


@account_read
def owed(ctx: Context) -> dict[str, Any]:
    """The open balance (every invoice's open amount) and the oldest overdue invoice."""

    found = standings(ctx.org_id, ctx.today)
    balance = sum((s.open_amount for s in found.values()), billing.ZERO)
    overdue = sorted((s.due_date, invoice_id) for invoice_id, s in found.items() if s.status == billing.INVOICE_OVERDUE)
    oldest = None
    if overdue:
        invoice_id = overdue[0][1]
        number = Invoice.select(Invoice.number).where(Invoice.id == invoice_id).scalar()
        oldest = OverdueInvoice(number, found[invoice_id].due_date, found[invoice_id].open_amount)
    return {"open_balance": balance, "oldest_overdue": oldest}


def effective_status(org: Organisation, today: date) -> str:
    """R9: a cancelled account has ended once its paid-until date has passed, processed or not."""
    if org.status == "cancelled" and today > org.paid_until:
        return "ended"
    return org.status
