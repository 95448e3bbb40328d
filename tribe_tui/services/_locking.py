"""Locking the organisation for a change, and the version every change bumps."""

from __future__ import annotations

from tribe_tui.db import is_sqlite, retry_when_busy
from tribe_tui.errors import StaleData
from tribe_tui.models import (
    Organisation,
)
from tribe_tui.service_types import Context
from tribe_tui.services._messages import msg


def lock_organisation(ctx: Context, expected_version: int | None = None) -> Organisation:
    """Read the organisation inside a write transaction, holding its lock until commit.

    On PostgreSQL this is a row lock (SELECT ... FOR UPDATE); on SQLite the transaction was
    opened with BEGIN IMMEDIATE and already holds the database's write lock. A caller that
    read the organisation earlier (a screen) passes the version it saw; a newer one refuses.
    """
    query = Organisation.select().where(Organisation.id == ctx.org_id)
    org = query.get() if is_sqlite() else retry_when_busy(query.for_update().get)
    if expected_version is not None and org.version != expected_version:
        raise StaleData(msg(ctx, "error.stale"))
    return org


def touch(org: Organisation) -> None:
    """Every change bumps the organisation's version (optimistic check for stale screens)."""
    Organisation.update(version=Organisation.version + 1).where(Organisation.id == org.id).execute()
    org.version += 1
