"""Modules uitbreiden: add (charged pro rata at once), remove (ends at paid-until), undo."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from tribe_tui import billing
from tribe_tui.errors import Refused
from tribe_tui.i18n import labels
from tribe_tui.models import Edition, Module, Organisation, OrganisationModule
from tribe_tui.service_types import Context, bill_json, charge_json
from tribe_tui.services._action import organisation_change
from tribe_tui.services._guards import outside_period, period_of, require_chargeable
from tribe_tui.services._messages import day, msg
from tribe_tui.services._person import account_read
from tribe_tui.services._prices import edition_allows, module_requires, priced_edition, priced_module, vat_of
from tribe_tui.services._queries import find_module, licence_counts, load_organisation
from tribe_tui.services.catalogue import shown_name

ADDED = "added"
REMOVAL_UNDONE = "removal_undone"
REMOVAL_SCHEDULED = "removal_scheduled"


@dataclass(frozen=True)
class CatalogueModule:
    code: str
    name: str
    kind: str
    per_user: bool
    yearly_price: Decimal
    requires: str | None
    active: bool
    renews: bool
    available: bool  # the current edition allows it

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "per_user": self.per_user,
            "yearly_price": billing.as_text(self.yearly_price),
            "requires": self.requires,
            "active": self.active,
            "renews": self.renews,
            "available": self.available,
        }


@account_read
def catalogue_for(ctx: Context) -> list[CatalogueModule]:
    """Every module with this organisation's state of it; name, price, per-user and requirement as
    the current period's catalogue version has them (R12): what adding it now would charge."""
    org = load_organisation(ctx)
    version = org.catalogue_version_id
    states = {
        row.module_id: row for row in OrganisationModule.select().where(OrganisationModule.organisation == org.id)
    }
    found = []
    for module in Module.select().order_by(Module.kind.desc(), Module.name):
        state = states.get(module.code)
        priced = priced_module(module, version)
        found.append(
            CatalogueModule(
                module.code,
                shown_name(module.code, priced.name, ctx.lang),
                module.kind,
                priced.per_user,
                priced.yearly_price,
                module_requires(module, version),
                bool(state and state.active),
                bool(state and state.active and state.renews),
                edition_allows(module, org.edition_id, version),
            )
        )
    return found


@dataclass(frozen=True)
class ModuleChange:
    kind: str  # added | removal_undone | removal_scheduled
    code: str
    name: str
    effective_on: date
    dry_run: bool
    charge: billing.Charge | None = None
    invoice_number: str | None = None
    settled: tuple[billing.Settled, ...] = ()  # renewals or an ending settled first (R9)

    @property
    def bill(self) -> billing.Bill:
        """Everything the click invoices: what was settled first, then the module (when added)."""
        return billing.Bill(self.settled, self.charge)

    def to_json(self) -> dict[str, Any]:
        data = {
            "change": self.kind,
            "module": self.code,
            "name": self.name,
            "effective": self.effective_on.isoformat(),
            "dry_run": self.dry_run,
            "invoice": self.invoice_number,
        }
        if self.charge is not None:
            data.update(charge_json(self.charge))
        data.update(bill_json(self.bill))
        return data


def _plan_add(ctx: Context, org: Organisation, module: Module) -> ModuleChange:
    state = OrganisationModule.get_or_none(
        (OrganisationModule.organisation == org.id) & (OrganisationModule.module == module.code)
    )
    if state is not None and state.active:
        if state.renews:
            raise Refused(msg(ctx, "error.module_active", module=shown_name(module.code, module.name, ctx.lang)))
        if state.ends_with_edition:
            raise Refused(
                msg(
                    ctx,
                    "error.module_ends_with_edition",
                    module=shown_name(module.code, module.name, ctx.lang),
                    edition=_edition_name(ctx, org.scheduled_edition_id),
                )
            )
        # Undoing a removal makes the module renew: the edition it renews with must allow it, as
        # for an add (a removal made before a downgrade was scheduled is not marked as ending with it).
        _require_edition(ctx, org, module)
        return ModuleChange(
            REMOVAL_UNDONE, module.code, shown_name(module.code, module.name, ctx.lang), ctx.today, True
        )
    _require_edition(ctx, org, module)
    total, _ = licence_counts(org.id)
    try:
        # R12: the prices the current period started at
        charge = billing.module_add_charge(
            priced_module(module, org.catalogue_version_id),
            total,
            ctx.today,
            period_of(org),
            vat_of(org.id),
            labels(org.language),
        )
    except billing.OutsidePeriod:
        raise outside_period(ctx, org) from None
    return ModuleChange(ADDED, module.code, shown_name(module.code, module.name, ctx.lang), ctx.today, True, charge)


