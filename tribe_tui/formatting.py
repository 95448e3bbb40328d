"""Money and dates per locale (babel), for the CLI's text output and the TUI.

Only formats what billing.py and the services computed; never computes. Babel is imported on
first use so that start-up does not pay for its locale data.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from tribe_tui.config import RULES_ZONE
from tribe_tui.i18n import t, vat_reason

if TYPE_CHECKING:
    from babel import Locale

LOCALES = {"nl": "nl_NL", "en": "en_GB"}


@lru_cache(maxsize=4)
def _locale(lang: str) -> Locale:
    from babel import Locale

    return Locale.parse(LOCALES.get(lang, "nl_NL"))


CENT = Decimal("0.01")


def _grouped(value: Decimal, lang: str) -> str:
    """|value| with two decimals and the language's separators: 1.234,56 (nl) / 1,234.56 (en)."""
    text = f"{abs(value):,.2f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "nl" else text


def money(amount: Decimal, lang: str = "nl") -> str:
    """€ 1.234,56 (nl) / €1,234.56 (en).

    An amount in whole cents (every amount billing.py makes) is written from CLDR's currency
    patterns of nl_NL ("¤ #,##0.00", a no-break space, the minus after the sign) and en_GB
    ("¤#,##0.00", the minus first) without babel's locale data, so a first frame with money
    loads none; a test holds it to babel's text. Anything else goes to babel."""
    value = Decimal(amount)
    if lang in GROUP and value.is_finite() and value == value.quantize(CENT):
        if lang == "nl":
            return "€\xa0" + ("-" if value < 0 else "") + _grouped(value, lang)
        return ("-" if value < 0 else "") + "€" + _grouped(value, lang)
    from babel.numbers import format_currency

    return format_currency(amount, "EUR", locale=_locale(lang))


# CLDR's long date in nl_NL and en_GB is "d MMMM y" with these month names (babel's own data; a
# test holds the two to the same text): the licences list shows dates but no money, and draws its
# first frame without loading babel's locale data.
MONTHS = {
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}


def long_date(day: date, lang: str = "nl") -> str:
    """31 december 2026 / 31 December 2026."""
    return f"{day.day} {MONTHS.get(lang, MONTHS['nl'])[day.month - 1]} {day.year}"


def clock(moment: datetime) -> str:
    """A moment the database holds in UTC (naive, as the models write it) as the wall-clock time in
    Amsterdam, the zone the rules' dates are in (R11): '2026-12-01 19:53'. Without the time zone
    database, UTC, said so."""

    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        return f"{aware.astimezone(zoneinfo.ZoneInfo(RULES_ZONE)):%Y-%m-%d %H:%M}"
    except zoneinfo.ZoneInfoNotFoundError:
        return f"{aware.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def short_date(day: date, lang: str = "nl") -> str:
    from babel.dates import format_date

    return format_date(day, format="medium", locale=_locale(lang))


def clock_time(moment: datetime, lang: str = "nl") -> str:
    """A wall-clock moment stored in UTC (naive), as this machine's local time: 14:32."""
    from babel.dates import format_time

    local = moment.replace(tzinfo=UTC).astimezone()
    return format_time(local, format="short", locale=_locale(lang))


# The thousands separator of a whole number in each language (CLDR's nl_NL and en_GB, which babel
# uses for everything else): a count needs no locale data, so a screen that shows counts and no
# money or dates (the licences list) draws its first frame without loading babel.
GROUP = {"nl": ".", "en": ","}


def number(value: int, lang: str = "nl") -> str:
    """100.000 (nl) / 100,000 (en)."""
    if type(value) is int:
        return f"{value:,}".replace(",", GROUP.get(lang, "."))
    from babel.numbers import format_decimal

    return format_decimal(value, locale=_locale(lang))


def percent(rate: Decimal | str, lang: str = "nl") -> str:
    value = Decimal(rate)
    if value.is_finite() and value == value.to_integral_value():  # 21%, 0%: no locale data needed
        return f"{number(int(value), lang)}%"
    from babel.numbers import format_decimal

    return f"{format_decimal(value, locale=_locale(lang))}%"


def vat_label(rate: Decimal | str, reason: str | None, lang: str = "nl") -> str:
    """'Btw 21%' or 'Btw 0% (btw verlegd)'."""
    label = t("vat", lang) + " " + percent(rate, lang)
    return f"{label} ({vat_reason(reason, lang)})" if reason else label


def line_formula(quantity: int, unit_price: Decimal, days: int, period_days: int, lang: str = "nl") -> str:
    """2 × € 360,00 × 181/365 — how a line's amount came about."""
    return f"{quantity} × {money(unit_price, lang)} × {days}/{period_days}"
