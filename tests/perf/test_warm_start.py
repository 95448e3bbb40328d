"""The overview read during start-up (services.warm_start): shown in the first frame, used once,
and never in place of a fresh read afterwards."""

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
    warm._overview.result(timeout=10)  # as when Textual's import took longer than the read
    app = create_app(settings, signed_in="admin", lang="en", cursor_blink=False, warm=warm)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "36 in use of 40 (4 free)" in facts(app)
        assert not app.screen.workers  # shown from the start-up read, not read again
        assert warm.take_overview(app.session.ctx) is None  # used once


async def test_refresh_after_a_warm_start_reads_the_database_again(settings):
    from tribe_tui.app import create_app
    from tribe_tui.services._base import Context
    from tribe_tui.services.licences import add_licences
    from tribe_tui.services.warm_start import WarmStart

    warm = WarmStart("admin", TODAY, "en")
    warm._overview.result(timeout=10)
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
    warm._overview.result(timeout=10)
    app = create_app(settings, signed_in="admin", lang="en", cursor_blink=False, warm=warm)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        # Read the usual way for today: 187 days left, not 188.
        assert "187 days left" in facts(app)
