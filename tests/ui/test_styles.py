"""Each section brings its own stylesheet, loaded when the section first opens (the
first frame parses and matches only what it shows). Textual keeps a loaded stylesheet for the
rest of the session, so a section's rules must not reach other screens: a screen has to look
the same whether or not other sections were opened before it."""

from __future__ import annotations

from tests.ui.conftest import screen_text, settle
from tribe_tui.sections import NAMES

SECTIONS = NAMES[1:]  # every section but the overview


async def looks(app, section: str) -> tuple[str, list]:
    """The screen's text and where each widget sits."""
    return screen_text(app), sorted((w.id or type(w).__name__, tuple(w.region)) for w in app.screen.query("*"))


async def test_every_section_looks_the_same_after_every_other_section_was_opened(make_app):
    # One session loads every stylesheet, then opens each section again; each is compared with the
    # section opened alone in a fresh app.
    travelled = make_app(screen="overview", lang="en")
    after = {}
    async with travelled.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for other in SECTIONS:
            travelled.open_section(other)
            await settle(pilot)
        for section in SECTIONS:
            travelled.go_home()
            await settle(pilot)
            travelled.open_section(section)
            await settle(pilot)
            after[section] = await looks(travelled, section)

    differs = []
    for section in SECTIONS:
        fresh = make_app(screen=section, lang="en")
        async with fresh.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            if await looks(fresh, section) != after[section]:
                differs.append(section)
    assert differs == []
