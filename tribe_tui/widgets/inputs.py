"""Input fields of the app: the cursor blinks unless the app says not to (tests, slow links)."""

from __future__ import annotations

from textual.widgets import Input


class TextInput(Input):
    def on_mount(self) -> None:
        self.cursor_blink = getattr(self.app, "cursor_blink", True)
