"""Textual's own words in the admin's language: the command palette's "No matches found" and its
keys, and a drop-down's "Dismiss menu" in the footer."""

from __future__ import annotations

import pytest

from tests.ui.conftest import screen_text, settle, type_text, until


@pytest.mark.parametrize(("lang", "words"), [("nl", "Geen overeenkomsten"), ("en", "Nothing matches")])
async def test_the_palette_says_nothing_matches_in_the_admins_language(make_app, lang, words):
    app = make_app("overview", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "xyzzy")
        assert await until(pilot, lambda: words in screen_text(app)), screen_text(app)
        assert "No matches found" not in screen_text(app)


async def test_a_drop_downs_keys_are_in_dutch(make_app):
    app = make_app("overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("slash", "enter")  # the person filter's list opens
        await settle(pilot)
        shown = screen_text(app)
        assert "Dismiss menu" not in shown and "Menu sluiten" in shown, shown


async def test_ctrl_c_says_how_to_quit_in_dutch(make_app):
    app = make_app("overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        assert await until(pilot, lambda: any("Ctrl+Q" in n.message for n in app._notifications))
        shown = [(n.title, n.message) for n in app._notifications]
        assert ("Wil je stoppen?", "Druk op Ctrl+Q om te stoppen.") in shown, shown
