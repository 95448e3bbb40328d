"""A service's messages and dates in the acting user's language."""

from __future__ import annotations

from datetime import date

from tribe_tui.formatting import long_date
from tribe_tui.i18n import t
from tribe_tui.service_types import Context


def msg(ctx: Context, key: str, **values: object) -> str:
    return t(key, ctx.lang, **values)


def day(ctx: Context, value: date) -> str:
    """A date inside a message, as the user reads dates ('31 mei 2027')."""

    return long_date(value, ctx.lang)
