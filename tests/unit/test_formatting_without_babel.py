"""Counts and long dates are formatted without babel (a first frame that shows no money needs no
locale data): the same text as babel gives for the same locale, for every day and many numbers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal

from tribe_tui import formatting

pytestmark = pytest.mark.slow  # every amount and date pattern against babel itself


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_long_dates_are_babels(lang):
    locale = formatting.LOCALES[lang]
    day = date(2000, 1, 1)
    while day < date(2031, 1, 1):  # every day of 31 years, leap days too
        assert formatting.long_date(day, lang) == format_date(day, format="long", locale=locale)
        day += timedelta(days=1)
    for far in (date(1, 1, 1), date(9999, 12, 31)):
        assert formatting.long_date(far, lang) == format_date(far, format="long", locale=locale)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_counts_are_babels(lang):
    locale = formatting.LOCALES[lang]
    values = [0, 1, 9, 10, 999, 1000, 1001, 9999, 10_000, 99_999, 100_000, 1_234_567, 10**12, -1, -1000, -123_456]
    values += [7**k for k in range(20)]
    for value in values:
        assert formatting.number(value, lang) == format_decimal(value, locale=locale), value


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_money_in_whole_cents_is_babels(lang):
    from decimal import Decimal

    from babel.numbers import format_currency
    from hypothesis import given, settings
    from hypothesis import strategies as st

    locale = formatting.LOCALES[lang]

    @settings(max_examples=3000, deadline=None)
    @given(st.integers(min_value=-(10**15), max_value=10**15))
    def same(cents: int) -> None:
        amount = Decimal(cents) / 100
        assert formatting.money(amount, lang) == format_currency(amount, "EUR", locale=locale)
        whole = Decimal(cents)  # no decimals at all ("1000")
        assert formatting.money(whole, lang) == format_currency(whole, "EUR", locale=locale)

    same()
    for odd in ("12.345", "0.005", "-0.005", "1E+3", "0E-5"):  # more than cents, or odd exponents: babel's own answer
        assert formatting.money(Decimal(odd), lang) == format_currency(Decimal(odd), "EUR", locale=locale), odd


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_vat_percentages_are_babels(lang):
    from decimal import Decimal

    locale = formatting.LOCALES[lang]
    for rate in ("21", "0", "9", "21.00", "100", "1000", "9.5", "0.21"):
        assert formatting.percent(rate, lang) == f"{format_decimal(Decimal(rate), locale=locale)}%", rate
