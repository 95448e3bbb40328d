"""Toasts: a refusal is said once and then goes (it expires, Escape dismisses it sooner, the next
toast replaces it, news of success clears it); nothing piles up, and nothing follows the admin to
another screen. News of success fades quickly so it does not cover the table or form."""

from tests.ui.conftest import settle


def _notices(app) -> list:
    return list(app._notifications)


async def _refused_on_licences(pilot, times: int = 1) -> None:
    """On Licenties: unlink the last admin (Sanne), which the service refuses."""
    await settle(pilot)
    await pilot.press("slash", *"sanne", "enter")
    await settle(pilot)
    for _ in range(times):
        await pilot.press("x")
        await settle(pilot)


async def test_a_refusal_expires_and_escape_dismisses_it_before_leaving(make_app):
    from tribe_tui.screens.licences import LicencesScreen
    from tribe_tui.screens.overview import OverviewScreen

    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await _refused_on_licences(pilot)
        errors = [n for n in _notices(app) if n.severity == "error"]
        # Long enough to read twice, not a day: a refusal nobody dismisses goes by itself.
        assert errors and all(5 <= n.timeout <= 30 for n in errors), [n.timeout for n in errors]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LicencesScreen) and not _notices(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)


async def test_a_refusal_repeated_does_not_pile_up(make_app):
    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await _refused_on_licences(pilot, times=3)
        assert [n.severity for n in _notices(app)] == ["error"]


async def test_a_refusal_does_not_follow_the_admin_to_another_screen(make_app):
    from tribe_tui.screens.overview import OverviewScreen

    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await _refused_on_licences(pilot)
        assert _notices(app)
        await pilot.press("f2")  # the overview, from anywhere
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert not _notices(app), [n.message for n in _notices(app)]
        await pilot.press("4")  # and back: the old refusal is not waiting there either
        await settle(pilot)
        assert not _notices(app), [n.message for n in _notices(app)]


async def test_a_success_clears_the_refusal_it_answers(make_app):
    from tests.ui.conftest import demo_ctx
    from tribe_tui.services.licences import list_licences
    from tribe_tui.widgets.confirm import ConfirmDialog

    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await _refused_on_licences(pilot)
        assert any(n.severity == "error" for n in _notices(app))
        # A colleague's renewal off instead: asked, then done.
        colleague = next(row for row in list_licences(demo_ctx()) if row.role == "user" and not row.former)
        await pilot.press("slash", *["backspace"] * len("sanne"), *colleague.email.split("@")[0], "enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert not any(n.severity == "error" for n in _notices(app)), [n.message for n in _notices(app)]
        assert [n.severity for n in _notices(app)] == ["information"]  # what was done, alone


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
