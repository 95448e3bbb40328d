"""The label/value blocks at the top of several screens, and the account facts they share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from tribe_tui import formatting
from tribe_tui.i18n import t

if TYPE_CHECKING:
    from tribe_tui.service_types import AccountOverview


def facts_grid(rows: Iterable[tuple[str, str | Text]]) -> Table:
    """Bold labels on the left, values on the right; pass user-typed values as Text."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for label, value in rows:
        grid.add_row(label, value)
    return grid


def edition_text(view: AccountOverview, lang: str) -> str:
    """'Tribe Creator' or 'Tribe Creator (wordt Tribe per 1 juni 2027)' for an AccountOverview."""
    if not view.scheduled_edition_name:
        return view.edition_name
    return (
        view.edition_name
        + " "
        + t(
            "overview.edition_change",
            lang,
            edition=view.scheduled_edition_name,
            date=formatting.long_date(view.next_period_start, lang),
        )
    )


def licence_counts_text(view: AccountOverview, lang: str) -> str:
    """'27 in gebruik van 30 (3 vrij)', with thousands separators."""
    n = formatting.number
    return t(
        "shared.licence_counts",
        lang,
        in_use=n(view.licences_in_use, lang),
        total=n(view.licences_total, lang),
        free=n(view.licences_free, lang),
    )
