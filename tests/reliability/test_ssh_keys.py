"""SSH keys as identity (#15), end to end: a real OpenSSH sshd on 127.0.0.1 asks tribe-tui for the
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
from tests.reliability.sshd import Sshd, Tmux, end_pids, wait_for
from tests.reliability.test_ssh import STEP, flat, sshd_binary, tribe_tui_executable  # noqa: F401 (fixture)
from tests.ssh_keys import Key, keygen

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
        return [
            "env",
            "LANG=nl_NL.UTF-8",
            "ssh",
            "-tt" if tty else "-T",
            "-F",
            "/dev/null",
            "-p",
            str(self.port),
            "-i",
            str(key.private),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "ConnectTimeout=10",
            "-o",
            "SendEnv=LANG",
            f"{self.user}@127.0.0.1",
        ]


def tribe(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run([tribe_tui_executable(), *argv], input=stdin, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, (argv, done.stderr)
    return done


def test_each_key_signs_in_as_its_owner_by_the_organisations_policy(sshd_binary, tmp_path):  # noqa: F811
    import json

    from tribe_tui.services.demo import DEMO_ADMIN_EMAIL, DEMO_ORG

    url = os.environ["TRIBE_DATABASE_URL"]
    home = tmp_path / "ssh"
    home.mkdir(mode=0o700)
    keys = {name: keygen(home, name) for name in ("alice", "bob", "carol", "stranger")}

    # Alice: the demo's admin, policy key. Bob: his own organisation, policy key+password (default).
    tribe("demo", "--no-open")
    tribe("ssh", "policy", "key", "--org", "demo")
    tribe("ssh", "keys", "add", DEMO_ADMIN_EMAIL, "--name", "alice-laptop", "--org", "demo", stdin=keys["alice"].line)
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
    tribe("ssh", "keys", "add", "bob@bob.nl", keys["bob"].line, "--name", "bob-laptop", "--org", bob_org)
    # Carol: a demo colleague with a licence and a key, then made Voormalig.
    carol = next(
        e
        for e in json.loads(tribe("employees", "list", "--json", "--org", "demo").stdout)
        if e["role"] == "user" and e["licence"]
    )
    tribe("ssh", "keys", "add", carol["email"], keys["carol"].line, "--name", "carol", "--org", "demo")
    tribe("employees", "former", carol["email"], "on", "--org", "demo")

    # The session wrapper the key lines force (its id lets teardown end a stuck session).
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
    user = pwd.getpwuid(os.geteuid()).pw_name
    documented_db = "sqlite:////var/lib/tribe-tui/tribe.db"
    block = readme_match_block()
    assert f"--db {documented_db} %u %t %k" in block
    block = (
        block.replace("Match User tribe", f"Match User {user}")
        .replace("AuthorizedKeysCommandUser tribe-keys", f"AuthorizedKeysCommandUser {user}")
        .replace(f"--db {documented_db}", f"--db {url} --today {TODAY.isoformat()} --command {wrapper}")
        .replace("/opt/tribe-tui/bin/tribe-tui", tribe_tui_executable())
        .replace(documented_db, url)
    )
    sshd = KeysSshd(home, user=user, match_block=block)
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
    opened = [e for e in demo_events if e["action"] == "ssh.session_opened"]
    # (Her `ssh -T` attempt opened no session: refused before it, for want of a terminal.)
    assert [(e["email"], e["key_fingerprint"]) for e in opened] == [(DEMO_ADMIN_EMAIL, keys["alice"].fingerprint)]
    bob_events = json.loads(tribe("audit", "list", "--org", bob_org, "--who", "bob@bob.nl", "--json").stdout)
    assert [(e["action"], e["key_fingerprint"]) for e in bob_events] == [
        ("ssh.session_opened", keys["bob"].fingerprint)
    ]
    shown = tribe("audit", "list", "--org", bob_org).stdout
    assert "Bob Bakker <bob@bob.nl>" in shown and keys["bob"].fingerprint in shown
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
    assert cli("ssh", "keys", "add", DEMO_ADMIN_EMAIL, key.line, "--name", "laptop").code == 0
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
        # Without the group, nothing (and silence: sshd refuses the key).
        outsider = _lookup_as("nobody", "daemon", python, public, url, key)
        assert (outsider.returncode, outsider.stdout, outsider.stderr) == (0, "", "")
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
        assert found is not None and found[1:] == (key.key_type, key.blob)
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
