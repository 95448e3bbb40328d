"""A screen's read that arrives after the admin left the screen is dropped, not painted onto a
screen whose widgets are gone (found by driving every key of every screen quickly on PostgreSQL)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.ui.conftest import settle


@pytest.mark.both_engines
async def test_a_read_that_arrives_after_the_screen_was_left_is_dropped(make_app):
    from tribe_tui.screens.overview import OverviewScreen

    app = make_app("overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        section = app.screen
        data = section.load()
        await pilot.press("f2")  # home from anywhere (Escape first leaves the focused count field)
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        # The worker was not cancelled in time: its result is delivered now, after the screen left.
        section._show_if_current(SimpleNamespace(is_cancelled=False), data)
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
