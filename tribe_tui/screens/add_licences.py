"""Aantal gebruikers uitbreiden: how many more licences, the pro-rata charge as you type, then confirm."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Input, Static

from tribe_tui import formatting
from tribe_tui.i18n import N_
from tribe_tui.screens.base import ASKING, SectionScreen, stylesheet
from tribe_tui.screens.preview import PreviewMixin
from tribe_tui.services.account import overview
from tribe_tui.services.licences import add_licences
from tribe_tui.widgets.charge_preview import ChargePreview
from tribe_tui.widgets.facts import facts_grid, licence_counts_text
from tribe_tui.widgets.inputs import TextInput

if TYPE_CHECKING:
    from tribe_tui.service_types import AccountOverview
    from tribe_tui.services.licences import ChargeResult


class AddLicencesScreen(PreviewMixin[str, "ChargeResult"], SectionScreen):  # previews: the number as typed
    CSS_PATH = stylesheet("add_licences")
    SECTION = "add-licences"
    AUTO_FOCUS = "#add-count"
    BINDINGS = [
        Binding(
            "ctrl+s", "confirm_add", N_("key.add.confirm"), id="add_licences.confirm", tooltip=N_("tip.add.confirm")
        ),
    ]

    version: int | None = None
    ready_for: str | None = None  # the count whose preview is on screen
    answered: str | None = None  # the count whose dry run answered (a charge or why not)
    enter_waits_for: str | None = None  # Enter came before this count's charge was shown

    def compose_body(self) -> ComposeResult:
        yield Static(self.tr("overview.loading"), id="add-facts")
        yield Static(self.tr("add_licences.how_many"), classes="heading", markup=False)
        yield TextInput(
            id="add-count", placeholder=self.tr("add_licences.placeholder"), restrict=r"[0-9]*", max_length=6
        )
        yield Static("", id="add-message", markup=False)
        yield Static("", id="add-preview-title", classes="heading", markup=False)
        yield ChargePreview(id="add-preview")
        yield Button(self.tr("add_licences.confirm"), id="add-confirm", variant="primary", disabled=True)

    # --- the account as it is ---------------------------------------------------------------

    def load(self) -> AccountOverview:
        return overview(self.ctx)

    def show(self, view: AccountOverview) -> None:
        self.version = view.version
        lang = self.lang
        grid = facts_grid(
            [
                (self.tr("label.licences"), licence_counts_text(view, lang)),
                (self.tr("label.edition"), view.edition_name),
                (
                    self.tr("label.paid_until"),
                    formatting.paid_until_text(view, lang),
                ),
            ]
        )
        self.query_one("#add-facts", Static).update(grid)
        self._ask_preview()

    # --- the preview ------------------------------------------------------------------------

    def _count(self) -> str:
        return self.query_one("#add-count", Input).value.strip()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._ask_preview()

    def _ask_preview(self) -> None:
        count = self._count()
        if count != self.ready_for:
            # A reload for the same number (after a dialog closed) keeps the button and its focus:
            # confirming runs the dry run again anyway.
            self._not_ready()
            self.answered = None
        if not count:
            self.forget_preview()
            self._clear(self.tr("add_licences.enter_number"))
            return
        ctx = self.ctx
        self.request_preview(count, lambda: add_licences(ctx, count, dry_run=True))

    def _not_ready(self) -> None:
        self.ready_for = None
        self.query_one("#add-confirm", Button).disabled = True
        self.refresh_bindings()

    def _clear(self, message: str) -> None:
        self.query_one("#add-message", Static).update(message)
        self.query_one("#add-preview-title", Static).update("")
        self.query_one("#add-preview", ChargePreview).show_charge(None, self.lang)

    def preview_ready(self, count: str, result: ChargeResult | None, error: str | None) -> None:
        self.answered = count
        if error is not None:
            self._not_ready()
            self._stop_waiting()
            self._clear(error)
            self.query_one("#add-message", Static).add_class("error")
            return
        assert result is not None  # no refusal: the dry run answered
        self.query_one("#add-message", Static).remove_class("error")
        self.query_one("#add-message", Static).update(self.tr("add_licences.preview_hint"))
        self.query_one("#add-preview-title", Static).update(self.tr("add_licences.preview_title", n=int(count)))
        self.query_one("#add-preview", ChargePreview).show_charge(result.bill, self.lang)
        self.ready_for = count
        self.query_one("#add-confirm", Button).disabled = False
        self.refresh_bindings()
        if self.enter_waits_for == count:
            self.query_one("#add-confirm", Button).focus()
        self._stop_waiting()

    def _stop_waiting(self) -> None:
        if self.enter_waits_for is not None:
            self.enter_waits_for = None
            self.ready = True  # the keys typed after that Enter go on (TribeApp's key queue)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm_add":
            return self.ready_for is not None and self.ready_for == self._count()
        return True

    # --- confirming -------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the number field goes to the confirming button, never straight to a charge."""
        event.stop()
        button = self.query_one("#add-confirm", Button)
        if not button.disabled:
            button.focus()
        elif self._count() and self._count() != self.answered:
            # Typed before the charge was shown: this Enter goes to the button once it is, and the
            # keys typed after it wait for that, as they would have had they been typed slowly.
            self.enter_waits_for = self._count()
            self.ready = False

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "add-confirm":
            event.stop()
            self.action_confirm_add()

    @work(group=ASKING)
    async def action_confirm_add(self) -> None:
        count = self._count()
        if self.ready_for is None or self.ready_for != count:
            return
        # A second press cannot charge twice: the first bumps the version, the second is stale.
        await self.preview_ask_charge(
            partial(add_licences, self.ctx, count),
            version=self.version,
            body=self.tr("add_licences.confirm_body", n=int(count)),
            done=self._added,
        )

    def _added(self, result: ChargeResult) -> None:
        assert result.licences_total is not None  # set by every add that was not a dry run
        done = self.trn(
            "add_licences.done",
            result.licences_total,
            total=result.licences_total,
            number=result.invoice_number,
            amount=formatting.money(result.charge.total, self.lang),
        )
        # After paid-until the renewal was invoiced first (R9): the message names it too.
        self.notify("\n".join([*(formatting.settled_done_text(s, self.lang) for s in result.settled), done]))
        field = self.query_one("#add-count", Input)
        field.value = ""
        field.focus()
        self.reload()
