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
        # The worker was not cancelled in time: its result is delivered now, after the screen left
        # (deliver() hands it to the UI thread this way).
        section._paint_if_shown(section._show_if_current, SimpleNamespace(is_cancelled=False), data)
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)


@pytest.mark.parametrize("keys", [("1",), ("2", "3"), ("3",)], ids=["edition", "add-licences", "modules"])
async def test_a_charge_preview_that_arrives_after_the_screen_was_left_is_dropped(make_app, keys):
    """Seen under load: 1, 3 typed in one burst left the edition's preview thread to deliver onto
    an edition screen already taken down, and the app ended with NoMatches('#edition-preview')."""
    from tribe_tui.screens.overview import OverviewScreen

    app = make_app("overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*keys)  # the section, and on add-licences a number to price
        await settle(pilot)
        section = app.screen
        wanted = section._preview_key
        assert wanted is not None  # the screen asked for a preview of what is highlighted
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        # The thread had passed its last check before the admin left: its answer lands now.
        section._paint_if_shown(section._preview_arrived, wanted, None, "te laat")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)


@pytest.mark.parametrize(
    ("key", "listing"),
    [("4", "licences"), ("9", "employees")],
    ids=["licences", "employees"],
)
async def test_an_index_that_arrives_after_the_screen_was_left_is_dropped(make_app, key, listing):
    """The full index of a long list is read after the first page is painted; an admin who leaves
    at once must not have it painted onto the list's removed table."""
    from tribe_tui.screens.overview import OverviewScreen
    from tribe_tui.services.search_index import search_index

    app = make_app("overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        section = app.screen
        index = search_index(section.ctx, listing)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        section._paint_if_shown(section._show_index, index)
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
