"""`tribe-tui ssh authorized-keys USER KEYTYPE KEYBLOB`: sshd's AuthorizedKeysCommand.

sshd runs this for every key a client offers (`AuthorizedKeysCommand … %u %t %k`) and lets the key
in only if a line it prints names it. The one line printed is the stored key with options that
force `tribe-tui ssh session KEY_UID FINGERPRINT`, so the session knows the person and the key:
the key's random identity, which no later key can take (a row id can be reused), and its
fingerprint, which the session checks against the key stored under that identity. Nothing is
printed (and the exit status is 0: sshd then refuses the key) for an unknown key, a key whose
owner may not sign in now, and on any error at all; an error (no database, locked, unreadable, a
bad argument) also writes one line to stderr saying why, which sshd logs.

It runs once per offered key, as an unprivileged user, and must be quick: plain sqlite3 or psycopg2
and one indexed query by fingerprint; no peewee, no pydantic, no Textual (tests/perf checks the
imports, bench/ the time). The access rule is services.signin.may_use's, as SQL over the same
columns (tests/services hold the two to the same answers).
"""

from __future__ import annotations

import binascii
import hashlib
import os
import sqlite3
import sys
from datetime import date
from typing import Any

# Key types tribe-tui stores (schemas.ssh_public_key decides which keys are good enough).
KEY_TYPES = frozenset({"ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa"})
MAX_BLOB = 16_384  # characters of base64: far more than a 16384-bit RSA key needs

# The key, its owner and what decides whether they may sign in now (services.signin.may_use).
QUERY = """
SELECT k.uid, k.key_type, k.key_blob, e.former, o.status, o.paid_until, l.id, l.auto_renew
FROM ssh_key k
JOIN employee e ON e.id = k.employee_id
JOIN organisation o ON o.id = e.organisation_id
LEFT JOIN licence l ON l.holder_id = e.id
WHERE k.fingerprint = {mark}
"""


class Unanswerable(Exception):
    """The lookup cannot answer at all (as opposed to "not this key"): said on stderr."""


def shown_url(url: str) -> str:
    """The URL without its password, for a message (db.shown_url; importing db loads peewee)."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if sep and at and ":" in credentials:
        return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"
    return url


def fingerprint(blob: bytes) -> str:
    """SHA256:<base64 without padding> of the key's wire format: what `ssh-keygen -l` prints."""
    return "SHA256:" + binascii.b2a_base64(hashlib.sha256(blob).digest(), newline=False).decode("ascii").rstrip("=")


def may_sign_in(
    former: object, status: str, paid_until: date, licence_id: object, auto_renew: object, today: date
) -> bool:
    """services.signin.may_use on plain values (a test holds the two to the same answers)."""
    if licence_id is None or bool(former) or status == "ended":
        return False
    past = today > paid_until  # billing.renewal_pending (importing billing would double this command's time)
    return not (past and (status == "cancelled" or not bool(auto_renew)))


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _rows(url: str, digest: str) -> list[tuple[Any, ...]]:
    for prefix in ("sqlite:///", "sqliteext:///"):
        if url.startswith(prefix):
            return _sqlite_rows(url[len(prefix) :], digest)
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg2  # type: ignore[import-untyped]  # (no stubs; peewee's use is untyped too)

        connection = psycopg2.connect(url, connect_timeout=5)
        # A read-only transaction (BEGIN READ ONLY), not a session option: a pooler in transaction
        # mode (pgbouncer) refuses the `options` startup parameter and would not keep it anyway.
        connection.set_session(readonly=True)
        try:
            with connection.cursor() as cursor:
                cursor.execute(QUERY.format(mark="%s"), (digest,))
                found: list[tuple[Any, ...]] = cursor.fetchall()
                return found
        finally:
            connection.close()
    raise Unanswerable(f"--db {shown_url(url)}: not a sqlite:/// or postgresql:// URL")


def _sqlite_rows(path: str, digest: str) -> list[tuple[Any, ...]]:
    """Read-only, as a user who may only read the database (docs/ssh.md). A WAL database that no
    one has open has no -wal and -shm files, and a reader that may not create them cannot open it
    the usual way; then everything is in the main file and it is read as immutable, and the read
    is trusted only if no writer started meanwhile (no -wal appeared, the file did not change)."""

    if not os.path.isfile(path):
        folder = os.path.dirname(os.path.abspath(path))
        if os.path.isdir(folder) and not os.access(folder, os.X_OK):
            raise Unanswerable(f"permission denied: this user may not enter {folder} (the database's folder)")
        raise Unanswerable(f"no database file {os.path.abspath(path)} (--db sqlite:///{path})")
    # A URI, for mode=ro: escape what a URI reads as its own (urllib would cost a tenth of our time).
    escaped = os.path.abspath(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    uri, wal = f"file:{escaped}", f"{path}-wal"
    try:
        connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=2)
        try:
            return connection.execute(QUERY.format(mark="?"), (digest,)).fetchall()
        finally:
            connection.close()
    except sqlite3.OperationalError:
        if os.path.exists(wal):
            raise
    before = os.stat(path)
    connection = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)
    try:
        found = connection.execute(QUERY.format(mark="?"), (digest,)).fetchall()
    finally:
        connection.close()
    after = os.stat(path)
    if os.path.exists(wal) or (before.st_mtime_ns, before.st_size) != (after.st_mtime_ns, after.st_size):
        return []  # a writer came in while we read: refuse this once (the client tries its next key)
    return found


