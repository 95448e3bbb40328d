"""Signing in: every refusal reason on its own, one generic message, a lockout that outlives the process."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest

from tests.lifecycle.conftest import ADMIN_PASSWORD, USER_PASSWORD

GENERIC = "Inloggen is niet gelukt."


def refusal(run, username: str, password: str = USER_PASSWORD, *extra: str) -> str:
    result = run("sign-in-check", username, "--password-stdin", *extra, stdin=password)
    assert result.code == 1, result.out
    assert result.out == ""
    return result.err


def test_the_admin_may_sign_in_and_manage(run, org):
    result = run("sign-in-check", "beheerder", "--password-stdin", "--json", stdin=ADMIN_PASSWORD)
    assert result.code == 0, result.err
    assert result.json == {
        "username": "beheerder",
        "name": "Anna Beheer",
        "role": "admin",
        "may_sign_in": True,
        "can_manage": True,
    }


def test_a_user_signs_in_but_may_not_manage(run, org, join):
    join("bo@acme.nl", "bobby")
    from tribe_tui.services.signin import can_manage, sign_in

    who = sign_in("bobby", USER_PASSWORD, today=date(2026, 11, 26))
    assert (who.username, who.role, who.is_admin, can_manage(who)) == ("bobby", "user", False, False)
    assert can_manage(sign_in("beheerder", ADMIN_PASSWORD, today=date(2026, 11, 26)))


def test_unknown_user(run, org):
    assert GENERIC in refusal(run, "niemand")


def test_wrong_password(run, org):
    assert GENERIC in refusal(run, "beheerder", "Niet-het-goede-wachtwoord")


def test_no_licence(run, org, join, can_sign_in):
    join("cor@acme.nl", "cor")
    assert can_sign_in("cor")
    assert run("licences", "unlink", "cor@acme.nl").code == 0
    assert GENERIC in refusal(run, "cor")


def test_a_voormalig_employee_cannot_sign_in_though_holding_a_licence(run, org, join, can_sign_in):
    join("dana@acme.nl", "dana")
    assert run("employees", "former", "dana@acme.nl", "on").code == 0  # still holds the licence
    assert GENERIC in refusal(run, "dana")


def test_account_ended_by_date_before_and_after_billing_run(run, org, join, can_sign_in):
    join("ed@acme.nl", "eddie")
    assert run("cancel", "--reason", "Te duur", "--yes").code == 0
    assert can_sign_in("eddie", USER_PASSWORD, "--today", "2026-12-31")  # through paid-until
    assert GENERIC in refusal(run, "eddie", USER_PASSWORD, "--today", "2027-01-01")  # not yet processed
    assert GENERIC in refusal(run, "beheerder", ADMIN_PASSWORD, "--today", "2027-01-01")
    assert run("billing", "run", "--today", "2027-01-01").code == 0
    assert GENERIC in refusal(run, "eddie", USER_PASSWORD, "--today", "2027-01-01")


def test_lapsed_licence_by_date(run, org, join, can_sign_in):
    join("fee@acme.nl", "fee")
    assert run("licences", "renew", "fee@acme.nl", "off").code == 0
    assert can_sign_in("fee", USER_PASSWORD, "--today", "2026-12-31")
    assert GENERIC in refusal(run, "fee", USER_PASSWORD, "--today", "2027-01-01")
    assert can_sign_in("beheerder", ADMIN_PASSWORD, "--today", "2027-01-01")  # renews: still in


def test_every_refusal_reads_the_same(run, org, join):
    join("gus@acme.nl", "gus")
    assert run("licences", "unlink", "gus@acme.nl").code == 0
    messages = {refusal(run, "niemand"), refusal(run, "beheerder", "Niet-het-goede-wachtwoord"), refusal(run, "gus")}
    assert len(messages) == 1


def test_lockout_after_five_failures_even_with_the_right_password(run, org, can_sign_in):
    for _ in range(4):
        refusal(run, "beheerder", "Fout-wachtwoord-123")
    assert can_sign_in("beheerder", ADMIN_PASSWORD)  # 4 failures: not locked; success clears them
    for _ in range(5):
        refusal(run, "beheerder", "Fout-wachtwoord-123")
    assert GENERIC in refusal(run, "beheerder", ADMIN_PASSWORD)


def test_lockout_survives_a_new_process(run, org):
    for _ in range(5):
        refusal(run, "beheerder", "Fout-wachtwoord-123")
    from tribe_tui.models import database

    database.close()
    fresh = subprocess.run(
        [sys.executable, "-m", "tribe_tui", "sign-in-check", "beheerder", "--password-stdin"],
        input=ADMIN_PASSWORD + "\n",
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
    )
    assert fresh.returncode == 1 and GENERIC in fresh.stderr


def test_lockout_lasts_fifteen_minutes_by_the_wall_clock(run, org):
    from tribe_tui.errors import Refused
    from tribe_tui.models import SignInFailure
    from tribe_tui.services.signin import sign_in

    start = datetime(2026, 11, 26, 9, 0)
    for minute in range(5):
        with pytest.raises(Refused):
            sign_in("beheerder", "Fout-wachtwoord-123", today=date(2026, 11, 26), now=start + timedelta(minutes=minute))
    locked_at = start + timedelta(minutes=4)
    with pytest.raises(Refused):
        sign_in("beheerder", ADMIN_PASSWORD, today=date(2026, 11, 26), now=locked_at + timedelta(minutes=14))
    assert SignInFailure.select().count() == 5  # tries while locked do not stretch the lock
    assert (
        sign_in(
            "beheerder", ADMIN_PASSWORD, today=date(2026, 11, 26), now=locked_at + timedelta(minutes=15, seconds=1)
        ).username
        == "beheerder"
    )
    assert SignInFailure.select().count() == 0


def test_failures_spread_wider_than_the_window_do_not_lock(run, org):
    from tribe_tui.errors import Refused
    from tribe_tui.services.signin import sign_in

    start = datetime(2026, 11, 26, 9, 0)
    for i in range(6):
        with pytest.raises(Refused):
            sign_in("beheerder", "Fout-wachtwoord-123", today=date(2026, 11, 26), now=start + timedelta(minutes=4 * i))
    # 6 failures over 20 minutes, never 5 within 15: not locked.
    assert sign_in("beheerder", ADMIN_PASSWORD, today=date(2026, 11, 26), now=start + timedelta(minutes=21))


def test_lockout_is_configurable(run, org, monkeypatch):
    monkeypatch.setenv("TRIBE_LOCKOUT_FAILURES", "2")
    for _ in range(2):
        refusal(run, "beheerder", "Fout-wachtwoord-123")
    assert GENERIC in refusal(run, "beheerder", ADMIN_PASSWORD)


def test_lockout_of_one_name_leaves_others_alone(run, org, join, can_sign_in):
    join("hans@acme.nl", "hans")
    for _ in range(5):
        refusal(run, "beheerder", "Fout-wachtwoord-123")
    assert can_sign_in("hans")


def test_english_message(run, org):
    assert "Signing in failed." in refusal(run, "niemand", USER_PASSWORD, "--lang", "en")
