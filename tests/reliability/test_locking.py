"""A busy database gives a retry, then one clear line; a screen with stale data cannot overwrite.

The lock is held by a second, raw connection (another admin mid-action): SQLite's write lock via
BEGIN IMMEDIATE, PostgreSQL's row lock on the organisation via SELECT ... FOR UPDATE.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time

import pytest

from tests.reliability.conftest import one_line_refusal, open_db, snapshot


class Holder:
    """Another admin's open transaction holding the lock an action needs."""

    def __init__(self, url: str, org_id: int) -> None:
        self.url = url
        if url.startswith("sqlite"):
            self.conn = sqlite3.connect(url.split("sqlite:///", 1)[1], isolation_level=None, check_same_thread=False)
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            import psycopg2

            self.conn = psycopg2.connect(url)
            with self.conn.cursor() as cur:  # psycopg2 opens the transaction itself
                cur.execute("SELECT id FROM organisation WHERE id = %s FOR UPDATE", (org_id,))

    def release(self) -> None:
        if self.url.startswith("sqlite"):
            self.conn.execute("ROLLBACK")
        else:
            self.conn.rollback()
        self.conn.close()


@pytest.fixture
def short_waits(monkeypatch):
    """One attempt waits 0.2 s for the lock; three attempts with a short pause between."""
    from tribe_tui import db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(db, "BUSY_ATTEMPTS", 3)
    monkeypatch.setattr(db, "BUSY_PAUSE_S", 0.1)


def _org_id():
    open_db()
    from tribe_tui.models import Organisation

    return Organisation.get().id


def test_a_lock_held_too_long_gives_one_clear_line_and_changes_nothing(cli, short_waits):
    assert cli("demo", "--no-open").code == 0
    holder = Holder(os.environ["TRIBE_DATABASE_URL"], _org_id())
    try:
        before = snapshot()
        started = time.monotonic()
        result = cli("licences", "add", "1")
        waited = time.monotonic() - started
    finally:
        holder.release()
    assert one_line_refusal(result.code, result.err) and result.code == 1, result
    assert "bezet" in result.err  # Dutch by default: "De database is bezet ..."
    assert waited >= 3 * 0.2  # three attempts, each waiting for the lock
    assert snapshot() == before
    assert cli("licences", "add", "1", "--lang", "en").code == 0  # free again: works


def test_busy_message_in_english(cli, short_waits):
    assert cli("demo", "--no-open").code == 0
    holder = Holder(os.environ["TRIBE_DATABASE_URL"], _org_id())
    try:
        result = cli("billing-details", "set", "city=Utrecht", "--lang", "en")
    finally:
        holder.release()
    assert result.code == 1 and result.err == (
        "tribe-tui: The database is busy with another admin's change; try again in a moment.\n"
    )


def test_a_lock_released_during_the_wait_is_retried_and_the_action_happens_once(cli, short_waits):
    assert cli("demo", "--no-open").code == 0
    open_db()
    from tribe_tui.models import Invoice, Licence

    licences, invoices = Licence.select().count(), Invoice.select().count()
    holder = Holder(os.environ["TRIBE_DATABASE_URL"], _org_id())
    # Longer than one attempt's wait (0.2 s), shorter than all three: only a retry can succeed.
    timer = threading.Timer(0.45, holder.release)
    timer.start()
    try:
        started = time.monotonic()
        result = cli("licences", "add", "2", "--json")
        waited = time.monotonic() - started
    finally:
        timer.join()
    assert result.code == 0, result.err
    assert waited >= 0.4
    open_db()
    assert Licence.select().count() == licences + 2
    assert Invoice.select().count() == invoices + 1


# --- optimistic check: a screen passes the version it read --------------------------------------


def _stale_cases():
    from tribe_tui.services import billing_details, cancellation, edition, employees, licences, modules

    return {
        "add_licences": lambda ctx, v: licences.add_licences(ctx, 1, expected_version=v),
        "auto_renew": lambda ctx, v: licences.set_auto_renew(ctx, _first_licence(ctx), "off", expected_version=v),
        "billing_details": lambda ctx, v: billing_details.update(ctx, {"city": "Zwolle"}, expected_version=v),
        "edition": lambda ctx, v: edition.set_edition(ctx, "creator", expected_version=v),
        "module_add": lambda ctx, v: modules.add_module(ctx, "sales", expected_version=v),
        "module_remove": lambda ctx, v: modules.remove_module(ctx, "projects", expected_version=v),
        "cancel": lambda ctx, v: cancellation.cancel(ctx, "te duur", expected_version=v),
        "unlink": lambda ctx, v: licences.unlink(ctx, _member(ctx), expected_version=v),
        "offboard": lambda ctx, v: licences.offboard(ctx, _member(ctx), expected_version=v),
        "former": lambda ctx, v: employees.set_former(ctx, _member(ctx), "on", expected_version=v),
    }


def _first_licence(ctx) -> str:
    """The first licence that renews and is not the (only) admin's: switching the admin's off is
    refused (docs/rules.md A3)."""
    from tribe_tui.models import Employee, Licence

    admins = Employee.select(Employee.id).where(Employee.role == "admin")
    return str(
        Licence.select()
        .where(
            (Licence.organisation == ctx.org_id)
            & Licence.auto_renew
            & (Licence.holder.is_null() | Licence.holder.not_in(admins))
        )
        .order_by(Licence.id)
        .first()
        .id
    )


def _member(ctx) -> str:
    """A non-admin employee who holds a licence."""
    from tribe_tui.models import Employee, Licence

    return (
        Employee.select()
        .join(Licence, on=(Licence.holder == Employee.id))
        .where((Employee.organisation == ctx.org_id) & (Employee.role == "user"))
        .order_by(Employee.id)
        .first()
        .email
    )


@pytest.mark.parametrize("action", sorted(_stale_cases()))
def test_a_stale_version_refuses_and_changes_nothing(cli, action):
    from tests.conftest import TODAY
    from tribe_tui.errors import StaleData
    from tribe_tui.service_types import Context

    assert cli("demo", "--no-open").code == 0
    open_db()
    from tribe_tui.models import Organisation

    org = Organisation.get()
    ctx = Context(org.id, "test:screen", TODAY, "nl")
    seen = org.version
    # Someone else changes the account after the screen read it.
    assert cli("billing-details", "set", "po_reference=PO-1").code == 0
    open_db()
    run = _stale_cases()[action]
    before = snapshot()
    with pytest.raises(StaleData) as refused:
        run(ctx, seen)
    assert "\n" not in refused.value.message and refused.value.message
    assert snapshot() == before
    # With the version it has now, the same action goes through and bumps the version once.
    current = Organisation.get_by_id(org.id).version
    run(ctx, current)
    assert Organisation.get_by_id(org.id).version == current + 1
