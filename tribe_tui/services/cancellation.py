"""Account opzeggen: access stays until paid-until; withdrawable until then (R7, R9)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tribe_tui import billing
from tribe_tui.errors import Refused
from tribe_tui.service_types import Context, bill_json
from tribe_tui.services._action import organisation_change
from tribe_tui.services._messages import msg


@dataclass(frozen=True)
class CancellationResult:
    status: str
    access_until: date
    reason: str | None
    settled: tuple[billing.Settled, ...] = ()  # after paid-until: the renewal settled first (R9)

    @property
    def bill(self) -> billing.Bill:
        """What the click invoices: only what was settled first (cancelling itself costs nothing)."""
        return billing.Bill(self.settled, None)

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "access_until": self.access_until.isoformat(),
            "reason": self.reason,
            **bill_json(self.bill),
        }


def cancel(
    ctx: Context, reason: str, *, dry_run: bool = False, expected_version: int | None = None
) -> CancellationResult:
    """dry_run checks the reason and every guard and changes nothing (a screen asks after it)."""
    from tribe_tui.schemas import CancelInput, parse

    text = parse(CancelInput, ctx.lang, reason=reason).reason
    with organisation_change(ctx, expected_version, dry_run=dry_run) as change:
        org = change.org
        if org.status == "cancelled":
            raise Refused(msg(ctx, "error.already_cancelled"))
        if dry_run:
            change.unchanged()
            return CancellationResult("cancelled", org.paid_until, text, change.settled)
        type(org).update(status="cancelled", cancel_reason=text, cancelled_on=ctx.today).where(
            type(org).id == org.id
        ).execute()
        change.audit(
            "account.cancel",
            {"status": org.status},
            {"status": "cancelled", "reason": text, "access_until": org.paid_until},
        )
    return CancellationResult("cancelled", org.paid_until, text, change.settled)


def withdraw(ctx: Context, *, expected_version: int | None = None) -> CancellationResult:
    with organisation_change(ctx, expected_version) as change:
        org = change.org
        if org.status != "cancelled":
            raise Refused(msg(ctx, "error.not_cancelled"))
        type(org).update(status="active", cancel_reason=None, cancelled_on=None).where(type(org).id == org.id).execute()
        change.audit(
            "account.cancel_withdrawn", {"status": "cancelled", "reason": org.cancel_reason}, {"status": "active"}
        )
    return CancellationResult("active", org.paid_until, None, change.settled)
