"""Opening the database: SQLite by default (a file only its owner can read), PostgreSQL by URL."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import peewee

from tribe_tui import migrations
from tribe_tui.errors import BadInput, Refused
from tribe_tui.models import SchemaVersion, database

# How long one attempt waits for a lock another admin holds, and how many attempts an action gets
# before the user is told the database is busy (module-level so tests can shorten them).
BUSY_TIMEOUT_MS = 10_000
BUSY_ATTEMPTS = 3
BUSY_PAUSE_S = 0.25
# PostgreSQL error codes that mean "someone else holds it; trying again may work".
_PG_BUSY_CODES = frozenset({"40001", "40P01", "55P03"})  # serialization, deadlock, lock timeout

SQLITE_PRAGMAS = (
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("busy_timeout", 10_000),
    # FULL, not NORMAL: in WAL mode NORMAL may lose the last commits on power loss (SQLite's own
    # documentation), and an issued invoice number, once shown, must survive that. Admin actions
    # are one transaction each at human pace: one more fsync per commit is not felt.
    ("synchronous", "full"),
    # Each b-tree page's cells are checked when the page is read, before anything is written into
    # it: a damaged page is refused where it is met ("database disk image is malformed"), so a
    # change never spreads the damage, without reading the whole file at every open (what
    # `tribe-tui check` does). SQLite: "corruption is detected earlier and is less likely to spread".
    ("cell_size_check", 1),
)

T = TypeVar("T")


def sqlite_path(url: str) -> Path | None:
    """The file behind a sqlite:/// URL, None for any other URL or an in-memory database."""
    for prefix in ("sqlite:///", "sqliteext:///"):
        if url.startswith(prefix):
            path = url[len(prefix) :]
            return None if path in ("", ":memory:") else Path(path)
    return None


def _prepare_sqlite_file(path: Path) -> None:
    """Create every missing directory 0700 and the file 0600 before SQLite does (it would use the
    umask); an existing empty file (made by `touch`, say) is about to become the database: 0600 too."""
    missing = []
    folder = path.parent
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:  # another process made it a moment ago
            continue
        os.chmod(folder, 0o700)  # mkdir's mode passes through the umask; a umask may also remove our bits
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        try:
            os.fchmod(fd, 0o600)
        finally:
            os.close(fd)
    elif path.is_dir():
        raise Refused(f"{path} is a directory, not a database")
    elif path.is_file() and path.stat().st_size == 0:
        os.chmod(path, 0o600)


# SQLite's result codes for a file that is damaged (a page that does not parse) or is no database
# at all (a bad header): SQLITE_CORRUPT and SQLITE_NOTADB, and the texts it words them with.
_DAMAGE_CODES = frozenset({11, 26})
_DAMAGE_TEXTS = ("database disk image is malformed", "file is not a database", "malformed database schema")


def damage_refusal(exc: BaseException) -> Refused | None:
    """The refusal for an error that means the database file is damaged, None for any other error.

    SQLite checks each page as it reads it and reports a damaged one then, wherever that happens:
    opening, a read, or inside an action's transaction (which is then rolled back, so nothing is
    written into the damaged file). Opening reads nothing proportional to the file; `tribe-tui
    check` reads every page (run it nightly) and `backup` checks its copy."""
    seen: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and cause not in seen and len(seen) < 8:
        seen.append(cause)
        wrapped = cause.args[0] if cause.args and isinstance(cause.args[0], BaseException) else None
        cause = wrapped or cause.__cause__ or cause.__context__  # peewee wraps the driver's error
    for error in seen:
        text = " ".join(str(error).split())
        code = getattr(error, "sqlite_errorcode", None)
        if (code is not None and code & 0xFF in _DAMAGE_CODES) or any(m in text.lower() for m in _DAMAGE_TEXTS):
            detail = text or type(error).__name__
            return Refused(
                f"the database file is damaged ({detail}); nothing was changed: restore a backup"
                " (`tribe-tui check` lists what is wrong)"
            )
    return None


