"""Every time a screen shows is Amsterdam's wall clock, whatever zone the server runs in: the
machine's zone is set to UTC and to New York for these tests, and the screens still show the time
as an admin in Amsterdam reads it, with the zone named."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import TODAY
from tests.ui.conftest import demo_ctx, screen_text, settle, until
from tests.ui.test_employees import _current, _find, join


@pytest.fixture(params=["UTC", "America/New_York"])
def server_zone(request, monkeypatch):
    """The machine's own zone, as `TZ` sets it for the process (restored afterwards)."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def amsterdam(moment: datetime) -> str:
    return f"{moment.replace(tzinfo=UTC).astimezone(ZoneInfo('Europe/Amsterdam')):%H:%M}"


def server(moment: datetime) -> str:
    return f"{moment.replace(tzinfo=UTC).astimezone():%H:%M}"


async def test_a_locked_colleague_shows_until_when_on_amsterdams_clock(make_app, demo, server_zone):
    from argon2 import PasswordHasher

    from tribe_tui.errors import Refused
    from tribe_tui.services import auth
    from tribe_tui.services.signin import sign_in

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    auth_hasher, auth._hasher = auth._hasher, lambda: cheap
    try:
        join(demo, "lotte@example.com", "lotte", "Lotte Jansen")
        for _ in range(5):
            with pytest.raises(Refused):
                sign_in("lotte", "Fout-wachtwoord-2026", today=TODAY)
    finally:
        auth._hasher = auth_hasher
    app = make_app("employees")
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await _find(pilot, "lotte@example.com")
        until_at = _current(app).locked_until
        assert amsterdam(until_at) != server(until_at)  # the test would prove nothing otherwise
        shown = " ".join(screen_text(app).split())
        zone = until_at.replace(tzinfo=UTC).astimezone(ZoneInfo("Europe/Amsterdam")).tzname()  # CET or CEST
        assert f"vergrendeld tot {amsterdam(until_at)} {zone}" in shown, shown
        assert server(until_at) not in shown  # nor in the table's column


async def test_the_logboek_shows_amsterdams_time_with_the_zone(make_app, demo, server_zone):
    from tribe_tui.models import AuditEvent
    from tribe_tui.services.licences import set_auto_renew

    set_auto_renew(demo_ctx(), "2", False)
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    AuditEvent.update(at=datetime(2026, 12, 1, 18, 53)).where(AuditEvent.id == event.id).execute()
    app = make_app("overview")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        assert await until(pilot, lambda: "19:53 CET" in screen_text(app)), screen_text(app)
        assert "18:53" not in screen_text(app) and "13:53" not in screen_text(app)


async def test_an_accepted_invitation_shows_amsterdams_day(make_app, demo, server_zone):
    from argon2 import PasswordHasher

    from tribe_tui.models import Invitation
    from tribe_tui.services import auth

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    auth_hasher, auth._hasher = auth._hasher, lambda: cheap
    try:
        join(demo, "lotte@example.com", "lotte", "Lotte Jansen")
    finally:
        auth._hasher = auth_hasher
    # 23:30 UTC on 7 December is half past midnight on the 8th in Amsterdam.
    Invitation.update(accepted_at=datetime(2026, 12, 7, 23, 30)).where(
        Invitation.email == "lotte@example.com"
    ).execute()
    app = make_app("invite")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown = " ".join(screen_text(app).split())
        assert "8 december 2026" in shown and "7 december 2026" not in shown, shown
