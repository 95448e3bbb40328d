"""A charge as the admin sees it before money moves: each line's formula, subtotal, VAT, total.

The numbers are the service's (dry run or real): this widget only formats them.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from tribe_tui import formatting
from tribe_tui.i18n import t


def charge_table(charge, lang: str) -> Table:
    table = Table(box=None, show_header=True, expand=False, padding=(0, 1), header_style="bold")
    table.add_column(t("preview.description", lang), overflow="fold", ratio=3)
    table.add_column(t("preview.formula", lang), no_wrap=True)
    table.add_column(t("preview.amount", lang), justify="right", no_wrap=True)
    for line in charge.lines:
        table.add_row(
            Text(line.description),
            formatting.line_formula(line.quantity, line.unit_price, line.days, line.period_days, lang),
            formatting.money(line.amount, lang),
        )
    table.add_section()
    table.add_row(t("subtotal", lang), "", formatting.money(charge.subtotal, lang))
    table.add_row(
        formatting.vat_label(charge.vat_rate, charge.vat_reason, lang), "", formatting.money(charge.vat, lang)
    )
    table.add_row(Text(t("total", lang), style="bold"), "", Text(formatting.money(charge.total, lang), style="bold"))
    return table


class ChargePreview(Static):
    """Shows a billing.Charge; `show_charge(None)` shows a hint instead."""

    DEFAULT_CSS = """
    ChargePreview {
        height: auto;
        margin: 1 0;
    }
    """

    def show_charge(self, charge, lang: str, empty_text: str = "") -> None:
        if charge is None:
            self.update(Text(empty_text))
        else:
            self.update(charge_table(charge, lang))
