"""The audit log: the one place an event is written."""

from __future__ import annotations

import json
from typing import Any

from tribe_tui.models import (
    AuditEvent,
)
from tribe_tui.service_types import Context


def audit(ctx: Context, action: str, before: Any = None, after: Any = None, *, operator: bool = False) -> None:
    """An action's event. `operator`: an event of the seller's operator that belongs to no
    organisation (a bank statement read), recorded without one whatever `ctx.org_id` says."""
    record_event(
        None if operator else ctx.org_id, ctx.actor, action, before, after, ctx.employee_id, ctx.key_fingerprint
    )


def record_event(
    organisation_id: int | None,
    actor: str,
    action: str,
    before: Any = None,
    after: Any = None,
    employee_id: int | None = None,
    key_fingerprint: str | None = None,
) -> None:
    """The one place an audit event is written (appended, never changed). Without an organisation:
    a failed sign-in under a name nobody has."""
    AuditEvent.create(
        organisation=organisation_id,
        actor=actor[:100],
        action=action,
        before=None if before is None else json.dumps(before, default=str, sort_keys=True),
        after=None if after is None else json.dumps(after, default=str, sort_keys=True),
        employee=employee_id,
        key_fingerprint=key_fingerprint,
    )
