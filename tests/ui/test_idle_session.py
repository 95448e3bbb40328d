"""A session nobody touches ends: after `session_idle_minutes` (TRIBE_SESSION_IDLE_MINUTES,
default 30) without a key, click or paste, it signs out, says why, and records it. Driven by
Pilot with a clock the test moves."""

from __future__ import annotations

import json

import pytest

from tests.ui.conftest import screen_text, settle, until


@pytest.fixture
def clock(monkeypatch):
    """clock[0]: the time the app reads (seconds); the idle check runs every 20 ms."""
    from tribe_tui.app import TribeApp

    now = [10_000.0]
    monkeypatch.setattr(TribeApp, "idle_clock", staticmethod(lambda: now[0]))
    monkeypatch.setattr(TribeApp, "IDLE_CHECK_S", 0.02)
    return now


async def _idle(pilot, clock, minutes: float) -> None:
    clock[0] += minutes * 60
    await pilot.pause(0.1)  # a few checks
    await settle(pilot)


async def test_thirty_idle_minutes_sign_out_and_say_why_but_any_key_counts_as_use(make_app, clock):
    from tribe_tui.models import AuditEvent
    from tribe_tui.screens.overview import OverviewScreen
    from tribe_tui.screens.sign_in import SignInScreen

    app = make_app("overview")
    assert app.settings.session_idle_minutes == 30  # the default
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _idle(pilot, clock, 29)
        assert isinstance(app.screen, OverviewScreen) and app.session is not None
        await pilot.press("down")  # in use again
        await _idle(pilot, clock, 29)
        assert isinstance(app.screen, OverviewScreen) and app.session is not None
        await _idle(pilot, clock, 1)
        assert await until(pilot, lambda: "te lang niet actief" in screen_text(app)), screen_text(app)
        assert isinstance(app.screen, SignInScreen) and app.session is None
    last = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    assert last.action == "session.ended" and json.loads(last.after)["reason"] == "idle"


async def test_the_setting_shortens_it_and_the_sign_in_screen_has_no_session_to_end(make_app, clock, monkeypatch):
    from tribe_tui.config import Settings
    from tribe_tui.models import AuditEvent
    from tribe_tui.screens.sign_in import SignInScreen

    monkeypatch.setenv("TRIBE_SESSION_IDLE_MINUTES", "5")
    assert Settings().session_idle_minutes == 5
    app = make_app("overview", lang="en")
    app.settings.session_idle_minutes = 5
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _idle(pilot, clock, 5)
        assert await until(pilot, lambda: "idle too long" in screen_text(app)), screen_text(app)
        events = AuditEvent.select().count()
        await _idle(pilot, clock, 60)  # nobody signed in: nothing more happens
        assert isinstance(app.screen, SignInScreen) and AuditEvent.select().count() == events
