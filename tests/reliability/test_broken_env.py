"""Broken environments: a damaged or foreign file as --db, a read-only database, a full disk, a
database from a newer release, an unreachable server. Each gives one clear line and exit 1, never
a traceback, and leaves the file as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.conftest import actor_env, one_line_refusal, open_db, snapshot


def _tribe(
    *argv: str, db: str | None = None, preexec=None, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess:
    """The real command in a process of its own."""
    command = [*prefix, sys.executable, "-m", "tribe_tui", *argv] + (["--db", db] if db else [])
    return subprocess.run(command, env=actor_env(), capture_output=True, text=True, timeout=60, preexec_fn=preexec)


def _assert_refused(result, *words: str) -> None:
    assert one_line_refusal(result.returncode, result.stderr) and result.returncode == 1, (result.stdout, result.stderr)
    for word in words:
        assert word in result.stderr, result.stderr


def _real_database(folder: Path) -> Path:
    path = folder / "real.db"
    assert _tribe("demo", "--no-open", db=f"sqlite:///{path}").returncode == 0
    return path


@pytest.mark.parametrize("kind", ["text", "random", "truncated", "zeroed-header"])
def test_a_damaged_or_foreign_file_is_refused_and_left_alone(tmp_path, kind):
    path = tmp_path / f"{kind}.db"
    if kind == "text":
        path.write_text("Dit is geen database.\n" * 50)
    elif kind == "random":
        path.write_bytes(os.urandom(64 * 1024))
    else:
        data = _real_database(tmp_path).read_bytes()
        path.write_bytes(data[: len(data) // 3] if kind == "truncated" else b"\0" * 100 + data[100:])
    original = path.read_bytes()
    for argv in (
        ("account", "show"),
        ("licences", "add", "1"),
        ("init", "--org", "X", "--admin-email", "a@b.nl", "--admin-username", "beheerder"),
    ):
        result = _tribe(*argv, db=f"sqlite:///{path}")
        _assert_refused(result, "database")
    assert path.read_bytes() == original


def test_a_directory_as_database_is_refused(tmp_path):
    _assert_refused(_tribe("account", "show", db=f"sqlite:///{tmp_path}"), str(tmp_path))


def _without_file_permission_override():
    """Root ignores file modes; without CAP_DAC_OVERRIDE (bounding set, via setpriv) it does not."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    assert setpriv, "running as root: util-linux's setpriv is needed to drop CAP_DAC_OVERRIDE"
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search", "--")


@pytest.mark.parametrize("writable_dir", [False, True], ids=["read-only-dir", "read-only-file"])
def test_a_read_only_database_refuses_changes_in_one_line(tmp_path, writable_dir):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = _real_database(folder)
    before = path.read_bytes()
    path.chmod(0o400)
    folder.chmod(0o700 if writable_dir else 0o500)
    prefix = _without_file_permission_override()
    try:
        for argv in (
            ("licences", "add", "1"),
            ("billing-details", "set", "city=Zwolle"),
            ("cancel", "--reason", "x", "--yes"),
        ):
            result = _tribe(*argv, db=f"sqlite:///{path}", prefix=prefix)
            _assert_refused(result)
            assert "alleen-lezen" in result.stderr or "readonly" in result.stderr, result.stderr
        shown = _tribe("account", "show", "--json", db=f"sqlite:///{path}", prefix=prefix)
        if writable_dir:  # reading still works when SQLite may create its shared-memory file
            assert shown.returncode == 0, shown.stderr
        else:
            _assert_refused(shown)
    finally:
        folder.chmod(0o700)
        path.chmod(0o600)
    assert path.read_bytes() == before


