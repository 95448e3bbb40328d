"""Acting on many rows at once (the marked rows of Licenties and Medewerkers): unlink, renewal
off, Voormalig.

Each is one admin action (services/_action.py): one transaction and one audit event that names
every row, all or nothing. The rows are changed one after the other, each checked against what
the earlier ones already changed, so unlinking two admins at once is refused exactly as the second
of two single unlinks would be, and that refusal rolls back the first too. A dry run does it all
and rolls it back: its count and renewal amounts are the ones the real run will have.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tribe_tui import billing
from tribe_tui.errors import BadInput
from tribe_tui.models import Licence, Organisation
from tribe_tui.schemas import EmailRef, LicenceRef, parse
from tribe_tui.service_types import Context, bill_json
from tribe_tui.services._action import OrganisationChange, organisation_change
from tribe_tui.services._messages import msg
from tribe_tui.services._queries import find_employee
from tribe_tui.services.account import renewal_forecast
from tribe_tui.services.employees import make_former
from tribe_tui.services.licences import check_auto_renew, unlinkable

MAX_ROWS = 10_000  # one question, one transaction: more than a screen of marks is a mistake


@dataclass(frozen=True)
class BulkChange:
    """What a bulk action did (or, dry run, would do): the rows, and the next renewal's total
    incl. VAT before and after (R7, from billing.period_charge: equal when it does not change)."""

    action: str
    rows: tuple[dict[str, Any], ...]
    renewal_before: Decimal
    renewal_after: Decimal
    dry_run: bool
    settled: tuple[billing.Settled, ...] = ()  # the renewal (or ending) settled first (R9)

    @property
    def count(self) -> int:
        return len(self.rows)

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "rows": list(self.rows),
            "renewal_before": billing.as_text(self.renewal_before),
            "renewal_after": billing.as_text(self.renewal_after),
            "dry_run": self.dry_run,
        } | bill_json(billing.Bill(self.settled, None))


def _renewal_total(ctx: Context, org: Organisation) -> Decimal:
    return renewal_forecast(org, ctx.lang)[0].total


def _each(
    change: OrganisationChange,
    action: str,
    refs: Sequence[Any],
    change_one: Callable[[Any], tuple[dict[str, Any], dict[str, Any]]],
) -> BulkChange:
    """Inside the action's outline: every row changed in turn, the renewal's total before and
    after, one audit event with every row."""
    ctx = change.ctx
    if not refs or len(refs) > MAX_ROWS:
        raise BadInput(msg(ctx, "error.bulk_count", most=MAX_ROWS))
    before_total = _renewal_total(ctx, change.org)
    before, after = zip(*(change_one(ref) for ref in refs), strict=True)
    after_total = _renewal_total(ctx, change.org)
    change.audit(action, list(before), list(after))
    return BulkChange(action, tuple(after), before_total, after_total, change.dry_run, change.settled)


def unlink_all(
    ctx: Context, emails: Sequence[str], *, dry_run: bool = False, expected_version: int | None = None
) -> BulkChange:
    """Unlink every one of these holders: their licences become free, they and their data stay."""
    addresses = [parse(EmailRef, ctx.lang, email=email).email for email in emails]

    def unlink_one(address: str) -> tuple[dict[str, Any], dict[str, Any]]:
        employee, licence = unlinkable(ctx, address)
        Licence.update(holder=None).where(Licence.id == licence.id).execute()
        return {"licence": licence.id, "holder": employee.email}, {"licence": licence.id, "holder": None}

    with organisation_change(ctx, expected_version, dry_run=dry_run) as change:
        done = _each(change, "licences.unlink", addresses, unlink_one)
    return done


def renewal_off_all(
    ctx: Context, licence_ids: Sequence[int], *, dry_run: bool = False, expected_version: int | None = None
) -> BulkChange:
    """Auto-renew off for every one of these licences: usable until paid-until, then not renewed
    or billed (R7)."""
    refs = [parse(LicenceRef, ctx.lang, ref=str(licence_id)).licence_id for licence_id in licence_ids]

    def renewal_off_one(licence_id: int | None) -> tuple[dict[str, Any], dict[str, Any]]:
        licence = Licence.get_or_none((Licence.id == licence_id) & (Licence.organisation == ctx.org_id))
        if licence is None:
            raise BadInput(msg(ctx, "error.unknown_licence", ref=licence_id))
        check_auto_renew(ctx, licence, False)
        Licence.update(auto_renew=False).where(Licence.id == licence.id).execute()
        return {"licence": licence.id, "auto_renew": True}, {"licence": licence.id, "auto_renew": False}

    with organisation_change(ctx, expected_version, dry_run=dry_run) as change:
        done = _each(change, "licences.auto_renew", refs, renewal_off_one)
    return done


def former_all(
    ctx: Context, emails: Sequence[str], *, dry_run: bool = False, expected_version: int | None = None
) -> BulkChange:
    """Mark every one of these employees Voormalig: they can no longer sign in; a licence they
    hold stays theirs and renews."""
    addresses = [parse(EmailRef, ctx.lang, email=email).email for email in emails]

    def former_one(address: str) -> tuple[dict[str, Any], dict[str, Any]]:
        employee = find_employee(ctx, address)
        make_former(ctx, employee, True)
        return {"email": employee.email, "former": False}, {"email": employee.email, "former": True}

    with organisation_change(ctx, expected_version, dry_run=dry_run) as change:
        done = _each(change, "employees.former", addresses, former_one)
    return done
