"""SSH keys as identity, end to end: a real OpenSSH sshd on 127.0.0.1 asks tribe-tui for the
keys (`AuthorizedKeysCommand`, the README's `Match` block with this test's paths), and each key's
line forces `tribe-tui ssh session KEY_ID`.

Two organisations: the demo's admin Alice (Sanne van der Berg) with policy `key`, Bob's own
organisation with the default `key+password`. Login user and AuthorizedKeysCommandUser: root, for
the reason tests/reliability/test_ssh.py gives (the test's interpreter lives under /root, 0700).
The lookup's unprivileged user is checked separately, below, the way docs/ssh.md sets it up.
"""

from __future__ import annotations

import os
import pwd
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import TODAY, billing_args
from tests.reliability.sshd import (
    Sshd,
    Tmux,
    end_pids,
    install_keys_command,
    remove_keys_command,
    wait_for,
)
from tests.reliability.test_ssh import STEP, flat, sshd_binary, tribe_tui_executable  # noqa: F401 (fixture)
from tests.ssh_keys import Key, add_key_by_cli, keygen

README = Path(__file__).resolve().parents[2] / "README.md"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "ssh.md"
BOB_PASSWORD = "Bobs-eigen-wachtwoord-7"


def readme_match_block() -> str:
    """The sshd_config block the README tells operators to add."""
    found = re.search(r"```\n(Match User tribe\n.*?)```", README.read_text(), re.S)
    assert found, "README: no sshd_config block starting with 'Match User tribe'"
    return found.group(1)


class KeysSshd(Sshd):
    """sshd with the README's block: keys from `tribe-tui ssh authorized-keys`, no key file."""

    def __init__(self, home: Path, *, user: str, match_block: str) -> None:
        super().__init__(home, user=user, command=Path("/nonexistent"))
        self.match_block = match_block

    def config(self) -> str:
        h = self.home
        return "\n".join(
            [
                f"Port {self.port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {h / 'host_ed25519'}",
                f"PidFile {h / 'sshd.pid'}",
                f"AllowUsers {self.user}",
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "UsePAM no",
                "PrintMotd no",
                "PrintLastLog no",
                "LogLevel VERBOSE",
                "AuthorizedKeysFile none",
                "",
                self.match_block,
            ]
        )

    def ssh(self, key: Key, *, tty: bool = True) -> list[str]:
        return self.ssh_command("nl_NL.UTF-8", key.private, tty=tty)


@pytest.fixture
def keys_command(sshd_binary):  # noqa: F811
    """The lookup installed as the README says (root-owned, no one else may write it or a folder
    above it), so sshd accepts it wherever this checkout lives."""
    command = install_keys_command(tribe_tui_executable())
    try:
        yield command
    finally:
        remove_keys_command(command)


def session_wrapper(home: Path, url: str) -> tuple[Path, Path]:
    """The command the key lines force (`--command`), and the file it writes its process ids to
    (teardown ends a stuck session by them)."""
    pid_file = home / "sessions.pid"
    wrapper = home / "tribe-tui-session"
    wrapper.write_text(
        "#!/bin/sh\n"
        f"echo $$ >> {shlex.quote(str(pid_file))}\n"
        f"export TRIBE_DATABASE_URL={shlex.quote(url)} TRIBE_TODAY={TODAY.isoformat()}\n"
        "export TEXTUAL_ANIMATIONS=none\n"
        f'exec {shlex.quote(tribe_tui_executable())} "$@"\n'
    )
    wrapper.chmod(0o700)
    return wrapper, pid_file


def keys_sshd(home: Path, url: str, keys_command: Path, wrapper: Path) -> KeysSshd:
    """sshd with the README's Match block, for the current user, with this test's paths."""
    user = pwd.getpwuid(os.geteuid()).pw_name
    documented_db = "sqlite:////var/lib/tribe-tui/tribe.db"
    block = readme_match_block()
    assert f"--db {documented_db} %u %t %k" in block
    block = (
        block.replace("Match User tribe", f"Match User {user}")
        .replace("AuthorizedKeysCommandUser tribe-keys", f"AuthorizedKeysCommandUser {user}")
        .replace(f"--db {documented_db}", f"--db {url} --today {TODAY.isoformat()} --command {wrapper}")
        .replace("/opt/tribe-tui/bin/tribe-tui", str(keys_command))
        .replace(documented_db, url)
    )
    return KeysSshd(home, user=user, match_block=block)