def test_a_full_disk_refuses_the_change_and_keeps_the_database_whole(cli, tmp_path, monkeypatch):
    """SQLite's own limit on the file's pages makes writes fail with SQLITE_FULL, as a full disk does."""
    from tribe_tui import db

    url = f"sqlite:///{tmp_path / 'full.db'}"
    assert cli("demo", "--no-open", "--db", url).code == 0
    pages = sqlite3.connect(tmp_path / "full.db").execute("PRAGMA page_count").fetchone()[0]
    monkeypatch.setattr(db, "SQLITE_PRAGMAS", db.SQLITE_PRAGMAS + (("max_page_count", pages),))
    monkeypatch.setenv("TRIBE_DATABASE_URL", url)
    before = snapshot()
    result = cli("licences", "add", "5000")
    assert one_line_refusal(result.code, result.err) and result.code == 1, result
    assert "vol" in result.err
    result = cli("licences", "add", "5000", "--lang", "en")
    assert result.err == "tribe-tui: The disk (or the database) is full: nothing was changed.\n"
    assert snapshot() == before
    monkeypatch.setattr(db, "SQLITE_PRAGMAS", db.SQLITE_PRAGMAS[:-1])
    assert cli("licences", "add", "5000").code == 0  # room again: the same action works
    assert sqlite3.connect(tmp_path / "full.db").execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_file_damaged_inside_is_refused_before_anything_is_written_into_it(tmp_path):
    """A sound header and a broken page in the middle (a bad sector, a torn copy): opening works,
    so unless the page is checked when it is read, the next change writes into the damaged tree and
    spreads the damage. A read that never meets the page still works; `check` names it."""
    path = _real_database(tmp_path)
    check = sqlite3.connect(path)
    page_size = check.execute("PRAGMA page_size").fetchone()[0]
    root = check.execute("SELECT rootpage FROM sqlite_master WHERE name = 'audit_event'").fetchone()[0]
    check.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start + 8 : start + 200] = bytes(range(192))  # the page's cell pointers point nowhere
    path.write_bytes(bytes(data))
    for argv in (("licences", "add", "1"), ("billing-details", "set", "city=Zwolle"), ("licences", "add", "1")):
        result = _tribe(*argv, db=f"sqlite:///{path}")  # each writes an audit event: into that page
        _assert_refused(result, "damaged", "nothing was changed")
        assert path.read_bytes() == bytes(data), argv
        assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0, argv
    assert _tribe("account", "show", "--json", db=f"sqlite:///{path}").returncode == 0  # never reads that page
    found = _tribe("check", "--json", db=f"sqlite:///{path}")
    assert found.returncode == 1 and json.loads(found.stdout)["checks"][0] == {
        "name": "integrity",
        "ok": False,
        "problems": json.loads(found.stdout)["checks"][0]["problems"],
        "listed": json.loads(found.stdout)["checks"][0]["listed"],
        "skipped": None,
    }
    assert json.loads(found.stdout)["checks"][0]["problems"] >= 1
    assert path.read_bytes() == bytes(data)  # the check reads only


def _leaf_pages(data: bytes, page_size: int, root: int) -> list[int]:
    """The leaf pages of the table b-tree rooted at `root`, left to right (SQLite's file format:
    an interior table page, type 5, holds child page numbers and one right-most child)."""
    offset = (root - 1) * page_size + (100 if root == 1 else 0)
    if data[offset] != 5:
        return [root]
    cells = int.from_bytes(data[offset + 3 : offset + 5], "big")
    base = (root - 1) * page_size
    children = [
        int.from_bytes(data[base + pointer : base + pointer + 4], "big")
        for pointer in (int.from_bytes(data[offset + 12 + 2 * i : offset + 14 + 2 * i], "big") for i in range(cells))
    ]
    children.append(int.from_bytes(data[offset + 8 : offset + 12], "big"))
    return [leaf for child in children for leaf in _leaf_pages(data, page_size, child)]


