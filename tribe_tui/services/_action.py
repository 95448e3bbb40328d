"""The outline every admin action follows, written once.

    with organisation_change(ctx, expected_version) as change:
        ...check what only this action checks, change the rows...
        change.invoice(charge, "module")           # when it costs money
        change.audit("module.added", before, after)

One transaction; the organisation is locked and its version checked first, then the guard (by
default: the account can still be changed); after the body, the version is bumped and the audit
event the body recorded is written. Whatever the body raises rolls all of it back, so a refused or
invalid action changes nothing and leaves no event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from tribe_tui import billing
from tribe_tui.db import write_transaction
from tribe_tui.errors import SessionEnded
from tribe_tui.models import Employee, Licence, Organisation, SshKey
from tribe_tui.services._base import audit, lock_organisation, msg, require_changeable, touch
from tribe_tui.services.invoices import write_invoice
from tribe_tui.services.signin import may_use
from tribe_tui.views import Context

Guard = Callable[[Context, Organisation], None]


@dataclass
class OrganisationChange:
    """An action in progress: the locked organisation, the invoice written, the event to record."""

    ctx: Context
    org: Organisation
    invoice_number: str | None = None
    _event: tuple[str, Any, Any] | None = None
    _unchanged: bool = False

    def invoice(self, charge: billing.Charge, reason: str, *, on: date | None = None,
                period_start: date | None = None, period_end: date | None = None) -> str:
        """Write the invoice for `charge` in this transaction. By default it is dated today and
        covers today up to paid-until (a change within the period)."""
        on = self.ctx.today if on is None else on
        self.invoice_number = write_invoice(self.org, charge, reason, on,
                                            on if period_start is None else period_start,
                                            self.org.paid_until if period_end is None else period_end)
        return self.invoice_number

    def audit(self, action: str, before: Any = None, after: Any = None) -> None:
        """The audit event of this action, written when the body has finished."""
        if self._event is not None:
            raise RuntimeError(f"one action, one audit event: {self._event[0]} already recorded")
        self._event = (action, before, after)

    def unchanged(self) -> None:
        """This call changed nothing (a dry run, or nothing was due): no version bump, no event."""
        self._unchanged = True


def require_key_session(ctx: Context, org: Organisation) -> None:
    """A session that came in with an SSH key acts only while that key is stored for that person
    and they may still sign in: removing the key, unlinking them or making them Voormalig ends it
    at its next action (#15)."""
    key = SshKey.get_or_none(SshKey.id == ctx.ssh_key_id)
    employee = Employee.get_or_none(Employee.id == ctx.employee_id)
    if key is None or employee is None or key.employee_id != employee.id or not may_use(
            employee, org, Licence.get_or_none(Licence.holder == employee.id), ctx.today):
        raise SessionEnded(msg(ctx, "err.ssh_session_ended"))


@contextmanager
def organisation_change(ctx: Context, expected_version: int | None = None, *,
                        guard: Guard | None = require_changeable) -> Iterator[OrganisationChange]:
    """Lock the organisation (refusing if `expected_version` is stale), check `guard`, run the body,
    then bump the version and write the recorded audit event, all in one transaction."""
    with write_transaction():
        org = lock_organisation(ctx, expected_version)
        if ctx.ssh_key_id is not None:
            require_key_session(ctx, org)
        if guard is not None:
            guard(ctx, org)
        change = OrganisationChange(ctx, org)
        yield change
        if change._unchanged:
            return
        if change._event is None:
            raise RuntimeError("an admin action must record its audit event (or say it changed nothing)")
        touch(org)
        audit(ctx, *change._event)
