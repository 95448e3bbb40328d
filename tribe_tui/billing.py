"""The billing rules R1-R12 (docs/rules.md), as pure functions.

No I/O, no clock, no ORM, no floats: every amount and date that a user sees or
pays is computed here from plain values handed in by the services. The
services decide *what* is charged; this module decides *how much* and *until
when*.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
STANDARD_VAT_RATE = Decimal("21")

# EU member states by ISO 3166 alpha-2 code. (Greece uses "EL" as its VAT prefix.)
EU_COUNTRIES = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split())
HOME_COUNTRY = "NL"

VAT_REASON_REVERSE_CHARGE = "reverse_charge"
VAT_REASON_OUTSIDE_EU = "outside_eu"


class OutsidePeriod(ValueError):
    """A change dated before the period started or after it is paid up to."""


def money(value: Decimal | int | str) -> Decimal:
    """R1: round to cents, half up."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- R2: periods ---------------------------------------------------------------------------


def next_period_start(period_start: date) -> date:
    """Same date next year; a period starting on 29 February is followed by 1 March."""
    year = period_start.year + 1
    if period_start.month == 2 and period_start.day == 29 and not calendar.isleap(year):
        return date(year, 3, 1)
    return period_start.replace(year=year)


def period_end(period_start: date) -> date:
    """The paid-until date of a period: the day before the next one starts."""
    return next_period_start(period_start) - timedelta(days=1)


def days_in_period(period_start: date, paid_until: date) -> int:
    return (paid_until - period_start).days + 1


def remaining_days(on: date, period_start: date, paid_until: date) -> int:
    """R3: days from `on` up to and including paid_until; the day of the change counts."""
    if not period_start <= on <= paid_until:
        raise OutsidePeriod(f"{on.isoformat()} is outside {period_start.isoformat()}..{paid_until.isoformat()}")
    return (paid_until - on).days + 1


def days_left(on: date, paid_until: date) -> int:
    """Days of access left, today included (0 once paid_until has passed)."""
    return max(0, (paid_until - on).days + 1)


# --- lines and charges ---------------------------------------------------------------------


class Line(NamedTuple):
    description: str
    quantity: int
    unit_price: Decimal  # yearly price per unit
    days: int
    period_days: int
    amount: Decimal
    # R10: the service period the line covers, both days included (an invoice states it per line).
    period_from: date | None = None
    period_to: date | None = None


class Vat(NamedTuple):
    rate: Decimal  # a percentage: 21 or 0
    reason: str | None = None  # why 0%: reverse_charge / outside_eu
    customer_vat_number: str | None = None


class Charge(NamedTuple):
    lines: tuple[Line, ...]
    subtotal: Decimal
    vat_rate: Decimal
    vat: Decimal
    total: Decimal
    vat_reason: str | None = None
    customer_vat_number: str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.lines


def prorated_line(
    description: str,
    quantity: int,
    unit_price: Decimal,
    on: date,
    period_start: date,
    paid_until: date,
) -> Line:
    """R3: quantity * yearly price * remaining / days in period, rounded half up (R1)."""
    if quantity < 0:
        raise ValueError("quantity must not be negative")
    period_days = days_in_period(period_start, paid_until)
    days = remaining_days(on, period_start, paid_until)
    amount = money(Decimal(quantity) * Decimal(unit_price) * days / period_days)
    return Line(description, quantity, Decimal(unit_price), days, period_days, amount, on, paid_until)


def full_period_line(description: str, quantity: int, unit_price: Decimal, period_start: date) -> Line:
    """A line for a whole period starting on `period_start` (renewal, first invoice)."""
    paid_until = period_end(period_start)
    period_days = days_in_period(period_start, paid_until)
    return Line(
        description,
        quantity,
        Decimal(unit_price),
        period_days,
        period_days,
        money(Decimal(quantity) * Decimal(unit_price)),
        period_start,
        paid_until,
    )


def vat_for(country: str | None, vat_number_country: str | None) -> Vat:
    """R6. `vat_number_country` is the country prefix of a *valid* VAT number, or None.

    Reverse charge when the customer has a valid VAT number of another EU country;
    0% for a customer outside the EU; else the Dutch rate.
    """
    country = (country or HOME_COUNTRY).upper()
    if vat_number_country:
        prefix = "GR" if vat_number_country.upper() == "EL" else vat_number_country.upper()
        if prefix in EU_COUNTRIES and prefix != HOME_COUNTRY:
            return Vat(Decimal("0"), VAT_REASON_REVERSE_CHARGE)
    if country not in EU_COUNTRIES:
        return Vat(Decimal("0"), VAT_REASON_OUTSIDE_EU)
    return Vat(STANDARD_VAT_RATE)


