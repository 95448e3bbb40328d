"""SSH keys as identity from the command line: keys, hostile input, the lookup sshd runs, the
SSH policy and the audit list."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.ssh_keys import Key, add_key_by_cli, keygen

pytestmark = pytest.mark.slow  # real ssh-keygen keys


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> dict[str, Key]:
    """One of every kind, made once (an RSA key takes a moment)."""
    folder = tmp_path_factory.mktemp("keys")
    return {
        "ed25519": keygen(folder, "ed25519"),
        "ecdsa": keygen(folder, "ecdsa", "ecdsa", 384),
        "rsa": keygen(folder, "rsa", "rsa", 3072),
        "rsa1024": keygen(folder, "rsa1024", "rsa", 1024),
        "other": keygen(folder, "other"),
    }


def stored_keys() -> list[tuple]:
    from tribe_tui.models import SshKey

    return [(k.employee_id, k.name, k.key_type, k.key_blob, k.fingerprint) for k in SshKey.select().order_by(SshKey.id)]


def authorized(*argv: str) -> subprocess.CompletedProcess:
    """As sshd runs it: the console script, a fresh process."""
    tribe = os.path.join(os.path.dirname(sys.executable), "tribe-tui")
    return subprocess.run([tribe, "ssh", "authorized-keys", *argv], capture_output=True, text=True, timeout=60)


def test_keys_are_added_listed_looked_up_by_sshd_and_removed(cli, staff, keys, dump, backend):
    # Each kind is accepted; the fingerprint is ssh-keygen's.
    for email, kind in (("daan@acme.nl", "ed25519"), ("daan@acme.nl", "ecdsa"), ("emma@acme.nl", "rsa")):
        added = add_key_by_cli(cli, email, keys[kind], f"{kind} laptop", "--json")
        assert added.code == 0, added.err
        assert added.json["fingerprint"] == keys[kind].fingerprint
        assert added.json["type"] == keys[kind].key_type and added.json["email"] == email
    listed = cli("ssh", "keys", "list", "daan@acme.nl", "--json").json
    assert [k["name"] for k in listed] == ["ed25519 laptop", "ecdsa laptop"]
    assert len(cli("ssh", "keys", "list", "--json").json) == 3

    # sshd's question, for a stored key: the one line that forces the session of that key.
    daan = keys["ed25519"]
    found = authorized("--command", "/opt/tribe-tui/bin/tribe-tui", "tribe", daan.key_type, daan.blob)
    assert found.returncode == 0 and found.stderr == ""
    from tribe_tui.models import SshKey

    uid = SshKey.get(SshKey.fingerprint == daan.fingerprint).uid
    assert len(uid) == 32 and int(uid, 16) >= 0
    assert found.stdout == (
        f'restrict,pty,command="/opt/tribe-tui/bin/tribe-tui ssh session {uid} {daan.fingerprint}" '
        f"{daan.key_type} {daan.blob}\n"
    )
    # A key that is not stored, a key given under another type, garbage: nothing, exit 0.
    other = keys["other"]
    for argv in (
        ("tribe", other.key_type, other.blob),
        ("tribe", "ssh-rsa", daan.blob),
        ("tribe", daan.key_type, daan.blob[:-4] + "AAAA"),
        ("tribe", daan.key_type, "!!!"),
        ("tribe", "ssh-ed25519", "A" * 100_000),
    ):
        refused = authorized(*argv)
        assert (refused.returncode, refused.stdout, refused.stderr) == (0, "", ""), argv
    # When it cannot answer at all (no database, none reachable, a bad argument): nothing on
    # stdout and exit 0 (sshd refuses the key), and one line on stderr saying why (sshd logs it).
    for argv, why in (
        (("--db", "sqlite:////nonexistent/tribe.db", "tribe", daan.key_type, daan.blob), "no database file"),
        (("--db", "sqlite:///nonexistent/tribe.db", "tribe", daan.key_type, daan.blob), "no database file"),
        (("--db", "postgresql://nobody:geheim@127.0.0.1:9/x", "tribe", daan.key_type, daan.blob), "port 9"),
        (("--db", "mysql://x/y", "tribe", daan.key_type, daan.blob), "not a sqlite:/// or postgresql://"),
        (("--bogus", "tribe", daan.key_type, daan.blob), "--bogus"),
        (("tribe", daan.key_type), "USER KEYTYPE KEYBLOB"),
    ):
        refused = authorized(*argv)
        assert (refused.returncode, refused.stdout) == (0, ""), argv
        assert refused.stderr.count("\n") == 1 and why in refused.stderr, (argv, refused.stderr)
        assert refused.stderr.startswith("tribe-tui ssh authorized-keys: cannot answer"), refused.stderr
        assert "geheim" not in refused.stderr and daan.blob not in refused.stderr
    if backend == "sqlite":  # locked: another process holds the database exclusively
        import sqlite3

        from tribe_tui.db import sqlite_path
        from tribe_tui.models import database

        database.close()  # this process's own connection would share the WAL index with the holder
        holder = sqlite3.connect(str(sqlite_path(os.environ["TRIBE_DATABASE_URL"])), timeout=10)
        try:
            holder.execute("PRAGMA locking_mode=EXCLUSIVE")
            holder.execute("BEGIN EXCLUSIVE")
            locked = authorized("tribe", daan.key_type, daan.blob)
        finally:
            holder.rollback()
            holder.close()
        assert (locked.returncode, locked.stdout) == (0, "") and "locked" in locked.stderr, locked

    # Voormalig: the key stops working; back again: it works again.
    assert cli("employees", "former", "daan@acme.nl", "on").code == 0
    assert authorized("tribe", daan.key_type, daan.blob).stdout == ""
    assert cli("employees", "former", "daan@acme.nl", "off").code == 0
    assert authorized("tribe", daan.key_type, daan.blob).stdout != ""
    # Unlinked (no licence): refused too.
    assert cli("licences", "unlink", "daan@acme.nl").code == 0
    assert authorized("tribe", daan.key_type, daan.blob).stdout == ""
    assert cli("licences", "link", "daan@acme.nl").code == 0

    # A key's id in other digits is no id (R11: ASCII digits only): nothing removed.
    ids = [k["id"] for k in cli("ssh", "keys", "list", "--json").json]
    wide = str(ids[0]).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    assert cli("ssh", "keys", "remove", wide).code == 2
    assert [k["id"] for k in cli("ssh", "keys", "list", "--json").json] == ids

    # Removing the key: the next lookup finds nothing.
    removed = cli("ssh", "keys", "remove", keys["ed25519"].fingerprint)
    assert removed.code == 0, removed.err
    assert "ed25519 laptop" in removed.out
    assert authorized("tribe", daan.key_type, daan.blob).stdout == ""
    assert cli("ssh", "keys", "remove", keys["ed25519"].fingerprint).code == 2  # gone already

    # Every change is in the audit list, newest first; --who narrows to one person's actions.
    events = cli("audit", "list", "--json").json
    actions = [e["action"] for e in events]
    assert actions.count("ssh_key.added") == 3 and actions.count("ssh_key.removed") == 1
    assert events[actions.index("ssh_key.removed")]["before"]["fingerprint"] == keys["ed25519"].fingerprint
    assert cli("audit", "list", "--since", "2999-01-01", "--json").json == []
    assert cli("audit", "list", "--who", "daan@acme.nl", "--json").json == []  # the CLI is no employee
    assert cli("audit", "list", "--who", "nobody@acme.nl").code == 2
    assert cli("audit", "list", "--since", "gisteren").code == 2


def forced_command(line: str) -> list[str]:
    """The command= of a key line, split as the login shell sshd hands it to would split it."""
    import shlex

    command = line.split('command="', 1)[1].split('"', 1)[0]
    return shlex.split(command)


def on_a_terminal(argv: list[str], timeout: float = 20.0) -> tuple[int | None, str]:
    """Run argv with a terminal on stdin, stdout and stderr, as sshd runs a key's forced command
    (`pty`); (exit status, what it wrote). A program still running after `timeout` (a TUI that
    opened) is ended and gives None."""
    import pty
    import select
    import time

    leader, follower = pty.openpty()
    process = subprocess.Popen(argv, stdin=follower, stdout=follower, stderr=follower, start_new_session=True)
    os.close(follower)
    output = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # EIO: the program closed its terminal
                    chunk = b""
                output += chunk
                if not chunk and process.poll() is not None:
                    break
            elif process.poll() is not None:
                break
        code = process.poll()
        if code is None:
            process.kill()
        process.wait(10)
        return code, output.decode("utf-8", "replace")
    finally:
        os.close(leader)


def test_a_removed_key_never_becomes_the_next_keys_owner(cli, staff, keys, backend):
    """A key line is made when a client signs in and kept for as long as its connection lasts
    (OpenSSH's ControlMaster opens new sessions on it). The key is removed and someone else's key
    added: SQLite gives the new key the removed one's row id. The old line's forced command, run as
    sshd runs it, must not open the new owner's session."""
    from tribe_tui.models import AuditEvent, SshKey

    daan, emma = keys["ed25519"], keys["other"]
    assert add_key_by_cli(cli, "daan@acme.nl", daan, "laptop").code == 0
    old_id = SshKey.get(SshKey.fingerprint == daan.fingerprint).id
    line = authorized(
        "--command", os.path.join(os.path.dirname(sys.executable), "tribe-tui"), "tribe", *daan.line.split()[:2]
    ).stdout
    assert line.startswith("restrict,pty,command=")
    assert cli("ssh", "keys", "remove", daan.fingerprint).code == 0
    assert add_key_by_cli(cli, "emma@acme.nl", emma, "thuis").code == 0
    if backend == "sqlite":  # the reuse is real: the row id came back
        assert SshKey.get(SshKey.fingerprint == emma.fingerprint).id == old_id
    # Emma's own line is fine; Daan's old line opens nobody's session.
    assert authorized("tribe", *emma.line.split()[:2]).stdout != ""
    events = AuditEvent.select().count()
    code, shown = on_a_terminal(forced_command(line))
    assert code == 1 and "Inloggen is niet gelukt" in shown, (code, shown[-2000:])
    # A line of the older form (the row id alone), and the new key's identity with the old key's
    # fingerprint: refused the same way.
    emma_uid = SshKey.get(SshKey.fingerprint == emma.fingerprint).uid
    command = forced_command(line)[:-2]
    for argv in ([str(old_id)], [emma_uid, daan.fingerprint], [emma_uid], [emma_uid.upper(), emma.fingerprint]):
        code, shown = on_a_terminal([*command, *argv])
        assert code == 1 and "Inloggen is niet gelukt" in shown, (argv, code, shown[-2000:])
    assert AuditEvent.select().count() == events  # no session opened, nothing recorded


def test_hostile_keys_are_refused_with_one_line_and_nothing_stored(cli, staff, keys, dump, tmp_path):
    assert add_key_by_cli(cli, "emma@acme.nl", keys["other"], "thuis").code == 0
    before = (dump(), stored_keys())
    ed = keys["ed25519"]
    # A good signature (ed's, over the challenge for Daan): each refusal below is the key line's.
    sig = tmp_path / "ed.sig"
    sig.write_text(ed.sign(cli("ssh", "keys", "challenge", "daan@acme.nl", ed.line, "--json").json["challenge"]))
    private = ed.private.read_text()
    hostile = {
        "options": f'command="/bin/sh" {ed.line}',
        "options, no space": f'no-pty,from="*" {ed.line}',
        "newline": f"{ed.line}\n{keys['ecdsa'].line}",
        "carriage return": ed.line.replace(" ", "\r", 1),
        "private key": private,
        "private key, one line": " ".join(private.split()),
        "rsa 1024": keys["rsa1024"].line,
        "a colleague's key": keys["other"].line,
        "100 KB blob": f"ssh-ed25519 {'A' * 100_000}",
        "not base64": "ssh-ed25519 !!!notbase64!!!",
        "type and key disagree": f"ssh-rsa {ed.blob}",
        "dsa": "ssh-dss AAAAB3NzaC1kc3MAAACBAP",
        "empty": "",
        "escape sequence": f"{ed.line} \x1b[2J",
    }
    for what, line in hostile.items():
        result = cli("ssh", "keys", "add", "daan@acme.nl", line, "--name", "laptop", "--signature", str(sig))
        assert result.code == 2, (what, result)
        assert result.out == "" and result.err.count("\n") == 1 and result.err.startswith("tribe-tui: "), (
            what,
            result.err,
        )
        assert ed.blob[20:40] not in result.err and "PRIVATE" not in result.err, (what, result.err)  # no echo
    # A bad name, and a key through stdin with a second line: refused the same way.
    for argv in (
        ("daan@acme.nl", ed.line, "--name", ""),
        ("daan@acme.nl", ed.line, "--name", "a\x1b[31mb"),
        ("nobody@acme.nl", ed.line, "--name", "laptop"),
    ):
        assert cli("ssh", "keys", "add", *argv, "--signature", str(sig)).code == 2, argv
    assert (dump(), stored_keys()) == before

    specific = {
        "options": "zonder opties",
        "private key": "privésleutel",
        "rsa 1024": "3072 bits",
        "a colleague's key": "Handtekening: geen handtekening van sleutel",
        "100 KB blob": "te lang",
        "newline": "één regel",
    }
    for what, words in specific.items():
        said = cli("ssh", "keys", "add", "daan@acme.nl", hostile[what], "--name", "laptop", "--signature", str(sig)).err
        assert words in said, (what, said)


def test_the_lookup_and_sign_in_apply_the_same_rule():
    """authorized_keys.may_sign_in is services.signin.may_use on plain values."""
    from datetime import date
    from types import SimpleNamespace

    from tribe_tui.authorized_keys import may_sign_in
    from tribe_tui.services.signin import may_use

    paid_until, today = date(2027, 5, 31), date(2027, 6, 1)
    for former in (False, True):
        for status in ("active", "cancelled", "ended"):
            for licence in (None, True, False):  # none, auto-renew on, off
                for day in (date(2027, 5, 31), today):
                    employee = SimpleNamespace(former=former)
                    org = SimpleNamespace(status=status, paid_until=paid_until)
                    lic = None if licence is None else SimpleNamespace(auto_renew=licence)
                    assert may_sign_in(
                        former, status, paid_until, None if licence is None else 1, licence, day
                    ) == may_use(employee, org, lic, day), (former, status, licence, day)


def test_the_policy_is_kept_per_organisation_and_audited(cli, org):
    assert cli("ssh", "policy", "--json").json == {"policy": "key+password"}
    assert cli("ssh", "policy", "key", "--json").json == {"policy": "key"}
    assert cli("ssh", "policy", "--json").json == {"policy": "key"}
    refused = cli("ssh", "policy", "key-only")
    assert refused.code == 2 and refused.err.count("\n") == 1
    event = cli("audit", "list", "--json").json[0]
    assert (event["action"], event["before"], event["after"]) == (
        "ssh.policy",
        {"policy": "key+password"},
        {"policy": "key"},
    )
