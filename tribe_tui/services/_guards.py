"""Whether an account may change or be charged today (access by date)."""

from __future__ import annotations

from tribe_tui import billing
from tribe_tui.errors import BadInput, Refused
from tribe_tui.models import (
    Organisation,
)
from tribe_tui.service_types import Context
from tribe_tui.services._messages import day, msg


def require_changeable(ctx: Context, org: Organisation) -> None:
    """Nothing changes on an ended account, or once its period is over (R9: access by date)."""
    if org.status == "ended":
        raise Refused(msg(ctx, "error.ended"))
    if billing.renewal_pending(org.paid_until, ctx.today):
        if org.status == "cancelled":
            raise Refused(msg(ctx, "error.ended"))
        raise Refused(msg(ctx, "error.renewal_pending", date=day(ctx, org.paid_until)))
    if ctx.today < org.period_start:
        raise outside_period(ctx, org)


def outside_period(ctx: Context, org: Organisation) -> BadInput:
    """The error for a date that falls outside the organisation's current period."""
    return BadInput(
        msg(
            ctx,
            "error.outside_period",
            date=day(ctx, ctx.today),
            start=day(ctx, org.period_start),
            end=day(ctx, org.paid_until),
        )
    )


def require_chargeable(ctx: Context, org: Organisation) -> None:
    """R9: an action that charges money needs a current, processed period."""
    require_changeable(ctx, org)
    if org.status == "cancelled":
        raise Refused(msg(ctx, "error.cancelled_no_charge"))


def period_of(org: Organisation) -> billing.Period:
    return billing.Period(org.period_start, org.paid_until)
