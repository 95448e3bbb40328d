"""What every service shares: the context of an action, locking, audit events, money lookups."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from typing import Any, cast

from peewee import Case, ModelSelect, fn

from tribe_tui import billing
from tribe_tui.db import is_sqlite, retry_when_busy
from tribe_tui.errors import BadInput, Refused
from tribe_tui.i18n import t
from tribe_tui.models import (
    FREE_DAY,
    AuditEvent,
    BillingDetails,
    CataloguePrice,
    CatalogueVersion,
    Edition,
    Employee,
    LicenceTally,
    Module,
    Organisation,
    OrganisationModule,
)
from tribe_tui.views import Context as Context  # re-exported: every service takes one

Row = tuple[Any, ...]


def rows(query: ModelSelect[Any], *, stream: bool = False) -> Iterator[Row]:
    """The query's rows as plain tuples; with `stream`, without caching them in the query.
    (peewee's stubs type `.tuples()` as the query itself, whose items are models.)"""
    found = query.tuples()
    return cast(Iterator[Row], found.iterator() if stream else iter(found))


def msg(ctx: Context, key: str, **values: object) -> str:
    return t(key, ctx.lang, **values)


def day(ctx: Context, value: date) -> str:
    """A date inside a message, as the user reads dates ('31 mei 2027')."""
    from tribe_tui.formatting import long_date

    return long_date(value, ctx.lang)


def load_organisation(ctx: Context) -> Organisation:
    return Organisation.get_by_id(ctx.org_id)


def lock_organisation(ctx: Context, expected_version: int | None = None) -> Organisation:
    """Read the organisation inside a write transaction, holding its lock until commit.

    On PostgreSQL this is a row lock (SELECT ... FOR UPDATE); on SQLite the transaction was
    opened with BEGIN IMMEDIATE and already holds the database's write lock. A caller that
    read the organisation earlier (a screen) passes the version it saw; a newer one refuses.
    """
    query = Organisation.select().where(Organisation.id == ctx.org_id)
    org = query.get() if is_sqlite() else retry_when_busy(query.for_update().get)
    if expected_version is not None and org.version != expected_version:
        from tribe_tui.errors import StaleData

        raise StaleData(msg(ctx, "err.stale"))
    return org


def touch(org: Organisation) -> None:
    """Every change bumps the organisation's version (optimistic check for stale screens)."""
    Organisation.update(version=Organisation.version + 1).where(Organisation.id == org.id).execute()
    org.version += 1


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


def require_changeable(ctx: Context, org: Organisation) -> None:
    """Nothing changes on an ended account, or once its period is over (R9: access by date)."""
    if org.status == "ended":
        raise Refused(msg(ctx, "err.ended"))
    if billing.renewal_pending(org.paid_until, ctx.today):
        if org.status == "cancelled":
            raise Refused(msg(ctx, "err.ended"))
        raise Refused(msg(ctx, "err.renewal_pending", date=day(ctx, org.paid_until)))
    if ctx.today < org.period_start:
        raise outside_period(ctx, org)


def outside_period(ctx: Context, org: Organisation) -> BadInput:
    """The error for a date that falls outside the organisation's current period."""
    return BadInput(
        msg(
            ctx,
            "err.outside_period",
            date=day(ctx, ctx.today),
            start=day(ctx, org.period_start),
            end=day(ctx, org.paid_until),
        )
    )


def require_chargeable(ctx: Context, org: Organisation) -> None:
    """R9: an action that charges money needs a current, processed period."""
    require_changeable(ctx, org)
    if org.status == "cancelled":
        raise Refused(msg(ctx, "err.cancelled_no_charge"))


def period_of(org: Organisation) -> billing.Period:
    return billing.Period(org.period_start, org.paid_until)


def latest_catalogue_version() -> int | None:
    """R12: the newest catalogue version (a period that starts now is charged by it to its end)."""
    found = CatalogueVersion.select(fn.MAX(CatalogueVersion.id)).scalar()
    return None if found is None else int(found)


# Catalogue rows read so far, while `remembered_prices` is on (a billing run): a version is never
# rewritten (R12), so one read per version and item serves every organisation.
_VERSION_MEMO: ContextVar[dict[tuple[str, str, int], CataloguePrice | None] | None] = ContextVar(
    "catalogue_memo", default=None
)


@contextmanager
def remembered_prices() -> Iterator[None]:
    token = _VERSION_MEMO.set({})
    try:
        yield
    finally:
        _VERSION_MEMO.reset(token)


def _in_version(kind: str, code: str, version: int | None) -> CataloguePrice | None:
    """R12: the row of `code` in catalogue `version`; None without a version, for an item that
    version did not have (new since), or for a row no migration has filled (no name)."""
    if version is None:
        return None
    memo, key = _VERSION_MEMO.get(), (kind, code, version)
    if memo is not None and key in memo:
        found = memo[key]
    else:
        found = CataloguePrice.get_or_none(
            (CataloguePrice.version == version) & (CataloguePrice.kind == kind) & (CataloguePrice.code == code)
        )
        if memo is not None:
            memo[key] = found
    return None if found is None or found.name is None else found


def priced_edition(edition: Edition, version: int | None = None) -> billing.Priced:
    """R12: the edition as catalogue `version` had it, price and printed name (None: the newest)."""
    found = _in_version("edition", edition.code, version)
    if found is None:
        return billing.Priced(edition.code, edition.name, Decimal(edition.yearly_price), True)
    return billing.Priced(edition.code, str(found.name), Decimal(found.yearly_price), True)


def priced_module(module: Module, version: int | None = None) -> billing.Priced:
    """R12: the module as catalogue `version` had it (None: the newest): its price, its name as an
    invoice line prints it, and whether it is charged per licence or once. A period is charged by
    its own version for all three, whatever a later catalogue says."""
    found = _in_version("module", module.code, version)
    if found is None:
        return billing.Priced(module.code, module.name, Decimal(module.yearly_price), module.per_user)
    return billing.Priced(module.code, str(found.name), Decimal(found.yearly_price), bool(found.per_user))


def module_requires(module: Module, version: int | None = None) -> str | None:
    """R8/R12: the edition `module` requires in catalogue `version` (None: the newest), or None."""
    found = _in_version("module", module.code, version)
    return module.requires_id if found is None else found.requires


def edition_rank(code: str, version: int | None = None) -> int:
    """R12: the rank of edition `code` in catalogue `version` (None: the newest)."""
    found = _in_version("edition", code, version)
    return Edition.get_by_id(code).rank if found is None or found.rank is None else int(found.rank)


def edition_allows(module: Module, edition_code: str, version: int | None = None) -> bool:
    """R8: a module without `requires` is open to every edition; else the edition must rank at
    least as high as the one it requires; both as catalogue `version` says (R12; None: the newest)."""
    needed = module_requires(module, version)
    return needed is None or edition_rank(edition_code, version) >= edition_rank(needed, version)


def vat_of(org_id: int) -> billing.Vat:
    return vat_of_details(BillingDetails.get_or_none(BillingDetails.organisation == org_id))


def vat_of_details(details: BillingDetails | None) -> billing.Vat:
    if details is None:
        return billing.vat_for(None, None)
    vat_country = details.vat_number[:2] if details.vat_number else None
    vat = billing.vat_for(details.country, vat_country)
    # R6: the invoice names the customer's VAT number with reverse charge (its mention cites it),
    # and for a customer outside the EU (category O) as the customer's identifier (a GB, CH or NO
    # number, say): no VAT either way.
    if vat.reason in (billing.VAT_REASON_REVERSE_CHARGE, billing.VAT_REASON_OUTSIDE_EU) and details.vat_number:
        return billing.Vat(vat.rate, vat.reason, details.vat_number)
    return vat


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


def find_employee(ctx: Context, email: str) -> Employee:
    employee = Employee.get_or_none((Employee.organisation == ctx.org_id) & (Employee.email == email.lower()))
    if employee is None:
        raise BadInput(msg(ctx, "err.unknown_email", email=email))
    return employee


def find_edition(ctx: Context, code: str) -> Edition:
    edition = Edition.get_or_none(Edition.code == code)
    if edition is None:
        choices = ", ".join(e.code for e in Edition.select().order_by(Edition.rank))
        raise BadInput(msg(ctx, "err.unknown_edition", code=code, choices=choices))
    return edition


def find_module(ctx: Context, code: str) -> Module:
    module = Module.get_or_none(Module.code == code)
    if module is None:
        raise BadInput(msg(ctx, "err.unknown_module", code=code))
    return module
