"""Shared fixtures: every test gets its own database and a fixed date; nothing from the user's config.

The backend is SQLite (a file per test) unless TRIBE_TEST_BACKEND=postgres: then each xdist worker
gets a scratch PostgreSQL database (server: TRIBE_TEST_PG_URL, default
postgresql://postgres@127.0.0.1:5432/), emptied before every test and dropped at the end.
"""

from __future__ import annotations

import io
import json
import os
import uuid
from contextlib import redirect_stderr
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

TODAY = date(2026, 11, 26)

# What every organisation a test makes is billed to unless the test says otherwise: an invoice
# needs the customer's name and full address (Wet OB art. 35a), and a KvK number gives the
# e-invoice its Peppol endpoint (0106). The company name defaults to the organisation's name.
BILLING = {
    "address": "Kerkstraat 1",
    "postcode": "1234 AB",
    "city": "Utrecht",
    "country": "NL",
    "kvk_number": "12345678",
}


def billing_args(company_name: str, **overrides: str) -> tuple[str, ...]:
    """`--billing FIELD=VALUE` arguments for `init`: BILLING with this company name."""
    values = {"company_name": company_name, **BILLING, **overrides}
    return tuple(arg for name, value in values.items() for arg in ("--billing", f"{name}={value}"))


def with_billing(argv: tuple[str, ...]) -> tuple[str, ...]:
    """`init` gets the default billing details (company name = --org) for every field its own
    --billing arguments do not give."""
    if "init" not in argv[:1] or "--org" not in argv:
        return argv
    given = {argv[i + 1].partition("=")[0] for i, arg in enumerate(argv[:-1]) if arg == "--billing"}
    defaults = billing_args(argv[argv.index("--org") + 1])
    return (
        *argv,
        *(
            arg
            for pair in zip(defaults[::2], defaults[1::2], strict=True)
            if pair[1].partition("=")[0] not in given
            for arg in pair
        ),
    )


BACKEND = os.environ.get("TRIBE_TEST_BACKEND", "sqlite").strip().lower() or "sqlite"
PG_SERVER_URL = os.environ.get("TRIBE_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/")
# The server itself, when TRIBE_TEST_PG_URL is a pooler in front of it (pgbouncer in transaction
# mode, as .ci/run starts it): databases are made, emptied and dropped there, the app goes through the pooler.
PG_DIRECT_URL = os.environ.get("TRIBE_TEST_PG_DIRECT_URL") or PG_SERVER_URL
if BACKEND not in ("sqlite", "postgres"):
    raise pytest.UsageError(f"TRIBE_TEST_BACKEND must be sqlite or postgres, not {BACKEND!r}")


