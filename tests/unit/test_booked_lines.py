"""How an e-invoice states a line: quantity x net price is the line amount exactly, the price in
whole cents, for every pro-rata amount R3 can give (what bookkeeping packages book)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tribe_tui import billing


def test_a_whole_period_keeps_the_licences_at_the_yearly_price():
    assert billing.booked_quantity_and_price(2, Decimal("720.00")) == (2, Decimal("360.00"))


def test_a_pro_rata_amount_that_does_not_split_into_cents_is_one_unit():
    # 7 licences x 360.00 x 187/365 = 1291.068... -> 1291.07, which 7 does not divide into cents
    amount = billing.money(7 * Decimal("360.00") * 187 / 365)
    assert billing.booked_quantity_and_price(7, amount) == (1, Decimal("1291.07"))


@given(
    quantity=st.integers(min_value=1, max_value=100_000),
    price=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2),
    period_days=st.sampled_from([365, 366]),
    data=st.data(),
)
def test_quantity_times_price_is_the_amount_to_the_cent(quantity, price, period_days, data):
    days = data.draw(st.integers(min_value=1, max_value=period_days))
    amount = billing.money(Decimal(quantity) * price * days / period_days)  # R3, as prorated_line
    booked, net = billing.booked_quantity_and_price(quantity, amount)
    assert booked * net == amount and net == net.quantize(Decimal("0.01"))
    assert booked in (1, quantity)
