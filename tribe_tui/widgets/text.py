"""Text that users typed, shown exactly as typed: no Rich markup, no terminal escapes."""

from __future__ import annotations

from textual.content import Content

from tribe_tui.safe_text import visible

__all__ = ["literal", "visible"]


def literal(text: str | None) -> Content:
    """A Content that renders `text` literally: '[bold]' stays '[bold]'."""
    return Content(visible(text))
