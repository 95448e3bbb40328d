"""The first screen's data read during start-up (services.warm_start): shown in the first frame,
used once, and never in place of a fresh read afterwards."""

from __future__ import annotations

import pytest

from tests.conftest import TODAY


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    from tribe_tui.config import Settings
    from tribe_tui.db import open_database
    from tribe_tui.services.demo import ensure_demo

    settings = Settings()
    open_database(settings.url)
    ensure_demo(TODAY, 40)
    return settings


def facts(app) -> str:
    """What the terminal shows right now, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_first_frame_shows_the_warm_overview_without_a_worker(settings):
    from tribe_tui.app import create_app
    from tribe_tui.services.warm_start import WarmStart

    warm = WarmStart("admin", TODAY, "en")
    warm._data.result(timeout=10)  # as when Textual's import took longer than the read
    app = create_app(settings, signed_in="admin", lang="en", cursor_blink=False, warm=warm)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "36 in use of 40 (4 free)" in facts(app)
        assert not app.screen.workers  # shown from the start-up read, not read again
        assert warm.take("overview", app.session.ctx) is None  # used once


async def test_refresh_after_a_warm_start_reads_the_database_again(settings):
    from tribe_tui.app import create_app
    from tribe_tui.services._base import Context
    from tribe_tui.services.licences import add_licences
    from tribe_tui.services.warm_start import WarmStart

    warm = WarmStart("admin", TODAY, "en")
    warm._data.result(timeout=10)
    app = create_app(settings, signed_in="admin", lang="en", cursor_blink=False, warm=warm)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        add_licences(Context(app.session.ctx.org_id, "other-admin", TODAY, "en"), "3")
        await pilot.press("r")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert "36 in use of 43 (7 free)" in facts(app)


async def test_a_warm_start_for_another_day_is_not_used(settings):
    from datetime import timedelta

    from tribe_tui.app import create_app
    from tribe_tui.services.warm_start import WarmStart

    warm = WarmStart("admin", TODAY - timedelta(days=1), "en")
    warm._data.result(timeout=10)
    app = create_app(settings, signed_in="admin", lang="en", cursor_blink=False, warm=warm)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        # Read the usual way for today: 187 days left, not 188.
        assert "187 days left" in facts(app)


async def test_the_licences_screen_starts_with_the_warm_first_page(settings):
    from tribe_tui.app import create_app
    from tribe_tui.services.warm_start import WarmStart

    warm = WarmStart("admin", TODAY, "en", "licences")
    first = warm._data.result(timeout=10)
    assert len(first.first_page) == 40 and first.overview.licences_total == 40
    app = create_app(settings, screen="licences", signed_in="admin", lang="en", cursor_blink=False, warm=warm)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "LicencesScreen"
        # The rows in the first frame are the warm page, in its order, before any page was fetched.
        table = screen.query_one("#licences-table")
        assert [table.row_at(i).id for i in range(5)] == [row.id for row in first.first_page[:5]]
        assert first.first_page[0].holder_name in facts(app)
        assert warm.take("licences", app.session.ctx) is None  # used once
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert "40 licences" in facts(app)


async def test_the_session_is_taken_from_the_warm_start_once(settings):
    from tribe_tui.services.warm_start import WarmStart

    warm = WarmStart("admin", TODAY, "en", "modules")  # no start-up read for this section
    assert warm.take_session("someone-else", TODAY, "en") is None
    warm = WarmStart("admin", TODAY, "en", "modules")
    session = warm.take_session("admin", TODAY, "en")
    assert session.is_admin and session.ctx.today == TODAY
    assert warm.take_session("admin", TODAY, "en") is None
