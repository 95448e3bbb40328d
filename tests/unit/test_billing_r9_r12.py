"""Worked examples of R9-R12 (docs/rules.md), every number computed by hand and written here, not by
billing.py. The services chain these functions; tests/cli/test_billing_dutch_practice.py drives the same
examples through the command line."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tribe_tui import billing, config
from tribe_tui.billing import Priced

D = Decimal


# --- R9: a change after paid-until settles the renewal first, then is charged in the new period -------


def test_r9_renewal_then_licences_in_the_renewed_period(tribe, nl_vat):
    # Period 1 June 2026 .. 31 May 2027, 3 licences; the admin adds 2 on 10 June 2027.
    (step,) = billing.renewals_due(date(2027, 5, 31), date(2027, 6, 10))
    assert (step.start, step.paid_until) == (date(2027, 6, 1), date(2028, 5, 31))  # 366 days: 29 Feb 2028
    renewal = billing.period_charge(3, tribe, [], step.start, nl_vat)
    assert (renewal.subtotal, renewal.vat, renewal.total) == (D("1080.00"), D("226.80"), D("1306.80"))
    added = billing.licence_add_charge(
        2, tribe, [], date(2027, 6, 10), billing.Period(step.start, step.paid_until), nl_vat
    )
    # 2 x 360.00 x 357 / 366 = 257040 / 366 = 702.2950... -> 702.30; VAT 147.483 -> 147.48
    assert (added.lines[0].days, added.lines[0].period_days) == (357, 366)
    assert (added.subtotal, added.vat, added.total) == (D("702.30"), D("147.48"), D("849.78"))


def test_r9_nothing_is_due_up_to_paid_until():
    assert billing.renewals_due(date(2027, 5, 31), date(2027, 5, 31)) == []
    assert len(billing.renewals_due(date(2027, 5, 31), date(2027, 6, 1))) == 1


# --- R10: the issue date and each line's service period --------------------------------------------------


def test_r10_a_change_line_covers_today_up_to_paid_until(tribe, common_period):
    line = billing.prorated_line(
        "x", 2, tribe.yearly_price, date(2026, 11, 26), common_period.start, common_period.paid_until
    )
    assert (line.period_from, line.period_to, line.days, line.amount) == (
        date(2026, 11, 26),
        date(2027, 5, 31),
        187,
        D("368.88"),
    )  # 2 x 360 x 187 / 365 = 368.876


def test_r10_a_whole_period_line_covers_its_period_leap_day_start(tribe, nl_vat):
    charge = billing.period_charge(
        2, tribe, [Priced("exact", "Exact", D("240.00"), per_user=False)], date(2028, 2, 29), nl_vat
    )
    assert [(l.period_from, l.period_to, l.days, l.amount) for l in charge.lines] == [
        (date(2028, 2, 29), date(2029, 2, 28), 366, D("720.00")),
        (date(2028, 2, 29), date(2029, 2, 28), 366, D("240.00")),
    ]
    assert charge.total == D("1161.60")  # 960.00 + 201.60


def test_r10_catch_up_is_one_period_per_invoice_each_with_its_own_dates():
    steps = billing.renewals_due(date(2027, 5, 31), date(2029, 6, 15))
    assert [(s.start, s.paid_until) for s in steps] == [
        (date(2027, 6, 1), date(2028, 5, 31)),
        (date(2028, 6, 1), date(2029, 5, 31)),
        (date(2029, 6, 1), date(2030, 5, 31)),
    ]


def test_r10_numbers_sort_numerically():
    numbers = ["2026-0001", "2025-10000", "2025-9999", "2025-0002"]
    assert sorted(numbers, key=billing.invoice_number_key) == ["2025-0002", "2025-9999", "2025-10000", "2026-0001"]


# --- R11: Amsterdam's date; strict dates --------------------------------------------------------------


@pytest.mark.parametrize(
    "utc, amsterdam",
    [
        (datetime(2026, 12, 31, 22, 59, tzinfo=UTC), date(2026, 12, 31)),  # 23:59 CET
        (datetime(2026, 12, 31, 23, 0, tzinfo=UTC), date(2027, 1, 1)),  # 00:00 CET: a new year, a new number series
        (datetime(2027, 6, 30, 21, 59, tzinfo=UTC), date(2027, 6, 30)),  # 23:59 CEST
        (datetime(2027, 6, 30, 22, 0, tzinfo=UTC), date(2027, 7, 1)),  # 00:00 CEST
    ],
)
def test_r11_today_is_the_date_in_amsterdam(monkeypatch, utc, amsterdam):
    monkeypatch.setattr(config, "_now", lambda: utc)
    assert config.amsterdam_today() == amsterdam


@pytest.mark.parametrize(
    "text",
    ["1748736000", "2025-06-01T00:00", "2025-06-01 ", "20250601", "2025-6-1", "２０２５-06-01", "2025-02-29", ""],
)
def test_r11_only_plain_iso_dates(text):
    with pytest.raises(ValueError):
        config.strict_date(text)


def test_r11_a_plain_iso_date():
    assert config.strict_date("2028-02-29") == date(2028, 2, 29)


# --- R12: a period keeps the prices it started at ---------------------------------------------------------


def test_r12_mid_period_at_the_old_price_renewal_at_the_new(nl_vat, common_period):
    started_at = Priced("tribe", "Tribe", D("360.00"))  # in force on 1 June 2026
    raised = Priced("tribe", "Tribe", D("420.00"))  # loaded on 1 October 2026
    added = billing.licence_add_charge(1, started_at, [], date(2026, 11, 26), common_period, nl_vat)
    assert added.lines[0].amount == D("184.44")  # 360 x 187 / 365 = 184.438 (not 420 x 187 / 365 = 215.18)
    renewal = billing.period_charge(4, raised, [], date(2027, 6, 1), nl_vat)
    assert (renewal.subtotal, renewal.vat, renewal.total) == (D("1680.00"), D("352.80"), D("2032.80"))


def test_r11_without_the_time_zone_database_it_says_so(monkeypatch):
    import zoneinfo

    from tribe_tui.errors import Refused

    def missing(key):
        raise zoneinfo.ZoneInfoNotFoundError(key)

    monkeypatch.setattr(zoneinfo, "ZoneInfo", missing)
    with pytest.raises(Refused, match="tzdata"):
        config.amsterdam_today()