def charge(lines: Iterable[Line], vat: Vat) -> Charge:
    """R6: VAT on the sum of the lines, rounded half up. Empty lines, and lines that round to
    0.00, are dropped: an invoice never shows a line of nothing."""
    kept = tuple(line for line in lines if line.quantity > 0 and line.amount != 0)
    subtotal = money(sum((line.amount for line in kept), ZERO))
    vat_amount = money(subtotal * vat.rate / 100)
    return Charge(kept, subtotal, vat.rate, vat_amount, subtotal + vat_amount, vat.reason, vat.customer_vat_number)


# --- what each action costs ----------------------------------------------------------------


class Priced(NamedTuple):
    """Something with a yearly price: an edition or a module, as the services hand it in."""

    code: str
    name: str
    yearly_price: Decimal
    per_user: bool = True


class Period(NamedTuple):
    start: date
    paid_until: date

    @property
    def days(self) -> int:
        return days_in_period(self.start, self.paid_until)


class Labels(NamedTuple):
    """Line descriptions in the customer's language; built by the caller (see i18n)."""

    licence: str = "Licentie {name}"
    module_per_user: str = "{name} (per gebruiker)"
    module_flat: str = "{name}"
    upgrade: str = "Upgrade {old} naar {new}"


DUTCH_LABELS = Labels()  # the defaults above, where a caller names no language


def licence_add_charge(
    count: int,
    edition: Priced,
    per_user_modules: Sequence[Priced],
    on: date,
    period: Period,
    vat: Vat,
    labels: Labels = DUTCH_LABELS,
) -> Charge:
    """R4: the edition price per added licence plus every active per-user module, each its own line."""
    lines = [
        prorated_line(
            labels.licence.format(name=edition.name), count, edition.yearly_price, on, period.start, period.paid_until
        )
    ]
    for module in per_user_modules:
        lines.append(
            prorated_line(
                labels.module_per_user.format(name=module.name),
                count,
                module.yearly_price,
                on,
                period.start,
                period.paid_until,
            )
        )
    return charge(lines, vat)


def upgrade_charge(
    licences: int, old: Priced, new: Priced, on: date, period: Period, vat: Vat, labels: Labels = DUTCH_LABELS
) -> Charge:
    """R5: one line, all licences, at the difference of the yearly prices."""
    difference = Decimal(new.yearly_price) - Decimal(old.yearly_price)
    if difference <= 0:
        raise ValueError("an upgrade must cost more than the current edition")
    line = prorated_line(
        labels.upgrade.format(old=old.name, new=new.name), licences, difference, on, period.start, period.paid_until
    )
    return charge([line], vat)


def module_add_charge(
    module: Priced, licences: int, on: date, period: Period, vat: Vat, labels: Labels = DUTCH_LABELS
) -> Charge:
    """A per-user module is charged per licence (held or free), a flat one once; pro rata (R3)."""
    quantity = licences if module.per_user else 1
    template = labels.module_per_user if module.per_user else labels.module_flat
    line = prorated_line(
        template.format(name=module.name), quantity, module.yearly_price, on, period.start, period.paid_until
    )
    return charge([line], vat)


def period_charge(
    licences: int,
    edition: Priced,
    modules: Sequence[Priced],
    period_start: date,
    vat: Vat,
    labels: Labels = DUTCH_LABELS,
) -> Charge:
    """A whole period: the first invoice (R9), a renewal (R7) and its forecast."""
    lines = [full_period_line(labels.licence.format(name=edition.name), licences, edition.yearly_price, period_start)]
    for module in modules:
        if module.per_user:
            lines.append(
                full_period_line(
                    labels.module_per_user.format(name=module.name), licences, module.yearly_price, period_start
                )
            )
        else:
            lines.append(
                full_period_line(labels.module_flat.format(name=module.name), 1, module.yearly_price, period_start)
            )
    return charge(lines, vat)


class RenewalStep(NamedTuple):
    """One period boundary to cross: the period that starts and its paid-until."""

    start: date
    paid_until: date


def renewals_due(paid_until: date, today: date) -> list[RenewalStep]:
    """R7: every period that should have started on or before today, oldest first."""
    steps: list[RenewalStep] = []
    while paid_until < today:
        start = paid_until + timedelta(days=1)
        paid_until = period_end(start)
        steps.append(RenewalStep(start, paid_until))
    return steps


