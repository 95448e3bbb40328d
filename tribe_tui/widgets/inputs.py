"""Input fields of the app: the cursor blinks unless the app says not to (tests, slow links)."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input


class TextInput(Input):
    """An Input that keeps its text when it gets the focus (Textual selects all of it by default,
    and then a digit typed by habit replaces a company name), and that Escape leaves.

    | Key | Does |
    | :- | :- |
    | escape | Leave the field (the text stays); the next Escape leaves the screen. In a dialog, Escape is the dialog's. |
    """

    BINDINGS = [Binding("escape", "leave", show=False, id="field.leave")]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "cursor_blink", True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave" and isinstance(self.screen, ModalScreen):
            return False  # a popup closes first: the key goes on to the dialog
        return True

    def action_leave(self) -> None:
        self.screen.set_focus(None)
