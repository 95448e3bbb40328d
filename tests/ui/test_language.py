"""No English reaches the Dutch screen: every section, its footer and key tooltips, the help screen
and the command palette, checked against the English catalogue."""

from __future__ import annotations

import re
import string
from functools import cache

import pytest
from babel.messages.pofile import read_po

from tests.ui.conftest import screen_text, settle
from tribe_tui.app import SECTIONS
from tribe_tui.i18n import LOCALE_DIR


def _texts(lang: str) -> list[str]:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "tribe_tui.po").open("rb") as f:
        return [form for m in read_po(f) if m.id for form in (m.string if isinstance(m.string, tuple) else (m.string,))]


def _pieces(text: str) -> list[str]:
    """The literal runs of a text between its placeholders, trimmed of punctuation and spaces."""
    runs = [literal for literal, _, _, _ in string.Formatter().parse(text)]
    return [
        piece
        for run in runs
        for piece in (p.strip(" .,:;·()[]—–-/\n") for p in run.split("\n"))
        if sum(c.isalpha() for c in piece) >= 3
    ]


def _word(piece: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(piece) + r"(?!\w)")


@cache
def english_only() -> tuple[re.Pattern, ...]:
    """Pieces of the English texts that no Dutch text contains ('Unlink the holder' but not 'Help',
    'Tribe Creator', 'CSV' or 'Status', which Dutch uses as well)."""
    dutch = "\n".join(_texts("nl"))
    pieces = {piece for text in _texts("en") for piece in _pieces(text)}
    return tuple(_word(piece) for piece in sorted(pieces) if not _word(piece).search(dutch))


def english_in(seen: list[str]) -> list[str]:
    text = "\n".join(s for s in seen if s)
    return sorted({pattern.pattern for pattern in english_only() if pattern.search(text)})


def _key_texts(app) -> list[str]:
    """Descriptions and tooltips of the keys the admin sees: in the footer (shown ones) and in the
    help (ours, which all have an id); Textual's own hidden keys (an option list's Down) are not seen."""
    return [
        text
        for active in app.screen.active_bindings.values()
        if active.binding.show or active.binding.id
        for text in (active.binding.description, active.binding.tooltip)
    ]


async def _palette_texts(app) -> list[str]:
    """The palette's commands (title and help line) as it offers them for this screen."""
    return [text for command in app.get_system_commands(app.screen) for text in (command.title, command.help)]


@pytest.mark.parametrize("section", [s.name for s in SECTIONS])
async def test_no_english_string_reaches_a_dutch_section(make_app, section):
    app = make_app(screen=section, lang="nl")
    async with app.run_test(size=(160, 60)) as pilot:
        await settle(pilot)
        seen = [screen_text(app), *_key_texts(app), *await _palette_texts(app)]
        await pilot.press("f1")
        await settle(pilot)
        seen += [screen_text(app), *_key_texts(app)]
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await settle(pilot)
        seen.append(screen_text(app))
    assert english_in(seen) == []


async def test_no_english_string_reaches_the_dutch_sign_in(make_app):
    app = make_app(signed_in=None, lang="nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        seen = [screen_text(app), *_key_texts(app)]
    assert english_in(seen) == []


def test_the_check_knows_english_when_it_sees_it():
    """The check itself: it finds the English texts that once showed in Dutch, and passes words both
    languages use."""
    assert "(?<!\\w)Unlink\\ the\\ holder(?!\\w)" in english_in(["Unlink the holder"])
    assert english_in(["Search for commands…"]) != []
    assert english_in(["Help", "Tribe Creator", "CSV", "Status", "Filter", "IBAN"]) == []


async def test_no_english_string_reaches_a_dutch_confirmation(make_app):
    from tribe_tui.widgets.confirm import ConfirmDialog

    app = make_app(screen="licences", lang="nl")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")  # unlink the highlighted holder: asks first
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        seen = [screen_text(app), *_key_texts(app)]
        await pilot.press("escape")
    assert english_in(seen) == []
