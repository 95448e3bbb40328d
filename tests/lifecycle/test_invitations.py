"""Invitations over real SMTP (aiosmtpd on 127.0.0.1), accepted through the CLI, then signed in."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import datetime

import pytest

from tests.lifecycle.conftest import USER_PASSWORD


def test_invite_accept_sign_in_and_the_token_is_single_use(run, org, smtp, can_sign_in):
    sent = run("invite", "Bram@Acme.nl", "--json")
    assert sent.code == 0, sent.err
    assert sent.json == [  # the domain lower-cased, the local part as typed
        {"email": "Bram@acme.nl", "status": "sent", "error": None, "sent_via": f"smtp 127.0.0.1:{smtp.port}"}
    ]

    [received] = smtp.to("Bram@acme.nl")
    body, token = received.body, received.token
    assert f"https://crm.example.test/invite?token={token}" in body
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) >= 32
    assert received.message["Subject"] == "Uitnodiging voor Tribe CRM bij Acme BV"  # the organisation's language
    assert "Je bent uitgenodigd" in body

    accepted = run(
        "accept-invite",
        token,
        "--username",
        "bram",
        "--name",
        "Bram de Vries",
        "--password-stdin",
        "--json",
        stdin=USER_PASSWORD,
    )
    assert accepted.code == 0, accepted.err
    assert accepted.json["username"] == "bram" and accepted.json["reactivated"] is False
    assert can_sign_in("bram")

    again = run("accept-invite", token, "--username", "bram2", "--password-stdin", stdin=USER_PASSWORD)
    assert again.code == 1
    assert "al gebruikt" in again.err
    assert not can_sign_in("bram2")

    holders = {row["email"]: row for row in run("licences", "list", "--json").json}
    assert holders["Bram@acme.nl"]["holder"] == "Bram de Vries"
    listed = run("invitations", "list", "--json").json
    assert [(row["email"], row["status"]) for row in listed] == [("Bram@acme.nl", "accepted")]
    # Typed in another case later, the address still finds the same person.
    assert run("licences", "renew", "bram@ACME.nl", "off").code == 0


def test_only_the_hash_of_the_token_is_stored_and_no_token_in_audit_or_outbox(run, org, smtp):
    assert run("invite", "cas@acme.nl").code == 0
    token = smtp.to("cas@acme.nl")[0].token
    from tribe_tui.models import AuditEvent, Invitation, OutboxMessage

    [invitation] = Invitation.select()
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    for event in AuditEvent.select():
        assert token not in json.dumps([event.before, event.after])
    [message] = OutboxMessage.select().where(OutboxMessage.recipient == "cas@acme.nl")  # init queued its invoice too
    assert message.sent_at is not None and token not in message.body  # blanked once sent


def test_server_down_queues_and_flush_delivers_exactly_once(run, org, smtp_down):
    queued = run("invite", "dirk@acme.nl", "--json")
    assert queued.code == 0, queued.err
    assert queued.json[0]["status"] == "queued"
    assert "Connection" in queued.json[0]["error"] or "refused" in queued.json[0]["error"].lower()
    assert run("outbox", "list", "--json").json[0]["attempts"] == 1

    # The invitation waits beside the first invoice's mail (init queued it; nothing could send it).
    still_down = run("outbox", "flush", "--json")
    assert still_down.json == {"sent": 0, "failed": 2, "queued": 2}
    invoice_mail, row = run("outbox", "list", "--json").json
    assert invoice_mail["recipient"] == "admin@acme.nl" and row["recipient"] == "dirk@acme.nl"
    assert row["attempts"] == 2 and row["last_error"]

    smtp_down.start()
    delivered = run("outbox", "flush", "--json")
    assert delivered.json == {"sent": 2, "failed": 0, "queued": 0}
    assert run("outbox", "flush", "--json").json == {"sent": 0, "failed": 0, "queued": 0}
    assert len(smtp_down.to("dirk@acme.nl")) == 1
    token = smtp_down.to("dirk@acme.nl")[0].token
    assert run("accept-invite", token, "--username", "dirk", "--password-stdin", stdin=USER_PASSWORD).code == 0


def test_the_next_invite_also_sends_what_was_queued(run, org, smtp_down):
    assert run("invite", "eva@acme.nl", "--json").json[0]["status"] == "queued"
    smtp_down.start()
    assert run("invite", "fleur@acme.nl", "--json").json[0]["status"] == "sent"
    assert len(smtp_down.to("eva@acme.nl")) == 1 and len(smtp_down.to("fleur@acme.nl")) == 1


def test_a_claimed_message_is_not_sent_by_a_second_flush(run, org, smtp_down):
    """Two flushes at once: the one that claims a message sends it; the other leaves it alone."""
    assert run("invite", "gijs@acme.nl").code == 0
    smtp_down.start()
    from tribe_tui.config import Settings
    from tribe_tui.models import OutboxMessage
    from tribe_tui.services import outbox

    [message] = OutboxMessage.select().where(OutboxMessage.recipient == "gijs@acme.nl")
    assert outbox.claim(message.id)  # "the other flush" is busy sending it
    assert not outbox.claim(message.id)
    assert outbox.flush(Settings()).sent == 1  # only the first invoice's mail, queued by init
    assert smtp_down.to("gijs@acme.nl") == []


def test_a_resend_after_a_crash_carries_the_same_message_id(run, org, smtp_down):
    """At least once: a claim whose lease ran out (the sender died after the server's 250) is sent
    again, with the Message-ID of the first copy, so the copy is recognisably the same mail."""
    from datetime import timedelta

    from tribe_tui.config import Settings
    from tribe_tui.models import OutboxMessage, utcnow
    from tribe_tui.services import outbox

    assert run("invite", "jan@acme.nl").code == 0
    smtp_down.start()
    assert outbox.flush(Settings()).sent == 2  # with the first invoice's mail, queued by init
    [message] = OutboxMessage.select().where(OutboxMessage.recipient == "jan@acme.nl")
    # The crash: as if the first flush died before marking the message sent, a lease ago.
    OutboxMessage.update(sent_at=None, claimed_at=utcnow() - outbox.CLAIM_LEASE - timedelta(seconds=1)).where(
        OutboxMessage.id == message.id
    ).execute()
    assert outbox.flush(Settings()).sent == 1
    first, second = smtp_down.to("jan@acme.nl")
    assert first.message["Message-ID"] == second.message["Message-ID"] == outbox.stable_message_id(message)
    assert run("outbox", "flush", "--json").json["sent"] == 0  # marked sent now: never a third copy


def test_smtp_password_never_shows_in_errors(run, org, monkeypatch):
    from tests.lifecycle.conftest import free_port

    monkeypatch.setenv("TRIBE_SMTP_URL", f"smtp://mailer:Geheim-SMTP-ww@127.0.0.1:{free_port()}")
    result = run("invite", "hugo@acme.nl", "--json")
    assert result.json[0]["status"] == "queued"
    listed = run("outbox", "list", "--json").out
    assert "Geheim-SMTP-ww" not in result.out + result.err + listed


@pytest.fixture
def wall_clock(monkeypatch):
    """Set the real time the invitations see: wall_clock(datetime(...))."""
    from tribe_tui.services import invitations

    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(invitations, "utcnow", lambda: moment)

    return set_to


def test_expired_invitation_is_refused_by_the_wall_clock_whatever_today_says(run, org, smtp, wall_clock):
    wall_clock(datetime(2026, 11, 26, 9, 0))
    assert run("invite", "iris@acme.nl").code == 0  # valid 7 days, through 2026-12-02
    token = smtp.to("iris@acme.nl")[0].token
    wall_clock(datetime(2026, 12, 3, 0, 0, 1))
    for today in ("2026-11-26", "2026-12-02"):  # --today cannot bring an expired link back to life
        late = run(
            "accept-invite", token, "--username", "iris", "--password-stdin", "--today", today, stdin=USER_PASSWORD
        )
        assert late.code == 1 and "verlopen" in late.err, late.err
    assert run("invitations", "list", "--json").json[0]["status"] == "expired"
    wall_clock(datetime(2026, 12, 2, 23, 59))
    on_time = run(
        "accept-invite", token, "--username", "iris", "--password-stdin", "--today", "2026-12-20", stdin=USER_PASSWORD
    )
    assert on_time.code == 0, on_time.err


def test_revoking_withdraws_the_queued_mail(run, org, smtp_down):
    assert run("invite", "lotte@acme.nl", "--json").json[0]["status"] == "queued"
    assert run("invitations", "revoke", "lotte@acme.nl").code == 0
    # Only the first invoice's mail (queued by init) still waits.
    assert [m["recipient"] for m in run("outbox", "list", "--json").json] == ["admin@acme.nl"]
    smtp_down.start()
    assert run("outbox", "flush", "--json").json == {"sent": 1, "failed": 0, "queued": 0}
    assert smtp_down.to("lotte@acme.nl") == []


def test_a_replaced_invitation_withdraws_its_queued_mail(run, org, smtp_down):
    assert run("invite", "mark@acme.nl", "--json").json[0]["status"] == "queued"
    assert run("invite", "mark@acme.nl", "--json").json[0]["status"] == "queued"
    # Only the newest link waits (beside the first invoice's mail, queued by init).
    assert [m["recipient"] for m in run("outbox", "list", "--json").json] == ["admin@acme.nl", "mark@acme.nl"]
    smtp_down.start()
    assert run("outbox", "flush", "--json").json == {"sent": 2, "failed": 0, "queued": 0}
    [mail] = smtp_down.to("mark@acme.nl")
    assert run("accept-invite", mail.token, "--username", "mark", "--password-stdin", stdin=USER_PASSWORD).code == 0


def test_revoked_invitation_is_refused(run, org, smtp):
    assert run("invite", "joris@acme.nl").code == 0
    token = smtp.to("joris@acme.nl")[0].token
    revoked = run("invitations", "revoke", "joris@acme.nl", "--json")
    assert revoked.code == 0 and revoked.json["status"] == "revoked"
    refused = run("accept-invite", token, "--username", "joris", "--password-stdin", stdin=USER_PASSWORD)
    assert refused.code == 1 and "ingetrokken" in refused.err
    assert run("invitations", "revoke", "joris@acme.nl").code == 1  # nothing open any more


def test_a_new_invitation_replaces_the_open_one(run, org, smtp):
    assert run("invite", "koen@acme.nl").code == 0
    assert run("invite", "koen@acme.nl").code == 0
    first, second = (m.token for m in smtp.to("koen@acme.nl"))
    old = run("accept-invite", first, "--username", "koen", "--password-stdin", stdin=USER_PASSWORD)
    assert old.code == 1 and "nieuwere uitnodiging" in old.err  # not "revoked": a newer link is on its way
    assert run("accept-invite", second, "--username", "koen", "--password-stdin", stdin=USER_PASSWORD).code == 0


def test_no_free_licence_refuses_and_the_invitation_stays_valid(run, org, smtp, join):
    join("lars@acme.nl", "lars")
    join("maud@acme.nl", "maud")  # all 3 licences held now
    sent = run("invite", "niels@acme.nl")
    assert sent.code == 0 and "geen vrije licentie" in sent.out
    token = smtp.to("niels@acme.nl")[0].token
    refused = run("accept-invite", token, "--username", "niels", "--password-stdin", stdin=USER_PASSWORD)
    assert refused.code == 1 and "geen vrije licentie" in refused.err
    assert run("invitations", "list", "--json").json[0]["status"] == "open"
    assert run("licences", "add", "1").code == 0
    assert run("accept-invite", token, "--username", "niels", "--password-stdin", stdin=USER_PASSWORD).code == 0


def test_username_taken_and_password_policy(run, org, smtp):
    assert run("invite", "olivier@acme.nl").code == 0
    token = smtp.to("olivier@acme.nl")[0].token
    taken = run("accept-invite", token, "--username", "beheerder", "--password-stdin", stdin=USER_PASSWORD)
    assert taken.code == 1 and "beheerder" in taken.err and "al in gebruik" in taken.err
    short = run("accept-invite", token, "--username", "olivier", "--password-stdin", stdin="kort")
    assert short.code == 2 and "minstens 12" in short.err
    common = run("accept-invite", token, "--username", "olivier", "--password-stdin", stdin="wachtwoord123")
    assert common.code == 2
    same = run("accept-invite", token, "--username", "olivier12345", "--password-stdin", stdin="olivier12345")
    assert same.code == 2
    bad_name = run("accept-invite", token, "--username", "Olivier!", "--password-stdin", stdin=USER_PASSWORD)
    assert bad_name.code == 2
    assert run("accept-invite", token, "--username", "olivier", "--password-stdin", stdin=USER_PASSWORD).code == 0


def test_malformed_and_unknown_tokens(run, org, smtp):
    assert (
        run("accept-invite", "not a token", "--username", "x-user", "--password-stdin", stdin=USER_PASSWORD).code == 2
    )
    unknown = run("accept-invite", "A" * 43, "--username", "xuser", "--password-stdin", stdin=USER_PASSWORD)
    assert unknown.code == 1 and "bestaat niet" in unknown.err


def test_accept_without_flags_and_without_a_terminal_is_bad_input(run, org, smtp):
    assert run("invite", "pieter@acme.nl").code == 0
    token = smtp.to("pieter@acme.nl")[0].token
    assert run("accept-invite", token).code == 2


def test_inviting_a_holder_is_refused_and_nothing_changes(run, org, smtp):
    refused = run("invite", "new@acme.nl", "admin@acme.nl")
    assert refused.code == 1 and "admin@acme.nl" in refused.err
    assert run("invitations", "list", "--json").json == []
    assert smtp.messages == []


def test_inviting_a_former_employee_reactivates_the_same_person(run, org, smtp, join, can_sign_in):
    join("roos@acme.nl", "roos", "Roos Visser")
    from tribe_tui.models import Employee

    before = Employee.get(Employee.email == "roos@acme.nl").id
    assert run("licences", "offboard", "roos@acme.nl").code == 0
    assert not can_sign_in("roos")
    join("roos@acme.nl", "roos.visser")
    rows = list(Employee.select().where(Employee.email == "roos@acme.nl"))
    assert [e.id for e in rows] == [before] and not rows[0].former and rows[0].name == "Roos Visser"
    assert can_sign_in("roos.visser")


def test_inviting_a_former_admin_back_gives_the_role_the_inviter_chooses_not_admin_by_default(
    run, org, smtp, join, can_sign_in
):
    from tribe_tui.models import Employee

    def role() -> str:
        return Employee.get(Employee.email == "roos@acme.nl").role

    join("roos@acme.nl", "roos", "Roos Visser")
    assert run("employees", "admin", "roos@acme.nl", "on").code == 0 and role() == "admin"
    assert run("licences", "offboard", "roos@acme.nl").code == 0
    join("roos@acme.nl", "roos.visser")  # invited back, no role chosen
    assert role() == "user"
    assert not run("sign-in-check", "roos.visser", "--password-stdin", "--json", stdin=USER_PASSWORD).json["can_manage"]

    assert run("licences", "offboard", "roos@acme.nl").code == 0
    assert run("invite", "--admin", "roos@acme.nl").code == 0  # the inviter chooses admin
    token = smtp.to("roos@acme.nl")[-1].token
    assert run("accept-invite", token, "--username", "roos.v", "--password-stdin", stdin=USER_PASSWORD).code == 0
    assert role() == "admin" and can_sign_in("roos.v")
    assert run("invite", "--admin", "new@acme.nl").code == 0
    token = smtp.to("new@acme.nl")[-1].token
    assert run("accept-invite", token, "--username", "nieuw", "--password-stdin", stdin=USER_PASSWORD).code == 0
    assert Employee.get(Employee.email == "new@acme.nl").role == "admin"


def test_invitation_mail_in_english_for_an_english_organisation(run, smtp):
    made = run(
        "init",
        "--org",
        "Globex",
        "--admin-email",
        "boss@globex.nl",
        "--admin-username",
        "boss",
        "--lang",
        "en",
        "--password-stdin",
        stdin="Another-strong-pass-1",
    )
    assert made.code == 0, made.err
    assert run("invite", "sam@globex.nl", "--lang", "nl").code == 0
    [received] = smtp.to("sam@globex.nl")
    assert received.message["Subject"] == "Invitation to Tribe CRM at Globex"
    assert f"tribe-tui accept-invite {received.token}" in received.body


def test_text_output_in_english(run, org, smtp):
    sent = run("invite", "quinn@acme.nl", "--lang", "en")
    assert sent.code == 0
    assert sent.out == f"Invitation sent to quinn@acme.nl (via smtp 127.0.0.1:{smtp.port}).\n"


def test_tokens_never_start_like_an_option():
    """The e-mailed line `tribe-tui accept-invite TOKEN` must parse for every token."""
    from tribe_tui.services.invitations import new_token

    tokens = [new_token() for _ in range(3000)]  # without the guard ~47 of these would start with '-'
    assert not any(token.startswith("-") for token in tokens)
    assert all(len(token) >= 43 and re.fullmatch(r"[A-Za-z0-9_-]+", token) for token in tokens)
    assert len(set(tokens)) == len(tokens)


def test_accept_invite_asks_in_a_terminal(run, org, smtp):
    """Without flags, on a terminal: prompts for username and name, the password twice (not echoed)."""
    import os
    import pty
    import select
    import sys
    import time

    assert run("invite", "tess@acme.nl").code == 0
    token = smtp.to("tess@acme.nl")[0].token
    from tribe_tui.models import database

    database.close()
    pid, fd = pty.fork()
    if pid == 0:  # the child: a real terminal is its stdin and controlling tty
        os.execv(sys.executable, [sys.executable, "-m", "tribe_tui", "accept-invite", token])
    seen = b""

    def wait_for(text: bytes) -> None:
        nonlocal seen
        deadline = time.monotonic() + 30
        while text not in seen:
            assert time.monotonic() < deadline, seen
            if select.select([fd], [], [], 0.5)[0]:
                try:
                    seen += os.read(fd, 1024)
                except OSError:
                    break

    for prompt, answer in (
        (b"Gebruikersnaam: ", b"tess"),
        (b"Naam: ", b"Tess de Wit"),
        (b"Wachtwoord: ", USER_PASSWORD.encode()),
        (b"Wachtwoord (nogmaals): ", USER_PASSWORD.encode()),
    ):
        wait_for(prompt)
        os.write(fd, answer + b"\r")
    wait_for(b"Welkom, Tess de Wit!")
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert USER_PASSWORD.encode() not in seen  # getpass did not echo it
    people = {e["email"]: e for e in run("employees", "list", "--json").json}
    assert people["tess@acme.nl"]["username"] == "tess"