def _edition_name(ctx: Context, code: str | None) -> str:
    edition = Edition.get_by_id(code)
    return shown_name(edition.code, edition.name, ctx.lang)


def _require_edition(ctx: Context, org: Organisation, module: Module) -> None:
    """R8: a module with `requires` needs that edition (or a higher one) now and in the next period:
    the current edition and a scheduled downgrade must both allow it, or it is refused. R12: what
    it requires, and how editions rank, as the current period's catalogue version says."""
    version = org.catalogue_version_id
    needed_code = module_requires(module, version)
    if needed_code is None:
        return
    name = shown_name(module.code, priced_module(module, version).name, ctx.lang)
    needed = shown_name(needed_code, priced_edition(Edition.get_by_id(needed_code), version).name, ctx.lang)
    if not edition_allows(module, org.edition_id, version):
        raise Refused(msg(ctx, "error.module_requires", module=name, edition=needed))
    if org.scheduled_edition_id is not None and not edition_allows(module, org.scheduled_edition_id, version):
        raise Refused(
            msg(
                ctx,
                "error.module_requires_scheduled",
                module=name,
                edition=needed,
                scheduled=shown_name(
                    org.scheduled_edition_id,
                    priced_edition(Edition.get_by_id(org.scheduled_edition_id), version).name,
                    ctx.lang,
                ),
                date=day(ctx, billing.next_period_start(org.period_start)),
            )
        )


def add_module(ctx: Context, code: str, *, dry_run: bool = False, expected_version: int | None = None) -> ModuleChange:
    from tribe_tui.schemas import Code, parse

    code = parse(Code, ctx.lang, code=code).code
    module = find_module(ctx, code)
    # A dry run is the same action rolled back: due renewals settled first (R9), the same numbers.
    with organisation_change(ctx, expected_version, dry_run=dry_run) as change:
        org = change.org
        plan = _plan_add(ctx, org, module)
        if plan.kind == ADDED:
            require_chargeable(ctx, org)
            assert plan.charge is not None  # adding a module is always charged (_plan_add)
            change.invoice(plan.charge, "module")
        if dry_run:
            return replace(plan, settled=change.settled)
        if plan.kind == ADDED:
            OrganisationModule.insert(
                organisation=org.id,
                module=module.code,
                active=True,
                renews=True,
                ends_with_edition=False,
                added_on=ctx.today,
            ).on_conflict(
                conflict_target=[OrganisationModule.organisation, OrganisationModule.module],
                update={
                    OrganisationModule.active: True,
                    OrganisationModule.renews: True,
                    OrganisationModule.ends_with_edition: False,
                    OrganisationModule.added_on: ctx.today,
                },
            ).execute()
        else:
            OrganisationModule.update(renews=True).where(
                (OrganisationModule.organisation == org.id) & (OrganisationModule.module == module.code)
            ).execute()
        change.audit(
            f"module.{plan.kind}",
            {"module": module.code, "active": plan.kind != ADDED, "renews": False},
            {"module": module.code, "active": True, "renews": True, "invoice": change.invoice_number},
        )
    return ModuleChange(
        plan.kind, plan.code, plan.name, plan.effective_on, False, plan.charge, change.invoice_number, change.settled
    )


def remove_module(
    ctx: Context, code: str, *, dry_run: bool = False, expected_version: int | None = None
) -> ModuleChange:
    """Stays active until paid-until, is not renewed, no refund."""
    from tribe_tui.schemas import Code, parse

    code = parse(Code, ctx.lang, code=code).code
    module = find_module(ctx, code)
    with organisation_change(ctx, expected_version, dry_run=dry_run) as action:
        org = action.org
        state = OrganisationModule.get_or_none(
            (OrganisationModule.organisation == org.id) & (OrganisationModule.module == module.code)
        )
        if state is None or not state.active:
            raise Refused(msg(ctx, "error.module_not_active", module=shown_name(module.code, module.name, ctx.lang)))
        if not state.renews:
            raise Refused(
                msg(
                    ctx,
                    "error.module_already_ends",
                    module=shown_name(module.code, module.name, ctx.lang),
                    date=day(ctx, org.paid_until),
                )
            )
        change = ModuleChange(
            REMOVAL_SCHEDULED,
            module.code,
            shown_name(module.code, module.name, ctx.lang),
            org.paid_until,
            dry_run,
            settled=action.settled,
        )
        if dry_run:
            action.unchanged()
            return change
        OrganisationModule.update(renews=False).where(OrganisationModule.id == state.id).execute()
        action.audit(
            "module.removal_scheduled",
            {"module": module.code, "renews": True},
            {"module": module.code, "renews": False, "ends_on": org.paid_until},
        )
    return change
