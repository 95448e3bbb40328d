"""The account overview (Accountinstellingen) and the next-renewal forecast."""

from __future__ import annotations

from datetime import date

from tribe_tui import billing
from tribe_tui.i18n import labels
from tribe_tui.models import Edition, Licence, Module, Organisation, OrganisationModule
from tribe_tui.services._base import (
    Context,
    licence_counts,
    load_organisation,
    priced_edition,
    priced_module,
    vat_of,
)
from tribe_tui.services._person import account_read
from tribe_tui.views import AccountOverview, ModuleState


def renewal_forecast(org: Organisation, lang: str) -> tuple[billing.Charge, date]:
    """What the next renewal (R7) will cost given today's switches and scheduled changes."""
    start = billing.next_period_start(org.period_start)
    edition = Edition.get_by_id(org.scheduled_edition_id or org.edition_id)
    # "= TRUE", not a bare column: SQLite then seeks (organisation, auto_renew) in the index.
    renewing = Licence.select().where((Licence.organisation == org.id) & (Licence.auto_renew == True)).count()  # noqa: E712
    modules = [
        priced_module(module)
        for module in Module.select()
        .join(OrganisationModule, on=(OrganisationModule.module == Module.code))
        .where((OrganisationModule.organisation == org.id) & OrganisationModule.active & OrganisationModule.renews)
        .order_by(Module.kind, Module.name)
    ]
    if org.status != "active":
        return billing.charge([], vat_of(org.id)), start
    return billing.period_charge(renewing, priced_edition(edition), modules, start, vat_of(org.id), labels(lang)), start


@account_read
def overview(ctx: Context, *, idle: bool = True) -> AccountOverview:
    """The account at a glance. `idle=False` leaves out the idle licences (a join over every
    holder: tens of ms at 100,000), for a screen that reads them after its first frame."""
    org = load_organisation(ctx)
    total, in_use = licence_counts(org.id)
    edition = Edition.get_by_id(org.edition_id)
    scheduled = Edition.get_by_id(org.scheduled_edition_id) if org.scheduled_edition_id else None
    modules = tuple(
        ModuleState(row.module.code, row.module.name, row.module.kind, row.module.per_user, row.active, row.renews)
        for row in OrganisationModule.select(OrganisationModule, Module)
        .join(Module)
        .where(OrganisationModule.organisation == org.id)
        .order_by(Module.kind, Module.name)
    )
    forecast, next_start = renewal_forecast(org, ctx.lang)
    from tribe_tui.services.employees import idle_seats  # here: only the overview needs it

    idle_view = idle_seats(ctx) if idle else None
    return AccountOverview(
        organisation=org.name,
        slug=org.slug,
        edition_code=edition.code,
        edition_name=edition.name,
        scheduled_edition_code=scheduled.code if scheduled else None,
        scheduled_edition_name=scheduled.name if scheduled else None,
        status=effective_status(org, ctx.today),
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
    )


def effective_status(org: Organisation, today: date) -> str:
    """R9: a cancelled account has ended once its paid-until date has passed, processed or not."""
    if org.status == "cancelled" and today > org.paid_until:
        return "ended"
    return org.status
