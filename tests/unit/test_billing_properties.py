"""Properties of the billing rules that must hold for every date, price and quantity."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from tribe_tui import billing
from tribe_tui.billing import Line, Period, Priced

# Set per test, not as a global profile: other suites share the process.
PROPERTY = settings(max_examples=150, deadline=None)

starts = st.dates(min_value=date(1999, 1, 1), max_value=date(2199, 12, 31))
prices = st.integers(min_value=0, max_value=10_000_000).map(lambda cents: Decimal(cents) / 100)
quantities = st.integers(min_value=0, max_value=10_000)
vats = st.sampled_from([billing.vat_for("NL", None), billing.vat_for("BE", "BE"), billing.vat_for("US", None)])


@st.composite
def period_and_day(draw):
    start = draw(starts)
    end = billing.period_end(start)
    on = draw(st.dates(min_value=start, max_value=end))
    return Period(start, end), on


def half_up_cents(value: Fraction) -> Decimal:
    """An independent reference: round an exact fraction of euros to cents, half up (away from 0)."""
    cents = value * 100
    sign = -1 if cents < 0 else 1
    whole = (abs(cents) * 2 + 1) // 2  # floor(|x| + 1/2)
    return Decimal(sign * int(whole)) / 100


def contains_29_february(start: date, end: date) -> bool:
    return any(calendar.isleap(y) and start <= date(y, 2, 29) <= end for y in range(start.year, end.year + 1))


@PROPERTY
@given(starts)
def test_a_period_is_one_year_of_365_or_366_days(start):
    end = billing.period_end(start)
    days = billing.days_in_period(start, end)
    assert days in (365, 366)
    assert (days == 366) == contains_29_february(start, end)
    nxt = billing.next_period_start(start)
    assert nxt == end + timedelta(days=1)
    assert nxt.year == start.year + 1
    # same day next year, except 29 February which moves to 1 March
    if (start.month, start.day) == (2, 29):
        assert (nxt.month, nxt.day) == (3, 1)
    else:
        assert (nxt.month, nxt.day) == (start.month, start.day)


@PROPERTY
@given(period_and_day())
def test_remaining_days_stay_within_the_period(case):
    period, on = case
    remaining = billing.remaining_days(on, period.start, period.paid_until)
    assert 1 <= remaining <= period.days
    assert remaining == period.days - (on - period.start).days
    assert billing.days_left(on, period.paid_until) == remaining


@PROPERTY
@given(period_and_day(), quantities, prices)
def test_a_line_is_the_exact_pro_rata_amount_rounded_half_up(case, quantity, price):
    period, on = case
    line = billing.prorated_line("x", quantity, price, on, period.start, period.paid_until)
    exact = Fraction(quantity) * Fraction(price) * line.days / line.period_days
    assert line.amount == half_up_cents(exact)
    assert abs(Fraction(line.amount) - exact) <= Fraction(1, 200)
    assert Decimal(0) <= line.amount <= quantity * price
    assert line.amount.as_tuple().exponent == -2


@PROPERTY
@given(period_and_day(), st.integers(1, 10_000), prices)
def test_a_later_change_never_costs_more(case, quantity, price):
    period, on = case
    today = billing.prorated_line("x", quantity, price, on, period.start, period.paid_until)
    if on < period.paid_until:
        tomorrow = billing.prorated_line("x", quantity, price, on + timedelta(days=1), period.start, period.paid_until)
        assert tomorrow.amount <= today.amount
        assert tomorrow.days == today.days - 1
    at_start = billing.prorated_line("x", quantity, price, period.start, period.start, period.paid_until)
    assert today.amount <= at_start.amount == quantity * price


@PROPERTY
@given(starts, prices)
def test_charging_each_day_of_a_period_separately_adds_up_to_the_yearly_price(start, price):
    """One licence charged one day at a time: the day of the change counts, so a licence added
    on day d and one added on day d+1 differ by exactly one day's price. Summed over every day
    the rounded day charges come within half a cent per day of the yearly price, and the unrounded
    ones (the rule itself) exactly."""
    period = Period(start, billing.period_end(start))
    exact_total = Fraction(0)
    rounded_total = Decimal(0)
    day = period.start
    while day <= period.paid_until:
        added_today = billing.prorated_line("x", 1, price, day, period.start, period.paid_until)
        nxt = day + timedelta(days=1)
        added_tomorrow = (
            Fraction(0)
            if nxt > period.paid_until
            else Fraction(price) * billing.remaining_days(nxt, period.start, period.paid_until) / period.days
        )
        exact_today = Fraction(price) * added_today.days / added_today.period_days
        one_day = exact_today - added_tomorrow
        exact_total += one_day
        rounded_total += billing.money(Decimal(one_day.numerator) / Decimal(one_day.denominator))
        day = nxt
    assert exact_total == Fraction(price)
    assert abs(rounded_total - price) <= Decimal("0.005") * period.days


@PROPERTY
@given(period_and_day(), st.integers(1, 10_000), prices)
def test_adding_n_at_once_is_n_times_one_within_rounding(case, n, price):
    period, on = case
    once = billing.prorated_line("x", n, price, on, period.start, period.paid_until).amount
    single = billing.prorated_line("x", 1, price, on, period.start, period.paid_until).amount
    assert abs(once - n * single) <= Decimal("0.005") * (n + 1)


@PROPERTY
@given(st.lists(st.tuples(quantities, prices, st.integers(1, 366)), max_size=6), vats)
def test_charge_totals_are_consistent(raw_lines, vat):
    lines = [Line("x", q, p, min(d, 365), 365, billing.money(q * p * min(d, 365) / 365)) for q, p, d in raw_lines]
    charge = billing.charge(lines, vat)
    assert all(line.quantity > 0 and line.amount > 0 for line in charge.lines)  # no line of nothing (R1)
    assert len(charge.lines) == sum(1 for line in lines if line.quantity > 0 and line.amount != 0)
    assert charge.subtotal == sum((line.amount for line in charge.lines), Decimal("0.00"))
    assert charge.vat == half_up_cents(Fraction(charge.subtotal) * Fraction(vat.rate) / 100)
    assert charge.total == charge.subtotal + charge.vat
    assert charge.vat >= 0
    if vat.reason is not None:
        assert charge.vat == 0 and charge.total == charge.subtotal


@PROPERTY
@given(period_and_day(), st.integers(1, 10_000), prices, prices, vats)
def test_upgrade_charges_the_price_difference_pro_rata(case, licences, a, b, vat):
    period, on = case
    if a == b:
        return
    old, new = Priced("o", "Old", min(a, b)), Priced("n", "New", max(a, b))
    charge = billing.upgrade_charge(licences, old, new, on, period, vat)
    (line,) = charge.lines
    assert line.quantity == licences and line.unit_price == new.yearly_price - old.yearly_price
    expected = billing.prorated_line(
        "x", licences, new.yearly_price - old.yearly_price, on, period.start, period.paid_until
    )
    assert line.amount == expected.amount


@PROPERTY
@given(period_and_day(), st.integers(1, 10_000), st.lists(st.tuples(prices, st.booleans()), max_size=4), vats)
def test_licence_add_charges_the_edition_and_only_per_user_modules(case, count, modules, vat):
    period, on = case
    edition = Priced("tribe", "Tribe", Decimal("360.00"))
    per_user = [Priced(f"m{i}", f"M{i}", p, True) for i, (p, _) in enumerate(modules)]
    charge = billing.licence_add_charge(count, edition, per_user, on, period, vat)
    # a module whose line rounds to 0.00 has no line (R1)
    charged = [
        m
        for m in per_user
        if billing.prorated_line("x", count, m.yearly_price, on, period.start, period.paid_until).amount != 0
    ]
    assert len(charge.lines) == 1 + len(charged)
    assert all(line.quantity == count and line.days == charge.lines[0].days for line in charge.lines)
    assert [line.unit_price for line in charge.lines] == [edition.yearly_price] + [m.yearly_price for m in charged]


@PROPERTY
@given(starts, st.integers(0, 3000))
def test_renewals_due_are_contiguous_and_reach_today(start, days_later):
    paid_until = billing.period_end(start)
    today = paid_until + timedelta(days=days_later)
    steps = billing.renewals_due(paid_until, today)
    previous = paid_until
    for step in steps:
        assert step.start == previous + timedelta(days=1)
        assert step.paid_until == billing.period_end(step.start)
        previous = step.paid_until
    assert previous >= today
    # minimal: without the last step today would still be past paid-until
    if steps:
        before_last = steps[-2].paid_until if len(steps) > 1 else paid_until
        assert before_last < today
    assert billing.renewal_pending(paid_until, today) == bool(steps)
