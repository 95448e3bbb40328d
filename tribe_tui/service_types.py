"""What services hand to the screens and the CLI: plain immutable records (NamedTuple), no database.

The services import them from here; screens and the CLI can name them without the database layer.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple, Protocol

from tribe_tui import billing


class Context(NamedTuple):
    """Who acts on which organisation, on which date (the date every rule uses), in which language."""

    org_id: int
    actor: str
    today: date
    lang: str = "nl"
    # A TUI session's person, and over SSH the key they connected with: every audit event
    # records them, and an action checks the key still lets them in.
    employee_id: int | None = None
    ssh_key_id: int | None = None
    key_fingerprint: str | None = None


class ChargedLine(Protocol):
    """A line as the JSON shows it: billing.Line (a charge) or an invoice's stored line."""

    @property
    def description(self) -> str: ...
    @property
    def quantity(self) -> int: ...
    @property
    def unit_price(self) -> Decimal: ...
    @property
    def days(self) -> int: ...
    @property
    def period_days(self) -> int: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def period_from(self) -> date | None: ...
    @property
    def period_to(self) -> date | None: ...


def line_json(line: ChargedLine) -> dict[str, Any]:
    """One charge or invoice line in the JSON shape the README documents, with the service period it covers (R10)."""
    return {
        "description": line.description,
        "quantity": line.quantity,
        "unit_price": billing.as_text(line.unit_price),
        "days": line.days,
        "period_days": line.period_days,
        "amount": billing.as_text(line.amount),
        "period_from": None if line.period_from is None else line.period_from.isoformat(),
        "period_to": None if line.period_to is None else line.period_to.isoformat(),
    }


def charge_json(charge: billing.Charge) -> dict[str, Any]:
    """The JSON shape (README) of a charge / preview."""
    return {
        "lines": [line_json(line) for line in charge.lines],
        "subtotal": billing.as_text(charge.subtotal),
        "vat_rate": billing.rate_text(charge.vat_rate),
        "vat": billing.as_text(charge.vat),
        "total": billing.as_text(charge.total),
        "vat_reason": charge.vat_reason,
    }


def bill_json(bill: billing.Bill | None) -> dict[str, Any]:
    """What the click settled first (R9), each with its invoice, and the sum of every invoice it
    writes: beside the change's own charge in every action's JSON (README)."""
    settled = bill.settled if bill is not None else ()
    return {
        "settled": [
            {
                "kind": s.kind,
                "period_start": s.period_start.isoformat(),
                "paid_until": s.paid_until.isoformat(),
                "invoice": s.invoice_number,
                "charge": None if s.charge is None else charge_json(s.charge),
            }
            for s in settled
        ],
        "invoices_total": billing.as_text(bill.total if bill is not None else billing.ZERO),
    }


class ModuleState(NamedTuple):
    code: str
    name: str
    kind: str
    per_user: bool
    active: bool
    renews: bool


class AccountOverview(NamedTuple):
    organisation: str
    slug: str
    edition_code: str
    edition_name: str
    scheduled_edition_code: str | None
    scheduled_edition_name: str | None
    status: str
    period_start: date
    paid_until: date
    days_left: int
    renewal_pending: bool
    licences_total: int
    licences_in_use: int
    modules: tuple[ModuleState, ...]
    next_invoice: billing.Charge
    next_period_start: date
    cancel_reason: str | None
    version: int
    idle: IdleSeats | None = None  # licences not used for 60 days or more (the overview's line)
    # What is owed: the open amounts of all invoices, and the oldest overdue one (None: none is).
    open_balance: Decimal = billing.ZERO
    oldest_overdue: OverdueInvoice | None = None
    # Paid-until once the renewals that are due are settled (R9): what an action today gives access to.
    access_until: date | None = None

    @property
    def licences_free(self) -> int:
        return self.licences_total - self.licences_in_use

    def to_json(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "slug": self.slug,
            "edition": self.edition_code,
            "scheduled_edition": self.scheduled_edition_code,
            "status": self.status,
            "period_start": self.period_start.isoformat(),
            "paid_until": self.paid_until.isoformat(),
            "days_left": self.days_left,
            "renewal_pending": self.renewal_pending,
            "licences": {"total": self.licences_total, "in_use": self.licences_in_use, "free": self.licences_free},
            "modules": [
                {"code": m.code, "name": m.name, "kind": m.kind, "active": m.active, "renews": m.renews}
                for m in self.modules
            ],
            "next_invoice": charge_json(self.next_invoice),
            "next_period_start": self.next_period_start.isoformat(),
            "cancel_reason": self.cancel_reason,
            "idle": self.idle.to_json() if self.idle else None,
            "open_balance": billing.as_text(self.open_balance),
            "oldest_overdue": self.oldest_overdue.to_json() if self.oldest_overdue else None,
        }


class OverdueInvoice(NamedTuple):
    number: str
    due_date: date
    open_amount: Decimal

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "due_date": self.due_date.isoformat(),
            "open_amount": billing.as_text(self.open_amount),
        }


class Session(NamedTuple):
    ctx: Context
    username: str
    name: str
    role: str
    organisation: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class IdleSeats(NamedTuple):
    """Held licences whose holder has not signed in for `days` or more, and what the renewing ones
    will cost at the next renewal (by the billing rules, VAT included)."""

    days: int
    licences: int
    renewing: int
    renewal_cost: billing.Charge
    next_period_start: date
    free_renewing: int = 0  # free licences with auto-renew on: paid for at renewal, used by nobody
    advice_cost: billing.Charge | None = None  # the renewing idle and free licences together

    def to_json(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "licences": self.licences,
            "renewing": self.renewing,
            "renewal_cost": billing.as_text(self.renewal_cost.total),
            "next_period_start": self.next_period_start.isoformat(),
            "free_renewing": self.free_renewing,
            "advice_cost": billing.as_text(self.advice_cost.total if self.advice_cost else billing.ZERO),
        }