def tribe(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run([tribe_tui_executable(), *argv], input=stdin, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, (argv, done.stderr)
    return done


def add_key(email: str, key: Key, name: str, org: str) -> None:
    """As an operator would: the challenge, the key's holder signs it, the key with its signature
    (the key on stdin, the signature from a file)."""
    import json

    text = json.loads(tribe("ssh", "keys", "challenge", email, key.line, "--org", org, "--json").stdout)["challenge"]
    signature = key.private.parent / f"{key.private.name}.sig"
    signature.write_text(key.sign(text))
    tribe("ssh", "keys", "add", email, "--name", name, "--signature", str(signature), "--org", org, stdin=key.line)


def test_each_key_signs_in_as_its_owner_by_the_organisations_policy(keys_command, tmp_path):
    import json

    from tribe_tui.services.demo import DEMO_ADMIN_EMAIL, DEMO_ORG

    url = os.environ["TRIBE_DATABASE_URL"]
    home = tmp_path / "ssh"
    home.mkdir(mode=0o700)
    keys = {name: keygen(home, name) for name in ("alice", "bob", "carol", "stranger")}

    # Alice: the demo's admin, policy key. Bob: his own organisation, policy key+password (default).
    tribe("demo", "--no-open")
    tribe("ssh", "policy", "key", "--org", "demo")
    add_key(DEMO_ADMIN_EMAIL, keys["alice"], "alice-laptop", "demo")
    bob_org = json.loads(
        tribe(
            "init",
            "--org",
            "Bob B.V.",
            "--admin-email",
            "bob@bob.nl",
            "--admin-username",
            "bob",
            "--admin-name",
            "Bob Bakker",
            *billing_args("Bob B.V."),
            "--password-stdin",
            "--json",
            stdin=BOB_PASSWORD + "\n",
        ).stdout
    )["organisation"]
    add_key("bob@bob.nl", keys["bob"], "bob-laptop", bob_org)
    # Carol: a demo colleague with a licence and a key, then made Voormalig.
    carol = next(
        e
        for e in json.loads(tribe("employees", "list", "--json", "--org", "demo").stdout)
        if e["role"] == "user" and e["licence"]
    )
    add_key(carol["email"], keys["carol"], "carol", "demo")
    tribe("employees", "former", carol["email"], "on", "--org", "demo")

    wrapper, pid_file = session_wrapper(home, url)
    sshd = keys_sshd(home, url, keys_command, wrapper)
    tmux = Tmux(80, 24)
    try:
        sshd.start()

        # Alice's key: straight onto her organisation's overview, no password.
        tmux.start("alice", sshd.ssh(keys["alice"]), home / "alice.status")
        assert wait_for(lambda: DEMO_ORG in flat(tmux.screen("alice")) and "Let op!" in tmux.screen("alice"), STEP), (
            tmux.screen("alice"),
            sshd.log_text()[-3000:],
        )
        tmux.press("alice", "C-q")
        assert wait_for(lambda: (home / "alice.status").exists() and (home / "alice.status").read_text().strip(), STEP)
        assert (home / "alice.status").read_text().strip() == "0"

        # Bob's key: the sign-in screen, his username fixed; only his password is asked.
        tmux.start("bob", sshd.ssh(keys["bob"]), home / "bob.status")
        assert wait_for(lambda: "Inloggen" in tmux.screen("bob") and " bob " in flat(tmux.screen("bob")), STEP), (
            tmux.screen("bob"),
            sshd.log_text()[-3000:],
        )
        tmux.type("bob", BOB_PASSWORD)
        tmux.press("bob", "Enter")
        assert wait_for(lambda: "Bob B.V." in flat(tmux.screen("bob")) and "Let op!" in tmux.screen("bob"), STEP), (
            tmux.screen("bob")
        )
        assert BOB_PASSWORD not in tmux.screen("bob")
        tmux.press("bob", "C-q")
        assert wait_for(lambda: (home / "bob.status").exists() and (home / "bob.status").read_text().strip(), STEP)

        # An unknown key and a Voormalig colleague's key: sshd refuses them.
        for name in ("stranger", "carol"):
            refused = subprocess.run(
                [*sshd.ssh(keys[name], tty=False), "true"], capture_output=True, text=True, timeout=60
            )
            assert refused.returncode == 255 and "Permission denied (publickey)" in refused.stderr, (name, refused)

        # Another command than the key's cannot be run: the session runs, finds no terminal, ends.
        marker = home / "pwned"
        other = subprocess.run(
            [*sshd.ssh(keys["alice"], tty=False), f"touch {marker}; echo PWNED"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert other.returncode == 2 and "PWNED" not in other.stdout + other.stderr and not marker.exists(), other
        assert "terminal" in other.stderr and other.stderr.count("\n") == 1, other.stderr
        assert sshd.log_text().count("Accepted publickey for ") == 3
    finally:
        tmux.kill()
        end_pids(pid_file)
        sshd.stop()

    # The audit list: both sessions, each with its person and key.
    demo_events = json.loads(tribe("audit", "list", "--org", "demo", "--json").stdout)
    opened = [e for e in demo_events if e["action"] == "sign_in"]
    # (Her `ssh -T` attempt opened no session: refused before it, for want of a terminal.) Policy
    # key: the key alone signed her in; Bob (key+password) signed in when he gave his password.
    assert [(e["email"], e["key_fingerprint"]) for e in opened] == [(DEMO_ADMIN_EMAIL, keys["alice"].fingerprint)]
    bob_events = json.loads(tribe("audit", "list", "--org", bob_org, "--who", "bob@bob.nl", "--json").stdout)
    assert [(e["action"], e["key_fingerprint"]) for e in bob_events] == [("sign_in", keys["bob"].fingerprint)]
    shown = tribe("audit", "list", "--org", bob_org).stdout
    assert "Bob Bakker <bob@bob.nl>" in shown and keys["bob"].fingerprint in shown
    shutil.rmtree(home, ignore_errors=True)


def test_a_connection_kept_open_after_its_key_was_removed_opens_no_one_elses_session(keys_command, tmp_path):
    """OpenSSH's ControlMaster: a client keeps its connection and opens new sessions on it, each
    with the command sshd forced when the connection signed in. Its key is removed and the demo's
    admin adds a key (on SQLite the new row takes the removed one's id): the next session on the
    old connection must not be the admin's console (policy `key`), it must not open at all."""
    import json

    from tribe_tui.services.demo import DEMO_ADMIN_EMAIL, DEMO_ORG

    url = os.environ["TRIBE_DATABASE_URL"]
    home = tmp_path / "ssh"
    home.mkdir(mode=0o700)
    keys = {name: keygen(home, name) for name in ("colleague", "admin")}
    tribe("demo", "--no-open")
    tribe("ssh", "policy", "key", "--org", "demo")
    colleague = next(
        e
        for e in json.loads(tribe("employees", "list", "--json", "--org", "demo").stdout)
        if e["role"] == "user" and e["licence"]
    )
    add_key(colleague["email"], keys["colleague"], "oud", "demo")
    wrapper, pid_file = session_wrapper(home, url)
    sshd = keys_sshd(home, url, keys_command, wrapper)
    control = Path(tempfile.mkdtemp(prefix="cm-")) / "s"  # a socket path must stay short
    master = None
    try:
        sshd.start()
        base = sshd.ssh(keys["colleague"], tty=False)
        master = subprocess.Popen(
            [*base[:-1], "-o", "ControlMaster=yes", "-o", f"ControlPath={control}", "-N", base[-1]],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        assert wait_for(lambda: control.exists() or master.poll() is not None, STEP) and control.exists(), (
            sshd.log_text()[-3000:]
        )
        reuse = [*base[:-1], "-o", "ControlMaster=no", "-o", f"ControlPath={control}", base[-1]]
        # On the open connection a new session runs the colleague's key command (no terminal: it
        # says so and ends), without signing in again.
        first = subprocess.run(reuse, capture_output=True, text=True, timeout=60)
        assert first.returncode == 2 and "terminal" in first.stderr, first

        tribe("ssh", "keys", "remove", keys["colleague"].fingerprint, "--org", "demo")
        add_key(DEMO_ADMIN_EMAIL, keys["admin"], "nieuw", "demo")
        # With a terminal, as the admin's console would open (`-tt`: the server gives one). Before
        # key identities this opened the demo admin's overview, and ran until the time-out.
        again = subprocess.run(
            ["-tt" if part == "-T" else part for part in reuse], capture_output=True, text=True, timeout=2 * STEP
        )
        assert again.returncode == 1 and "Inloggen is niet gelukt" in again.stdout, again
        assert DEMO_ORG not in flat(again.stdout)
        assert sshd.log_text().count("Accepted publickey for ") == 1  # all of it on the one connection
    finally:
        if master is not None:
            master.terminate()
            master.wait(10)
        shutil.rmtree(control.parent, ignore_errors=True)
        end_pids(pid_file)
        sshd.stop()
    opened = [
        e
        for e in json.loads(tribe("audit", "list", "--org", "demo", "--json").stdout)
        if e["action"] == "ssh.session_opened"
    ]
    assert opened == []
    shutil.rmtree(home, ignore_errors=True)


def test_when_the_lookup_cannot_answer_sshd_logs_why(keys_command, tmp_path):
    """The README's promises to operators, at a real sshd: a lookup that runs but finds no database
    refuses the key and its one line of stderr lands in sshd's log; a lookup whose interpreter the
    lookup user may not execute refuses every key, and sshd's log names that."""
    home = tmp_path / "ssh"
    home.mkdir(mode=0o700)
    key = keygen(home, "someone")
    url = f"sqlite:///{tmp_path / 'no-such' / 'tribe.db'}"
    wrapper, _ = session_wrapper(home, url)

    def refused_and_logged(sshd: KeysSshd, *said: str) -> None:
        sshd.start()
        try:
            done = subprocess.run([*sshd.ssh(key, tty=False), "true"], capture_output=True, text=True, timeout=60)
            assert done.returncode == 255 and "Permission denied (publickey)" in done.stderr, done
            log = sshd.log_text()
            assert all(words in log for words in said), log[-3000:]
        finally:
            sshd.stop()

    refused_and_logged(
        keys_sshd(home, url, keys_command, wrapper),
        "tribe-tui ssh authorized-keys: cannot answer, so every key is refused: no database file "
        f"{tmp_path / 'no-such' / 'tribe.db'}",
    )

    # A console script whose interpreter sits in a folder the lookup user (nobody) may not enter,
    # as a venv made from a Python under /root would be.
    unrunnable = install_keys_command("/bin/true")
    try:
        private = unrunnable.parent / "private"
        private.mkdir(mode=0o700)
        (private / "python3").symlink_to(sys.executable)
        unrunnable.write_text(f"#!{private}/python3\nraise SystemExit('never runs')\n")
        (home / "second").mkdir(mode=0o700)
        sshd = keys_sshd(home / "second", url, unrunnable, wrapper)
        user = pwd.getpwuid(os.geteuid()).pw_name
        sshd.match_block = sshd.match_block.replace(
            f"AuthorizedKeysCommandUser {user}", "AuthorizedKeysCommandUser nobody"
        )
        refused_and_logged(sshd, f'AuthorizedKeysCommand execve "{unrunnable} ssh authorized-keys', "Permission denied")
    finally:
        remove_keys_command(unrunnable)
    shutil.rmtree(home, ignore_errors=True)


def test_the_readme_sshd_block_passes_sshd_t(sshd_binary, tmp_path):  # noqa: F811
    """The documented block as it stands (only the host key and the users are the test's)."""
    key = keygen(tmp_path, "host")
    user = pwd.getpwuid(os.geteuid()).pw_name
    config = tmp_path / "sshd_config"
    config.write_text(
        f"HostKey {key.private}\nPidFile {tmp_path / 'pid'}\nUsePAM no\n\n"
        + readme_match_block().replace("tribe-keys", user)
    )
    checked = subprocess.run(["/usr/sbin/sshd", "-t", "-f", str(config)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


# --- the lookup's unprivileged user (docs/ssh.md) ---------------------------------------------------


def _lookup_as(user: str, group: str, python: str, package: Path, url: str, key: Key) -> subprocess.CompletedProcess:
    """`tribe_tui.authorized_keys` as `user` (only `group` besides), as sshd would run it."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); from tribe_tui.authorized_keys import main; "
        "sys.exit(main(sys.argv[2:]))"
    )
    return subprocess.run(
        [
            "setpriv",
            f"--reuid={user}",
            f"--regid={group}",
            "--clear-groups",
            python,
            "-c",
            script,
            str(package),
            "--db",
            url,
            "--today",
            TODAY.isoformat(),
            "--command",
            "/bin/true",
            "tribe",
            key.key_type,
            key.blob,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
    )


def test_the_lookup_reads_the_database_as_an_unprivileged_user(cli, backend, tmp_path):
    assert cli("demo", "--no-open").code == 0
    from tribe_tui.services.demo import DEMO_ADMIN_EMAIL

    key = keygen(tmp_path, "id")
    assert add_key_by_cli(cli, DEMO_ADMIN_EMAIL, key, "laptop").code == 0
    if backend == "postgres":
        _as_read_only_role(key)
        return
    # SQLite: the database in a 2750 folder of group nogroup, the file 0640: `nobody` may only read.
    # The interpreter and the module must be reachable for nobody: a copy of the (stdlib-only)
    # module outside the test's private folders, and an interpreter nobody can run.
    public = Path(tempfile.mkdtemp(prefix="tribe-keys-"))
    try:
        public.chmod(0o755)
        (public / "tribe_tui").mkdir(mode=0o755)
        for name in ("__init__.py", "authorized_keys.py"):
            shutil.copy(Path(__file__).resolve().parents[2] / "tribe_tui" / name, public / "tribe_tui" / name)
        python = next(
            (
                p
                for p in (sys.executable, "/usr/bin/python3")
                if subprocess.run(
                    ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", p, "-c", "import sqlite3"],
                    capture_output=True,
                ).returncode
                == 0
            ),
            None,
        )
        assert python, "no Python interpreter that the user nobody may run (the test needs one)"
        folder = public / "db"
        folder.mkdir()
        os.chown(folder, 0, pwd.getpwnam("nobody").pw_gid)
        folder.chmod(0o2750)
        from tribe_tui.db import sqlite_path

        source = sqlite_path(os.environ["TRIBE_DATABASE_URL"])
        assert cli("backup", str(folder / "tribe.db")).code == 0  # a consistent copy, made by tribe-tui
        database = folder / "tribe.db"
        os.chown(database, 0, pwd.getpwnam("nobody").pw_gid)
        database.chmod(0o640)
        url = f"sqlite:///{database}"
        import sqlite3

        with sqlite3.connect(database) as copy:  # the copy in WAL mode, as tribe-tui keeps its database
            copy.execute("PRAGMA journal_mode=wal")
        copy.close()
        assert source is not None and not Path(f"{database}-wal").exists()
        assert database.read_bytes()[18:20] == b"\x02\x02"  # the header says WAL

        closed = _lookup_as("nobody", "nogroup", python, public, url, key)  # no one has it open: no -wal
        assert closed.stdout.endswith(f"{key.key_type} {key.blob}\n"), closed
        # While a writer has it open: its -wal and -shm exist, with the file's mode (SQLite gives
        # them that; the group comes from the folder's setgid bit, or here from root's SQLite).
        writer = sqlite3.connect(database)
        try:
            writer.execute("UPDATE organisation SET version = version + 1")
            writer.commit()
            assert Path(f"{database}-wal").exists()
            assert oct(Path(f"{database}-wal").stat().st_mode & 0o777) == "0o640"
            opened = _lookup_as("nobody", "nogroup", python, public, url, key)
            assert opened.stdout.endswith(f"{key.key_type} {key.blob}\n"), opened
            # nobody could not have written: not even the folder takes a new file.
            denied = subprocess.run(
                ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "touch", str(folder / "x")],
                capture_output=True,
            )
            assert denied.returncode != 0
        finally:
            writer.close()
        # Without the group, nothing (sshd refuses the key), and one line on stderr saying why.
        outsider = _lookup_as("nobody", "daemon", python, public, url, key)
        assert (outsider.returncode, outsider.stdout) == (0, ""), outsider
        assert outsider.stderr.count("\n") == 1 and f"may not enter {folder}" in outsider.stderr, outsider
    finally:
        shutil.rmtree(public, ignore_errors=True)


def _as_read_only_role(key: Key) -> None:
    """PostgreSQL: docs/ssh.md's statements for a scratch role; the lookup as that role."""
    import uuid

    import psycopg2

    from tribe_tui.authorized_keys import lookup

    url = os.environ["TRIBE_DATABASE_URL"]
    role = f"tribe_keys_{uuid.uuid4().hex[:8]}"
    database = url.rsplit("/", 1)[1]
    sql = re.search(r"```sql\n(.*?)```", DOCS.read_text(), re.S)
    assert sql, "docs/ssh.md: no ```sql block"
    statements = [
        s.strip()
        for s in sql.group(1)
        .replace("tribe_keys", role)
        .replace("DATABASE tribe ", f'DATABASE "{database}" ')
        .split(";")
        if s.strip()
    ]
    admin = psycopg2.connect(url)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            for statement in statements:
                cur.execute(statement)
        server = url.rsplit("/", 1)[0].split("://", 1)[1].split("@")[-1]
        as_role = f"postgresql://{role}:choose-one@{server}/{database}"
        found = lookup(as_role, key.key_type, key.blob, TODAY)
        assert found is not None and found[1:] == (key.fingerprint, key.key_type, key.blob)
        # The role reads no more than the rule needs, and writes nothing.
        reader = psycopg2.connect(as_role)
        try:
            for query in (
                "SELECT email FROM employee",
                "SELECT password_hash FROM employee",
                "SELECT * FROM audit_event",
                "UPDATE ssh_key SET name = 'x'",
            ):
                with pytest.raises(psycopg2.Error), reader.cursor() as cur:
                    cur.execute(query)
                reader.rollback()
        finally:
            reader.close()
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP OWNED BY "{role}"')
            cur.execute(f'DROP ROLE "{role}"')
        admin.close()
