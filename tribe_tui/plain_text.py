"""Stored text made safe to show: the one sanitiser of the TUI and of the CLI's text output.

Text in the database may have come another way than through our validation (restored data, a
shared PostgreSQL, an older release): whatever it holds must reach the terminal as characters,
never as a command to it.
"""

from __future__ import annotations

import unicodedata

# C0 controls and DEL become their visible Unicode "control pictures" (ESC -> ␛), so an escape
# sequence in a name is shown, not executed; C1 controls become U+FFFD.
_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_PICTURES[0x7F] = "\u2421"
_PICTURES.update({code: "\ufffd" for code in range(0x80, 0xA0)})
# Beyond ASCII: line and paragraph separators, bidi overrides and other format characters (they
# break or reorder what the terminal shows), surrogates and private use become U+FFFD. The
# zero-width (non-)joiners stay: names in several scripts are spelt with them.
_HIDDEN = frozenset({"Cf", "Zl", "Zp", "Cs", "Co"})
_JOINERS = frozenset({"\u200c", "\u200d"})


def visible(text: str | None) -> str:
    shown = (text or "").translate(_PICTURES)
    if shown.isascii():
        return shown
    return "".join("\ufffd" if ch not in _JOINERS and unicodedata.category(ch) in _HIDDEN else ch for ch in shown)


def visible_lines(text: str) -> str:
    """`visible` line by line: the line breaks the output itself makes stay line breaks."""
    return "\n".join(visible(line) for line in text.split("\n"))
