"""Signing in, in the audit log: a sign-in, a failed one, the lockout, signing out and a session
that ended are events, by person and SSH key; a key connection that never signs in writes none.
A locked account stays out whatever the organisation's SSH policy, until `employees unlock`."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from tests.conftest import TODAY
from tests.ssh_keys import keygen, proof
from tests.ui.conftest import demo_ctx, settle, type_text, until


def _events(since: int = 0) -> list[tuple]:
    from tribe_tui.models import AuditEvent

    return [
        (e.action, e.actor, e.employee_id, e.key_fingerprint, json.loads(e.after or "{}"))
        for e in AuditEvent.select().where(AuditEvent.id > since).order_by(AuditEvent.id)
    ]


def _last_id() -> int:
    from tribe_tui.models import AuditEvent

    return max((e.id for e in AuditEvent.select(AuditEvent.id)), default=0)


def _admin():
    from tribe_tui.models import Employee
    from tribe_tui.services.demo import DEMO_ADMIN

    return Employee.get(Employee.username == DEMO_ADMIN)


@pytest.mark.both_engines  # the acceptance flows: on both engines
def test_sign_in_failures_and_the_lockout_are_events_and_hammering_a_lock_writes_none(demo):
    from tribe_tui.errors import Refused
    from tribe_tui.services.demo import DEMO_ADMIN, DEMO_PASSWORD
    from tribe_tui.services.signin import sign_in

    admin = _admin()
    start = _last_id()
    now = datetime(2026, 11, 26, 9, 0)  # naive UTC, as models.utcnow() gives it
    sign_in(DEMO_ADMIN, DEMO_PASSWORD, today=TODAY, now=now)
    assert _events(start) == [("sign_in", DEMO_ADMIN, admin.id, None, {"username": DEMO_ADMIN, "method": "password"})]

    start = _last_id()
    for _ in range(5):
        with pytest.raises(Refused):
            sign_in(DEMO_ADMIN, "wrong-password-123", today=TODAY, now=now)
    found = _events(start)
    assert [e[0] for e in found] == ["sign_in.failed"] * 5 + ["sign_in.locked"]
    assert all(e[2] == admin.id and e[4]["username"] == DEMO_ADMIN for e in found)
    assert found[0][4]["reason"] == "password" and found[-1][4]["until"].startswith("2026-11-26T09:15")

    start = _last_id()
    for _ in range(20):  # while locked the password is not even checked: nothing is written
        with pytest.raises(Refused):
            sign_in(DEMO_ADMIN, DEMO_PASSWORD, today=TODAY, now=now)
    assert _events(start) == []

    with pytest.raises(Refused):  # an unknown name: its failure is kept, in no organisation's log
        sign_in("nobody-here", "wrong-password-123", today=TODAY, now=now)
    from tribe_tui.models import AuditEvent

    last = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    assert (last.action, last.organisation_id, last.employee_id) == ("sign_in.failed", None, None)


@pytest.mark.both_engines  # the acceptance flows: on both engines
def test_a_key_connection_signs_in_by_the_policy_and_one_that_never_signs_in_writes_nothing(demo, tmp_path):
    from tribe_tui.services.demo import DEMO_ADMIN, DEMO_ADMIN_EMAIL
    from tribe_tui.services.ssh_keys import add_key, open_key_session, set_policy

    key = keygen(tmp_path, "sanne")
    row = add_key(demo_ctx(), "laptop", key.line, proof(demo_ctx(), key, DEMO_ADMIN_EMAIL), email=DEMO_ADMIN_EMAIL)
    start = _last_id()
    for _ in range(10):  # key+password (the default): connecting is not signing in
        open_key_session(row.uid, row.fingerprint, TODAY, "nl")
    assert _events(start) == []

    set_policy(demo_ctx(), "key")
    start = _last_id()
    open_key_session(row.uid, row.fingerprint, TODAY, "nl")
    assert _events(start) == [
        ("sign_in", DEMO_ADMIN, _admin().id, key.fingerprint, {"username": DEMO_ADMIN, "method": "key"})
    ]


@pytest.mark.both_engines  # the acceptance flows: on both engines
@pytest.mark.parametrize("policy", ["key", "key+password"])
def test_a_locked_account_stays_out_whatever_the_policy_until_unlocked(demo, tmp_path, policy):
    from tribe_tui.errors import Refused
    from tribe_tui.services.demo import DEMO_ADMIN, DEMO_ADMIN_EMAIL
    from tribe_tui.services.employees import unlock
    from tribe_tui.services.signin import sign_in
    from tribe_tui.services.ssh_keys import add_key, open_key_session, set_policy

    set_policy(demo_ctx(), policy)
    key = keygen(tmp_path, "sanne")
    row = add_key(demo_ctx(), "laptop", key.line, proof(demo_ctx(), key, DEMO_ADMIN_EMAIL), email=DEMO_ADMIN_EMAIL)
    for _ in range(5):
        with pytest.raises(Refused):
            sign_in(DEMO_ADMIN, "wrong-password-123", today=TODAY)
    with pytest.raises(Refused, match="Inloggen is niet gelukt"):
        open_key_session(row.uid, row.fingerprint, TODAY, "nl")
    unlock(demo_ctx(), DEMO_ADMIN_EMAIL)
    assert open_key_session(row.uid, row.fingerprint, TODAY, "nl").username == DEMO_ADMIN


async def test_the_sign_in_screen_of_a_key_session_records_the_key_and_sign_out_too(demo, tmp_path):
    from tribe_tui.app import create_app
    from tribe_tui.screens.overview import OverviewScreen
    from tribe_tui.services.demo import DEMO_ADMIN, DEMO_ADMIN_EMAIL, DEMO_PASSWORD
    from tribe_tui.services.ssh_keys import add_key, open_key_session

    key = keygen(tmp_path, "sanne")
    row = add_key(demo_ctx(), "laptop", key.line, proof(demo_ctx(), key, DEMO_ADMIN_EMAIL), email=DEMO_ADMIN_EMAIL)
    start = _last_id()
    app = create_app(demo, ssh_key=open_key_session(row.uid, row.fingerprint, TODAY, "nl"), cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "wrong-password-123")
        await pilot.press("enter")
        await settle(pilot)
        await type_text(pilot, DEMO_PASSWORD)
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, OverviewScreen))
        await pilot.press("ctrl+o")
        await pilot.pause()
    admin = _admin().id
    assert [(e[0], e[2], e[3], e[4].get("method") or e[4].get("reason")) for e in _events(start)] == [
        ("sign_in.failed", admin, key.fingerprint, "password"),
        ("sign_in", admin, key.fingerprint, "key+password"),
        ("sign_out", admin, key.fingerprint, None),
    ]
    assert all(e[1] == DEMO_ADMIN for e in _events(start))
