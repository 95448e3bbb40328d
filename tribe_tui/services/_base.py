"""What every service shares: the context of an action, locking, audit events, money lookups."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any, cast

from peewee import ModelSelect, fn

from tribe_tui import billing
from tribe_tui.db import is_sqlite, retry_when_busy
from tribe_tui.errors import BadInput, Refused
from tribe_tui.i18n import t
from tribe_tui.models import (
    AuditEvent,
    BillingDetails,
    CataloguePrice,
    CatalogueVersion,
    Edition,
    Employee,
    Licence,
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


def audit(ctx: Context, action: str, before: Any = None, after: Any = None) -> None:
    record_event(ctx.org_id, ctx.actor, action, before, after, ctx.employee_id, ctx.key_fingerprint)


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
    """R12: the newest catalogue version (a new period starts at its prices)."""
    found = CatalogueVersion.select(fn.MAX(CatalogueVersion.id)).scalar()
    return None if found is None else int(found)


def _price(kind: str, code: str, current: Decimal, version: int | None) -> Decimal:
    """R12: the yearly price of `code` in catalogue `version`; the current price for an item that
    version did not have (new since), or without a version."""
    if version is None:
        return Decimal(current)
    found = CataloguePrice.get_or_none(
        (CataloguePrice.version == version) & (CataloguePrice.kind == kind) & (CataloguePrice.code == code)
    )
    return Decimal(current) if found is None else Decimal(found.yearly_price)


def priced_edition(edition: Edition, version: int | None = None) -> billing.Priced:
    """The edition at the prices of catalogue `version` (None: the newest prices)."""
    return billing.Priced(
        edition.code, edition.name, _price("edition", edition.code, edition.yearly_price, version), True
    )


def priced_module(module: Module, version: int | None = None) -> billing.Priced:
    """The module at the prices of catalogue `version` (None: the newest prices)."""
    return billing.Priced(
        module.code, module.name, _price("module", module.code, module.yearly_price, version), module.per_user
    )


def vat_of(org_id: int) -> billing.Vat:
    details = BillingDetails.get_or_none(BillingDetails.organisation == org_id)
    if details is None:
        return billing.vat_for(None, None)
    vat_country = details.vat_number[:2] if details.vat_number else None
    vat = billing.vat_for(details.country, vat_country)
    if vat.reason == billing.VAT_REASON_REVERSE_CHARGE:
        return billing.Vat(vat.rate, vat.reason, details.vat_number)
    return vat


def licence_total(org_id: int) -> int:
    """How many licences the organisation has (one count over an index)."""
    return Licence.select().where(Licence.organisation == org_id).count()


def licence_counts(org_id: int) -> tuple[int, int]:
    """(total, in use), each one indexed count."""
    total = licence_total(org_id)
    in_use = Licence.select().where((Licence.organisation == org_id) & Licence.holder.is_null(False)).count()
    return total, in_use


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
