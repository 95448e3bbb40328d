"""A mistyped --db never silently becomes a new, empty database: only `init` and `demo` create one.
Every other command on a missing database (or one without tribe-tui's tables) says which URL it
tried, exits 2 and creates nothing: no file, no folder, no tables."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each case starts the program in a fresh interpreter

COMMANDS = [
    ("account", "show"),
    ("licences", "list"),
    ("licences", "add", "1"),
    ("employees", "list"),
    ("invoices", "list"),
    ("catalogue",),
    ("billing", "run"),
    ("outbox", "flush"),
    ("ssh", "keys", "list"),
    ("ssh", "policy"),
    ("audit", "list"),
    ("accept-invite", "x" * 43, "--username", "u", "--password-stdin"),
]


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def tribe(cwd: Path, *argv: str) -> subprocess.CompletedProcess:
    """As a user runs it: the console script, in `cwd` (relative paths are relative to it)."""
    command = os.path.join(os.path.dirname(sys.executable), "tribe-tui")
    return subprocess.run([command, *argv], cwd=cwd, capture_output=True, text=True, timeout=60, input="")


@pytest.mark.parametrize(
    "url, said",
    [
        # Three slashes: a path relative to the working directory, not /var/lib/...
        ("sqlite:///var/lib/tribe-tui/tribe.db", "four slashes, sqlite:///{cwd}/var/lib/tribe-tui/tribe.db"),
        # A parameter SQLite URLs do not take would have become part of a new file's name.
        ("sqlite:///{cwd}/tribe.db?mode=ro", "takes none"),
        ("sqlite:///{cwd}/tribe.db", "no file {cwd}/tribe.db"),
        ("sqlite:///{cwd}/typo/tribe.db", "no file {cwd}/typo/tribe.db"),
    ],
)
def test_a_mistyped_sqlite_url_creates_nothing_and_names_the_url(tmp_path, url, said):
    url, said = url.format(cwd=tmp_path), said.format(cwd=tmp_path)
    for argv in COMMANDS:
        done = tribe(tmp_path, "--db", url, *argv)
        assert done.returncode == 2, (argv, done)
        assert done.stdout == "" and done.stderr.count("\n") == 1, (argv, done.stderr)
        assert url.split("?")[0] in done.stderr and said in done.stderr, (argv, done.stderr)
        assert files_under(tmp_path) == [], (argv, files_under(tmp_path))


def test_an_empty_file_or_database_is_not_made_into_one_but_by_init(tmp_path, cli):
    empty = tmp_path / "empty.db"
    empty.touch()
    url = f"sqlite:///{empty}"
    shown = cli("--db", url, "account", "show")
    assert shown.code == 2 and "no tribe-tui tables" in shown.err and url in shown.err
    assert empty.stat().st_size == 0  # not a table written
    made = cli(
        "init", "--org", "Acme", "--admin-email", "a@acme.nl", "--admin-username", "admin", "--json", "--db", url
    )
    assert made.code == 0, made.err
    assert cli("--db", url, "account", "show").code == 0


def test_init_and_demo_create_the_database(tmp_path, cli):
    new = tmp_path / "new" / "tribe.db"
    assert cli("--db", f"sqlite:///{new}", "demo", "--no-open").code == 0
    assert new.is_file() and cli("--db", f"sqlite:///{new}", "account", "show").code == 0


def test_a_missing_database_of_the_backend_names_the_url_without_its_password(backend, cli, tmp_path):
    """On the suite's backend: a database name that does not exist (PostgreSQL: on the same server,
    with a password in the URL, which the message must not show), and a parameter it does not take."""
    url = os.environ["TRIBE_DATABASE_URL"]
    if backend == "postgres":
        server, _, _ = url.rpartition("/")
        user_host = server.split("://", 1)[1]
        missing = f"postgresql://{user_host.split('@')[0]}:geheim-123@{user_host.split('@')[-1]}/no_such_tribe_db"
        bad_parameter = f"{url}?mode=ro"
    else:
        missing = f"sqlite:///{tmp_path / 'no-such.db'}"
        bad_parameter = f"{url}?mode=ro"
    refused = cli("--db", missing, "licences", "list")
    assert refused.code == 2 and refused.err.count("\n") == 1, refused
    assert "geheim-123" not in refused.err and missing.replace(":geheim-123", ":***") in refused.err, refused.err
    refused = cli("--db", bad_parameter, "licences", "list")
    assert refused.code == 2 and "mode" in refused.err and refused.err.count("\n") == 1, refused
