"""Renewal (R7): `billing run` starts every period that is due, or ends a cancelled account.

Each organisation is settled in its own transaction, every period it is behind with its own audit
event, so a run that stops half-way leaves every organisation at a period boundary, and the next
run carries on from there. Every admin change runs the same `settle` first, in its own transaction
(R9): a renewal that is due never blocks an admin, and whoever comes first (the run or the change)
does it once. Running again the same day finds nothing due and writes nothing (idempotent); runs at
once, on one host or many, claim different organisations (see _claim) and none is done twice.

Set-based on purpose: removing the licences that do not renew, and counting the ones that do,
are single statements, so an organisation with 100,000 licences renews in well under a second.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from tribe_tui import billing
from tribe_tui.db import is_sqlite, write_transaction
from tribe_tui.i18n import labels
from tribe_tui.models import BillingDetails, Edition, Licence, Organisation, OrganisationModule
from tribe_tui.service_types import Context
from tribe_tui.services._audit import audit
from tribe_tui.services._prices import (
    edition_allows,
    latest_catalogue_version,
    priced_edition,
    priced_module,
    remembered_prices,
    vat_of_details,
)
from tribe_tui.services._queries import active_modules
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
    modules_ended: tuple[str, ...] = ()  # as invoices print them (R12)
    modules_ended_codes: tuple[str, ...] = field(default=(), compare=False)  # the same, by code: for words
    total: Decimal | None = None
    charge: billing.Charge | None = field(default=None, compare=False)  # the invoice's, when one was written

    def as_settled(self) -> billing.Settled:
        """As an admin action names it before what was asked (R9)."""
        kind = billing.SETTLED_ENDING if self.status == ENDED else billing.SETTLED_RENEWAL
        return billing.Settled(kind, self.period_start, self.paid_until, self.charge, self.invoice_number)

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


def due_count(today: date, org_id: int | None = None) -> int:
    return int(_due(today, org_id).count())


def _due(today: date, org_id: int | None, skip: Collection[int] = ()) -> Any:
    """Organisations with a renewal or an ending due on `today` (the partial index
    organisation_due covers it), without those in `skip`."""
    query = Organisation.select().where((Organisation.paid_until < today) & (Organisation.status != "ended"))
    if org_id is not None:
        query = query.where(Organisation.id == org_id)
    if skip:
        query = query.where(Organisation.id.not_in(list(skip)))
    return query


@dataclass(frozen=True)
class Failure:
    """One organisation the run could not settle: nothing of it was kept (its transaction rolled
    back), the run went on with the others, and the next run tries it again."""

    slug: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"organisation": self.slug, "reason": self.reason}


@dataclass
class BillingRun:
    """What one `billing run` process did (other runners at the same time report their own)."""

    outcomes: list[RenewalOutcome] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    organisations: int = 0  # settled by this process
    reminders: int = 0
    seconds: float = 0.0

    @property
    def invoices(self) -> list[RenewalOutcome]:
        return [o for o in self.outcomes if o.invoice_number]

    @property
    def invoiced_total(self) -> Decimal:
        return sum((o.total or Decimal(0) for o in self.invoices), Decimal(0))

    def to_json(self) -> dict[str, Any]:
        return {
            "organisations": self.organisations,
            "invoices": len(self.invoices),
            "invoiced_total": billing.as_text(self.invoiced_total),
            "reminders": self.reminders,
            "failures": [f.to_json() for f in self.failures],
            "seconds": round(self.seconds, 3),
            "outcomes": [o.to_json() for o in self.outcomes],
        }


def _claim(today: date, org_id: int | None, skip: Collection[int], wait: bool) -> Organisation | None:
    """Inside a write transaction: the next due organisation, locked until the transaction ends.

    PostgreSQL: `FOR UPDATE SKIP LOCKED` passes over organisations another runner (or an admin's
    action) holds, so any number of runners on any number of hosts share the work without waiting
    for each other; with `wait` it queues behind the holder instead (the last sweep, for what was
    skipped). The lock is re-checked against the row as committed: an organisation another runner
    settled meanwhile is no longer due and is not returned. SQLite: the transaction holds the
    database's write lock already (one writer), so the first due one is taken."""
    # Oldest period first, along the partial index organisation_due: organisations already settled
    # have left the range, so a claim does not walk past them.
    query = _due(today, org_id, skip).order_by(Organisation.paid_until, Organisation.id).limit(1)
    if not is_sqlite():
        query = query.for_update("FOR UPDATE" if wait else "FOR UPDATE SKIP LOCKED")
    found = list(query)
    return found[0] if found else None