def shown_url(url: str) -> str:
    """The URL as a message may show it: without a password (`postgresql://user:***@host/db`)."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if sep and at and ":" in credentials:
        credentials = credentials.split(":", 1)[0] + ":***"
        return f"{scheme}://{credentials}@{host}"
    return url


def _missing(url: str, detail: str = "") -> BadInput:
    """Bad input (exit 2): a command other than init and demo found no tribe-tui database at `url`
    (a mistyped --db must not silently become a new, empty database somewhere else)."""
    return BadInput(
        f"no tribe-tui database at {shown_url(url)}{detail}: check --db / TRIBE_DATABASE_URL, "
        "or create one with tribe-tui init (or tribe-tui demo)"
    )


def _sqlite_missing(url: str, path: Path | None) -> BadInput:
    if path is None:
        return _missing(url, " (an in-memory database is always empty)")
    where = os.path.abspath(path)
    if not path.is_absolute():  # sqlite:///var/lib/x.db: three slashes, a path relative to here
        return _missing(
            url, f" (no file {where}: a relative path; an absolute one has four slashes, sqlite:///{where})"
        )
    return _missing(url, f" (no file {where})")


def open_database(url: str, *, create: bool = True) -> peewee.Database:
    """Bind the models to the database at `url` and bring its schema up to date. `create=False`
    (every command but init and demo): a missing database, or one without tribe-tui's tables, is
    bad input naming the URL, and nothing is created."""
    if database.obj is not None and not database.obj.is_closed():
        database.obj.close()
    path = sqlite_path(url)
    if url.startswith(("sqlite:", "sqliteext:")):
        if "?" in url or "#" in url:
            # SQLite URLs take no parameters: `?mode=ro` would otherwise be part of a new file's name.
            raise BadInput(
                f"--db / TRIBE_DATABASE_URL: {shown_url(url)} has parameters ({url.partition('?')[2] or '#'}); "
                "a SQLite URL takes none: sqlite:///PATH"
            )
        if not create and (path is None or not path.exists()):
            raise _sqlite_missing(url, path)
        if not create and path is not None and path.is_file() and path.stat().st_size == 0:
            raise _missing(url, " (an empty file: no tribe-tui tables)")  # said before SQLite writes a header
        if path is not None and create:
            _prepare_sqlite_file(path)
        elif path is not None and path.is_dir():
            raise Refused(f"{path} is a directory, not a database")
        pragmas = [(k, BUSY_TIMEOUT_MS if k == "busy_timeout" else v) for k, v in SQLITE_PRAGMAS]
        db: peewee.Database = peewee.SqliteDatabase(str(path) if path else ":memory:", pragmas=pragmas)
    elif url.startswith(("postgres://", "postgresql://")):
        # Imported here: playhouse.db_url pulls in psycopg2, which SQLite users never need.
        from playhouse.db_url import parse as parse_url

        db = PostgresDatabase(**parse_url(url))
    else:
        # Bad input (exit 2), with the form that works: a plain path is not taken as SQLite, so a
        # typo in a URL never silently makes a new, empty database somewhere else.
        scheme = url.split(":", 1)[0] if "://" in url else None
        shown = f"{scheme}:…" if scheme else "a path"
        raise BadInput(
            f"--db / TRIBE_DATABASE_URL must be a URL, not {shown}: "
            "sqlite:///PATH (e.g. sqlite:////var/lib/tribe/tribe.db) or postgresql://USER@HOST/DB"
        )
    database.initialize(db)
    try:
        try:
            db.connect(reuse_if_open=True)
        except peewee.ImproperlyConfigured:  # peewee's word for "psycopg2 is not installed"
            raise BadInput("the PostgreSQL driver is not installed: pip install 'tribe-tui[postgres]'") from None
        except peewee.DatabaseError as exc:
            first = (str(exc).strip().splitlines() or [""])[0]
            if "does not exist" in first and not create:
                raise _missing(url, f" ({first})") from None
            if "invalid dsn" in first or "invalid connection option" in first or "invalid URI" in first:
                raise BadInput(f"--db / TRIBE_DATABASE_URL: {shown_url(url)}: {first}") from None
            raise
        # No whole-file check here (it would read every page on every start); a damaged page is
        # refused when SQLite reads it (damage_refusal), the full check is `tribe-tui check`.
        if not create and migrations.current_version(db) == 0:
            raise _missing(url, " (the database has no tribe-tui tables)")
        migrate(db)
    except (Refused, BadInput):
        database.close()
        raise
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        database.close()
        raise damage_refusal(exc) or Refused(f"cannot open the database: {exc}".splitlines()[0]) from None
    return db


_SET_LOCK_TIMEOUT = "SET LOCAL lock_timeout = %d"
# Taken here: spelled out in a class body, the name would be mangled.
_exception_wrapper = peewee.__exception_wrapper__  # type: ignore[attr-defined]


class PostgresDatabase(peewee.PostgresqlDatabase):
    """PostgreSQL that keeps nothing in the session between transactions, so it works behind a
    pooler in transaction mode (pgbouncer), where each transaction may get another server
    connection: the lock timeout is set per transaction (SET LOCAL, sent with the BEGIN in one
    round trip) rather than for the session; locks are row locks and pg_advisory_xact_lock, which
    end with the transaction; psycopg2 prepares no statements on the server; nothing LISTENs.
    Without a lock timeout a row lock held by a stuck session would make us wait forever."""

    def begin(self, isolation_level: str | None = None) -> None:
        if isolation_level is not None:
            raise NotImplementedError("tribe-tui runs at PostgreSQL's default isolation level")
        with _exception_wrapper:
            self.cursor().execute(  # type: ignore[no-untyped-call]  # peewee types cursor() on Database, not here
                "BEGIN; " + _SET_LOCK_TIMEOUT % BUSY_TIMEOUT_MS
            )


def current() -> peewee.Database | None:
    """The open database, None before open_database."""
    found: peewee.Database | None = database.obj
    return found


def is_sqlite(db: peewee.Database | None = None) -> bool:
    return isinstance((db or current()), peewee.SqliteDatabase)


def is_busy(exc: BaseException) -> bool:
    """True when `exc` means another session holds a lock we need (not a fault: try again)."""
    orig = getattr(exc, "orig", None) or exc
    if getattr(orig, "pgcode", None) in _PG_BUSY_CODES:
        return True
    if isinstance(exc, (peewee.OperationalError, sqlite3.OperationalError)):
        text = str(exc).lower()
        return "database is locked" in text or "database is busy" in text or "database table is locked" in text
    return False


def retry_when_busy(step: Callable[[], T]) -> T:
    """Run `step` (a lock acquisition), again after a pause while the database is busy, at most
    BUSY_ATTEMPTS times; then the busy error goes up to the caller (one clear line in the CLI).

    Inside a transaction each attempt runs in a savepoint, so a failed attempt (PostgreSQL's lock
    timeout aborts the statement) leaves the transaction usable for the next one.
    """
    db = current()
    for attempt in range(1, BUSY_ATTEMPTS + 1):
        try:
            if db is not None and db.in_transaction():
                with db.atomic():
                    return step()
            return step()
        except Exception as exc:
            if attempt == BUSY_ATTEMPTS or not is_busy(exc):
                raise
            time.sleep(BUSY_PAUSE_S * attempt)
    raise AssertionError("unreachable")  # pragma: no cover


@contextlib.contextmanager
def write_transaction() -> Iterator[None]:
    """One transaction for one admin action.

    SQLite: BEGIN IMMEDIATE takes the write lock up front, so two processes serialise instead
    of one failing on upgrade of a read lock; taking it is retried while another writer holds it.
    PostgreSQL: the caller locks the organisation row (see services._locking.lock_organisation).
    """
    db = current()
    if db is None:
        raise RuntimeError("no database is open (db.open_database)")
    try:
        if is_sqlite(db) and not db.in_transaction():
            with contextlib.ExitStack() as stack:
                # Only the BEGIN is retried, never the body: nothing has happened yet when it fails.
                retry_when_busy(lambda: stack.enter_context(db.atomic(lock_type="IMMEDIATE")))
                yield
        else:
            with db.atomic():
                yield
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        damaged = damage_refusal(exc)
        if damaged is not None:  # the transaction was rolled back: nothing went into the damaged file
            raise damaged from None
        if not isinstance(exc, (peewee.OperationalError, sqlite3.OperationalError)):
            raise
        # On a full disk (and some I/O errors) SQLite rolls the transaction back itself; the
        # ROLLBACK that follows then fails and would hide why: report the error that caused it.
        cause: BaseException | None = exc
        while cause is not None and "no transaction is active" in str(cause):
            cause = cause.__context__  # past peewee's wrapper of the same error
        if cause is not None and cause is not exc and isinstance(cause, Exception):
            raise cause from None
        raise


def lock_name(name: str) -> None:
    """Inside a write transaction: serialise on `name` until the transaction ends. SQLite's
    BEGIN IMMEDIATE already holds the database's write lock; PostgreSQL takes an advisory lock on
    a 64-bit hash of the name."""
    db = current()
    if db is None or is_sqlite(db):
        return

    key = int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)
    retry_when_busy(lambda: db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (key,)))


# PostgreSQL advisory lock key: one migrating process at a time across every host.
_MIGRATION_LOCK = 0x7472_6962  # "trib"


def migrate(db: peewee.Database) -> None:
    """Run the migrations this database lacks and load the catalogue (tribe_tui.migrations)."""
    version = migrations.current_version(db)
    migrations.refuse_newer(version)
    if version == migrations.SCHEMA_VERSION and migrations.load_catalogue(db, check_only=True):
        return  # the usual start: nothing to do, and no write lock taken
    # Several processes may start on a new or older database at once (admins on several hosts):
    # one migrates under the write lock, the others then find the work done.
    with write_transaction():
        if not is_sqlite(db):
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        db.create_tables([SchemaVersion], safe=True)
        version = migrations.current_version(db)
        migrations.refuse_newer(version)
        for number in range(version + 1, migrations.SCHEMA_VERSION + 1):
            with db.atomic():
                migrations.MIGRATIONS[number - 1](db)
                SchemaVersion.create(version=number)
        migrations.load_catalogue(db)
