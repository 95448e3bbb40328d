"""Who is using the TUI: the signed-in employee, their organisation and the rights they have."""

from __future__ import annotations

from datetime import date

from tribe_tui.db import write_transaction
from tribe_tui.errors import Refused
from tribe_tui.i18n import t
from tribe_tui.models import Employee, Organisation
from tribe_tui.service_types import Context, Session
from tribe_tui.services._audit import audit


def start_session(username: str, today: date, lang: str) -> Session:
    """A session for a user whose identity is already established (sign-in, or the demo's admin)."""
    employee = Employee.get_or_none(Employee.username == username)
    if employee is None:
        raise Refused(t("error.sign_in_refused", lang))
    org = Organisation.get_by_id(employee.organisation_id)
    # `username` is what the row was found by: the employee's own (never NULL then).
    ctx = Context(org.id, username, today, lang, employee_id=employee.id)
    return Session(ctx, username, employee.name, employee.role, org.name)


def end_session(ctx: Context) -> None:
    """The signed-in user signs out: recorded as an audit event of their organisation."""
    with write_transaction():
        audit(ctx, "sign_out", after={"username": ctx.actor})


def record_session_end(ctx: Context, reason: str) -> None:
    """The session ended without the person signing out (services/_person.py: why)."""
    with write_transaction():
        audit(ctx, "session.ended", after={"username": ctx.actor, "reason": reason})
