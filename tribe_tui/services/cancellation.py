"""Account opzeggen: access stays until paid-until; withdrawable until then (R7, R9)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tribe_tui.db import write_transaction
from tribe_tui.errors import Refused
from tribe_tui.services._base import Context, audit, lock_organisation, msg, require_changeable, touch


@dataclass(frozen=True)
class CancellationResult:
    status: str
    access_until: date
    reason: str | None

    def to_json(self) -> dict:
        return {"status": self.status, "access_until": self.access_until.isoformat(), "reason": self.reason}


def cancel(ctx: Context, reason: str, *, expected_version: int | None = None) -> CancellationResult:
    from tribe_tui.schemas import CancelInput, parse

    text = parse(CancelInput, ctx.lang, reason=reason).reason
    with write_transaction():
        org = lock_organisation(ctx, expected_version)
        require_changeable(ctx, org)
        if org.status == "cancelled":
            raise Refused(msg(ctx, "err.already_cancelled"))
        type(org).update(status="cancelled", cancel_reason=text, cancelled_on=ctx.today).where(
            type(org).id == org.id).execute()
        touch(org)
        audit(ctx, "account.cancel", {"status": org.status}, {"status": "cancelled", "reason": text,
                                                             "access_until": org.paid_until})
    return CancellationResult("cancelled", org.paid_until, text)


def withdraw(ctx: Context, *, expected_version: int | None = None) -> CancellationResult:
    with write_transaction():
        org = lock_organisation(ctx, expected_version)
        require_changeable(ctx, org)
        if org.status != "cancelled":
            raise Refused(msg(ctx, "err.not_cancelled"))
        type(org).update(status="active", cancel_reason=None, cancelled_on=None).where(
            type(org).id == org.id).execute()
        touch(org)
        audit(ctx, "account.cancel_withdrawn", {"status": "cancelled", "reason": org.cancel_reason},
              {"status": "active"})
    return CancellationResult("active", org.paid_until, None)
