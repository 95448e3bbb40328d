"""One line of text asked for before an action that needs it (why an invoice is credited)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from tribe_tui.i18n import N_
from tribe_tui.widgets.inputs import TextInput
from tribe_tui.widgets.keys import localise_bindings
from tribe_tui.widgets.text import literal

if TYPE_CHECKING:
    from tribe_tui.app import TribeApp


class ReasonDialog(ModalScreen[str | None]):
    """Dismisses with the text typed (stripped, never empty), or None when the admin goes back.
    Asking is not doing: the action still asks its own yes/no question after this.

    | Key | Does |
    | :- | :- |
    | escape | Go back; nothing happens. |
    | enter | With text in the field: go on to the question. |
    """

    DEFAULT_CSS = """
    ReasonDialog {
        align: center middle;
    }
    ReasonDialog #reason-dialog {
        width: 64;
        max-width: 95%;
        height: auto;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    ReasonDialog #reason-title {
        text-style: bold;
        margin-bottom: 1;
    }
    ReasonDialog #reason-buttons {
        height: auto;
        align-horizontal: right;
        margin-top: 1;
    }
    ReasonDialog #reason-buttons Button {
        margin-left: 2;
    }
    """

    if TYPE_CHECKING:  # Textual's typed `self.app`; type-only: the app imports the UI, not back
        app = getters.app(TribeApp)

    BINDINGS = [Binding("escape", "back", N_("confirm.no"), id="reason.back", tooltip=N_("tip.confirm.no"))]

    def __init__(self, title: str, label: str, back: str, go_on: str) -> None:
        super().__init__()
        localise_bindings(self, self.app.lang)
        self.question = title
        self.label = label
        self.back_label = back
        self.go_on_label = go_on

    def compose(self) -> ComposeResult:
        with Vertical(id="reason-dialog"):
            yield Static(literal(self.question), id="reason-title")
            yield Static(literal(self.label))
            yield TextInput(id="reason-text", max_length=500)
            with Horizontal(id="reason-buttons"):
                yield Button(self.back_label, id="back", variant="primary")
                yield Button(self.go_on_label, id="go-on", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#reason-text", Input).focus()

    def _text(self) -> str:
        return self.query_one("#reason-text", Input).value.strip()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._text():
            self.dismiss(self._text())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "go-on" and self._text():
            self.dismiss(self._text())
        elif event.button.id == "back":
            self.dismiss(None)

    def action_back(self) -> None:
        self.dismiss(None)
