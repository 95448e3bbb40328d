"""Employees (medewerkers): who works here, and who is Voormalig (former)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peewee import JOIN, fn

from tribe_tui.errors import Refused
from tribe_tui.models import Employee, Licence
from tribe_tui.services._action import organisation_change
from tribe_tui.services._base import Context, find_employee, msg, rows


@dataclass(frozen=True)
class EmployeeRow:
    id: int
    name: str
    email: str
    username: str | None
    role: str
    former: bool
    licence_id: int | None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "email": self.email, "username": self.username, "role": self.role,
                "former": self.former, "licence": self.licence_id}


def list_employees(ctx: Context, include_former: bool = False) -> list[EmployeeRow]:
    """Voormalig people are hidden unless asked for."""
    query = (
        Employee.select(Employee.id, Employee.name, Employee.email, Employee.username, Employee.role,
                        Employee.former, Licence.id)
        .join(Licence, JOIN.LEFT_OUTER, on=(Licence.holder == Employee.id))
        .where(Employee.organisation == ctx.org_id)
        .order_by(fn.LOWER(Employee.name), Employee.id)
    )
    if not include_former:
        query = query.where(Employee.former == False)  # noqa: E712
    return [EmployeeRow(i, n, e, u, r, bool(f), lic) for i, n, e, u, r, f, lic in rows(query)]


@dataclass(frozen=True)
class FormerChange:
    name: str
    email: str
    former: bool

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "email": self.email, "former": self.former}


def set_former(ctx: Context, email: str, on: object, *, expected_version: int | None = None) -> FormerChange:
    """Mark someone Voormalig (hidden from default views, cannot sign in) or undo that."""
    from tribe_tui.schemas import EmailRef, Switch, parse

    address = parse(EmailRef, ctx.lang, email=email).email
    switch = parse(Switch, ctx.lang, on=on).on
    with organisation_change(ctx, expected_version) as change:
        employee = find_employee(ctx, address)
        if employee.former == switch:
            raise Refused(msg(ctx, "err.already_former", name=employee.name) if switch
                          else msg(ctx, "err.not_former", name=employee.name))
        if switch and employee.role == "admin":
            from tribe_tui.services.licences import _require_other_admin

            if Licence.get_or_none(Licence.holder == employee.id) is not None:
                _require_other_admin(ctx, employee)
        Employee.update(former=switch).where(Employee.id == employee.id).execute()
        change.audit("employee.former", {"email": employee.email, "former": employee.former},
                     {"email": employee.email, "former": switch})
    return FormerChange(employee.name, employee.email, switch)
