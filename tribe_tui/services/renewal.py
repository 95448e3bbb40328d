"""Renewal (R7): `billing run` starts every period that is due, or ends a cancelled account.

Each organisation-period is its own transaction with its own audit event, so a run that stops
half-way leaves every organisation at a period boundary, and the next run carries on from there.
Every admin change runs the same `settle` first, in its own transaction (R9): a renewal that is
due never blocks an admin, and whoever comes first (the run or the change) does it once.
Running again the same day finds nothing due and writes nothing (idempotent); two runs at once
serialise on the organisation's lock and the second finds the period already started.

Set-based on purpose: removing the licences that do not renew, and counting the ones that do,
are single statements, so an organisation with 100,000 licences renews in well under a second.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from tribe_tui import billing
from tribe_tui.db import write_transaction
from tribe_tui.i18n import labels
from tribe_tui.models import Edition, Licence, Module, Organisation, OrganisationModule
from tribe_tui.services._base import (
    Context,
    active_modules,
    audit,
    edition_allows,
    latest_catalogue_version,
    lock_organisation,
    priced_edition,
    priced_module,
    rows,
    touch,
    vat_of,
)
from tribe_tui.services.invoices import write_invoice

RENEWED = "renewed"
ENDED = "ended"


@dataclass(frozen=True)
class RenewalOutcome:
    org_id: int
    slug: str
    status: str  # renewed | ended
    period_start: date  # of the period that started; for an ended account, the day it ended
    paid_until: date
    invoice_number: str | None = None
    licences: int = 0  # renewed (billed) licences
    licences_removed: int = 0  # auto-renew was off
    edition: str | None = None
    modules_ended: tuple[str, ...] = ()
    total: Decimal | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "organisation": self.slug,
            "status": self.status,
            "period_start": self.period_start.isoformat(),
            "paid_until": self.paid_until.isoformat(),
            "invoice": self.invoice_number,
            "licences": self.licences,
            "licences_removed": self.licences_removed,
            "edition": self.edition,
            "modules_ended": list(self.modules_ended),
            "total": None if self.total is None else billing.as_text(self.total),
        }


def due_organisations(today: date, org_id: int | None = None) -> list[int]:
    query = Organisation.select(Organisation.id).where(
        (Organisation.paid_until < today) & (Organisation.status != "ended")
    )
    if org_id is not None:
        query = query.where(Organisation.id == org_id)
    return [i for (i,) in rows(query.order_by(Organisation.id))]


def run_billing(today: date, actor: str, org_id: int | None = None) -> list[RenewalOutcome]:
    """Process every renewal or ending due on or before `today`, oldest period first: one
    transaction per organisation-period, through `settle`, the code every admin change runs first."""
    outcomes: list[RenewalOutcome] = []
    for due_id in due_organisations(today, org_id):
        ctx = Context(due_id, actor, today)
        while True:
            with write_transaction():
                # Locked, then read: another run (or an admin's change) may have done it already.
                step = settle(ctx, lock_organisation(ctx), limit=1)
            if not step:
                break
            outcomes.extend(step)
            if step[-1].status == ENDED:
                break
    return outcomes


def settle(ctx: Context, org: Organisation, *, limit: int | None = None) -> list[RenewalOutcome]:
    """R7/R9: cross every period boundary of `org` that is due on `ctx.today` (at most `limit`),
    oldest first, inside the caller's transaction with `org` locked. Idempotent: nothing is due
    once it has run. Each renewal is its own invoice, issued today, for its own period (R10)."""
    done: list[RenewalOutcome] = []
    while (
        (limit is None or len(done) < limit)
        and org.status != "ended"
        and billing.renewal_pending(org.paid_until, ctx.today)
    ):
        done.append(_end(ctx, org) if org.status == "cancelled" else _renew(ctx, org))
        touch(org)
    return done


def _end(ctx: Context, org: Organisation) -> RenewalOutcome:
    """A cancelled account does not renew: it ends the day after paid-until; all data is kept."""
    ended_on = org.paid_until + timedelta(days=1)
    Organisation.update(status="ended", ended_on=ended_on).where(Organisation.id == org.id).execute()
    org.status, org.ended_on = "ended", ended_on
    audit(
        ctx,
        "account.ended",
        {"status": "cancelled", "paid_until": org.paid_until},
        {"status": "ended", "ended_on": ended_on},
    )
    return RenewalOutcome(org.id, org.slug, ENDED, ended_on, org.paid_until)


def _renew(ctx: Context, org: Organisation) -> RenewalOutcome:
    start = org.paid_until + timedelta(days=1)
    paid_until = billing.period_end(start)
    before = {
        "period_start": org.period_start,
        "paid_until": org.paid_until,
        "edition": org.edition_id,
        "scheduled_edition": org.scheduled_edition_id,
    }

    # Licences with auto-renew off lapse: deleting the licence unlinks its holder, who stays.
    removed = Licence.delete().where((Licence.organisation == org.id) & (Licence.auto_renew == False)).execute()  # noqa: E712
    renewing = Licence.select().where(Licence.organisation == org.id).count()

    # R12: the new period is charged at the catalogue in force now, and keeps it to its end.
    prices = latest_catalogue_version()
    edition_code = org.scheduled_edition_id or org.edition_id

    # R7: removals take effect. R8: and a module the renewed edition may not have ends with the
    # period too, whether or not it was switched off: a renewal never carries it into the new period.
    ending_rows = [
        (row.id, module.name)
        for row, module in active_modules(org.id)
        if not row.renews or not edition_allows(module, edition_code, prices)
    ]
    ending = sorted(name for _, name in ending_rows)
    if ending_rows:
        OrganisationModule.update(active=False, renews=False, ends_with_edition=False).where(
            OrganisationModule.id.in_([i for i, _ in ending_rows])
        ).execute()
    Organisation.update(
        edition=edition_code,
        scheduled_edition=None,
        period_start=start,
        paid_until=paid_until,
        catalogue_version=prices,
    ).where(Organisation.id == org.id).execute()
    org.edition_id, org.scheduled_edition, org.period_start, org.paid_until = edition_code, None, start, paid_until
    org.catalogue_version_id = prices

    modules = [
        priced_module(m, prices)
        for m in Module.select()
        .join(OrganisationModule, on=(OrganisationModule.module == Module.code))
        .where((OrganisationModule.organisation == org.id) & OrganisationModule.active)
        .order_by(Module.kind, Module.name)
    ]
    charge = billing.period_charge(
        renewing,
        priced_edition(Edition.get_by_id(edition_code), prices),
        modules,
        start,
        vat_of(org.id),
        labels(org.language),
    )
    # Nothing left to bill (every licence lapsed, no integration): the period starts without an invoice.
    number = (
        None
        if charge.is_empty or charge.total == 0
        else write_invoice(org, charge, "renewal", ctx.today, start, paid_until)
    )
    audit(
        ctx,
        "billing.renewal",
        before,
        {
            "period_start": start,
            "paid_until": paid_until,
            "edition": edition_code,
            "licences": renewing,
            "licences_removed": removed,
            "modules_ended": ending,
            "invoice": number,
            "total": billing.as_text(charge.total),
        },
    )
    return RenewalOutcome(
        org.id,
        org.slug,
        RENEWED,
        start,
        paid_until,
        number,
        renewing,
        removed,
        edition_code,
        tuple(ending),
        charge.total,
    )
