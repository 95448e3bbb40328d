"""Never leave an organisation without an admin who can sign in: the guard every change of a
role, a holder or a renewal runs (services.employees and services.licences)."""

from __future__ import annotations

from peewee import fn

from tribe_tui.errors import Refused
from tribe_tui.models import Employee, Licence
from tribe_tui.service_types import Context
from tribe_tui.services._messages import msg
from tribe_tui.services.lockout import locked_names


def _can_sign_in(ctx: Context, exclude: int | None = None, role: str | None = None) -> list[Employee]:
    """Employees who can sign in and stay able to: a licence that renews, not Voormalig, not locked."""
    query = (
        Employee.select(Employee.id, Employee.name, Employee.username, Employee.role)
        .join(Licence, on=(Licence.holder == Employee.id))
        .where(
            (Employee.organisation == ctx.org_id)
            & (Employee.former == False)  # noqa: E712
            & (Licence.auto_renew == True)  # noqa: E712
            & Employee.username.is_null(False)
        )
        .order_by(fn.LOWER(Employee.name), Employee.id)
    )
    if exclude is not None:
        query = query.where(Employee.id != exclude)
    if role is not None:
        query = query.where(Employee.role == role)
    found = list(query.limit(200)) if role != "admin" else list(query)
    locked = locked_names([e.username for e in found if e.username])
    return [e for e in found if e.username not in locked]


def require_other_admin(ctx: Context, employee: Employee) -> None:
    """Never leave the organisation without an admin who can sign in. The refusal names who
    could become admin instead."""
    if employee.role != "admin":
        return
    if _can_sign_in(ctx, exclude=employee.id, role="admin"):
        return
    candidates = [e.name for e in _can_sign_in(ctx, exclude=employee.id, role="user")[:3]]
    if candidates:
        raise Refused(msg(ctx, "error.last_admin", name=employee.name, candidates=", ".join(candidates)))
    raise Refused(msg(ctx, "error.last_admin_nobody", name=employee.name))
