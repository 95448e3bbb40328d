"""Employees (medewerkers): who works here, who is Voormalig (former), who is admin, who is locked
out, and whose licence sits unused.

The employees screen pages like the licence screen: the list's search index (services/search_index.py)
read once, each visible page read by primary key (`employee_rows`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from peewee import JOIN, Expression, ModelSelect, fn

from tribe_tui import billing
from tribe_tui.errors import Refused
from tribe_tui.list_types import EmployeesView
from tribe_tui.models import Employee, Licence, SignInFailure
from tribe_tui.service_types import Context, bill_json
from tribe_tui.services._action import organisation_change
from tribe_tui.services._admins import require_other_admin
from tribe_tui.services._messages import msg
from tribe_tui.services._person import account_read
from tribe_tui.services._queries import find_employee, licence_counts, load_organisation, rows
from tribe_tui.services.account import IDLE_DAYS
from tribe_tui.services.lockout import locked_names

PAGE = 64  # rows the employees screen reads at a time


@dataclass(frozen=True)
class EmployeeRow:
    id: int
    name: str
    email: str
    username: str | None
    role: str
    former: bool
    licence_id: int | None
    last_sign_in_on: date | None = None
    locked_until: datetime | None = None  # UTC, wall clock
    auto_renew: bool | None = None  # of the licence held, if any

    @property
    def holder_id(self) -> int | None:
        """For the shared table: a row "without holder" is drawn muted (here: without licence)."""
        return self.id if self.licence_id is not None else None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "email": self.email,
            "username": self.username,
            "role": self.role,
            "former": self.former,
            "licence": self.licence_id,
            "last_sign_in": self.last_sign_in_on and self.last_sign_in_on.isoformat(),
            "locked_until": self.locked_until and self.locked_until.isoformat(timespec="minutes"),
        }


def _with_locks(found: list[EmployeeRow]) -> list[EmployeeRow]:
    locked = locked_names([r.username for r in found if r.username])
    if not locked:
        return found
    return [replace(r, locked_until=locked[r.username]) if r.username in locked else r for r in found]


def _employee_query(ctx: Context) -> ModelSelect[Employee]:
    return (
        Employee.select(
            Employee.id,
            Employee.name,
            Employee.email,
            Employee.username,
            Employee.role,
            Employee.former,
            Licence.id,
            Employee.last_sign_in_on,
            Licence.auto_renew,
        )
        .join(Licence, JOIN.LEFT_OUTER, on=(Licence.holder == Employee.id))
        .where(Employee.organisation == ctx.org_id)
    )


def _employee_rows(query: ModelSelect[Employee]) -> list[EmployeeRow]:
    return _with_locks(
        [
            EmployeeRow(i, n, e, u, r, bool(f), lic, last, None, None if renews is None else bool(renews))
            for i, n, e, u, r, f, lic, last, renews in rows(query)
        ]
    )


@account_read
def list_employees(ctx: Context, include_former: bool = False) -> list[EmployeeRow]:
    """Voormalig people are hidden unless asked for."""
    query = _employee_query(ctx).order_by(fn.LOWER(Employee.name), Employee.id)
    if not include_former:
        query = query.where(Employee.former == False)  # noqa: E712
    return _employee_rows(query)


@account_read
def employees_view(ctx: Context, *, first_page: bool = True) -> EmployeesView:
    """What the employees screen shows first: counts and (on its first visit) the first page."""
    total = Employee.select().where(Employee.organisation == ctx.org_id).count()
    licences, in_use = licence_counts(ctx.org_id)
    first = None
    if first_page:
        query = _employee_query(ctx).where(Employee.former == False)  # noqa: E712
        first = _employee_rows(query.order_by(fn.LOWER(Employee.name), Employee.id).limit(PAGE))
    return EmployeesView(total, licences - in_use, first, load_organisation(ctx).paid_until)


@account_read
def employee_rows(ctx: Context, ids: list[int]) -> list[EmployeeRow]:
    """The rows of these employees, in the order given (one primary-key read per page)."""
    if not ids:
        return []
    found = {r.id: r for r in _employee_rows(_employee_query(ctx).where(Employee.id.in_(list(ids))))}
    return [found[i] for i in ids if i in found]


# --- who can still sign in as admin ------------------------------------------------------------


# --- actions -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormerChange:
    name: str
    email: str
    former: bool
    settled: tuple[billing.Settled, ...] = ()  # the renewal (or ending) settled first (R9)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "email": self.email, "former": self.former} | bill_json(
            billing.Bill(self.settled, None)
        )


def make_former(ctx: Context, employee: Employee, switch: bool) -> None:
    """Voormalig on or off for this employee, inside an action: refused when it already is so, or
    when it would leave no admin who can sign in."""
    if employee.former == switch:
        raise Refused(
            msg(ctx, "error.already_former", name=employee.name)
            if switch
            else msg(ctx, "error.not_former", name=employee.name)
        )
    if switch and Licence.get_or_none(Licence.holder == employee.id) is not None:
        require_other_admin(ctx, employee)
    Employee.update(former=switch).where(Employee.id == employee.id).execute()


def set_former(
    ctx: Context, email: str, on: object, *, dry_run: bool = False, expected_version: int | None = None
) -> FormerChange:
    """Mark someone Voormalig (hidden from default views, cannot sign in) or undo that. A dry run
    checks and says what would be settled first."""
    from tribe_tui.schemas import EmailRef, Switch, parse

    address = parse(EmailRef, ctx.lang, email=email).email
    switch = parse(Switch, ctx.lang, on=on).on
    with organisation_change(ctx, expected_version, dry_run=dry_run) as change:
        employee = find_employee(ctx, address)
        make_former(ctx, employee, switch)
        if dry_run:
            return FormerChange(employee.name, employee.email, switch, change.settled)
        change.audit(
            "employee.former",
            {"email": employee.email, "former": employee.former},
            {"email": employee.email, "former": switch},
        )
    return FormerChange(employee.name, employee.email, switch, change.settled)


@dataclass(frozen=True)
class RoleChange:
    name: str
    email: str
    role: str
    settled: tuple[billing.Settled, ...] = ()  # the renewal (or ending) settled first (R9)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "email": self.email, "role": self.role} | bill_json(billing.Bill(self.settled, None))


def set_admin(
    ctx: Context, email: str, on: object, *, dry_run: bool = False, expected_version: int | None = None
) -> RoleChange:
    """Grant or revoke the admin role. Revoking never leaves the organisation without an admin
    who can sign in; a Voormalig employee is not made admin. dry_run only checks."""
    from tribe_tui.schemas import EmailRef, Switch, parse

    address = parse(EmailRef, ctx.lang, email=email).email
    switch = parse(Switch, ctx.lang, on=on).on
    role = "admin" if switch else "user"
    with organisation_change(ctx, expected_version, dry_run=dry_run) as change:
        employee = find_employee(ctx, address)
        if employee.role == role:
            raise Refused(
                msg(ctx, "error.already_admin", name=employee.name)
                if switch
                else msg(ctx, "error.not_admin", name=employee.name)
            )
        if switch and employee.former:
            raise Refused(msg(ctx, "error.admin_former", name=employee.name))
        if not switch:
            require_other_admin(ctx, employee)
        if dry_run:
            return RoleChange(employee.name, employee.email, role, change.settled)
        Employee.update(role=role).where(Employee.id == employee.id).execute()
        change.audit(
            "employee.role", {"email": employee.email, "role": employee.role}, {"email": employee.email, "role": role}
        )
    return RoleChange(employee.name, employee.email, role, change.settled)


@dataclass(frozen=True)
class Unlocked:
    name: str
    email: str
    was_locked_until: datetime
    settled: tuple[billing.Settled, ...] = ()  # the renewal (or ending) settled first (R9)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "email": self.email,
            "was_locked_until": self.was_locked_until.isoformat(timespec="minutes"),
        } | bill_json(billing.Bill(self.settled, None))


def unlock(ctx: Context, email: str, *, dry_run: bool = False, expected_version: int | None = None) -> Unlocked:
    """Clear a colleague's sign-in lockout (their failed attempts are forgotten). A dry run checks
    and says what would be settled first."""
    from tribe_tui.schemas import EmailRef, parse

    address = parse(EmailRef, ctx.lang, email=email).email
    with organisation_change(ctx, expected_version, dry_run=dry_run) as change:
        employee = find_employee(ctx, address)
        until = locked_names([employee.username]).get(employee.username or "") if employee.username else None
        if until is None:
            raise Refused(msg(ctx, "error.not_locked", name=employee.name))
        if dry_run:
            return Unlocked(employee.name, employee.email, until, change.settled)
        SignInFailure.delete().where(SignInFailure.username == employee.username).execute()
        change.audit(
            "employee.unlock",
            {"email": employee.email, "locked_until": until},
            {"email": employee.email, "locked_until": None},
        )
    return Unlocked(employee.name, employee.email, until, change.settled)


# --- idle licences -------------------------------------------------------------------------------


def _idle_where(ctx: Context, days: int) -> Expression:
    """Holders whose last sign-in (the rules' date) is `days` or more before today; someone who
    never signed in counts from the day they were added."""
    cutoff = ctx.today - timedelta(days=days)
    return (Licence.organisation == ctx.org_id) & (
        (Employee.last_sign_in_on <= cutoff)
        | (
            Employee.last_sign_in_on.is_null()
            & (Employee.created_at < datetime.combine(cutoff + timedelta(days=1), time.min))
        )
    )


@account_read
def idle_licence_ids(ctx: Context, days: int = IDLE_DAYS) -> list[int]:
    return [
        i
        for (i,) in rows(
            Licence.select(Licence.id)
            .join(Employee, on=(Licence.holder == Employee.id))
            .where(_idle_where(ctx, days))
            .order_by(Licence.id)
        )
    ]