def test_opening_reads_only_what_it_uses_not_the_whole_file(tmp_path):
    """Every leaf of the licence and employee tables but the last (a third of the file) is garbage:
    a start that read every page (as a check at each open did: ~2 ms per MB, on every command and
    TUI start) would refuse the file. The account's counts come from the tally the database keeps
    (LicenceTally), not from the licences; `check` finds the damage."""
    path = tmp_path / "big.db"
    assert _tribe("demo", "--no-open", "--licences", "3000", db=f"sqlite:///{path}").returncode == 0
    readers = (("account", "show", "--json"), ("invoices", "list", "--json"), ("billing-details", "show", "--json"))
    unharmed = {argv: _tribe(*argv, db=f"sqlite:///{path}").stdout for argv in readers}
    source = sqlite3.connect(path)
    page_size = source.execute("PRAGMA page_size").fetchone()[0]
    roots = [
        row[0] for row in source.execute("SELECT rootpage FROM sqlite_master WHERE name IN ('licence', 'employee')")
    ]
    source.close()
    data = bytearray(path.read_bytes())
    damaged = [leaf for root in roots for leaf in _leaf_pages(bytes(data), page_size, root)[:-1]]
    for leaf in damaged:
        data[(leaf - 1) * page_size : leaf * page_size] = bytes([0xEE]) * page_size
    path.write_bytes(bytes(data))
    assert len(damaged) * page_size > len(data) / 4  # a good part of the file cannot be read

    for argv in readers:  # the account's counts come from the tally the database keeps, not the licences
        shown = _tribe(*argv, db=f"sqlite:///{path}")
        assert shown.returncode == 0 and shown.stdout == unharmed[argv], shown.stderr
    found = _tribe("check", db=f"sqlite:///{path}", prefix=())
    assert found.returncode == 1 and "PROBLEEM" in found.stdout, found.stdout
    # A command that does read a damaged page is refused in one line, nothing written.
    listed = _tribe("licences", "list", db=f"sqlite:///{path}")
    _assert_refused(listed, "damaged")


@pytest.fixture
def small_disk(tmp_path):
    """A real file system of 640 KB (tmpfs: room for the demo database, then for 50 more licences
    once the filler is gone), unmounted afterwards. Mounting needs root (the suite's CI runs as
    root); elsewhere the test is skipped, saying why."""
    if sys.platform != "linux" or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root on Linux")
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=640k,mode=0700", "tmpfs", str(disk)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (a container without CAP_SYS_ADMIN?): {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_really_full_disk_refuses_the_change_with_the_documented_message(tmp_path, small_disk):
    """Not SQLite's page limit but a file system with no space left: SQLite then rolls the
    transaction back itself, and the rollback that followed used to hide why."""
    made = _real_database(tmp_path)
    path = small_disk / "tribe.db"
    source = sqlite3.connect(made)
    source.execute(f"VACUUM INTO '{path}'")  # a compact copy: its WAL is what fills the disk
    source.close()
    path.chmod(0o600)
    free = os.statvfs(small_disk)
    filler = small_disk / "filler"
    # Room for opening it (the shared-memory index of its log) and a little log, not for 5000 licences.
    filler.write_bytes(b"\0" * (free.f_bavail * free.f_frsize - 64 * 1024))
    count = "SELECT COUNT(*) FROM licence"
    before = sqlite3.connect(path).execute(count).fetchone()[0]

    result = _tribe("licences", "add", "5000", "--lang", "en", db=f"sqlite:///{path}")
    assert (
        result.returncode == 1
        and result.stderr == "tribe-tui: The disk (or the database) is full: nothing was changed.\n"
    ), result.stderr
    after = sqlite3.connect(path)
    assert after.execute(count).fetchone()[0] == before
    assert after.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    after.close()

    filler.unlink()  # room again: the same action works
    assert _tribe("licences", "add", "50", db=f"sqlite:///{path}").returncode == 0


