"""Modules uitbreiden: the catalogue with this account's state; add (pro-rata preview first), remove, undo."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tribe_tui import formatting
from tribe_tui.i18n import N_
from tribe_tui.screens.base import ASKING, SectionScreen, stylesheet
from tribe_tui.screens.preview import PreviewMixin
from tribe_tui.services.account import overview
from tribe_tui.services.catalogue import catalogue
from tribe_tui.widgets.charge_preview import ChargePreview

if TYPE_CHECKING:
    from tribe_tui.billing import Bill, Charge
    from tribe_tui.service_types import AccountOverview
    from tribe_tui.services.modules import CatalogueModule, ModuleChange

ADDED, REMOVAL_UNDONE = "added", "removal_undone"


class ModulesScreen(PreviewMixin[tuple[str, int], "ModuleChange"], SectionScreen):  # previews: (code, version)
    CSS_PATH = stylesheet("modules")
    SECTION = "modules"
    AUTO_FOCUS = "#modules-table"
    BINDINGS = [
        Binding("a", "add", N_("key.modules.add"), id="modules.add", tooltip=N_("tip.modules.add")),
        Binding("x,delete", "remove", N_("key.modules.remove"), id="modules.remove", tooltip=N_("tip.modules.remove")),
        Binding("u", "undo", N_("key.modules.undo"), id="modules.undo", tooltip=N_("tip.modules.undo")),
    ]

    view: AccountOverview | None = None
    rows: dict[str, CatalogueModule] = {}
    plan: ModuleChange | None = None  # dry run of adding (or un-removing) the highlighted module
    current: CatalogueModule | None = None  # the highlighted module, as last shown

    def compose_body(self) -> ComposeResult:
        yield Static(self.tr("overview.loading"), id="modules-facts", markup=False)
        table: DataTable[Text] = DataTable(id="modules-table", cursor_type="row", zebra_stripes=False)
        yield table
        yield Static("", id="modules-plan", markup=False)
        yield ChargePreview(id="modules-preview")
        yield Static("", id="modules-hint", classes="hint", markup=False)

    COLUMNS = ("name", "price", "per", "requires", "status")

    def load(self) -> tuple[AccountOverview, list[CatalogueModule], dict[str, str]]:
        from tribe_tui.services.modules import catalogue_for

        return overview(self.ctx), catalogue_for(self.ctx), {c: n for c, n, _ in catalogue(self.ctx.lang).editions}

    def show(self, data: tuple[AccountOverview, list[CatalogueModule], dict[str, str]]) -> None:
        view, modules, editions = data
        self.view = view
        lang = self.lang
        self.query_one("#modules-facts", Static).update(
            self.trn(
                "modules.facts",
                view.licences_total,
                edition=view.edition_name,
                date=formatting.long_date(view.paid_until, lang),
            )
        )
        table = self.query_one("#modules-table", DataTable)
        keep = self._highlighted_code()
        rows = [
            (
                module.code,
                (
                    Text(module.name),
                    Text(formatting.money(module.yearly_price, lang), justify="right"),
                    Text(self.tr("modules.per_user") if module.per_user else self.tr("modules.flat")),
                    Text(editions.get(module.requires, module.requires) if module.requires else "—"),
                    self._status(module),
                ),
            )
            for module in modules
        ]
        # Columns get fixed widths from their content: an auto-width column that grows after the
        # header was first drawn renders differently from one that did not (unstable snapshots).
        table.clear(columns=True)
        headers = {
            "name": self.tr("modules.col_name"),
            "price": self.tr("modules.col_price"),
            "per": self.tr("modules.col_per"),
            "requires": self.tr("modules.col_requires"),
            "status": self.tr("modules.col_status"),
        }
        for i, key in enumerate(self.COLUMNS):
            header = headers[key]
            width = max([len(header)] + [cells[i].cell_len for _, cells in rows])
            table.add_column(header, key=key, width=width)
        self.rows = {module.code: module for module in modules}
        for code, cells in rows:
            table.add_row(*cells, key=code)
        if keep in self.rows:
            table.move_cursor(row=table.get_row_index(keep))
        self._ask_preview()

    def _status(self, module: CatalogueModule) -> Text:
        if module.active and module.renews:
            return Text(self.tr("modules.active"), style="bold")
        if module.active:
            return Text(self.tr("modules.ends"))  # the date is in the line above the table and below it
        if not module.available:
            return Text(self.tr("modules.unavailable"), style="dim")
        return Text("—")

    def _highlighted_code(self) -> str | None:
        table = self.query_one("#modules-table", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _highlighted(self) -> CatalogueModule | None:
        code = self._highlighted_code()
        return None if code is None else self.rows.get(code)

    # --- what would happen to the highlighted module ------------------------------------------

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._ask_preview()

    def _ask_preview(self) -> None:
        from tribe_tui.services.modules import add_module

        module = self.current = self._highlighted()
        self.plan = None
        self.refresh_bindings()
        if module is None or self.view is None:
            return
        lang = self.lang
        if module.active and module.renews:
            self.forget_preview()
            self._show_plan(
                self.tr(
                    "modules.active_plan", module=module.name, date=formatting.long_date(self.view.paid_until, lang)
                ),
                None,
                self.tr("modules.remove_hint"),
            )
            return
        code, ctx, version = module.code, self.ctx, self.view.version
        self.request_preview((code, version), lambda: add_module(ctx, code, dry_run=True))

    def preview_ready(self, key: tuple[str, int], plan: ModuleChange | None, error: str | None) -> None:
        code, _ = key
        module = self.rows.get(code)
        if module is None:
            return
        if error is not None:
            self._show_plan(error, None, "")
            return
        assert plan is not None  # no refusal: the dry run answered
        self.plan = plan
        if plan.kind == ADDED:
            per = self.tr("modules.per_user_long") if module.per_user else self.tr("modules.flat_long")
            self._show_plan(
                self.tr("modules.add_plan", module=module.name, per=per), plan.bill, self.tr("modules.add_hint")
            )
        else:
            assert self.view is not None  # shown before any preview was asked for
            self._show_plan(
                self.tr(
                    "modules.ending_plan",
                    module=module.name,
                    date=formatting.long_date(self.view.paid_until, self.lang),
                ),
                plan.bill if plan.bill.settled else None,  # after paid-until: the renewal it settles (R9)
                self.tr("modules.undo_hint"),
            )
        self.refresh_bindings()

    def _show_plan(self, text: str, charge: Charge | Bill | None, hint: str) -> None:
        self.query_one("#modules-plan", Static).update(text)
        preview = self.query_one("#modules-preview", ChargePreview)
        preview.show_charge(charge, self.lang)
        preview.display = charge is not None
        self.query_one("#modules-hint", Static).update(hint)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        module = self.current
        if action == "add":
            return self.plan is not None and self.plan.kind == ADDED
        if action == "undo":
            return self.plan is not None and self.plan.kind == REMOVAL_UNDONE
        if action == "remove":
            return module is not None and module.active and module.renews
        return True

    # --- acting -----------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter does what the text under the table offers for this module."""
        event.stop()
        module = self._highlighted()
        if module is None:
            return
        if module.active and module.renews:
            self.action_remove()
        elif self.plan is not None and self.plan.code == module.code:
            (self.action_add if self.plan.kind == ADDED else self.action_undo)()

    async def _add(self, kind: str) -> None:
        """Adding charges at once (lines and total first, one question naming the amount); undoing
        a removal costs nothing and needs no question."""
        from tribe_tui.services.modules import add_module

        plan = self.plan
        if plan is None or plan.kind != kind or plan.code != self._highlighted_code():
            return
        assert self.view is not None  # a plan exists only once the screen was shown
        change, version = partial(add_module, self.ctx, plan.code), self.view.version
        if kind != ADDED:
            await self.act(partial(change, expected_version=version), self._done)
            return
        module = self.rows[plan.code]
        per = self.tr("modules.per_user_long") if module.per_user else self.tr("modules.flat_long")
        body = self.tr("modules.add_plan", module=module.name, per=per)

        async def question(plan: ModuleChange) -> bool:  # the dry run as of now: guards and amount
            return plan.kind == ADDED and await self.ask_charge(plan.bill, body)

        await self.preview_ask_charge(change, version=version, question=question, done=self._done)

    @work(group=ASKING)
    async def action_add(self) -> None:
        await self._add(ADDED)

    @work(group=ASKING)
    async def action_undo(self) -> None:
        await self._add(REMOVAL_UNDONE)

    @work(group=ASKING)
    async def action_remove(self) -> None:
        from tribe_tui.services.modules import remove_module

        module = self._highlighted()
        if module is None or not (module.active and module.renews):
            return
        assert self.view is not None  # rows exist only once the screen was shown

        async def question(plan: ModuleChange) -> bool:
            # After paid-until the renewal comes first (R9): the module ends with the period it starts.
            date = formatting.long_date(plan.effective_on, self.lang)
            body = self.tr("modules.remove_body", module=module.name, date=date)
            if plan.bill.settled:
                body += "\n" + "\n".join(formatting.settled_text(s, self.lang) for s in plan.bill.settled)
            return await self.ask(
                self.tr("modules.remove_title", module=module.name), body, self.tr("modules.remove_yes")
            )

        await self.preview_ask_charge(
            partial(remove_module, self.ctx, module.code), version=self.view.version, question=question, done=self._done
        )

    def _done(self, change: ModuleChange) -> None:
        lang = self.lang
        if change.kind == ADDED:
            assert change.charge is not None  # adding is charged at once
            text = self.tr(
                "modules.added",
                module=change.name,
                number=change.invoice_number,
                amount=formatting.money(change.charge.total, lang),
            )
        elif change.kind == REMOVAL_UNDONE:
            text = self.tr("shared.module_removal_undone", module=change.name)
        else:
            text = self.tr(
                "shared.module_removal_scheduled",
                module=change.name,
                date=formatting.long_date(change.effective_on, lang),
            )
        # After paid-until the renewal was invoiced first (R9): the message names it too.
        self.notify("\n".join([*(formatting.settled_done_text(s, lang) for s in change.settled), text]))
        self.reload()
