"""People and access from the command line: admin role, unlock, idle licences, the maildir backend,
`outbox list --show`, and the words of the invitation mail."""

from __future__ import annotations

import email
import email.policy
import json
import re
from pathlib import Path

from tests.lifecycle.conftest import ADMIN_PASSWORD, USER_PASSWORD


def test_admin_role_and_unlock_never_leave_the_account_without_an_admin(run, org, join, can_sign_in):
    from tribe_tui.models import AuditEvent

    join("bram@acme.nl", "bram", "Bram de Vries")
    refused = run("employees", "admin", "admin@acme.nl", "off")
    assert refused.code == 1
    assert "Anna Beheer" in refused.err and "Bram de Vries" in refused.err  # who could become admin instead
    assert run("licences", "renew", "admin@acme.nl", "off").code == 1  # she would lapse at paid-until

    assert run("employees", "admin", "bram@acme.nl", "on").code == 0
    assert run("employees", "admin", "admin@acme.nl", "off").code == 0
    assert [e["role"] for e in run("employees", "list", "--json").json] == ["user", "admin"]  # Anna, Bram

    for _ in range(5):
        assert not can_sign_in("bram", "Wrong-password-2026")
    assert not can_sign_in("bram")  # locked: even the right password is refused, with the one message
    [bram] = [e for e in run("employees", "list", "--json").json if e["email"] == "bram@acme.nl"]
    assert bram["locked_until"] is not None
    assert "vergrendeld tot" in run("employees", "list").out
    # Locked, Bram cannot sign in: he no longer counts as an admin who can, so Anna may not step down
    # again, and Bram may not lose the role either.
    assert run("employees", "admin", "admin@acme.nl", "on").code == 0
    assert run("employees", "admin", "admin@acme.nl", "off").code == 1

    unlocked = run("employees", "unlock", "bram@acme.nl")
    assert unlocked.code == 0 and "ontgrendeld" in unlocked.out
    assert can_sign_in("bram")
    assert run("employees", "unlock", "bram@acme.nl").code == 1  # not locked any more
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert actions.count("employee.role") == 3 and actions.count("employee.unlock") == 1


def test_idle_licences_and_what_they_cost_at_renewal(run, org, join, can_sign_in):
    join("bram@acme.nl", "bram")
    assert can_sign_in("bram", USER_PASSWORD, "--today", "2026-09-01")  # 86 days before today
    assert can_sign_in("beheerder", ADMIN_PASSWORD)  # today
    [bram] = [e for e in run("employees", "list", "--json").json if e["email"] == "bram@acme.nl"]
    assert bram["last_sign_in"] == "2026-09-01"  # the rules' date, not the wall clock

    idle = run("licences", "list", "--idle-days", "60", "--json").json
    assert [row["email"] for row in idle] == ["bram@acme.nl"]
    assert run("licences", "list", "--idle-days", "90", "--json").json == []
    assert run("licences", "list", "--idle-days", "zestig").code == 2

    view = run("account", "show", "--json").json
    # One Tribe licence renews on 1 January 2027: 360.00 + 21% VAT.
    assert view["idle"] == {
        "days": 60,
        "licences": 1,
        "renewing": 1,
        "renewal_cost": "435.60",
        "next_period_start": "2027-01-01",
        # The one free licence renews too: the advice counts both.
        "free_renewing": 1,
        "advice_cost": "871.20",
    }
    assert run("licences", "renew", "bram@acme.nl", "off").code == 0
    assert run("account", "show", "--json").json["idle"]["renewal_cost"] == "0.00"


def test_maildir_delivery_and_outbox_show(run, org, tmp_path, monkeypatch):
    from tribe_tui.models import AuditEvent

    maildir = tmp_path / "mail"
    monkeypatch.setenv("TRIBE_SMTP_URL", f"maildir://{maildir}")
    [sent] = run("invite", "eva@acme.nl", "--json").json
    assert sent["status"] == "sent"
    path = Path(sent["sent_via"])
    assert path.parent == maildir / "new" and path.is_file()
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert message["To"] == "eva@acme.nl" and message["Message-ID"]
    token = re.search(r"^tribe-tui accept-invite (\S+)$", message.get_content(), re.M).group(1)

    [listed] = [m for m in run("outbox", "list", "--all", "--json").json if m["recipient"] == "eva@acme.nl"]
    assert listed["sent_via"] == str(path) and listed["sent_at"]
    shown = run("outbox", "list", "--show", str(listed["id"]))
    assert shown.code == 0 and "To: eva@acme.nl" in shown.out and "Subject: " in shown.out
    assert token not in shown.out  # sent: the stored copy no longer holds the token

    # init's invoice mail: its text, and the PDF and UBL named with their size, not dumped as base64
    [invoice_mail] = [m for m in run("outbox", "list", "--all", "--json").json if m["recipient"] == "admin@acme.nl"]
    shown = run("outbox", "list", "--show", str(invoice_mail["id"]))
    assert shown.code == 0 and "To: admin@acme.nl" in shown.out and "2026-0001" in shown.out
    assert re.search(r"^\[factuur-2026-0001\.pdf, application/pdf, \d+ bytes\]$", shown.out, re.M), shown.out
    assert re.search(r"^\[factuur-2026-0001\.xml, \S+/xml, \d+ bytes\]$", shown.out, re.M), shown.out
    assert "JVBERi" not in shown.out  # '%PDF' in base64

    monkeypatch.delenv("TRIBE_SMTP_URL")
    [queued] = run("invite", "piet@acme.nl", "--json").json
    assert queued["status"] == "queued"
    [waiting] = run("outbox", "list", "--json").json
    shown = run("outbox", "list", "--show", str(waiting["id"]))
    assert re.search(r"^tribe-tui accept-invite [A-Za-z0-9_-]{43,}$", shown.out, re.M)  # for the admin
    token = re.search(r"accept-invite (\S+)", shown.out).group(1)
    events = json.dumps([(e.before, e.after) for e in AuditEvent.select()])
    assert token not in events

    assert run("outbox", "list", "--show", "abc").code == 2
    assert run("outbox", "list", "--show", "9999").code == 1


def test_invitation_words_in_the_organisations_language(run, smtp):
    made = run(
        "init",
        "--org",
        "Installatietechniek B.V.",
        "--admin-email",
        "baas@itb.nl",
        "--admin-username",
        "baas",
        "--password-stdin",
        stdin="Another-strong-pass-1",
    )
    assert made.code == 0, made.err
    assert run("invite", "sam@itb.nl", "--lang", "en").code == 0  # the admin's language is not the mail's
    [received] = smtp.to("sam@itb.nl")
    assert received.message["Subject"] == "Uitnodiging voor Tribe CRM bij Installatietechniek B.V."
    body = received.body
    assert "bij Installatietechniek B.V.\n" in body.replace("\r\n", "\n") and "B.V.." not in body
    assert f"https://crm.example.test/invite?token={received.token}" in body
    assert f"tribe-tui accept-invite {received.token}" in body
    assert re.search(r"geldig tot en met \d{1,2} \w+ \d{4}", body)
