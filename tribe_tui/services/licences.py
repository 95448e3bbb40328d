"""Licences: adding (charged pro rata, R3/R4), who holds which, auto-renew, offboarding."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from peewee import JOIN, ModelSelect, chunked, fn

from tribe_tui import billing
from tribe_tui.errors import BadInput, Refused
from tribe_tui.i18n import labels, on_off
from tribe_tui.list_types import LicenceRow, LicencesView
from tribe_tui.models import Edition, Employee, Licence, Organisation
from tribe_tui.service_types import Context, bill_json, charge_json
from tribe_tui.services._admins import require_other_admin
from tribe_tui.services._guards import outside_period, period_of, require_chargeable
from tribe_tui.services._messages import msg
from tribe_tui.services._person import account_read
from tribe_tui.services._prices import priced_edition, priced_module, vat_of
from tribe_tui.services._queries import Row, active_modules, find_employee, licence_total, rows
from tribe_tui.services.account import overview

if TYPE_CHECKING:  # pydantic models: imported where input is validated, not at start-up
    from tribe_tui.schemas import LicenceRef


@dataclass(frozen=True)
class ChargeResult:
    """A preview (dry run) or a charge that was made; the same numbers by construction."""

    charge: billing.Charge
    dry_run: bool
    invoice_number: str | None = None
    licences_total: int | None = None
    settled: tuple[billing.Settled, ...] = ()  # renewals or an ending settled first (R9)

    @property
    def bill(self) -> billing.Bill:
        """Everything the click invoices: what was settled first, then this charge."""
        return billing.Bill(self.settled, self.charge)

    def to_json(self) -> dict[str, Any]:
        data = charge_json(self.charge)
        data["dry_run"] = self.dry_run
        data["invoice"] = self.invoice_number
        if self.licences_total is not None:
            data["licences_total"] = self.licences_total
        data.update(bill_json(self.bill))
        return data


def organisation_change(*args: Any, **kwargs: Any) -> Any:
    """services._action.organisation_change, imported with the first action: the outline brings
    renewals, invoices, documents and the outbox, which the licences screen's first frame does not
    need (tribe_tui.deferred)."""
    from tribe_tui.services._action import organisation_change as change

    return change(*args, **kwargs)


def _licence_add_charge(ctx: Context, org: Organisation, count: int) -> billing.Charge:
    edition = Edition.get_by_id(org.edition_id)
    prices = org.catalogue_version_id  # R12: the prices the current period started at
    # R4 with R12: per user or flat, price and name as the period's catalogue version says (not the
    # newest one), the lines in the order of those names.
    priced = sorted(
        ((m.kind, priced_module(m, prices)) for _, m in active_modules(org.id)), key=lambda k: (k[0], k[1].name)
    )
    per_user = [p for _, p in priced if p.per_user]
    try:
        return billing.licence_add_charge(
            count,
            priced_edition(edition, prices),
            per_user,
            ctx.today,
            period_of(org),
            vat_of(org.id),
            labels(org.language),
        )
    except billing.OutsidePeriod:
        raise outside_period(ctx, org) from None


def preview_add(ctx: Context, count: object) -> ChargeResult:
    return add_licences(ctx, count, dry_run=True)


def add_licences(
    ctx: Context, count: object, *, dry_run: bool = False, expected_version: int | None = None
) -> ChargeResult:
    """Aantal gebruikers uitbreiden: N free licences, charged at once, one invoice."""
    from tribe_tui.schemas import LicenceCount, parse

    n = parse(LicenceCount, ctx.lang, count=count).count
    # A dry run is the same action rolled back: due renewals settled first (R9), the same numbers.
    with organisation_change(ctx, expected_version, guard=require_chargeable, dry_run=dry_run) as change:
        org = change.org
        charge = _licence_add_charge(ctx, org, n)
        if dry_run:
            change.invoice(charge, "licences")  # only checks (nothing to charge)
            return ChargeResult(charge, True, settled=change.settled)
        before = licence_total(org.id)
        # In batches: one INSERT of 10,000 rows exceeds SQLite's limit on bound variables.
        for batch in chunked([dict(organisation=org.id, holder=None, auto_renew=True, created_on=ctx.today)] * n, 1000):
            Licence.insert_many(batch).execute()
        number = change.invoice(charge, "licences")
        change.audit(
            "licences.add",
            {"licences": before},
            {"licences": before + n, "invoice": number, "total": billing.as_text(charge.total)},
        )
    return ChargeResult(charge, False, number, before + n, change.settled)


# --- listing -------------------------------------------------------------------------------


def _licence_query(ctx: Context, text: str | None, include_former: bool) -> ModelSelect[Licence]:
    query = (
        Licence.select(
            Licence.id, Licence.auto_renew, Employee.id, Employee.name, Employee.email, Employee.role, Employee.former
        )
        .join(Employee, JOIN.LEFT_OUTER, on=(Licence.holder == Employee.id))
        .where(Licence.organisation == ctx.org_id)
    )
    if not include_former:
        query = query.where(Employee.id.is_null() | (Employee.former == False))  # noqa: E712
    needle = (text or "").strip().lower()
    if needle:
        query = query.where(fn.LOWER(Employee.name).contains(needle) | Employee.email.contains(needle))
    return query


def _row(record: Row) -> LicenceRow:
    licence_id, auto_renew, holder_id, name, email, role, former = record
    return LicenceRow(licence_id, holder_id, name, email, role, bool(former), bool(auto_renew))


@account_read
def list_licences(
    ctx: Context, text: str | None = None, include_former: bool = True, offset: int = 0, limit: int | None = None
) -> list[LicenceRow]:
    """Held licences by holder name, then free ones; one page when `limit` is given."""
    query = _licence_query(ctx, text, include_former).order_by(
        Employee.id.is_null(), fn.LOWER(Employee.name), Licence.id
    )
    if limit is not None:
        query = query.offset(offset).limit(limit)
    return [_row(record) for record in rows(query)]


PAGE = 64  # rows the licences screen reads at a time (one page of its table)


def _first_page(ctx: Context, limit: int = PAGE) -> list[LicenceRow]:
    """The first `limit` rows of list_licences(ctx, include_former=False), read without sorting every
    licence (that sort was most of the licences screen's first read at 100,000): held licences by
    walking the employees' (organisation, former, lower(name)) index in order, a licence per holder
    (CROSS JOIN keeps SQLite's planner on that order), then free licences by id."""
    columns = (
        Licence.id,
        Licence.auto_renew,
        Employee.id,
        Employee.name,
        Employee.email,
        Employee.role,
        Employee.former,
    )
    held = (
        Employee.select(*columns)
        .join(Licence, JOIN.CROSS)
        .where(
            (Employee.organisation == ctx.org_id)
            & (Employee.former == False)  # noqa: E712
            & (Licence.holder == Employee.id)
            & (Licence.organisation == ctx.org_id)
        )
        .order_by(fn.LOWER(Employee.name), Licence.id)
        .limit(limit)
    )
    found = [_row(record) for record in rows(held)]
    if len(found) < limit:
        free = (
            Licence.select(Licence.id, Licence.auto_renew)
            .where((Licence.organisation == ctx.org_id) & Licence.holder.is_null())
            .order_by(Licence.id)
            .limit(limit - len(found))
        )
        found += [
            LicenceRow(licence_id, None, None, None, None, False, bool(renews)) for licence_id, renews in rows(free)
        ]
    return found


@account_read
def licences_view(ctx: Context, *, first_page: bool = True) -> LicencesView:
    first = _first_page(ctx) if first_page else None
    return LicencesView(overview(ctx, idle=False), first)


@account_read
def count_licences(ctx: Context, text: str | None = None, include_former: bool = True) -> int:
    return _licence_query(ctx, text, include_former).count()


@account_read
def licence_rows(ctx: Context, ids: list[int]) -> list[LicenceRow]:
    """The rows of these licences, in the order given (one primary-key read per page)."""
    if not ids:
        return []
    query = (
        Licence.select(
            Licence.id, Licence.auto_renew, Employee.id, Employee.name, Employee.email, Employee.role, Employee.former
        )
        .join(Employee, JOIN.LEFT_OUTER, on=(Licence.holder == Employee.id))
        .where((Licence.organisation == ctx.org_id) & Licence.id.in_(list(ids)))
    )
    found = {record[0]: _row(record) for record in rows(query)}
    return [found[i] for i in ids if i in found]


# --- holders ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HolderChange:
    employee: str
    email: str
    licence_id: int | None
    effective: date
    action: str
    settled: tuple[billing.Settled, ...] = ()  # the renewal (or ending) settled first (R9)

    def to_json(self) -> dict[str, Any]:
        return {
            "employee": self.employee,
            "email": self.email,
            "licence": self.licence_id,
            "effective": self.effective.isoformat(),
            "action": self.action,
        } | bill_json(billing.Bill(self.settled, None))


def unlinkable(ctx: Context, address: str) -> tuple[Employee, Licence]:
    """The employee at `address` and the licence they hold, if unlinking them is allowed now."""
    employee = find_employee(ctx, address)
    licence = Licence.get_or_none(Licence.holder == employee.id)
    if licence is None:
        raise Refused(msg(ctx, "error.no_licence", name=employee.name))
    require_other_admin(ctx, employee)
    return employee, licence


def unlink(ctx: Context, email: str, *, dry_run: bool = False, expected_version: int | None = None) -> HolderChange:
    """The 'x' behind a name: the person can no longer sign in; they and their data remain.

    dry_run checks every guard and changes nothing, so a screen can refuse before it asks."""
    from tribe_tui.schemas import EmailRef, parse

    address = parse(EmailRef, ctx.lang, email=email).email
    with organisation_change(ctx, expected_version, dry_run=dry_run) as change:
        employee, licence = unlinkable(ctx, address)
        result = HolderChange(employee.name, employee.email, licence.id, ctx.today, "unlink", change.settled)
        if dry_run:
            return result
        Licence.update(holder=None).where(Licence.id == licence.id).execute()
        change.audit(
            "licence.unlink", {"licence": licence.id, "holder": employee.email}, {"licence": licence.id, "holder": None}
        )
    return result


def _find_licence(ctx: Context, ref: LicenceRef) -> Licence:
    from tribe_tui.schemas import EmailRef, parse

    if ref.licence_id is not None:
        licence = Licence.get_or_none((Licence.id == ref.licence_id) & (Licence.organisation == ctx.org_id))
        if licence is None:
            raise BadInput(msg(ctx, "error.unknown_licence", ref=ref.ref))
        return licence
    employee = find_employee(ctx, parse(EmailRef, ctx.lang, email=ref.ref).email)
    licence = Licence.get_or_none(Licence.holder == employee.id)
    if licence is None:
        raise Refused(msg(ctx, "error.no_licence", name=employee.name))
    return licence


@dataclass(frozen=True)
class AutoRenewChange:
    licence_id: int
    auto_renew: bool
    usable_until: date  # paid-until: the licence stays usable until then either way
    settled: tuple[billing.Settled, ...] = ()  # the renewal (or ending) settled first (R9)

    def to_json(self) -> dict[str, Any]:
        return {
            "licence": self.licence_id,
            "auto_renew": self.auto_renew,
            "usable_until": self.usable_until.isoformat(),
        } | bill_json(billing.Bill(self.settled, None))


def check_auto_renew(ctx: Context, licence: Licence, switch: bool) -> None:
    """Refuse switching a licence's auto-renew to what it already is, or off for the last admin."""
    if licence.auto_renew == switch:
        raise Refused(msg(ctx, "error.auto_renew_same", state=on_off(switch, ctx.lang)))
    if not switch and licence.holder_id is not None:
        # After the renewal nobody could sign in while flat integrations keep billing.
        require_other_admin(ctx, Employee.get_by_id(licence.holder_id))


def set_auto_renew(
    ctx: Context, ref: str, on: object, *, dry_run: bool = False, expected_version: int | None = None
) -> AutoRenewChange:
    """Off: usable until paid-until, then not billed or renewed (R7). dry_run only checks."""
    from tribe_tui.schemas import LicenceRef, Switch, parse

    target = parse(LicenceRef, ctx.lang, ref=ref)
    switch = parse(Switch, ctx.lang, on=on).on
    with organisation_change(ctx, expected_version, dry_run=dry_run) as change:
        licence = _find_licence(ctx, target)
        check_auto_renew(ctx, licence, switch)
        result = AutoRenewChange(licence.id, switch, change.org.paid_until, change.settled)
        if dry_run:
            return result
        Licence.update(auto_renew=switch).where(Licence.id == licence.id).execute()
        change.audit(
            "licence.auto_renew",
            {"licence": licence.id, "auto_renew": licence.auto_renew},
            {"licence": licence.id, "auto_renew": switch},
        )
    return result


def offboard(ctx: Context, email: str, *, dry_run: bool = False, expected_version: int | None = None) -> HolderChange:
    """A colleague leaves: unlink + Voormalig + auto-renew off, one transaction, one event.

    dry_run checks every guard and changes nothing."""
    from tribe_tui.schemas import EmailRef, parse

    address = parse(EmailRef, ctx.lang, email=email).email
    with organisation_change(ctx, expected_version, dry_run=dry_run) as change:
        employee = find_employee(ctx, address)
        licence = Licence.get_or_none(Licence.holder == employee.id)
        if licence is None and employee.former:
            raise Refused(msg(ctx, "error.already_former", name=employee.name))
        require_other_admin(ctx, employee)
        result = HolderChange(
            employee.name, employee.email, licence.id if licence else None, ctx.today, "offboard", change.settled
        )
        if dry_run:
            return result
        before = {
            "holder": employee.email,
            "licence": licence.id if licence else None,
            "auto_renew": licence.auto_renew if licence else None,
            "former": employee.former,
        }
        if licence is not None:
            Licence.update(holder=None, auto_renew=False).where(Licence.id == licence.id).execute()
        Employee.update(former=True).where(Employee.id == employee.id).execute()
        change.audit(
            "employee.offboard",
            before,
            {
                "holder": None,
                "licence": licence.id if licence else None,
                "auto_renew": False if licence else None,
                "former": True,
            },
        )
    return result


def link(ctx: Context, email: str, *, dry_run: bool = False, expected_version: int | None = None) -> HolderChange:
    """Give an existing employee a free licence again (undoes an unlink or offboarding). dry_run
    checks and says what would be settled first."""
    from tribe_tui.schemas import EmailRef, parse

    address = parse(EmailRef, ctx.lang, email=email).email
    with organisation_change(ctx, expected_version, dry_run=dry_run) as change:
        employee = find_employee(ctx, address)
        if Licence.get_or_none(Licence.holder == employee.id) is not None:
            raise Refused(msg(ctx, "error.already_holds", name=employee.name))
        licence = (
            Licence.select()
            .where((Licence.organisation == change.org.id) & Licence.holder.is_null())
            .order_by(Licence.auto_renew.desc(), Licence.id)
            .first()
        )
        if licence is None:
            raise Refused(msg(ctx, "error.no_free_licence"))
        result = HolderChange(employee.name, employee.email, licence.id, ctx.today, "link", change.settled)
        if dry_run:
            return result
        Licence.update(holder=employee.id, auto_renew=True).where(Licence.id == licence.id).execute()
        Employee.update(former=False).where(Employee.id == employee.id).execute()
        change.audit(
            "licence.link",
            {"licence": licence.id, "holder": None, "former": employee.former, "auto_renew": licence.auto_renew},
            {"licence": licence.id, "holder": employee.email, "former": False, "auto_renew": True},
        )
    return result