def settle_organisation(ctx: Context, org: Organisation, run: BillingRun) -> list[RenewalOutcome]:
    """The per-organisation step of `billing run`, inside its transaction with `org` locked: every
    renewal or ending due (R7). A step added to the run for each organisation belongs here."""
    return settle(ctx, org)


def run_billing(
    today: date,
    actor: str,
    org_id: int | None = None,
    *,
    on_settled: Callable[[BillingRun], None] | None = None,
) -> BillingRun:
    """Process every renewal or ending due on or before `today`: claim a due organisation, settle it
    in its own transaction, report, next. Safe to run in several processes on several hosts at once
    (see _claim), and to run again after a run was killed: what was committed is no longer due.
    An organisation that fails (bad data, a constraint) is rolled back and reported with its slug
    and the reason; the run goes on with the others and does not try it again this time."""
    with remembered_prices():  # a catalogue version's prices, read once for the whole run
        return _run(today, actor, org_id, on_settled)


def _run(today: date, actor: str, org_id: int | None, on_settled: Callable[[BillingRun], None] | None) -> BillingRun:
    started = time.monotonic()
    run = BillingRun()
    skip: set[int] = set()  # failed, or claimed with nothing due: not claimed again in this run
    # First pass without waiting for any lock; then one that waits, for what another process held.
    for wait in (False, True):
        while True:
            claimed: list[Organisation] = []
            try:
                with write_transaction():
                    org = _claim(today, org_id, skip, wait)
                    if org is None:
                        break
                    claimed.append(org)
                    done = settle_organisation(Context(org.id, actor, today), org, run)
            except Exception as exc:
                if not claimed:
                    raise  # no organisation of ours: the database itself failed
                reason = " ".join(str(exc).split()) or type(exc).__name__
                skip.add(claimed[0].id)
                run.failures.append(Failure(claimed[0].slug, f"{type(exc).__name__}: {reason}"))
                continue
            if not done:  # claimed, yet nothing was due: not again
                skip.add(claimed[0].id)
                continue
            run.organisations += 1
            run.outcomes.extend(done)
            if on_settled is not None:
                on_settled(run)
        if is_sqlite():
            break  # one writer: the first pass saw everything
    run.seconds = time.monotonic() - started
    return run


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
        # Each bumps the organisation's version (as `touch` does) in its own update of the row, before
        # the invoice number is taken: after the number, only the rows that carry it are written.
        done.append(_end(ctx, org) if org.status == "cancelled" else _renew(ctx, org))
    return done


def _end(ctx: Context, org: Organisation) -> RenewalOutcome:
    """A cancelled account does not renew: it ends the day after paid-until; all data is kept."""
    ended_on = org.paid_until + timedelta(days=1)
    Organisation.update(status="ended", ended_on=ended_on, version=Organisation.version + 1).where(
        Organisation.id == org.id
    ).execute()
    org.status, org.ended_on, org.version = "ended", ended_on, org.version + 1
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
    active = active_modules(org.id)  # one read: those that end now, and those charged below
    ending_rows = [
        (row.id, module.name, module.code)
        for row, module in active
        if not row.renews or not edition_allows(module, edition_code, prices)
    ]
    ending_named = sorted((name, code) for _, name, code in ending_rows)
    ending = [name for name, _ in ending_named]
    if ending_rows:
        OrganisationModule.update(active=False, renews=False, ends_with_edition=False).where(
            OrganisationModule.id.in_([i for i, _, _ in ending_rows])
        ).execute()
    Organisation.update(
        edition=edition_code,
        scheduled_edition=None,
        period_start=start,
        paid_until=paid_until,
        catalogue_version=prices,
        version=Organisation.version + 1,
    ).where(Organisation.id == org.id).execute()
    org.edition_id, org.scheduled_edition, org.period_start, org.paid_until = edition_code, None, start, paid_until
    org.version += 1
    org.catalogue_version_id = prices

    ended = {i for i, _, _ in ending_rows}
    modules = [priced_module(module, prices) for row, module in active if row.id not in ended]
    details = BillingDetails.get_or_none(BillingDetails.organisation == org.id)
    charge = billing.period_charge(
        renewing,
        priced_edition(Edition.get_by_id(edition_code), prices),
        modules,
        start,
        vat_of_details(details),
        labels(org.language),
    )
    # Nothing left to bill (every licence lapsed, no integration): the period starts without an invoice.
    number = (
        None
        if charge.is_empty or charge.total == 0
        else write_invoice(org, charge, "renewal", ctx.today, start, paid_until, details)
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
        tuple(code for _, code in ending_named),
        charge.total,
        None if number is None else charge,
    )