def lookup(url: str, key_type: str, key_blob: str, today: date) -> tuple[str, str, str, str] | None:
    """(key uid, fingerprint, type, blob) as stored, for a stored key whose owner may sign in today;
    else None."""
    if key_type not in KEY_TYPES or not 0 < len(key_blob) <= MAX_BLOB:
        return None
    try:
        raw = binascii.a2b_base64(key_blob.encode("ascii"), strict_mode=True)
    except (binascii.Error, UnicodeEncodeError):
        return None
    digest = fingerprint(raw)
    for uid, stored_type, stored_blob, former, status, paid_until, licence_id, auto_renew in _rows(url, digest):
        # The fingerprint found the row; the key itself must be the same, byte for byte.
        if (
            (stored_type, stored_blob) == (key_type, key_blob)
            and is_key_uid(uid)
            and may_sign_in(former, status, _as_date(paid_until), licence_id, auto_renew, today)
        ):
            return str(uid), digest, stored_type, stored_blob
    return None


def is_key_uid(value: object) -> bool:
    """32 lowercase hex digits (models.new_key_uid): nothing else goes into the forced command."""
    return isinstance(value, str) and len(value) == 32 and all(ch in "0123456789abcdef" for ch in value)


def key_line(uid: str, digest: str, key_type: str, key_blob: str, command: str) -> str:
    """The authorized_keys line: no forwarding, no agent, no X11, no ~/.ssh/rc, a terminal, and the
    one command sshd may run (SSH_ORIGINAL_COMMAND, what the client asked for, is never used).
    The fingerprint is base64 (A-Z a-z 0-9 + /), nothing a shell or sshd's quoting reads."""
    return f'restrict,pty,command="{command} ssh session {uid} {digest}" {key_type} {key_blob}'


def _settings(argv: list[str]) -> tuple[str, str, date, list[str]]:
    """--db URL, --command PATH, --today DATE (or their environment variables), and the positionals."""
    options = {
        "--db": os.environ.get("TRIBE_DATABASE_URL"),
        "--command": None,
        "--today": os.environ.get("TRIBE_TODAY"),
    }
    positional: list[str] = []
    items = iter(argv)
    for item in items:
        name, has_value, value = item.partition("=")
        if name in options:
            options[name] = value if has_value else next(items)
        elif item.startswith("--"):
            raise ValueError(item)
        else:
            positional.append(item)
    url = options["--db"]
    if not url:
        from tribe_tui.config import default_database_url

        url = default_database_url()
    # The session runs this same tribe-tui unless a wrapper is named (sshd runs us by absolute path).
    command = options["--command"] or os.path.abspath(sys.argv[0])
    if any(ch in command for ch in '"\\\n\r') or not os.path.isabs(command):
        raise ValueError(command)
    today = date.fromisoformat(options["--today"]) if options["--today"] else date.today()
    return url, command, today, positional


def _say(reason: str) -> None:
    """One line on stderr (sshd logs it): why no key can be let in now. Never the key itself."""
    line = " ".join(reason.split()) or "unknown error"
    line = "".join(ch if ch.isprintable() else "?" for ch in line)[:300]
    try:
        sys.stderr.write(f"tribe-tui ssh authorized-keys: cannot answer, so every key is refused: {line}\n")
        sys.stderr.flush()
    except BaseException:  # stderr closed: nothing left to tell
        pass


def main(argv: list[str]) -> int:
    """argv after `ssh authorized-keys`. Always 0: sshd takes "no output" as "not this key"; when
    the lookup cannot answer at all, one line on stderr says why (sshd logs it)."""
    try:
        url, command, today, positional = _settings(argv)
        if len(positional) != 3 or not positional[0]:
            raise Unanswerable(f"expected USER KEYTYPE KEYBLOB (sshd's %u %t %k), got {len(positional)} arguments")
        _user, key_type, key_blob = positional
        found = lookup(url, key_type, key_blob, today)
        if found is not None:
            sys.stdout.write(key_line(*found, command) + "\n")
            sys.stdout.flush()
    except Unanswerable as exc:
        _say(str(exc))
    except ValueError as exc:  # a bad option or value (_settings)
        _say(f"bad argument {str(exc)[:100]!r}")
    except BaseException as exc:  # anything at all: print nothing on stdout, so sshd refuses the key
        first = (str(exc).strip().splitlines() or [""])[0]
        _say(f"{type(exc).__name__}: {first}" if first else type(exc).__name__)
    return 0
