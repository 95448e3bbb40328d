"""Toasts: a refusal stays until dismissed (Escape dismisses it before leaving the screen); news of
success fades quickly so it does not cover the table or form."""

from tests.ui.conftest import settle


async def test_an_error_stays_until_escape_and_escape_then_leaves(make_app):
    from tribe_tui.screens.licences import LicencesScreen
    from tribe_tui.screens.overview import OverviewScreen

    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"sanne", "enter")
        await settle(pilot)
        await pilot.press("x")  # the last admin: refused
        await settle(pilot)
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and all(n.timeout >= 3600 for n in errors)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LicencesScreen) and not list(app._notifications)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)


async def test_success_fades_quickly(make_app):
    app = make_app("modules")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        # (Read from the notification itself: waiting for it to go would be a timing test.)
        done = [n for n in app._notifications if n.severity == "information"]
        assert done and all(n.timeout <= 5 for n in done), [(n.message, n.timeout) for n in done]
