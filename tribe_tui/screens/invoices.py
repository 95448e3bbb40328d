"""Facturen: the list and one invoice in full; either e-mails an invoice (PDF and UBL attached).

Nothing here writes a file: admins work over SSH as the service account, so a path they could type
would reach the shared database and the account's SSH keys, and a file on the server is no use to
them anyway. The documents reach them by e-mail instead: to themselves or to the invoice address.
`tribe-tui invoices show N --pdf/--ubl/--csv` writes them for scripts on the server.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from tribe_tui import formatting
from tribe_tui.i18n import N_, field_label, invoice_reason, invoice_status
from tribe_tui.screens.base import ASKING, SectionScreen, stylesheet
from tribe_tui.widgets.text import visible

if TYPE_CHECKING:
    from tribe_tui.billing import InvoiceStanding
    from tribe_tui.services.credit_notes import CreditOutcome
    from tribe_tui.services.invoices import InvoiceView, SendOutcome

CREDIT_BINDING = Binding(
    "c", "credit", N_("key.invoices.credit"), id="invoices.credit", tooltip=N_("tip.invoices.credit")
)

EMAIL_BINDINGS = [
    Binding("m", "email_me", N_("key.invoices.email_me"), id="invoices.email_me", tooltip=N_("tip.invoices.email_me")),
    Binding(
        "f",
        "email_invoice_address",
        N_("key.invoices.email_address"),
        id="invoices.email_address",
        tooltip=N_("tip.invoices.email_address"),
    ),
]


class EmailInvoice(SectionScreen):
    """E-mail the invoice this screen is about: to the admin themselves, or to the invoice address
    of the billing details (else the admin). Sent at once; if the mail server is down it waits in
    the outbox, and the admin is told so in words."""

    def _invoice_number(self) -> str | None:
        raise NotImplementedError

    def action_email_me(self) -> None:
        self._email(to_me=True)

    def action_email_invoice_address(self) -> None:
        self._email(to_me=False)

    def _email(self, *, to_me: bool) -> None:
        number = self._invoice_number()
        if number is None:
            return
        from tribe_tui.services.invoices import send_invoice

        settings = self.app.settings

        def done(outcome: SendOutcome) -> None:
            if outcome.status == "sent":
                self.notify(
                    self.tr("invoices.mailed", number=outcome.number, email=visible(outcome.recipient)), markup=False
                )
            else:
                self.notify(
                    self.tr(
                        "invoices.mail_queued",
                        number=outcome.number,
                        email=visible(outcome.recipient),
                        reason=outcome.reason or "?",
                    ),
                    severity="warning",
                    markup=False,
                )

        self.run_action(lambda: send_invoice(self.ctx, number, None, settings, to_me=to_me), done)

    def action_credit(self) -> None:
        number = self._invoice_number()
        if number is not None:
            self._credit_asking_first(number)

    @work(group=ASKING)
    async def _credit_asking_first(self, number: str) -> None:
        """A credit note for the whole invoice: refused before asking when it is credited already;
        then why (printed on the credit note), then yes or no (No focused)."""
        from tribe_tui.services.credit_notes import check_creditable, credit_invoice
        from tribe_tui.widgets.reason import ReasonDialog

        ctx = self.ctx
        if await self.check(lambda: check_creditable(ctx, number)) is None:
            return
        reason = await self.app.push_screen_wait(
            ReasonDialog(
                self.tr("invoices.credit_title", number=number),
                self.tr("invoices.credit_reason"),
                self.tr("confirm.no"),
                self.tr("invoices.credit_next"),
            )
        )
        if not reason:
            return
        if await self.ask(
            self.tr("invoices.credit_title", number=number),
            self.tr("invoices.credit_body", number=number, reason=reason),
            self.tr("invoices.credit_yes"),
        ):
            await self.act(lambda: credit_invoice(ctx, number, reason), self._credited)

    def _credited(self, outcome: CreditOutcome) -> None:
        self.notify(self.tr("shared.credited", credit_note=outcome.credit_note, number=outcome.invoice), markup=False)
        self.send_queued_mail()
        self.reload()


class InvoicesScreen(EmailInvoice):
    CSS_PATH = stylesheet("invoices")
    SECTION = "invoices"
    BINDINGS = [
        Binding("enter", "open", N_("key.invoices.open"), id="invoices.open", tooltip=N_("tip.invoices.open")),
        Binding(
            "o",
            "open_only",
            N_("key.invoices.open_only"),
            id="invoices.open_only",
            tooltip=N_("tip.invoices.open_only"),
        ),
        *EMAIL_BINDINGS,
        CREDIT_BINDING,
    ]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="invoices-count", markup=False)
        yield DataTable(id="invoices-table", cursor_type="row", zebra_stripes=True)

    COLUMNS = ("number", "date", "status", "reason", "subtotal", "vat", "total")
    AMOUNTS = frozenset({"subtotal", "vat", "total"})
    invoices: list[InvoiceView] = []
    open_only = False  # o: only the invoices with money open (open, partly paid, overdue)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DataTable).focus()

    def load(self) -> list[InvoiceView]:
        from tribe_tui.services.invoices import list_invoices

        return list_invoices(self.ctx)

    def show(self, invoices: list[InvoiceView]) -> None:
        self.invoices = invoices
        self._fill()
        self._count()

    def _shown(self) -> list[InvoiceView]:
        return [inv for inv in self.invoices if inv.standing.is_open] if self.open_only else self.invoices

    def _count(self) -> None:
        shown = self._shown()
        if self.open_only:
            text = self.tr("invoices.count_open", n=len(shown)) if shown else self.tr("invoices.none_open")
        else:
            text = self.tr("invoices.count", n=len(shown)) if shown else self.tr("invoices.none")
        self.query_one("#invoices-count", Static).update(text)

    def action_open_only(self) -> None:
        self.open_only = not self.open_only
        self._fill()
        self._count()

    def on_resize(self) -> None:
        self._fill()

    def _fill(self) -> None:
        """Columns sized to the window: an amount is shown whole or not at all. The reason gives
        way first (ellipsized, then left out), then subtotal and VAT; number, date, status and
        total stay (the status is what the admin came for: never clipped)."""
        lang = self.lang
        table = self.query_one(DataTable)
        if not table.size.width:
            # Not laid out yet: the widths depend on the table's own width (its focus bar
            # included), so guessing from the window would draw one of two layouts by chance.
            self.call_after_refresh(self._fill)
            return
        row = table.cursor_row
        invoices = self._shown()
        cells = [
            (
                inv.number,
                formatting.short_date(inv.date, lang),
                invoice_status(inv.standing.status, lang),
                self.tr("invoices.credited_by", credit_note=inv.credited_by)
                if inv.credited_by
                else invoice_reason(inv.reason, lang),
                *(formatting.money(v, lang) for v in (inv.subtotal, inv.vat, inv.total)),
            )
            for inv in invoices
        ]
        titles = {
            "number": self.tr("invoices.col_number"),
            "date": self.tr("invoices.col_date"),
            "status": self.tr("invoices.col_status"),
            "reason": self.tr("invoices.col_reason"),
            "subtotal": self.tr("invoices.col_subtotal"),
            "vat": self.tr("invoices.col_vat"),
            "total": self.tr("invoices.col_total"),
        }
        headers = [titles[key] for key in self.COLUMNS]
        widths = [max([len(headers[i])] + [len(c[i]) for c in cells]) for i in range(len(self.COLUMNS))]
        room = self._room(table, len(cells), self.query_one("#body").size.height)
        shown = list(range(len(self.COLUMNS)))
        for drop in (self.COLUMNS.index(name) for name in ("reason", "subtotal", "vat")):
            if self._needed(widths, shown) <= room:
                break
            shown.remove(drop)  # whole or not at all: the invoice itself (Enter) shows every column
        table.clear(columns=True)
        for i in shown:
            table.add_column(headers[i], key=self.COLUMNS[i], width=widths[i])
        for inv, values in zip(invoices, cells, strict=True):
            table.add_row(
                *(self._cell(values[i], widths[i], amount=self.COLUMNS[i] in self.AMOUNTS) for i in shown),
                key=inv.number,
            )
        if invoices:
            table.move_cursor(row=min(row, len(invoices) - 1))

    @staticmethod
    def _room(table: DataTable[Text], rows: int, most: int) -> int:
        """The width for the columns. The table grows with its rows up to `most` lines (the body's
        height, a size fixed by the window; the table's own height changes while it fills): more
        rows than that and a vertical scrollbar takes its share."""
        width = table.size.width
        if rows + 1 > most:
            width -= table.styles.scrollbar_size_vertical
        return width

    @staticmethod
    def _needed(widths: list[int], shown: list[int]) -> int:
        return sum(widths[i] + 2 for i in shown)  # each cell has one space of padding either side

    @staticmethod
    def _cell(value: str, width: int, *, amount: bool) -> Text:
        if amount:
            return Text(value.rjust(width))  # amounts line up on the right, like on paper
        return Text(value if len(value) <= width else value[: width - 1] + "…")

    def _selected(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value

    def _invoice_number(self) -> str | None:
        return self._selected()

    def action_open(self) -> None:
        number = self._selected()
        if number is not None:
            self.app.push_screen(InvoiceScreen(number))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()


class InvoiceScreen(EmailInvoice):
    """One invoice: lines with their formula, subtotal, VAT with its reason, total, both parties."""

    CSS_PATH = stylesheet("invoices")

    SECTION = "invoices"
    HELP_KEY = N_("help.invoice")
    BINDINGS = [*EMAIL_BINDINGS, CREDIT_BINDING]

    def __init__(self, number: str) -> None:
        super().__init__()
        self.number = number

    def compose_body(self) -> ComposeResult:
        yield Static(self.tr("overview.loading"), id="invoice-head", markup=False)
        yield Static("", id="invoice-parties")
        yield Static("", id="invoice-lines")

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.tr("invoices.invoice_title", number=self.number)

    def _invoice_number(self) -> str | None:
        return self.number

    def load(self) -> InvoiceView:
        from tribe_tui.services.invoices import get_invoice

        return get_invoice(self.ctx, self.number)

    def _standing(self, standing: InvoiceStanding) -> str:
        """'Status: betaald op 10 juli 2026' or 'Status: achterstallig · € 1.551,45 open · vervallen op ...'."""
        lang = self.lang
        word = invoice_status(standing.status, lang)
        if standing.status == "paid" and standing.paid_on:
            return self.tr("invoices.status_paid", status=word, date=formatting.long_date(standing.paid_on, lang))
        if standing.is_open:
            return self.tr(
                "invoices.status_open",
                status=word,
                amount=formatting.money(standing.open_amount, lang),
                date=formatting.long_date(standing.due_date, lang),
            )
        return self.tr("invoices.status_other", status=word)

    def show(self, inv: InvoiceView) -> None:
        lang = self.lang
        self.query_one("#invoice-head", Static).update(
            self.tr(
                "invoices.head",
                number=inv.number,
                date=formatting.long_date(inv.date, lang),
                reason=invoice_reason(inv.reason, lang),
                start=formatting.long_date(inv.period_start, lang),
                end=formatting.long_date(inv.period_end, lang),
            )
            + (" · " + self.tr("invoices.credited_by", credit_note=inv.credited_by) if inv.credited_by else "")
            + "\n"
            + self._standing(inv.standing)
        )
        parties = Table.grid(padding=(0, 3), expand=True)
        parties.add_column(ratio=1)
        parties.add_column(ratio=1)
        parties.add_row(Text(self.tr("label.from"), style="bold"), Text(self.tr("label.to"), style="bold"))
        parties.add_row(_party(inv.seller, lang), _party(inv.customer, lang))
        self.query_one("#invoice-parties", Static).update(parties)

        lines = Table(box=None, show_header=True, header_style="bold", padding=(0, 1), expand=True)
        lines.add_column(self.tr("preview.description"), ratio=3, overflow="fold")
        lines.add_column(self.tr("preview.formula"), no_wrap=True)
        lines.add_column(self.tr("preview.amount"), justify="right", no_wrap=True)
        for line in inv.lines:
            # R10: each line states the service period it covers: the heading's period, unless the
            # line's own differs (then under its description; 80x24 has no room to repeat it).
            description = Text(visible(line.description))
            if (line.period_from, line.period_to) != (inv.period_start, inv.period_end):
                description.append(
                    "\n"
                    + self.tr(
                        "label.line_period",
                        start=formatting.long_date(line.period_from, lang),
                        end=formatting.long_date(line.period_to, lang),
                    ),
                    style="dim",
                )
            lines.add_row(
                description,
                formatting.line_formula(line.quantity, line.unit_price, line.days, line.period_days, lang),
                formatting.money(line.amount, lang),
            )
        lines.add_section()
        lines.add_row(self.tr("label.subtotal"), "", formatting.money(inv.subtotal, lang))
        vat = formatting.vat_label(inv.vat_rate, inv.vat_reason, lang)
        if inv.vat_reason == "reverse_charge" and inv.customer_vat_number:
            vat += " · " + self.tr("vat.reverse_charge_line", vat_number=visible(inv.customer_vat_number))
        lines.add_row(Text(vat), "", formatting.money(inv.vat, lang))
        lines.add_row(
            Text(self.tr("label.total"), style="bold"), "", Text(formatting.money(inv.total, lang), style="bold")
        )
        self.query_one("#invoice-lines", Static).update(lines)


def _party(data: dict[str, Any], lang: str) -> Text:
    """Name and address lines as stored on the invoice, each literal; labelled where not obvious."""
    text = Text()
    name = data.get("company_name") or data.get("name") or data.get("organisation") or ""
    text.append(visible(name) + "\n", style="bold")
    if data.get("attention"):
        text.append(visible(data["attention"]) + "\n")
    if data.get("address"):
        text.append(visible(data["address"]) + "\n")
    place = " ".join(visible(data.get(k) or "") for k in ("postcode", "city") if data.get(k))
    if place or data.get("country"):
        text.append((place + "  " + visible(data.get("country") or "")).strip() + "\n")
    if data.get("invoice_email"):
        text.append(visible(data["invoice_email"]) + "\n")
    for key in ("vat_number", "kvk_number", "iban", "po_reference"):
        if data.get(key):
            text.append(f"{field_label(key, lang)}: ", style="dim")
            text.append(visible(str(data[key])) + "\n")
    text.rstrip()
    return text