def renewal_pending(paid_until: date, today: date) -> bool:
    """R9: a renewal is due and not yet processed."""
    return today > paid_until


SETTLED_RENEWAL = "renewal"  # a period that started because paid-until had passed (R7)
SETTLED_ENDING = "ended"  # a cancelled account that ended: no invoice


class Settled(NamedTuple):
    """What an action settles before doing what was asked (R9): a renewal (its invoice, when there
    is anything to bill) or the end of a cancelled account."""

    kind: str  # SETTLED_RENEWAL | SETTLED_ENDING
    period_start: date  # the period that started; for an ending, the day the account ended
    paid_until: date
    charge: Charge | None = None  # None: no invoice
    invoice_number: str | None = None


class Bill(NamedTuple):
    """Everything one click invoices, in the order it happens: what is settled first, then the change."""

    settled: tuple[Settled, ...]
    change: Charge | None

    @property
    def charges(self) -> tuple[Charge, ...]:
        """Each invoice's charge, oldest first (an ending, or a renewal with nothing to bill, has none)."""
        found = [s.charge for s in self.settled if s.charge is not None and not s.charge.is_empty]
        if self.change is not None and not self.change.is_empty:
            found.append(self.change)
        return tuple(found)

    @property
    def total(self) -> Decimal:
        """The sum of every invoice's total, VAT included."""
        return sum((c.total for c in self.charges), ZERO)


def invoice_number(year: int, sequence: int) -> str:
    """R10: the seller's invoice number, one series for all organisations: 'YYYY-NNNN', the year of
    issue, a hyphen, and the sequence within that year (from 1, gapless) zero-padded to four digits,
    with as many more as it needs: 2026-0001 .. 2026-9999, then 2026-10000, 2026-10001 .. 2026-99999,
    2026-100000. An issued number never changes, so a year's first 9,999 keep their four digits;
    order by invoice_number_key, never by the text ('2026-10000' < '2026-9999' as text)."""
    if not (1000 <= year <= 9999 and sequence >= 1):
        raise ValueError(f"no invoice number for year {year}, sequence {sequence}")
    return f"{year:04d}-{sequence:04d}"


def invoice_number_key(number: str) -> tuple[int, int]:
    """R10: invoices are listed (and exported) in the numeric order of their numbers: by year, then
    by the sequence as a number, so '2026-10000' comes after '2026-9999' and before '2027-0001'."""
    year, _, sequence = number.partition("-")
    return int(year), int(sequence)


def as_text(value: Decimal) -> str:
    return f"{money(value):.2f}"


def rate_text(rate: Decimal) -> str:
    """'21', '0', or '9.5' -- a percentage without needless decimals."""
    normalized = Decimal(rate).normalize()
    return f"{normalized:f}"


# --- what an invoice document states (R10) -------------------------------------------------

PAYMENT_TERM_DAYS = 14  # when the seller's details on an invoice name no term of their own


def payment_due(issued: date, term_days: int) -> date:
    """The day an invoice must be paid by: `term_days` after the issue date."""
    return issued + timedelta(days=term_days)


# --- payments: what is owed, and what a payment settles ---------------------------------------

INVOICE_OPEN = "open"
INVOICE_PAID = "paid"
INVOICE_PARTLY_PAID = "partly_paid"
INVOICE_OVERDUE = "overdue"
INVOICE_CREDITED = "credited"

# A reminder (herinnering) goes this many days after an invoice's due date; the first, then the second.
REMINDER_DAYS = (7, 21)


def invoice_due_date(issued: date) -> date:
    """An invoice is due `PAYMENT_TERM_DAYS` (14) after its issue date; overdue from the day after."""
    return payment_due(issued, PAYMENT_TERM_DAYS)


class InvoiceStanding(NamedTuple):
    """Where an invoice stands on a given day: its status, what is still open, when it was paid."""

    status: str  # open | paid | partly_paid | overdue | credited
    due_date: date
    open_amount: Decimal
    paid: Decimal
    paid_on: date | None

    @property
    def is_open(self) -> bool:
        return self.open_amount > 0


