"""Security: the database file is private, secrets never reach audit events or messages, and the
audit log cannot be edited through the product.
"""

from __future__ import annotations

import io
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

from tests.reliability.conftest import actor_env, open_db, snapshot

ROOT = Path(__file__).resolve().parents[2] / "tribe_tui"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- the file --------------------------------------------------------------------------------


def test_a_new_database_is_0600_in_a_0700_directory_whatever_the_umask(tmp_path):
    path = tmp_path / "nieuw" / "tribe.db"
    result = subprocess.run(
        [sys.executable, "-m", "tribe_tui", "demo", "--no-open", "--db", f"sqlite:///{path}"],
        env=actor_env(),
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(0),
    )
    assert result.returncode == 0, result.stderr
    assert _mode(path) == 0o600
    assert _mode(path.parent) == 0o700


def test_the_default_database_location_is_private(tmp_path, monkeypatch, cli):
    monkeypatch.delenv("TRIBE_DATABASE_URL")
    assert cli("demo", "--no-open").code == 0
    path = Path(os.environ["XDG_DATA_HOME"]) / "tribe-tui" / "tribe.db"
    assert path.is_file()
    assert _mode(path) == 0o600 and _mode(path.parent) == 0o700
    # SQLite's companions (write-ahead log, shared memory) take the database file's mode.
    assert cli("licences", "add", "1").code == 0
    companions = [p for p in path.parent.iterdir() if p.name != "tribe.db"]
    assert all(_mode(p) == 0o600 for p in companions), {p.name: oct(_mode(p)) for p in companions}


def test_a_backup_is_as_private_as_the_database(cli, tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'bron.db'}"
    monkeypatch.setenv("TRIBE_DATABASE_URL", url)
    assert cli("demo", "--no-open").code == 0
    old = os.umask(0)
    try:
        assert cli("backup", str(tmp_path / "kopie.db")).code == 0
    finally:
        os.umask(old)
    assert _mode(tmp_path / "kopie.db") == 0o600


# --- secrets ---------------------------------------------------------------------------------

ADMIN_PASSWORD = "Zeer-Geheim-Wachtwoord-7731"
NEW_PASSWORD = "Nieuw-Collega-Wachtwoord-4410"
SMTP_PASSWORD = "smtp-geheim-9d8e7f"


def _with_stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text + "\n"))


def _all_text() -> str:
    """Everything stored, as one string; a queued invitation must carry its link until it is sent,
    so the bodies of unsent messages are left out."""
    from tribe_tui.models import OutboxMessage

    rows = snapshot(exclude=(OutboxMessage._meta.table_name,))
    mail = [
        (m.recipient, m.subject, m.last_error, m.body if m.sent_at is not None else None)
        for m in OutboxMessage.select()
    ]
    return repr(rows) + repr(mail)


def test_no_secret_in_audit_events_messages_or_stored_text(cli, monkeypatch):
    outputs: list[str] = []

    def run(*argv, stdin: str | None = None):
        if stdin is not None:
            _with_stdin(monkeypatch, stdin)
        result = cli(*argv)
        outputs.append(result.out + result.err)
        return result

    # An organisation whose admin has a password; a weak password is refused without echoing it.
    weak = run(
        "init",
        "--org",
        "Geheim BV",
        "--admin-email",
        "baas@geheim.nl",
        "--admin-username",
        "baas",
        "--password-stdin",
        stdin="Xq9",
    )
    assert weak.code == 2 and "Xq9" not in weak.err
    made = run(
        "init",
        "--org",
        "Geheim BV",
        "--admin-email",
        "baas@geheim.nl",
        "--admin-username",
        "baas",
        "--licences",
        "3",
        "--password-stdin",
        stdin=ADMIN_PASSWORD,
    )
    assert made.code == 0, made.err

    # Sign-in checks, right and wrong: the password is never repeated.
    assert run("sign-in-check", "baas", "--password-stdin", stdin=ADMIN_PASSWORD).code == 0
    wrong = run("sign-in-check", "baas", "--password-stdin", stdin=ADMIN_PASSWORD + "x")
    assert wrong.code == 1

    # An invitation while the SMTP server (with a password in its URL) cannot be reached.
    monkeypatch.setenv("TRIBE_SMTP_URL", f"smtp://mailer:{SMTP_PASSWORD}@127.0.0.1:9")
    assert run("invite", "collega@geheim.nl").code == 0
    assert run("outbox", "flush", "--json").code == 0
    listed = run("outbox", "list", "--json")
    assert listed.code == 0 and '"last_error"' in listed.out  # the reason is shown, the password not
    open_db()
    from tribe_tui.models import OutboxMessage

    token = re.search(
        r"accept-invite ([A-Za-z0-9_-]+)", OutboxMessage.get(OutboxMessage.recipient == "collega@geheim.nl").body
    ).group(1)
    bad = run("accept-invite", token[:-4] + "AAAA", "--username", "collega", "--password-stdin", stdin=NEW_PASSWORD)
    assert bad.code in (1, 2)
    accepted = run("accept-invite", token, "--username", "collega", "--password-stdin", stdin=NEW_PASSWORD)
    assert accepted.code == 0, accepted.err
    again = run("accept-invite", token, "--username", "collega2", "--password-stdin", stdin=NEW_PASSWORD)
    assert again.code in (1, 2)

    from tribe_tui.models import AuditEvent, Employee

    hashes = [e.password_hash for e in Employee.select() if e.password_hash]
    assert len(hashes) == 2
    audit_text = repr([(e.actor, e.action, e.before, e.after) for e in AuditEvent.select()])
    secrets = [ADMIN_PASSWORD, NEW_PASSWORD, SMTP_PASSWORD, token, *hashes]
    for secret in secrets:
        assert secret not in audit_text
        assert all(secret not in text for text in outputs), secret
    for secret in (ADMIN_PASSWORD, NEW_PASSWORD, SMTP_PASSWORD, token):
        assert secret not in _all_text()