def test_a_file_size_limit_from_the_os_gives_one_line(tmp_path):
    """The operating system refusing to grow the file (RLIMIT_FSIZE) mid-transaction."""
    import resource
    import signal

    path = _real_database(tmp_path)
    size = path.stat().st_size

    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get an error instead of being killed
        resource.setrlimit(resource.RLIMIT_FSIZE, (size + 8192, size + 8192))

    before = sqlite3.connect(path).execute("SELECT COUNT(*) FROM licence").fetchone()[0]
    result = _tribe("licences", "add", "5000", db=f"sqlite:///{path}", preexec=limited)
    _assert_refused(result)
    after = sqlite3.connect(path)
    assert after.execute("SELECT COUNT(*) FROM licence").fetchone()[0] == before
    assert after.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_database_from_a_newer_release_is_refused(cli):
    """On the run's backend (SQLite or PostgreSQL)."""
    from tribe_tui.migrations import SCHEMA_VERSION

    assert cli("demo", "--no-open").code == 0
    open_db()
    from tribe_tui.models import SchemaVersion

    SchemaVersion.create(version=SCHEMA_VERSION + 7)
    before = snapshot(reopen=False)
    for argv in (("account", "show"), ("licences", "add", "1"), ("billing", "run")):
        result = cli(*argv, "--lang", "en")
        assert one_line_refusal(result.code, result.err) and result.code == 1, result
        assert f"schema version {SCHEMA_VERSION + 7}" in result.err and "upgrade tribe-tui" in result.err
    assert snapshot(reopen=False) == before  # through the connection the last refused command left bound


def test_an_unreachable_or_missing_postgres_database_gives_one_line():
    closed_port = _tribe("account", "show", db="postgresql://postgres:geheim-wachtwoord@127.0.0.1:9/tribe")
    _assert_refused(closed_port, "cannot open the database")
    assert "geheim-wachtwoord" not in closed_port.stderr
    unsupported = _tribe("account", "show", db="mysql://root:geheim-wachtwoord@127.0.0.1/tribe")
    assert one_line_refusal(unsupported.returncode, unsupported.stderr)
    assert "geheim-wachtwoord" not in unsupported.stderr


def test_a_missing_postgres_database_gives_one_line(backend):
    if backend != "postgres":
        return  # needs the PostgreSQL server, which only the PostgreSQL run may assume
    base = os.environ["TRIBE_DATABASE_URL"].rsplit("/", 1)[0]
    missing = f"{base}/tribe_does_not_exist_{os.getpid()}"
    result = _tribe("account", "show", db=missing)
    # A database that is not there is a mistyped --db (bad input, exit 2), named, never created.
    assert one_line_refusal(result.returncode, result.stderr) and result.returncode == 2, result.stderr
    assert "does not exist" in result.stderr and missing in result.stderr


def test_a_database_of_schema_6_gains_the_people_columns(cli):
    """Migration 7 on a database made before it (on the run's backend): the columns are added,
    the rows kept, and the demo's data reads as before."""
    from tribe_tui.models import Employee, OutboxMessage, SchemaVersion, database

    assert cli("demo", "--no-open").code == 0
    open_db()
    before = Employee.select().count()
    # What later migrations made goes first: the licence tally's triggers read last_sign_in_on.
    if database.obj.__class__.__name__.startswith("Sqlite"):
        for trigger in ("insert", "delete", "update", "employee"):
            database.execute_sql(f"DROP TRIGGER licence_tally_{trigger}")
    else:
        for trigger in ("licence_tally_insert", "licence_tally_delete", "licence_tally_update"):
            database.execute_sql(f"DROP TRIGGER {trigger} ON licence")
        database.execute_sql("DROP TRIGGER licence_tally ON employee")
    database.execute_sql("DROP TABLE licence_tally")
    database.execute_sql("DROP INDEX employee_organisation_id_former_lower_name")
    for model, column in ((Employee, "last_sign_in_on"), (OutboxMessage, "sent_via"), (OutboxMessage, "error_kind")):
        database.execute_sql(f"ALTER TABLE {model._meta.table_name} DROP COLUMN {column}")
    SchemaVersion.delete().where(SchemaVersion.version >= 7).execute()  # 7 and what came after it
    open_db()
    assert {"last_sign_in_on"} <= {c.name for c in database.get_columns(Employee._meta.table_name)}
    assert {"sent_via", "error_kind"} <= {c.name for c in database.get_columns(OutboxMessage._meta.table_name)}
    assert Employee.select().count() == before
    assert cli("employees", "list", "--json").code == 0
    assert cli("check", "--json").json["ok"]  # the tally rebuilt by its migration agrees with the licences
