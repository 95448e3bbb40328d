"""Text that users typed, shown exactly as typed: no Rich markup, no terminal escapes."""

from __future__ import annotations

from textual.content import Content

# C0 controls and DEL become their visible Unicode "control pictures" (ESC -> ␛), so an escape
# sequence in a name is shown, not executed; C1 controls become U+FFFD.
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_PICTURES[0x7F] = "\u2421"
_PICTURES.update({code: "\ufffd" for code in range(0x80, 0xA0)})


def visible(text: str | None) -> str:
    return (text or "").translate(_PICTURES)


def literal(text: str | None) -> Content:
    """A Content that renders `text` literally: '[bold]' stays '[bold]'."""
    return Content(visible(text))
