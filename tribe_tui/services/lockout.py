"""The lockout (five failures within 15 minutes lock a username for 15 minutes, by the wall clock;
docs/rules.md A2), read from the failures kept in the database. Apart from signing in, so that the
check every act makes of its person (services/_person.py) does not load password hashing."""

from __future__ import annotations

from datetime import datetime, timedelta

from tribe_tui.config import Settings
from tribe_tui.models import SignInFailure, utcnow
from tribe_tui.services._queries import rows


def lockout_policy(settings: Settings | None) -> tuple[int, timedelta]:
    if settings is None:
        settings = Settings()
    return settings.lockout_failures, timedelta(minutes=settings.lockout_minutes)


def locked_until(username: str, now: datetime, failures: int, window: timedelta) -> datetime | None:
    """When `failures` failures fell within `window`, the name is locked for `window` after the last
    of them. Failures are not recorded while locked, so hammering cannot stretch the lock."""
    recent: list[datetime] = [
        at
        for (at,) in rows(
            SignInFailure.select(SignInFailure.at)
            .where((SignInFailure.username == username) & (SignInFailure.at > now - 2 * window))
            .order_by(SignInFailure.at)
        )
    ]
    return _until(recent, now, failures, window)


def locked_names(
    usernames: list[str], now: datetime | None = None, settings: Settings | None = None
) -> dict[str, datetime]:
    """Which of these usernames are locked now, and until when (one query for all of them: a page
    of the employees screen)."""
    if not usernames:
        return {}
    now = now or utcnow()
    failures, window = lockout_policy(settings)
    found: dict[str, list[datetime]] = {}
    for name, at in rows(
        SignInFailure.select(SignInFailure.username, SignInFailure.at)
        .where(SignInFailure.username.in_(usernames) & (SignInFailure.at > now - 2 * window))
        .order_by(SignInFailure.at)
    ):
        found.setdefault(name, []).append(at)
    locked = {}
    for name, recent in found.items():
        until = _until(recent, now, failures, window)
        if until is not None:
            locked[name] = until
    return locked


def _until(recent: list[datetime], now: datetime, failures: int, window: timedelta) -> datetime | None:
    until: datetime | None = None
    for first, last in zip(recent, recent[failures - 1 :], strict=False):
        if last - first <= window and last + window > now:
            until = last + window if until is None else max(until, last + window)
    return until
