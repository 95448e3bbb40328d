"""Editie: upgrade at once, charged pro rata (R5); downgrade scheduled for the next period."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from tribe_tui import billing
from tribe_tui.errors import Refused
from tribe_tui.i18n import labels
from tribe_tui.models import Edition, Module, Organisation, OrganisationModule
from tribe_tui.service_types import Context, bill_json, charge_json
from tribe_tui.services._action import organisation_change
from tribe_tui.services._guards import outside_period, period_of, require_chargeable
from tribe_tui.services._messages import day, msg
from tribe_tui.services._prices import edition_rank, priced_edition, vat_of
from tribe_tui.services._queries import find_edition, licence_counts
from tribe_tui.services.catalogue import shown_name

UPGRADE = "upgrade"
DOWNGRADE = "downgrade_scheduled"
WITHDRAW = "downgrade_withdrawn"


@dataclass(frozen=True)
class EditionChange:
    kind: str  # upgrade | downgrade_scheduled | downgrade_withdrawn
    old: str
    new: str
    effective_on: date
    dry_run: bool
    charge: billing.Charge | None = None
    invoice_number: str | None = None
    ending_modules: tuple[str, ...] = field(default_factory=tuple)  # names
    settled: tuple[billing.Settled, ...] = ()  # renewals or an ending settled first (R9)

    @property
    def bill(self) -> billing.Bill:
        """Everything the click invoices: what was settled first, then the upgrade (if it is one)."""
        return billing.Bill(self.settled, self.charge)

    def to_json(self) -> dict[str, Any]:
        data = {
            "change": self.kind,
            "from": self.old,
            "to": self.new,
            "effective": self.effective_on.isoformat(),
            "dry_run": self.dry_run,
            "invoice": self.invoice_number,
            "ending_modules": list(self.ending_modules),
        }
        if self.charge is not None:
            data.update(charge_json(self.charge))
        data.update(bill_json(self.bill))
        return data


def _modules_needing(org_id: int, rank: int) -> list[tuple[OrganisationModule, Module]]:
    """Active modules whose required edition ranks above `rank`."""
    rows = (
        OrganisationModule.select(OrganisationModule, Module)
        .join(Module)
        .where((OrganisationModule.organisation == org_id) & OrganisationModule.active & Module.requires.is_null(False))
    )
    return [(row, row.module) for row in rows if Edition.get_by_id(row.module.requires_id).rank > rank]


def _plan(ctx: Context, org: Organisation, target: Edition) -> EditionChange:
    current = Edition.get_by_id(org.edition_id)
    if target.code == current.code:
        if org.scheduled_edition_id:
            return EditionChange(WITHDRAW, current.code, target.code, ctx.today, True)
        raise Refused(msg(ctx, "error.same_edition", edition=shown_name(current.code, current.name, ctx.lang)))
    prices = org.catalogue_version_id  # R12: the catalogue the current period started with
    if edition_rank(target.code, prices) > edition_rank(current.code, prices):
        total, _ = licence_counts(org.id)
        try:
            charge = billing.upgrade_charge(
                total,
                priced_edition(current, prices),
                priced_edition(target, prices),
                ctx.today,
                period_of(org),
                vat_of(org.id),
                labels(org.language),
            )
        except billing.OutsidePeriod:
            raise outside_period(ctx, org) from None
        return EditionChange(UPGRADE, current.code, target.code, ctx.today, True, charge)
    if org.scheduled_edition_id == target.code:
        raise Refused(
            msg(
                ctx,
                "error.downgrade_scheduled",
                edition=shown_name(target.code, target.name, ctx.lang),
                date=day(ctx, billing.next_period_start(org.period_start)),
            )
        )
    ending = tuple(shown_name(m.code, m.name, ctx.lang) for _, m in _modules_needing(org.id, target.rank))
    return EditionChange(
        DOWNGRADE, current.code, target.code, billing.next_period_start(org.period_start), True, ending_modules=ending
    )


def set_edition(
    ctx: Context, code: str, *, dry_run: bool = False, expected_version: int | None = None
) -> EditionChange:
    from tribe_tui.schemas import Code, parse

    code = parse(Code, ctx.lang, code=code).code
    target = find_edition(ctx, code)
    # A dry run is the same action rolled back: due renewals settled first (R9), the same numbers.
    with organisation_change(ctx, expected_version, dry_run=dry_run) as change:
        org = change.org
        plan = _plan(ctx, org, target)
        before = {"edition": org.edition_id, "scheduled_edition": org.scheduled_edition_id}
        if plan.kind == UPGRADE:
            require_chargeable(ctx, org)
            assert plan.charge is not None  # an upgrade is always charged (_plan)
            change.invoice(plan.charge, "upgrade")
        if dry_run:
            return replace(plan, settled=change.settled)
        if plan.kind == UPGRADE:
            org.edition_id = target.code
            org.scheduled_edition = None
            _restore_modules(org.id)
        elif plan.kind == DOWNGRADE:
            org.scheduled_edition_id = target.code
            for row, _module in _modules_needing(org.id, target.rank):
                if row.renews:
                    OrganisationModule.update(renews=False, ends_with_edition=True).where(
                        OrganisationModule.id == row.id
                    ).execute()
        else:
            org.scheduled_edition = None
            _restore_modules(org.id)
        org.save(only=[type(org).edition, type(org).scheduled_edition])
        change.audit(
            f"edition.{plan.kind}",
            before,
            {
                "edition": org.edition_id,
                "scheduled_edition": org.scheduled_edition_id,
                "invoice": change.invoice_number,
            },
        )
    return EditionChange(
        plan.kind,
        plan.old,
        plan.new,
        plan.effective_on,
        False,
        plan.charge,
        change.invoice_number,
        plan.ending_modules,
        change.settled,
    )


def _restore_modules(org_id: int) -> None:
    """Modules that were ending only because of a downgrade renew again."""
    OrganisationModule.update(renews=True, ends_with_edition=False).where(
        (OrganisationModule.organisation == org_id) & OrganisationModule.ends_with_edition
    ).execute()
