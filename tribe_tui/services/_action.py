"""The outline every admin action follows, written once.

    with organisation_change(ctx, expected_version) as change:
        ...check what only this action checks, change the rows...
        change.invoice(charge, "module")           # when it costs money
        change.audit("module.added", before, after)

One transaction; the organisation is locked and its version checked first, and in a session the
person acting is checked again (still an employee who may sign in, still an admin); then its due renewals
and endings are settled by the same code as `billing run` (R9: a renewal never blocks an admin);
what was settled is kept on the change (`change.settled`) for the action's result, so that every
preview and every result names each invoice the click writes (billing.Bill);
then a change dated before the organisation's latest invoice is refused (R10) and the guard runs
(by default: the account can still be changed); after the body, the version is bumped and the
audit event the body recorded is written. Whatever the body raises rolls all of it back, so a
refused or invalid action changes nothing and leaves no event. A dry run (or a body that says it
changed nothing) is rolled back whole, the settling included: it shows exactly what the action
would do, and does none of it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from peewee import fn

from tribe_tui import billing
from tribe_tui.db import write_transaction
from tribe_tui.errors import Refused
from tribe_tui.models import Invoice, Organisation
from tribe_tui.service_types import Context
from tribe_tui.services._audit import audit
from tribe_tui.services._guards import require_changeable
from tribe_tui.services._locking import lock_organisation, touch
from tribe_tui.services._messages import day, msg
from tribe_tui.services._person import require_person
from tribe_tui.services.invoices import write_invoice
from tribe_tui.services.renewal import settle

Guard = Callable[[Context, Organisation], None]


class _RollBack(Exception):
    """Ends a dry run's transaction without keeping anything."""


@dataclass
class OrganisationChange:
    """An action in progress: the locked organisation, the invoice written, the event to record."""

    ctx: Context
    org: Organisation
    dry_run: bool = False
    invoice_number: str | None = None
    settled: tuple[billing.Settled, ...] = ()  # renewals or an ending settled first (R9), oldest first
    _event: tuple[str, Any, Any] | None = None
    _unchanged: bool = False

    def invoice(self, charge: billing.Charge, reason: str) -> str | None:
        """Write the invoice for `charge` in this transaction, issued today (R10); it covers today up
        to paid-until (a change within the period; each line states its own period). A charge of
        € 0,00 is no invoice: the action is refused (nothing to charge). A dry run writes nothing."""
        if charge.is_empty or charge.total == 0:
            raise Refused(msg(self.ctx, "error.nothing_to_charge"))
        if self.dry_run:
            return None
        self.invoice_number = write_invoice(
            self.org, charge, reason, self.ctx.today, self.ctx.today, self.org.paid_until
        )
        return self.invoice_number

    def audit(self, action: str, before: Any = None, after: Any = None) -> None:
        """The audit event of this action, written when the body has finished."""
        if self._event is not None:
            raise RuntimeError(f"one action, one audit event: {self._event[0]} already recorded")
        self._event = (action, before, after)

    def unchanged(self) -> None:
        """This call changed nothing (a check before asking, or nothing was due): the transaction
        is rolled back, so not even settling a due renewal is kept."""
        self._unchanged = True


def require_not_backdated(ctx: Context, org: Organisation) -> None:
    """R10: invoices are numbered in the order of their issue dates; a change dated before the
    organisation's latest invoice would break that."""
    latest = Invoice.select(fn.MAX(Invoice.date)).where(Invoice.organisation == org.id).scalar()
    if latest is not None and ctx.today < latest:
        raise Refused(msg(ctx, "error.before_latest_invoice", date=day(ctx, ctx.today), latest=day(ctx, latest)))


@contextmanager
def organisation_change(
    ctx: Context,
    expected_version: int | None = None,
    *,
    guard: Guard | None = require_changeable,
    dry_run: bool = False,
    settle_first: bool = True,
    admin: bool = True,
) -> Iterator[OrganisationChange]:
    """Lock the organisation (refusing if `expected_version` is stale), settle its due renewals,
        check the date and `guard`, run the body, then bump the version and write the recorded audit
        event, all in one transaction. `settle_first=False` is for billing details alone (R9: they can
        always be corrected, settle nothing, and R10's date rule does not apply to them).

    In a session, the person acting is checked first (services/_person.py): still an employee who may
    sign in, and, unless `admin=False` (their own password), holding the admin role."""
    try:
        with write_transaction():
            org = lock_organisation(ctx, expected_version)
            require_person(ctx, org, admin=admin)
            settled: tuple[billing.Settled, ...] = ()
            if settle_first:
                require_not_backdated(ctx, org)
                settled = tuple(outcome.as_settled() for outcome in settle(ctx, org))
                if dry_run:  # rolled back: no invoice number was taken
                    settled = tuple(s._replace(invoice_number=None) for s in settled)
            if guard is not None:
                guard(ctx, org)
            change = OrganisationChange(ctx, org, dry_run, settled=settled)
            yield change
            if change._unchanged or dry_run:
                raise _RollBack
            if change._event is None:
                raise RuntimeError("an admin action must record its audit event (or say it changed nothing)")
            touch(org)
            audit(ctx, *change._event)
    except _RollBack:
        pass