class _ScratchPostgres:
    """One database per worker; reset() gives the next test an empty, migrated schema."""

    def __init__(self, server_url: str, direct_url: str) -> None:
        import psycopg2

        self._psycopg2 = psycopg2
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex
        self.name = f"tribe_test_{run[:10]}_{worker}".lower()
        self.server_url = direct_url.rstrip("/")
        self.url = f"{server_url.rstrip('/')}/{self.name}"  # what the app opens (perhaps through a pooler)
        self.direct_url = f"{self.server_url}/{self.name}"
        self.pooled = self.url != self.direct_url
        self._fingerprint: tuple | None = None
        self._emptying = ""
        self._admin("CREATE DATABASE {}")
        self._conn = psycopg2.connect(self.direct_url)
        self._conn.autocommit = True

    def _admin(self, statement: str) -> None:
        conn = self._psycopg2.connect(f"{self.server_url}/postgres")
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (self.name,))
                cur.execute(statement.format(f'"{self.name}"'))
        finally:
            conn.close()

    def _shape(self, cur) -> tuple:
        cur.execute(
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns"
            " WHERE table_schema = 'public' ORDER BY 1, 2"
        )
        columns = tuple(cur.fetchall())
        cur.execute(
            "SELECT version FROM schema_version ORDER BY 1"
            if any(c[0] == "schema_version" for c in columns)
            else "SELECT 1 WHERE false"
        )
        return columns, tuple(row[0] for row in cur.fetchall())

    def reset(self) -> None:
        """Empty every table but the catalogue and restart the ids; rebuild when a test changed the
        schema. DELETE rather than TRUNCATE: TRUNCATE makes new files for every table and syncs
        them, and on tables this small that cost more than the average test it cleared for."""
        with self._conn.cursor() as cur:
            # A connection left open by the previous test (a thread, a killed child) would block the reset.
            # Behind a pooler only one in a transaction can: an idle server connection belongs to the
            # pooler, which would hand it, terminated, to the next test.
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                + (" AND state <> 'idle'" if self.pooled else "")
            )
            if self._fingerprint is None or self._shape(cur) != self._fingerprint:
                cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
                self._migrate()
                self._fingerprint = self._shape(cur)
                self._emptying = self._emptying_statement(cur)
            cur.execute(self._emptying)

    def _emptying_statement(self, cur) -> str:
        from peewee import sort_models

        from tribe_tui.models import ALL_MODELS, Edition, Module, SchemaVersion

        keep = {SchemaVersion, Edition, Module}
        # Children before parents, so that no foreign key refuses a delete.
        deletes = [f'DELETE FROM "{m._meta.table_name}"' for m in reversed(sort_models(ALL_MODELS)) if m not in keep]
        # Last: deleting the licences above moved the tally their triggers keep (LicenceTally).
        deletes.append('DELETE FROM "licence_tally"')
        kept = tuple(m._meta.table_name for m in keep)
        cur.execute(
            "SELECT s.relname FROM pg_class s JOIN pg_depend d ON d.objid = s.oid"
            " JOIN pg_class t ON t.oid = d.refobjid"
            " WHERE s.relkind = 'S' AND d.deptype IN ('a', 'i') AND t.relname NOT IN %s",
            (kept,),
        )
        restarts = ", ".join(f"setval('\"{name}\"', 1, false)" for (name,) in cur.fetchall())
        return "; ".join(deletes + ([f"SELECT {restarts}"] if restarts else []))

    def _migrate(self) -> None:
        from tribe_tui.db import open_database
        from tribe_tui.models import database

        open_database(self.url)
        database.obj.close()

    def drop(self) -> None:
        self._conn.close()
        self._admin("DROP DATABASE IF EXISTS {}")


@pytest.fixture(scope="session")
def _scratch_postgres():
    if BACKEND != "postgres":
        yield None
        return
    try:
        scratch = _ScratchPostgres(PG_SERVER_URL, PG_DIRECT_URL)
    except Exception as exc:  # a missing server is a failed run, never a silent SQLite run
        pytest.exit(f"TRIBE_TEST_BACKEND=postgres but no PostgreSQL at {PG_SERVER_URL}: {exc}", returncode=3)
    yield scratch
    scratch.drop()


# What the PostgreSQL pass leaves out: the folders whose tests do not depend on the database engine.
# Unit tests never open a database; perf tests check imports; UI tests drive screens, which reach the
# database only through services (import-linter keeps peewee out of screens and widgets), and the
# services, lifecycle, CLI and reliability suites run every service on both engines. A UI test
# marked both_engines still runs there: the flows through every section, charges, guards and the
# 100,000-licence screen, where the engine's speed and threads meet the screens. Elsewhere, a test
# marked engine_free is left out too: the parser alone, input models alone, the terminal's side of
# starting (which section opens, no terminal, an error's one line).
ENGINE_FREE = ("ui", "unit", "perf")


