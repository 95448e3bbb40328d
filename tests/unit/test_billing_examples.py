"""Worked examples of the billing rules R1-R6, by hand (docs/rules.md, and the help article's example)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tribe_tui import billing
from tribe_tui.billing import Line, Period, Priced

D = Decimal


# --- the seed's worked example ---------------------------------------------------------------


def test_half_a_year_gone_pays_half_the_yearly_price_per_added_licence(tribe, nl_vat, leap_period):
    # 183 of the 366 days have passed on 31 August 2027; 183 remain (the day itself included).
    on = leap_period.start + timedelta(days=183)
    assert on == date(2027, 8, 31)
    charge = billing.licence_add_charge(3, tribe, [], on, leap_period, nl_vat)
    (line,) = charge.lines
    assert (line.days, line.period_days) == (183, 366)
    assert line.amount == D("540.00")  # 3 x 360 / 2
    assert line.amount / line.quantity == tribe.yearly_price / 2


def test_general_rule_is_quantity_times_price_times_remaining_over_period_days(tribe, nl_vat, common_period):
    on = date(2026, 11, 26)
    line = billing.prorated_line("x", 2, tribe.yearly_price, on, common_period.start, common_period.paid_until)
    remaining = (common_period.paid_until - on).days + 1
    assert remaining == 187
    assert line.days == 187 and line.period_days == 365
    # 2 * 360 * 187 / 365 = 368.876... -> 368.88
    assert line.amount == D("368.88")


def test_first_day_of_a_period_costs_the_full_price(tribe, nl_vat, common_period, leap_period):
    for period in (common_period, leap_period):
        line = billing.licence_add_charge(1, tribe, [], period.start, period, nl_vat).lines[0]
        assert line.days == line.period_days == period.days
        assert line.amount == D("360.00")


def test_last_day_of_a_leap_year_period_costs_one_366th(tribe, nl_vat, leap_period):
    line = billing.licence_add_charge(1, tribe, [], leap_period.paid_until, leap_period, nl_vat).lines[0]
    assert (line.days, line.period_days) == (1, 366)
    assert line.amount == D("0.98")  # 360 / 366 = 0.9836...
    # with a price that divides evenly the 1/366 is visible exactly
    exact = billing.prorated_line(
        "x", 1, D("732.00"), leap_period.paid_until, leap_period.start, leap_period.paid_until
    )
    assert exact.amount == D("2.00")


# --- R1: half up per line -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("0.005", "0.01"),
        ("0.015", "0.02"),
        ("0.025", "0.03"),
        ("2.675", "2.68"),
        ("0.0049999", "0.00"),
        ("1", "1.00"),
        ("-0.005", "-0.01"),
    ],
)
def test_money_rounds_half_up_to_cents(value, expected):
    assert billing.money(D(value)) == D(expected)
    assert str(billing.money(D(value))) == expected


def test_a_line_at_exactly_half_a_cent_rounds_up():
    start, end = date(2027, 3, 1), date(2028, 2, 29)
    # 1.83 / 366 = 0.005 exactly: half up gives 0.01 (banker's rounding would give 0.00)
    assert billing.prorated_line("x", 1, D("1.83"), end, start, end).amount == D("0.01")
    # 5 days: 0.025 -> 0.03 (banker's: 0.02)
    five = billing.prorated_line("x", 1, D("1.83"), end - timedelta(days=4), start, end)
    assert five.days == 5 and five.amount == D("0.03")


def test_each_line_is_rounded_before_the_subtotal(nl_vat):
    half_cent = Line("a", 1, D("1.83"), 1, 366, billing.money(D("0.005")))
    charge = billing.charge([half_cent, half_cent], nl_vat)
    assert charge.subtotal == D("0.02")  # not round(0.005 + 0.005) = 0.01


def test_no_floats_on_the_money_path(tribe, nl_vat, common_period):
    charge = billing.licence_add_charge(
        7, tribe, [Priced("p", "P", D("60.00"))], date(2027, 1, 13), common_period, nl_vat
    )
    for value in (
        charge.subtotal,
        charge.vat,
        charge.total,
        charge.vat_rate,
        *(line.amount for line in charge.lines),
        *(line.unit_price for line in charge.lines),
    ):
        assert isinstance(value, Decimal)


# --- R2: periods ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start, paid_until, days",
    [
        (date(2026, 6, 1), date(2027, 5, 31), 365),
        (date(2027, 3, 1), date(2028, 2, 29), 366),  # contains 29 Feb 2028
        (date(2028, 1, 1), date(2028, 12, 31), 366),
        (date(2028, 3, 1), date(2029, 2, 28), 365),  # starts just after 29 Feb
        (date(2028, 2, 29), date(2029, 2, 28), 366),  # starts on 29 Feb
        (date(2026, 12, 31), date(2027, 12, 30), 365),
    ],
)
def test_period_end_and_length(start, paid_until, days):
    assert billing.period_end(start) == paid_until
    assert billing.days_in_period(start, paid_until) == days
    assert Period(start, paid_until).days == days


def test_a_period_starting_on_29_february_is_followed_by_one_starting_on_1_march():
    assert billing.next_period_start(date(2028, 2, 29)) == date(2029, 3, 1)
    assert billing.period_end(date(2028, 2, 29)) == date(2029, 2, 28)
    # ... and from then on it stays on 1 March, also in the next leap year
    assert billing.next_period_start(date(2031, 3, 1)) == date(2032, 3, 1)
    # a 29 February start whose next year is again a leap year cannot happen (4 years apart),
    # but 28 February stays 28 February
    assert billing.next_period_start(date(2027, 2, 28)) == date(2028, 2, 28)


def test_renewals_due_chain_periods_without_gaps():
    steps = billing.renewals_due(date(2029, 2, 28), date(2031, 3, 1))
    assert [(s.start, s.paid_until) for s in steps] == [
        (date(2029, 3, 1), date(2030, 2, 28)),
        (date(2030, 3, 1), date(2031, 2, 28)),
        (date(2031, 3, 1), date(2032, 2, 29)),
    ]
    assert billing.renewals_due(date(2029, 2, 28), date(2029, 2, 28)) == []
    assert billing.renewal_pending(date(2029, 2, 28), date(2029, 3, 1))
    assert not billing.renewal_pending(date(2029, 2, 28), date(2029, 2, 28))


# --- R3: the day of the change counts ------------------------------------------------------


def test_day_of_the_change_counts(common_period):
    start, end = common_period.start, common_period.paid_until
    assert billing.remaining_days(start, start, end) == 365
    assert billing.remaining_days(end, start, end) == 1
    assert billing.remaining_days(start + timedelta(days=1), start, end) == 364


@pytest.mark.parametrize("offset", [-1, 365, 1000, -400])
def test_dates_outside_the_period_are_refused(common_period, offset):
    on = common_period.start + timedelta(days=offset)
    with pytest.raises(billing.OutsidePeriod):
        billing.remaining_days(on, common_period.start, common_period.paid_until)
    with pytest.raises(billing.OutsidePeriod):
        billing.prorated_line("x", 1, D("360"), on, common_period.start, common_period.paid_until)


def test_days_left_is_zero_after_paid_until(common_period):
    assert billing.days_left(common_period.paid_until, common_period.paid_until) == 1
    assert billing.days_left(common_period.paid_until + timedelta(days=1), common_period.paid_until) == 0
    assert billing.days_left(common_period.start, common_period.paid_until) == 365


def test_negative_quantity_is_refused(common_period):
    with pytest.raises(ValueError):
        billing.prorated_line("x", -1, D("360"), common_period.start, common_period.start, common_period.paid_until)


# --- R4: adding licences with per-user modules ----------------------------------------------


def test_licence_add_has_one_line_for_the_edition_and_one_per_per_user_module(tribe, nl_vat, leap_period):
    projects = Priced("projects", "Projecten", D("60.00"), per_user=True)
    sales = Priced("sales", "Verkoopkansen", D("48.00"), per_user=True)  # say: scheduled to end
    on = leap_period.start + timedelta(days=183)
    labels = billing.Labels(licence="Licence {name}", module_per_user="{name} per user")
    charge = billing.licence_add_charge(2, tribe, [projects, sales], on, leap_period, nl_vat, labels)
    assert [(l.description, l.quantity, l.unit_price, l.amount) for l in charge.lines] == [
        ("Licence Tribe", 2, D("360.00"), D("360.00")),
        ("Projecten per user", 2, D("60.00"), D("60.00")),
        ("Verkoopkansen per user", 2, D("48.00"), D("48.00")),
    ]
    assert charge.subtotal == D("468.00")
    assert charge.vat == D("98.28")
    assert charge.total == D("566.28")


def test_module_add_per_user_counts_every_licence_flat_counts_once(nl_vat, leap_period):
    on = leap_period.start + timedelta(days=183)
    per_user = billing.module_add_charge(Priced("p", "P", D("60.00"), True), 12, on, leap_period, nl_vat)
    flat = billing.module_add_charge(Priced("f", "F", D("240.00"), False), 12, on, leap_period, nl_vat)
    assert (per_user.lines[0].quantity, per_user.subtotal) == (12, D("360.00"))
    assert (flat.lines[0].quantity, flat.subtotal) == (1, D("120.00"))


def test_period_charge_bills_whole_period(tribe, nl_vat):
    charge = billing.period_charge(
        4, tribe, [Priced("p", "P", D("60.00"), True), Priced("f", "F", D("240.00"), False)], date(2027, 3, 1), nl_vat
    )
    assert [(l.quantity, l.days, l.period_days, l.amount) for l in charge.lines] == [
        (4, 366, 366, D("1440.00")),
        (4, 366, 366, D("240.00")),
        (1, 366, 366, D("240.00")),
    ]
    assert charge.subtotal == D("1920.00") and charge.vat == D("403.20") and charge.total == D("2323.20")


# --- R5: upgrade ----------------------------------------------------------------------------


def test_upgrade_is_one_line_for_all_licences_at_the_price_difference(tribe, creator, nl_vat, leap_period):
    on = leap_period.start + timedelta(days=183)
    charge = billing.upgrade_charge(10, tribe, creator, on, leap_period, nl_vat)
    (line,) = charge.lines
    assert (line.quantity, line.unit_price, line.days, line.period_days) == (10, D("180.00"), 183, 366)
    assert line.amount == D("900.00")
    assert charge.total == D("1089.00")


def test_upgrade_on_the_first_day_costs_the_whole_difference(tribe, creator, nl_vat, common_period):
    charge = billing.upgrade_charge(3, tribe, creator, common_period.start, common_period, nl_vat)
    assert charge.subtotal == D("540.00")


@pytest.mark.parametrize("same_or_lower", ["same", "lower"])
def test_a_downgrade_is_not_an_upgrade(tribe, creator, nl_vat, common_period, same_or_lower):
    old, new = (tribe, tribe) if same_or_lower == "same" else (creator, tribe)
    with pytest.raises(ValueError):
        billing.upgrade_charge(3, old, new, common_period.start, common_period, nl_vat)


# --- R6: VAT ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "country, vat_country, rate, reason",
    [
        (None, None, "21", None),
        ("NL", None, "21", None),
        ("NL", "NL", "21", None),  # a Dutch VAT number: no reverse charge
        ("nl", "nl", "21", None),
        ("BE", "BE", "0", billing.VAT_REASON_REVERSE_CHARGE),
        ("NL", "DE", "0", billing.VAT_REASON_REVERSE_CHARGE),
        ("GR", "EL", "0", billing.VAT_REASON_REVERSE_CHARGE),  # Greece's VAT prefix
        ("DE", None, "21", None),  # EU without VAT number: Dutch rate
        ("US", None, "0", billing.VAT_REASON_OUTSIDE_EU),
        ("CH", None, "0", billing.VAT_REASON_OUTSIDE_EU),
        ("GB", None, "0", billing.VAT_REASON_OUTSIDE_EU),
    ],
)
def test_vat_rate_and_reason(country, vat_country, rate, reason):
    vat = billing.vat_for(country, vat_country)
    assert billing.rate_text(vat.rate) == rate
    assert vat.reason == reason


def test_vat_is_21_percent_of_the_subtotal_rounded_half_up(nl_vat):
    # 12.50 * 21% = 2.625 -> 2.63 (banker's rounding: 2.62)
    charge = billing.charge([Line("a", 1, D("12.50"), 365, 365, D("12.50"))], nl_vat)
    assert (charge.subtotal, charge.vat, charge.total) == (D("12.50"), D("2.63"), D("15.13"))


def test_vat_is_computed_on_the_subtotal_not_per_line(nl_vat):
    line = Line("a", 1, D("0.07"), 365, 365, D("0.07"))
    charge = billing.charge([line, line], nl_vat)
    # per line: 0.0147 -> 0.01, twice 0.02; on the subtotal 0.14: 0.0294 -> 0.03
    assert charge.vat == D("0.03")


def test_reverse_charge_and_outside_eu_charge_no_vat(tribe, common_period):
    for vat in (billing.vat_for("BE", "BE"), billing.vat_for("US", None)):
        charge = billing.licence_add_charge(2, tribe, [], common_period.start, common_period, vat)
        assert charge.vat == D("0.00") and charge.total == charge.subtotal == D("720.00")
        assert charge.vat_reason == vat.reason


def test_charge_drops_empty_lines(nl_vat, common_period):
    charge = billing.module_add_charge(Priced("p", "P", D("60"), True), 0, common_period.start, common_period, nl_vat)
    assert charge.is_empty and charge.total == D("0.00")


def test_text_forms():
    assert billing.as_text(D("5")) == "5.00"
    assert billing.as_text(D("1234.565")) == "1234.57"
    assert billing.rate_text(D("21")) == "21"
    assert billing.rate_text(D("0")) == "0"
    assert billing.rate_text(D("9.50")) == "9.5"
    assert billing.rate_text(D("21.00")) == "21"
