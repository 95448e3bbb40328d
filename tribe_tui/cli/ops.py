"""Operations commands: `backup PATH` (a consistent copy of a SQLite database while admins work)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from tribe_tui.errors import Refused
from tribe_tui.i18n import t

if TYPE_CHECKING:
    from pathlib import Path

    from tribe_tui.cli import Commands


def register(commands: Commands) -> None:
    p = commands.command(
        "backup", backup, "consistent copy of a SQLite database while in use (SQLite online backup API)"
    )
    p.add_argument("path", metavar="PATH", help="the new file; an existing file is never overwritten")


def backup(env, args) -> int:
    import sqlite3  # here, not at the top: only this command needs sqlite3 and pathlib
    from pathlib import Path

    from tribe_tui.db import BUSY_TIMEOUT_MS, sqlite_path

    lang = env.lang
    url = env.settings.url
    if not url.startswith(("sqlite:", "sqliteext:")):
        raise Refused(t("err.backup_not_sqlite", lang))
    source = sqlite_path(url)
    if source is None or not source.is_file():
        raise Refused(t("err.backup_no_source", lang, path=source or url))
    target = Path(args.path).expanduser().absolute()
    if target.exists() or target.is_symlink():
        raise Refused(t("err.backup_exists", lang, path=target))
    if not target.parent.is_dir():
        raise Refused(t("err.backup_no_dir", lang, path=target.parent))

    # Written beside the target, then linked into place: PATH only ever holds a complete, checked
    # copy, and a file that appeared meanwhile is not overwritten (link fails where rename would not).
    partial = target.parent / f".{target.name}.{os.getpid()}.partial"
    try:
        os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        version = _copy(source, partial, BUSY_TIMEOUT_MS / 1000)
        os.link(partial, target)
    except FileExistsError:
        raise Refused(t("err.backup_exists", lang, path=target)) from None
    except (sqlite3.Error, OSError) as exc:
        reason = (getattr(exc, "strerror", None) or str(exc) or type(exc).__name__).splitlines()[0]
        raise Refused(t("err.backup_failed", lang, reason=reason)) from None
    finally:
        partial.unlink(missing_ok=True)
    size = target.stat().st_size
    env.emit(
        {"backup": str(target), "source": str(source), "bytes": size, "schema_version": version},
        t("cli.backup_done", lang, path=target, size=size, version=version),
    )
    return 0


def _copy(source: Path, destination: Path, timeout: float) -> int:
    """Copy with the online backup API in one step: one read snapshot, so the copy is consistent
    (in WAL mode writers are not blocked meanwhile). Returns the copy's schema version."""
    import sqlite3

    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=timeout)
    dst = sqlite3.connect(destination, timeout=timeout)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained single file, no -wal beside it
        if dst.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("the copy failed its integrity check")
        try:
            from tribe_tui.models import SchemaVersion

            table = SchemaVersion._meta.table_name
            version = dst.execute(f'SELECT MAX(version) FROM "{table}"').fetchone()[0]
        except sqlite3.OperationalError:
            raise sqlite3.DatabaseError("not a tribe-tui database") from None
        dst.commit()
    finally:
        dst.close()
        src.close()
    with open(destination, "rb+") as handle:
        os.fsync(handle.fileno())
    return int(version or 0)
