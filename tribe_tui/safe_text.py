"""Stored text made safe to show: the one sanitiser of every place that shows it: the TUI (its
header too), the CLI's text output, the CSV of an invoice, and the PDF and UBL documents.

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


# What a document (PDF, UBL's XML 1.0) cannot carry: C0 controls but tab and newline, DEL, C1
# controls and U+FFFE/U+FFFF become spaces (the font has no control pictures); the hidden format
# characters become U+FFFD, as on a terminal.
_DOCUMENT = {code: " " for code in (*range(0x20), *range(0x7F, 0xA0), 0xFFFE, 0xFFFF) if code not in (0x09, 0x0A)}


def document_text(text: str | None) -> str:
    """`visible` for a document: the same characters are kept out, shown as a space or U+FFFD."""
    shown = (text or "").translate(_DOCUMENT)
    if shown.isascii():
        return shown
    return "".join("\ufffd" if ch not in _JOINERS and unicodedata.category(ch) in _HIDDEN else ch for ch in shown)