def invoice_standing(
    total: Decimal, paid: Decimal, issued: date, today: date, *, credited: bool = False, paid_on: date | None = None
) -> InvoiceStanding:
    """The status of an invoice of `total` of which `paid` has come in (net of returned direct
    debits), on `today`.

    - credited: a credit note cancels it; nothing is open, whatever was paid. (The caller says
      whether a credit note exists for it.)
    - paid: the payments cover the total; `paid_on` is the day the last of them came in.
    - overdue: money is open and the due date (issue date + 14 days) has passed.
    - partly paid: some but not all paid, not yet overdue.
    - open: nothing paid, not yet overdue.
    """
    total, paid = money(total), money(paid)
    due = invoice_due_date(issued)
    if credited:
        return InvoiceStanding(INVOICE_CREDITED, due, ZERO, paid, None)
    open_amount = max(ZERO, total - paid)
    if open_amount == 0:
        return InvoiceStanding(INVOICE_PAID, due, ZERO, paid, paid_on)
    if today > due:
        status = INVOICE_OVERDUE
    elif paid > 0:
        status = INVOICE_PARTLY_PAID
    else:
        status = INVOICE_OPEN
    return InvoiceStanding(status, due, open_amount, paid, None)


def allocate(amount: Decimal, open_amounts: Sequence[Decimal]) -> tuple[tuple[Decimal, ...], Decimal]:
    """Spread a payment of `amount` over invoices whose open amounts are given, in the order given
    (the caller puts the oldest first): each gets what is open on it, until the money runs out.
    Returns the part each invoice gets, and what is left over (an overpayment, kept unallocated).

    Never more allocated than paid, never more to an invoice than is open on it; cents only."""
    remaining = money(amount)
    if remaining < 0:
        raise ValueError("a payment is not negative")
    parts: list[Decimal] = []
    for open_amount in open_amounts:
        part = min(remaining, max(ZERO, money(open_amount)))
        parts.append(part)
        remaining -= part
    return tuple(parts), remaining


def reminder_due(due_date: date, today: date, sent_level: int) -> int | None:
    """The reminder to send on `today` for an unpaid invoice due on `due_date` of which reminders up
    to `sent_level` (0: none) went: the highest level whose day has come and that has not gone, or
    None. A run that missed the first reminder's day and is past the second's sends the second only."""
    due_levels = [
        level for level, days in enumerate(REMINDER_DAYS, start=1) if today >= due_date + timedelta(days=days)
    ]
    if not due_levels or due_levels[-1] <= sent_level:
        return None
    return due_levels[-1]


# --- SEPA direct debit -------------------------------------------------------------------------

SEQUENCE_FIRST = "FRST"
SEQUENCE_RECURRING = "RCUR"
# A collection that the bank took and kept, or that is on its way (a batch not yet reconciled), or
# that the debtor had refunded later (MD06: the mandate was used): the mandate's next is RCUR.
# A collection returned unpaid (AM04 insufficient funds, MS02 refused, ...) did not use it.
COLLECTION_PENDING = "pending"
COLLECTION_COLLECTED = "collected"
COLLECTION_RETURNED = "returned"
COLLECTION_REFUNDED = "refunded"
MANDATE_USED_BY = frozenset({COLLECTION_PENDING, COLLECTION_COLLECTED, COLLECTION_REFUNDED})
REFUND_REASONS = frozenset({"MD06"})  # refund on the debtor's request, after settlement


def sequence_type(previous_collections: Iterable[str]) -> str:
    """FRST for a mandate's first collection, RCUR once one has gone through (or is on its way):
    a first collection that came back unpaid leaves the next one FRST again."""
    return SEQUENCE_RECURRING if any(state in MANDATE_USED_BY for state in previous_collections) else SEQUENCE_FIRST


def collectable(collection_states: Iterable[str]) -> bool:
    """An invoice goes into a direct-debit batch only if no earlier collection of it is on its way,
    went through, or was refunded at the debtor's request: only a failed one is collected again."""
    return all(state == COLLECTION_RETURNED for state in collection_states)


def booked_quantity_and_price(quantity: int, amount: Decimal) -> tuple[int, Decimal]:
    """How an e-invoice states a line so that quantity x net price is its amount exactly, to the
    cent, with a price in whole cents (what every bookkeeping package books; a pro-rata price with
    eight decimals shows a cent off per line in the packages that round it). The quantity is the
    number of units when the amount splits into whole cents per unit (a whole period always does),
    else the line is one unit at its amount; the line's note says units, yearly price and days."""
    if quantity > 0:
        per_unit = Decimal(amount) / quantity
        if per_unit == per_unit.quantize(CENT):
            return quantity, per_unit.quantize(CENT)
    return 1, Decimal(amount).quantize(CENT)
