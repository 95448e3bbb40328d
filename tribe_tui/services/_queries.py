"""Reading an organisation's rows: plain tuples, lookups by code or e-mail, the licence tally."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, cast

from peewee import Case, ModelSelect, fn

from tribe_tui.errors import BadInput
from tribe_tui.models import (
    FREE_DAY,
    Edition,
    Employee,
    LicenceTally,
    Module,
    Organisation,
    OrganisationModule,
)
from tribe_tui.service_types import Context
from tribe_tui.services._messages import msg

Row = tuple[Any, ...]


def rows(query: ModelSelect[Any], *, stream: bool = False) -> Iterator[Row]:
    """The query's rows as plain tuples; with `stream`, without caching them in the query.
    (peewee's stubs type `.tuples()` as the query itself, whose items are models.)"""
    found = query.tuples()
    return cast(Iterator[Row], found.iterator() if stream else iter(found))


def load_organisation(ctx: Context) -> Organisation:
    return Organisation.get_by_id(ctx.org_id)


def same_address(column: Any, address: str) -> Any:
    """An e-mail column holding this address, whatever the case of its letters: addresses are
    stored as typed (the local part's case kept), and 'Jan@' typed later is still the same person.
    Exactly as typed always matches; SQLite's LOWER folds ASCII letters only."""
    return (column == address) | (fn.LOWER(column) == address.lower())


def find_employee(ctx: Context, email: str) -> Employee:
    employee = Employee.get_or_none((Employee.organisation == ctx.org_id) & same_address(Employee.email, email))
    if employee is None:
        raise BadInput(msg(ctx, "error.unknown_email", email=email))
    return employee


def find_edition(ctx: Context, code: str) -> Edition:
    edition = Edition.get_or_none(Edition.code == code)
    if edition is None:
        choices = ", ".join(e.code for e in Edition.select().order_by(Edition.rank))
        raise BadInput(msg(ctx, "error.unknown_edition", code=code, choices=choices))
    return edition


def find_module(ctx: Context, code: str) -> Module:
    module = Module.get_or_none(Module.code == code)
    if module is None:
        raise BadInput(msg(ctx, "error.unknown_module", code=code))
    return module


def licence_tally(org_id: int, idle_on_or_before: date | None = None, *, renewing: bool = False) -> int:
    """Sum over the organisation's LicenceTally rows (kept by the database's triggers): a few rows,
    however many licences. Every licence; with `renewing`, those with auto-renew on; with
    `idle_on_or_before`, the held ones whose holder was last active on or before that day."""
    query = LicenceTally.select(fn.COALESCE(fn.SUM(LicenceTally.n), 0)).where(LicenceTally.organisation_id == org_id)
    if renewing:
        query = query.where(LicenceTally.auto_renew == True)  # noqa: E712
    if idle_on_or_before is not None:
        query = query.where((LicenceTally.active_on > FREE_DAY) & (LicenceTally.active_on <= idle_on_or_before))
    return int(query.scalar() or 0)


def licence_total(org_id: int) -> int:
    """How many licences the organisation has."""
    return licence_tally(org_id)


def licence_counts(org_id: int) -> tuple[int, int]:
    """(total, in use) in one query over the organisation's LicenceTally rows."""
    row = cast(
        "tuple[int, int]",
        LicenceTally.select(
            fn.COALESCE(fn.SUM(LicenceTally.n), 0),
            fn.COALESCE(fn.SUM(Case(None, [(LicenceTally.active_on == FREE_DAY, LicenceTally.n)], 0)), 0),
        )
        .where(LicenceTally.organisation_id == org_id)
        .tuples()
        .get(),
    )
    total, free = row
    return int(total), int(total) - int(free)


def active_modules(org_id: int, *, renewing_only: bool = False) -> list[tuple[OrganisationModule, Module]]:
    query = (
        OrganisationModule.select(OrganisationModule, Module)
        .join(Module)
        .where((OrganisationModule.organisation == org_id) & OrganisationModule.active)
        .order_by(Module.kind, Module.name)
    )
    if renewing_only:
        query = query.where(OrganisationModule.renews)
    return [(row, row.module) for row in query]
