"""Passwords after sign-up, from the command line as people use it: a person changes their own (the
old one asked, the strength rules, the lockout), and an admin e-mails a colleague a single-use
reset link (the invitation's machinery) without ever seeing the token or the password."""

from __future__ import annotations

import json
import re

from tests.lifecycle.conftest import ADMIN_PASSWORD, USER_PASSWORD

NEW_PASSWORD = "Nieuw-wachtwoord-2027"


def _reset_token(body: str) -> str:
    found = re.search(r"^tribe-tui reset-password ([A-Za-z0-9_-]+)\r?$", body, re.M)
    assert found, body
    return found.group(1)


def _actions() -> list[str]:
    from tribe_tui.models import AuditEvent

    return [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]


def test_a_person_changes_their_own_password_with_the_old_one(run, org, can_sign_in):
    refused = run("password", "change", "beheerder", "--password-stdin", stdin=f"wrong-password-12\n{NEW_PASSWORD}")
    # On the command line the old password is what signs the person in: refused as any sign-in is.
    assert refused.code == 1 and "Inloggen is niet gelukt" in refused.err
    weak = run("password", "change", "beheerder", "--password-stdin", stdin=f"{ADMIN_PASSWORD}\nkort")
    assert weak.code == 2 and weak.err.count("\n") == 1
    assert can_sign_in("beheerder", ADMIN_PASSWORD)  # neither changed anything

    done = run(
        "password", "change", "beheerder", "--password-stdin", "--json", stdin=f"{ADMIN_PASSWORD}\n{NEW_PASSWORD}"
    )
    assert done.code == 0, done.err
    assert done.json == {"username": "beheerder", "changed": True}
    assert can_sign_in("beheerder", NEW_PASSWORD) and not can_sign_in("beheerder", ADMIN_PASSWORD)
    assert "password.changed" in _actions()


def test_an_admin_mails_a_single_use_reset_link_and_never_sees_the_token(
    run, org, smtp, join, can_sign_in, monkeypatch
):
    from tribe_tui.models import AuditEvent

    join("roos@acme.nl", "roos", "Roos Visser")
    sent = run("employees", "reset-password", "roos@acme.nl", "--json")
    assert sent.code == 0, sent.err and sent.json["status"] == "sent"
    first = _reset_token(smtp.to("roos@acme.nl")[-1].body)
    # A second link replaces the first; while queued, the outbox does not show it to the admin.
    monkeypatch.delenv("TRIBE_SMTP_URL")
    assert run("employees", "reset-password", "roos@acme.nl").code == 0
    [waiting] = [m for m in run("outbox", "list", "--json").json if m["recipient"] == "roos@acme.nl"]
    shown = run("outbox", "list", "--show", str(waiting["id"]))
    assert shown.code == 0 and "reset-password [verborgen / hidden]" in shown.out
    assert not re.search(r"reset-password [A-Za-z0-9_-]{43}", shown.out)
    from tribe_tui.models import OutboxMessage

    second = _reset_token(OutboxMessage.get_by_id(waiting["id"]).body)  # what only roos's mailbox gets
    assert run("reset-password", first, "--password-stdin", stdin=NEW_PASSWORD).code == 1  # replaced
    weak = run("reset-password", second, "--password-stdin", stdin="roos")
    assert weak.code == 2
    used = run("reset-password", second, "--password-stdin", "--json", stdin=NEW_PASSWORD)
    assert used.code == 0, used.err and used.json["username"] == "roos"
    assert can_sign_in("roos", NEW_PASSWORD) and not can_sign_in("roos", USER_PASSWORD)
    again = run("reset-password", second, "--password-stdin", stdin="Nog-een-wachtwoord-2028")
    assert again.code == 1 and "al gebruikt" in again.err
    assert run("accept-invite", second, "--username", "xander", "--password-stdin", stdin=NEW_PASSWORD).code == 1
    events = json.dumps([(e.before, e.after) for e in AuditEvent.select()])
    assert first not in events and second not in events and NEW_PASSWORD not in events
    assert {"password.reset_sent", "password.reset"} <= set(_actions())


def test_no_reset_link_for_someone_without_an_account_and_none_for_another_organisation(run, org, smtp):
    refused = run("employees", "reset-password", "niemand@acme.nl")
    assert refused.code == 2  # unknown address: bad input
    assert smtp.messages == [] or all("reset-password" not in m.body for m in smtp.messages)


def test_the_command_line_acting_as_a_person_is_checked_like_a_session(run, org, smtp, join, can_sign_in):
    """`password change` is the command line acting as a person: someone made Voormalig meanwhile
    changes nothing, and their open session's change is refused by the same check."""
    import pytest

    from tests.conftest import TODAY
    from tribe_tui.errors import SessionEnded
    from tribe_tui.services.passwords import change_password
    from tribe_tui.services.session import start_session

    join("roos@acme.nl", "roos", "Roos Visser")
    session = start_session("roos", TODAY, "nl").ctx
    assert run("employees", "former", "roos@acme.nl", "on").code == 0
    refused = run("password", "change", "roos", "--password-stdin", stdin=f"{USER_PASSWORD}\n{NEW_PASSWORD}")
    assert refused.code == 1 and refused.err.count("\n") == 1
    with pytest.raises(SessionEnded):
        change_password(session, USER_PASSWORD, NEW_PASSWORD)
    assert run("employees", "former", "roos@acme.nl", "off").code == 0
    assert can_sign_in("roos", USER_PASSWORD) and not can_sign_in("roos", NEW_PASSWORD)
