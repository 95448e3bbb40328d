"""A yes/no question before anything destructive or costly. The default answer is No."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tribe_tui.i18n import N_
from tribe_tui.widgets.charge_preview import ChargePreview
from tribe_tui.widgets.keys import localise_bindings
from tribe_tui.widgets.text import literal

if TYPE_CHECKING:
    from tribe_tui.app import TribeApp
    from tribe_tui.billing import Bill, Charge


class ConfirmDialog(ModalScreen[bool]):
    """Dismisses with True only when the admin chooses the yes button (or presses y/j).

    With a `charge` (a billing.Charge from the service's dry run) the dialog shows its lines,
    subtotal, VAT and total above the buttons, so what is asked is what is charged.

    | Key | Does |
    | :- | :- |
    | escape, n | Answer No (the focused, default choice). |
    | y, j | Answer Yes. |
    | left, right | Move between the two buttons. |
    """

    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
    }
    ConfirmDialog #dialog {
        width: 64;
        max-width: 95%;
        height: auto;
        max-height: 100%;
        border: thick $warning;
        background: $surface;
        padding: 1 2;
    }
    ConfirmDialog.-charge #dialog {
        width: 78;
        max-width: 100%;
        padding: 0 1;
    }
    ConfirmDialog #dialog-title {
        text-style: bold;
        margin-bottom: 1;
    }
    ConfirmDialog #dialog-charge {
        margin: 1 0 0 0;
    }
    ConfirmDialog #dialog-buttons {
        height: auto;
        align-horizontal: right;
        margin-top: 1;
    }
    ConfirmDialog #dialog-buttons Button {
        margin-left: 2;
    }
    """

    if TYPE_CHECKING:  # Textual's typed `self.app`; type-only: the app imports the UI, not back
        app = getters.app(TribeApp)

    BINDINGS = [
        Binding("escape", "answer(False)", N_("confirm.no"), id="confirm.no", tooltip=N_("tip.confirm.no")),
        Binding("n", "answer(False)", N_("confirm.no"), show=False, id="confirm.no_key"),
        Binding("y,j", "answer(True)", N_("confirm.yes"), show=False, id="confirm.yes_key"),
        Binding("left,right", "app.focus_previous", show=False, id="confirm.move"),
    ]

    def __init__(
        self, title: str, body: str, yes: str, no: str, *, charge: Charge | Bill | None = None, lang: str = "nl"
    ) -> None:
        super().__init__(classes="-charge" if charge is not None else None)
        localise_bindings(self, self.app.lang)
        self.question = title
        self.body = body
        self.yes_label = yes
        self.no_label = no
        self.charge = charge
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(literal(self.question), id="dialog-title")
            # Our own line breaks stay line breaks; each line's text is still shown literally.
            if self.body:
                yield Static(Content("\n").join(literal(line) for line in self.body.split("\n")), id="dialog-body")
            if self.charge is not None:
                preview = ChargePreview(id="dialog-charge")
                preview.show_charge(self.charge, self.lang)
                yield preview
            with Horizontal(id="dialog-buttons"):
                yield Button(self.no_label, id="no", variant="primary")
                yield Button(self.yes_label, id="yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
