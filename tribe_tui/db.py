"""Opening the database: SQLite by default (a file only its owner can read), PostgreSQL by URL."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Iterator

import peewee
from playhouse.db_url import connect as connect_url

from tribe_tui.errors import Refused
from tribe_tui.models import database

SQLITE_PRAGMAS = (
    ("journal_mode", "wal"),
    ("foreign_keys", 1),
    ("busy_timeout", 10_000),
    ("synchronous", "normal"),
)


def sqlite_path(url: str) -> Path | None:
    """The file behind a sqlite:/// URL, None for any other URL or an in-memory database."""
    for prefix in ("sqlite:///", "sqliteext:///"):
        if url.startswith(prefix):
            path = url[len(prefix):]
            return None if path in ("", ":memory:") else Path(path)
    return None


def _prepare_sqlite_file(path: Path) -> None:
    """Create the directory 0700 and the file 0600 before SQLite does (it would use the umask)."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)
    elif path.is_dir():
        raise Refused(f"{path} is a directory, not a database")


def open_database(url: str) -> peewee.Database:
    """Bind the models to the database at `url` and bring its schema up to date."""
    if database.obj is not None and not database.obj.is_closed():
        database.obj.close()
    path = sqlite_path(url)
    if url.startswith(("sqlite:", "sqliteext:")):
        if path is not None:
            _prepare_sqlite_file(path)
        db = peewee.SqliteDatabase(str(path) if path else ":memory:", pragmas=SQLITE_PRAGMAS)
    elif url.startswith(("postgres://", "postgresql://")):
        db = connect_url(url)
    else:
        raise Refused(f"unsupported database URL: {url.split(':', 1)[0]}:…")
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        from tribe_tui.migrations import migrate

        migrate(db)
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        database.close()
        raise Refused(f"cannot open the database: {exc}".splitlines()[0]) from None
    return db


def is_sqlite(db: peewee.Database | None = None) -> bool:
    return isinstance((db or database.obj), peewee.SqliteDatabase)


@contextlib.contextmanager
def write_transaction() -> Iterator[None]:
    """One transaction for one admin action.

    SQLite: BEGIN IMMEDIATE takes the write lock up front, so two processes serialise instead
    of one failing on upgrade of a read lock. PostgreSQL: the caller locks the organisation row
    (see services._base.lock_organisation).
    """
    db = database.obj
    if is_sqlite(db) and not db.in_transaction():
        with db.atomic(lock_type="IMMEDIATE"):
            yield
    else:
        with db.atomic():
            yield
