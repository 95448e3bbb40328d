"""R10: the invoice number format and its order, past 9,999 invoices in a year."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tribe_tui.billing import invoice_number, invoice_number_key


@pytest.mark.parametrize(
    "year, sequence, number",
    [(2026, 1, "2026-0001"), (2026, 9999, "2026-9999"), (2026, 10000, "2026-10000"), (2026, 100000, "2026-100000")],
)
def test_four_digits_then_as_many_as_needed(year, sequence, number):
    assert invoice_number(year, sequence) == number
    assert invoice_number_key(number) == (year, sequence)


@pytest.mark.parametrize("year, sequence", [(2026, 0), (2026, -1), (999, 1), (10000, 1)])
def test_no_number_outside_the_series(year, sequence):
    with pytest.raises(ValueError):
        invoice_number(year, sequence)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(2000, 2099), st.integers(1, 250_000)), unique=True))
def test_the_key_orders_numbers_as_year_then_sequence(pairs):
    numbers = [invoice_number(year, sequence) for year, sequence in pairs]
    assert sorted(numbers, key=invoice_number_key) == [invoice_number(y, s) for y, s in sorted(pairs)]