# What `make test-fast` leaves out: the folders that drive the UI, start processes (tmux, sshd,
# several runners) or time imports in fresh interpreters; single slow tests elsewhere are marked.
SLOW = ("ui", "lifecycle", "reliability", "perf")


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if Path(str(item.path)).relative_to(config.rootpath).parts[1] in SLOW:
            item.add_marker(pytest.mark.slow)
    if BACKEND != "postgres":
        return
    keep, drop = [], []
    for item in items:
        folder = Path(str(item.path)).relative_to(config.rootpath).parts[1]
        engine_free = (
            folder in ENGINE_FREE and item.get_closest_marker("both_engines") is None
        ) or item.get_closest_marker("engine_free") is not None
        (drop if engine_free else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture
def backend() -> str:
    """'sqlite' or 'postgres': the backend TRIBE_DATABASE_URL points at in this run."""
    return BACKEND


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, _scratch_postgres):
    """No user data dir, no TRIBE_* settings from the environment, Dutch by default."""
    for name in list(os.environ):
        if name.startswith("TRIBE_") and not name.startswith("TRIBE_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    if _scratch_postgres is not None:
        _scratch_postgres.reset()
        monkeypatch.setenv("TRIBE_DATABASE_URL", _scratch_postgres.url)
    else:
        monkeypatch.setenv("TRIBE_DATABASE_URL", f"sqlite:///{tmp_path / 'tribe.db'}")
    monkeypatch.setenv("TRIBE_TODAY", TODAY.isoformat())
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    yield
    from tribe_tui.models import database

    if database.obj is not None:
        database.obj.close()


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self):
        return json.loads(self.out)


@pytest.fixture
def dump():
    """dump(): every row of every account table, in key order (tests.helpers.dump_account_tables)."""
    from tests.helpers import dump_account_tables

    return dump_account_tables


@pytest.fixture
def cli():
    """Run the CLI in-process: cli("licences", "add", "2", "--json") -> Result. An `init` without
    --billing gets the default billing details (with_billing); bare=True runs argv as given."""
    from tribe_tui.cli import run

    def call(*argv: str, bare: bool = False) -> Result:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stderr(err):
            code = run(list(argv if bare else with_billing(argv)), stdout=out)
        return Result(code, out.getvalue(), err.getvalue())

    return call


# --- figures: counts the reliability tests record (inputs tried, processes, kills) -------------


def pytest_configure(config) -> None:
    """One folder of figures per run (shared by its xdist workers, which inherit the environment)."""
    if not hasattr(config, "workerinput"):
        os.environ["TRIBE_TEST_FIGURES"] = str(
            Path(config.rootpath) / ".pytest_cache" / "tribe-figures" / uuid.uuid4().hex[:12]
        )
    config._tribe_figures = Path(
        os.environ.get("TRIBE_TEST_FIGURES") or Path(config.rootpath) / ".pytest_cache" / "tribe-figures" / "single"
    )


def _figures_dir(config) -> Path:
    return config._tribe_figures


def record_figure(config, name: str, values: dict) -> None:
    """Store one figure; the closing summary of the run (also under xdist) prints them all."""
    folder = _figures_dir(config)
    folder.mkdir(parents=True, exist_ok=True)
    slug = "".join(ch if ch.isalnum() else "-" for ch in name)[:120]
    (folder / f"{slug}.json").write_text(json.dumps({"name": name, **values}, default=str))


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    folder = _figures_dir(config)
    if hasattr(config, "workerinput") or not folder.is_dir():
        return
    records = sorted((json.loads(p.read_text()) for p in folder.glob("*.json")), key=lambda r: r["name"])
    if not records:
        return
    # "group / part [backend]" figures are summed per group, with the parts counted.
    lines: dict[str, dict] = {}
    for record in records:
        name = record.pop("name")
        group, sep, _ = name.partition(" / ")
        if not sep:
            lines[name] = record
            continue
        key = f"{group} [{name.rsplit('[', 1)[-1]}" if "[" in name else group
        total = lines.setdefault(key, {"parts": 0})
        total["parts"] += 1
        for k, v in record.items():
            if isinstance(v, (int, float)):
                total[k] = total.get(k, 0) + v
    terminalreporter.section(f"reliability figures (backend: {BACKEND})")
    for name, values in sorted(lines.items()):
        terminalreporter.write_line(f"{name}: " + ", ".join(f"{k}={v}" for k, v in values.items()))
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
