"""A charge as the admin sees it before money moves: each line's formula, subtotal, VAT, total.

After paid-until a click first settles the renewal (R9): then a billing.Bill is shown, the renewal
(or the end of a cancelled account) named first with its invoice's total, the change's own lines,
and the sum of every invoice the click writes. The numbers are the service's (dry run or real):
this widget only formats them.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from tribe_tui import billing, formatting
from tribe_tui.i18n import t


def bill_renderable(bill: billing.Bill, lang: str) -> RenderableType:
    """The change's table alone, or (after paid-until) what is settled first, the change, the sum."""
    if not bill.settled:
        return charge_table(bill.change, lang) if bill.change is not None else Text("")
    parts: list[RenderableType] = [Text(formatting.settled_text(s, lang)) for s in bill.settled]
    if bill.change is not None and not bill.change.is_empty:
        parts += [Text(t("bill.then_change", lang)), charge_table(bill.change, lang)]
    parts.append(Text(formatting.bill_sum_text(bill, lang), style="bold"))
    return Group(*parts)


def charge_table(charge: billing.Charge, lang: str) -> Table:
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
    table.add_row(t("label.subtotal", lang), "", formatting.money(charge.subtotal, lang))
    table.add_row(
        formatting.vat_label(charge.vat_rate, charge.vat_reason, lang), "", formatting.money(charge.vat, lang)
    )
    table.add_row(
        Text(t("label.total", lang), style="bold"), "", Text(formatting.money(charge.total, lang), style="bold")
    )
    return table


class ChargePreview(Static):
    """Shows a billing.Charge or a billing.Bill; `show_charge(None)` shows a hint instead."""

    DEFAULT_CSS = """
    ChargePreview {
        height: auto;
        margin: 1 0;
    }
    """

    def show_charge(self, charge: billing.Charge | billing.Bill | None, lang: str, empty_text: str = "") -> None:
        if charge is None:
            self.update(Text(empty_text))
        elif isinstance(charge, billing.Bill):
            self.update(bill_renderable(charge, lang))
        else:
            self.update(charge_table(charge, lang))
