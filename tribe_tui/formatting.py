"""Money and dates per locale (babel), for the CLI's text output and the TUI.

Only formats what billing.py and the services computed; never computes. Babel is imported on
first use so that start-up does not pay for its locale data.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from tribe_tui import billing
from tribe_tui.config import RULES_ZONE
from tribe_tui.i18n import GROUP, count_text, t, tn, vat_reason

if TYPE_CHECKING:
    from babel import Locale

    from tribe_tui.service_types import AccountOverview

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
    patterns of nl_NL (sign, a no-break space, thousands grouped, two decimals, the minus after the
    sign) and en_GB (sign, no space, the minus first) without babel's locale data, so a first frame with money
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


@lru_cache(maxsize=1)
def rules_zone() -> tzinfo:
    """Amsterdam, the zone the rules' dates are in (R11); UTC where the time zone database is
    missing (a time then says UTC, so nobody misreads it)."""

    try:
        return zoneinfo.ZoneInfo(RULES_ZONE)
    except zoneinfo.ZoneInfoNotFoundError:
        return UTC


def wall_clock(at: datetime) -> datetime:
    """A moment the database holds in UTC (naive, as the models write it) on Amsterdam's wall
    clock. Never the server's own zone: an admin reads Amsterdam time wherever the server runs."""
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return aware.astimezone(rules_zone())


def local_day(at: datetime) -> date:
    """The day in Amsterdam a stored moment fell on: 31 Dec 2026 23:30 UTC is 1 January 2027."""
    return wall_clock(at).date()


def moment(at: datetime, lang: str = "nl", *, day: bool = True, zone: bool = True) -> str:
    """The one way a time is shown: Amsterdam's wall clock with the zone named, '1 dec 2026 19:53
    CET' / '1 Dec 2026 19:53 CET', or without the day ('19:53 CEST'); without the zone only in a
    narrow column whose screen names it nearby ('19:53')."""
    from babel.dates import format_datetime

    local = wall_clock(at)
    pattern = ("d MMM y HH:mm" if day else "HH:mm") + (" z" if zone else "")
    return format_datetime(local, pattern, tzinfo=local.tzinfo, locale=_locale(lang))


def short_date(day: date, lang: str = "nl") -> str:
    from babel.dates import format_date

    return format_date(day, format="medium", locale=_locale(lang))


def number(value: int, lang: str = "nl") -> str:
    """100.000 (nl) / 100,000 (en)."""
    if type(value) is int:
        return count_text(value, lang)
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
    label = t("label.vat", lang) + " " + percent(rate, lang)
    return f"{label} ({vat_reason(reason, lang)})" if reason else label


def line_formula(quantity: int, unit_price: Decimal, days: int, period_days: int, lang: str = "nl") -> str:
    """2 × € 360,00 × 181/365 — how a line's amount came about."""
    return f"{quantity} × {money(unit_price, lang)} × {days}/{period_days}"


def settled_text(settled: billing.Settled, lang: str) -> str:
    """What a click settles first: 'Eerst de verlenging: € 1.306,80 incl. btw' and, on a line of its
    own, 'voor de periode 1 december 2027 t/m 30 november 2028' (so that neither wraps in a question
    at 80 columns, whatever the months), or the end of a cancelled account."""
    if settled.kind == billing.SETTLED_ENDING:
        return t("bill.ended_first", lang, date=long_date(settled.period_start, lang))
    period = {
        "start": long_date(settled.period_start, lang),
        "end": long_date(settled.paid_until, lang),
    }
    if settled.charge is None or settled.charge.is_empty:
        return t("bill.renewal_nothing", lang, **period)
    return t("bill.renewal_first", lang, amount=money(settled.charge.total, lang), **period)


def settled_done_text(settled: billing.Settled, lang: str) -> str:
    """After the click: 'Verlengd t/m 31 mei 2028: factuur 2027-0001, € 14.520,00 incl. btw'."""
    if settled.kind == billing.SETTLED_ENDING or settled.invoice_number is None or settled.charge is None:
        return settled_text(settled, lang)
    return t(
        "bill.renewed_done",
        lang,
        end=long_date(settled.paid_until, lang),
        number=settled.invoice_number,
        amount=money(settled.charge.total, lang),
    )


def bill_sum_text(bill: billing.Bill, lang: str) -> str:
    """'Samen 2 facturen: € 1.731,69 incl. btw'."""
    count = len(bill.charges)
    return tn("bill.sum", count, lang, amount=money(bill.total, lang))


def paid_until_text(view: AccountOverview, lang: str) -> str:
    """'31 mei 2027 (nog 187 dagen)'; after paid-until '31 mei 2027 (verlopen, verlenging volgt)'
    (R9: the renewal is due), or '(verlopen)' for an account that has ended. `view` is an
    AccountOverview."""
    day = long_date(view.paid_until, lang)
    if view.renewal_pending:
        return day + " (" + t("overview.period_ended_renewal_due", lang) + ")"
    if view.status == "ended":
        return day + " (" + t("overview.period_ended", lang) + ")"
    return tn("overview.paid_until_value", view.days_left, lang, date=day)
