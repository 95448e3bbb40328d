"""Input fields of the app: the cursor blinks unless the app says not to (tests, slow links)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input


class TextInput(Input):
    """An Input that keeps its text when it gets the focus: Textual selects all of it by default,
    and then a digit typed by habit replaces a company name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)

    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "cursor_blink", True)
