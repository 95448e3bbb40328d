"""Account opzeggen: until when access remains, a reason, an explicit confirmation; withdrawable until then."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Button, Input, Static

from tribe_tui import formatting
from tribe_tui.i18n import N_
from tribe_tui.screens.base import ASKING, SectionScreen, stylesheet
from tribe_tui.services.account import overview
from tribe_tui.widgets.inputs import TextInput
from tribe_tui.widgets.text import literal

if TYPE_CHECKING:
    from tribe_tui.service_types import AccountOverview
    from tribe_tui.services.cancellation import CancellationResult


class CancelScreen(SectionScreen):
    CSS_PATH = stylesheet("cancel")
    SECTION = "cancel"
    BINDINGS = [
        Binding(
            "ctrl+s", "cancel_account", N_("key.cancel.confirm"), id="cancel.confirm", tooltip=N_("tip.cancel.confirm")
        ),
        Binding("w", "withdraw", N_("key.cancel.withdraw"), id="cancel.withdraw", tooltip=N_("tip.cancel.withdraw")),
    ]

    view: AccountOverview | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="status-banner", markup=False)
        yield Static(self.tr("overview.loading"), id="cancel-info", markup=False)
        with Vertical(id="cancel-form"):
            yield Static(self.tr("cancel.reason_label"), classes="heading", markup=False)
            yield TextInput(id="cancel-reason", placeholder=self.tr("cancel.reason_placeholder"), max_length=1000)
            yield Static("", id="cancel-error", markup=False)
            yield Button(self.tr("cancel.button"), id="cancel-confirm", variant="error")
        with Vertical(id="cancelled-state"):
            yield Static("", id="cancel-reason-shown", markup=False)
            yield Button(self.tr("cancel.withdraw_button"), id="cancel-withdraw", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#cancel-form").display = False
        self.query_one("#cancelled-state").display = False

    def load(self) -> AccountOverview:
        return overview(self.ctx)

    def show(self, view: AccountOverview) -> None:
        self.view = view
        date = formatting.long_date(view.paid_until, self.lang)
        banner = self.query_one("#status-banner", Static)
        banner.set_class(view.status != "active", "cancelled")
        banner.display = view.status != "active"
        form, cancelled = self.query_one("#cancel-form"), self.query_one("#cancelled-state")
        form.display = view.status == "active"
        cancelled.display = view.status == "cancelled"
        info = self.query_one("#cancel-info", Static)
        if view.status == "active":
            # After paid-until the renewal comes first (R9): access lasts to the end of its period.
            until = view.access_until or view.paid_until
            explain = self.tr("cancel.explain", date=formatting.long_date(until, self.lang))
            if until != view.paid_until:
                explain = self.tr("cancel.renewal_first") + " " + explain
            info.update(explain)
            if not isinstance(self.focused, Input):
                self.query_one("#cancel-reason", Input).focus()
        elif view.status == "cancelled":
            banner.update(self.tr("shared.cancelled_banner", date=date))
            info.update(self.tr("cancel.cancelled_explain", date=date))
            reason = self.query_one("#cancel-reason-shown", Static)
            reason.update(literal(self.tr("cancel.reason_shown", reason=view.cancel_reason or "—")))
            self.query_one("#cancel-withdraw", Button).focus()
        else:
            banner.update(self.tr("overview.ended"))
            info.update("")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        status = self.view.status if self.view is not None else None
        if action == "cancel_account":
            return status == "active"
        if action == "withdraw":
            return status == "cancelled"
        return True

    # --- cancelling -----------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_cancel_account()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value.strip():
            self.query_one("#cancel-error", Static).update("")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cancel-confirm":
            self.action_cancel_account()
        elif event.button.id == "cancel-withdraw":
            self.action_withdraw()

    @work(group=ASKING)
    async def action_cancel_account(self) -> None:
        from tribe_tui.services.cancellation import cancel

        if self.view is None or self.view.status != "active":
            return
        reason = self.query_one("#cancel-reason", Input).value.strip()
        if not reason:
            self.query_one("#cancel-error", Static).update(self.tr("cancel.reason_required"))
            self.query_one("#cancel-reason", Input).focus()
            return

        async def question(result: CancellationResult) -> bool:
            # After paid-until the renewal comes first (R9): access lasts to the end of the period it
            # starts, and its invoice is named.
            body = self.tr("cancel.confirm_body", date=formatting.long_date(result.access_until, self.lang))
            if result.settled:
                body += "\n" + "\n".join(formatting.settled_text(s, self.lang) for s in result.settled)
            return await self.ask(self.tr("cancel.confirm_title"), body, self.tr("cancel.confirm_yes"))

        await self.preview_ask_charge(
            partial(cancel, self.ctx, reason), version=self.view.version, question=question, done=self._cancelled
        )

    def _cancelled(self, result: CancellationResult) -> None:
        self.query_one("#cancel-reason", Input).value = ""
        self.notify(self.tr("shared.cancelled", date=formatting.long_date(result.access_until, self.lang)))
        self.reload()

    def action_withdraw(self) -> None:
        from tribe_tui.services.cancellation import withdraw

        if self.view is None or self.view.status != "cancelled":
            return
        ctx, version = self.ctx, self.view.version
        self.run_action(lambda: withdraw(ctx, expected_version=version), self._withdrawn)

    def _withdrawn(self, result: CancellationResult) -> None:
        self.notify(self.tr("shared.cancel_withdrawn"))
        self.reload()
