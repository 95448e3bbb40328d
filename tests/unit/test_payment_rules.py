"""The payment rules of billing.py: an invoice's status, spreading a payment over invoices,
reminders, and a mandate's FRST/RCUR sequence."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tribe_tui import billing

PROPERTY = settings(max_examples=200, deadline=None)

cents = st.integers(min_value=0, max_value=10_000_000).map(lambda c: Decimal(c) / 100)

ISSUED = date(2026, 3, 2)
DUE = date(2026, 3, 16)


def test_due_date_is_issue_date_plus_14_days() -> None:
    assert billing.invoice_due_date(ISSUED) == DUE


@pytest.mark.parametrize(
    ("paid", "today", "credited", "status", "open_amount"),
    [
        ("0", DUE, False, "open", "121.00"),
        ("0", DUE + timedelta(days=1), False, "overdue", "121.00"),
        ("21.00", DUE, False, "partly_paid", "100.00"),
        ("21.00", DUE + timedelta(days=1), False, "overdue", "100.00"),
        ("121.00", DUE + timedelta(days=90), False, "paid", "0.00"),
        ("130.00", DUE, False, "paid", "0.00"),  # overpaid: nothing open
        ("0", DUE + timedelta(days=90), True, "credited", "0.00"),
        ("121.00", DUE, True, "credited", "0.00"),
    ],
)
def test_invoice_status(paid: str, today: date, credited: bool, status: str, open_amount: str) -> None:
    standing = billing.invoice_standing(
        Decimal("121.00"), Decimal(paid), ISSUED, today, credited=credited, paid_on=date(2026, 3, 10)
    )
    assert (standing.status, standing.open_amount, standing.due_date) == (status, Decimal(open_amount), DUE)
    assert standing.paid_on == (date(2026, 3, 10) if status == "paid" else None)


@PROPERTY
@given(amount=cents, open_amounts=st.lists(cents, max_size=12))
def test_allocation_never_more_than_paid_nor_than_open(amount: Decimal, open_amounts: list[Decimal]) -> None:
    parts, left = billing.allocate(amount, open_amounts)
    assert len(parts) == len(open_amounts)
    assert sum(parts, Decimal(0)) <= amount
    assert all(Decimal(0) <= part <= open_ for part, open_ in zip(parts, open_amounts, strict=True))
    assert sum(parts, Decimal(0)) + left == amount  # nothing lost or made: the rest is left over
    assert all(part == part.quantize(Decimal("0.01")) for part in parts)


@PROPERTY
@given(amount=cents, open_amounts=st.lists(cents, min_size=1, max_size=12))
def test_allocation_pays_oldest_first_and_leaves_nothing_while_money_is_open(
    amount: Decimal, open_amounts: list[Decimal]
) -> None:
    parts, left = billing.allocate(amount, open_amounts)
    # Leftover only once every invoice is paid in full; an invoice gets money only when all before it are full.
    assert left == 0 or all(part == open_ for part, open_ in zip(parts, open_amounts, strict=True))
    for i, part in enumerate(parts):
        if part > 0:
            assert all(parts[j] == open_amounts[j] for j in range(i))


def test_allocation_refuses_a_negative_payment() -> None:
    with pytest.raises(ValueError):
        billing.allocate(Decimal("-1.00"), [Decimal("5.00")])


@pytest.mark.parametrize(
    ("days_after_due", "sent", "expected"),
    [(6, 0, None), (7, 0, 1), (8, 1, None), (20, 1, None), (21, 1, 2), (21, 0, 2), (40, 2, None)],
)
def test_reminder_due(days_after_due: int, sent: int, expected: int | None) -> None:
    assert billing.reminder_due(DUE, DUE + timedelta(days=days_after_due), sent) == expected


@pytest.mark.parametrize(
    ("previous", "sequence"),
    [
        ([], "FRST"),
        (["returned"], "FRST"),  # a first collection that came back unpaid did not use the mandate
        (["pending"], "RCUR"),
        (["collected"], "RCUR"),
        (["returned", "refunded"], "RCUR"),  # MD06: the money was taken, then refunded
    ],
)
def test_sequence_type(previous: list[str], sequence: str) -> None:
    assert billing.sequence_type(previous) == sequence


def test_only_a_failed_collection_is_collected_again() -> None:
    assert billing.collectable([])
    assert billing.collectable(["returned"])
    assert not billing.collectable(["returned", "pending"])
    assert not billing.collectable(["collected"])
    assert not billing.collectable(["refunded"])