# --- the audit log ---------------------------------------------------------------------------

AUDIT_WRITE = re.compile(
    r"AuditEvent\s*\.\s*(update|delete|replace|replace_many|insert_from|truncate_table|drop_table|bulk_update)\b"
    r"|(UPDATE|DELETE\s+FROM|TRUNCATE(\s+TABLE)?|DROP\s+TABLE|ALTER\s+TABLE)\s+[\"'`]?audit_?event",
    re.IGNORECASE,
)


def test_no_code_path_updates_or_deletes_audit_events():
    """The only write to the audit log is AuditEvent.create in services._audit.audit."""
    offenders = []
    creates = []
    for path in ROOT.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        # A schema migration may add a column (every row stays as it was: SSH keys added who acted and
        # from which key); anything else that alters the table is a write to the log.
        offenders += [
            f"{path.relative_to(ROOT)}: {m.group(0)}"
            for m in AUDIT_WRITE.finditer(text)
            if not (path.name == "migrations.py" and text[m.end() : m.end() + 12] == " ADD COLUMN ")
        ]
        creates += [str(path.relative_to(ROOT)) for _ in re.finditer(r"AuditEvent\s*\.\s*(create|insert)", text)]
        # An audit row held in a variable and saved or deleted.
        offenders += [
            f"{path.relative_to(ROOT)}: {m.group(0)}"
            for m in re.finditer(r"\b(event|audit_event|auditevent)\s*\.\s*(save|delete_instance)\s*\(", text)
        ]
        # Deleting an organisation would rewrite its audit rows (organisation -> NULL).
        offenders += [
            f"{path.relative_to(ROOT)}: {m.group(0)}"
            for m in re.finditer(r"Organisation\s*\.\s*delete\b|org\w*\s*\.\s*delete_instance\s*\(", text)
        ]
    assert not offenders, offenders
    assert creates == ["services/_audit.py"], creates


def test_the_audit_log_only_grows_through_a_day_of_admin_work(cli, monkeypatch):
    from tribe_tui.models import AuditEvent

    assert cli("demo", "--no-open").code == 0
    day = [
        ("licences", "add", "2"),
        ("licences", "renew", "1", "off"),
        ("licences", "renew", "1", "on"),
        ("billing-details", "set", "city=Zwolle", "po_reference=PO-9"),
        ("edition", "set", "creator"),
        ("modules", "add", "sales"),
        ("modules", "remove", "sales"),
        ("modules", "add", "sales"),
        ("employees", "former", "x@nowhere.nl", "on"),
        ("cancel", "--reason", "te duur", "--yes"),
        ("cancel", "--withdraw"),
        ("invite", "nieuw@vanderberg-installatie.nl"),
        ("outbox", "flush"),
        ("billing", "run", "--today", "2027-06-02"),
        ("licences", "add", "1", "--today", "2027-06-02"),
    ]
    open_db()
    seen = [tuple(r) for r in AuditEvent.select().order_by(AuditEvent.id).tuples()]
    changed = 0
    for argv in day:
        result = cli(*argv)
        open_db()
        now = [tuple(r) for r in AuditEvent.select().order_by(AuditEvent.id).tuples()]
        assert now[: len(seen)] == seen, argv
        changed += result.code == 0 and len(now) > len(seen)
        seen = now
    assert changed >= 10


def test_every_directory_it_creates_is_0700_and_the_file_0600_whatever_the_umask(tmp_path):
    for umask in (0, 0o022, 0o277):
        path = tmp_path / f"umask-{umask:o}" / "a" / "b" / "tribe.db"
        result = subprocess.run(
            [sys.executable, "-m", "tribe_tui", "demo", "--no-open", "--db", f"sqlite:///{path}"],
            env=actor_env(),
            capture_output=True,
            text=True,
            preexec_fn=lambda umask=umask: os.umask(umask),
        )
        assert result.returncode == 0, result.stderr
        assert _mode(path) == 0o600, oct(umask)
        assert [oct(_mode(d)) for d in (path.parent, path.parent.parent, path.parent.parent.parent)] == [
            oct(0o700)
        ] * 3, oct(umask)


def test_an_existing_empty_file_given_as_the_database_becomes_0600(tmp_path):
    path = tmp_path / "leeg.db"
    path.touch()
    path.chmod(0o644)
    result = subprocess.run(
        [sys.executable, "-m", "tribe_tui", "demo", "--no-open", "--db", f"sqlite:///{path}"],
        env=actor_env(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert _mode(path) == 0o600
