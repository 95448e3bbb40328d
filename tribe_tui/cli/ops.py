"""Operations commands: `backup PATH` (a consistent copy of a SQLite database while admins work) and
`check` (every page, every foreign key and the data's own rules; nightly from cron)."""

from __future__ import annotations

import argparse
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tribe_tui.cli.base import Env
from tribe_tui.errors import Refused
from tribe_tui.i18n import t, tn

if TYPE_CHECKING:
    from tribe_tui.cli.base import Commands
    from tribe_tui.services import integrity


def register(commands: Commands) -> None:
    p = commands.command(
        "backup", backup, "consistent copy of a SQLite database while in use (SQLite online backup API)"
    )
    p.add_argument("path", metavar="PATH", help="the new file; an existing file is never overwritten")
    commands.command(
        "check",
        check,
        "check the whole database: SQLite's integrity and foreign keys, and the data's own rules "
        "(exit 1 with what is wrong); run it nightly",
    )


def check(env: Env, args: argparse.Namespace) -> int:
    """Reads everything, writes nothing: SQLite's file is opened read-only, not migrated."""
    from tribe_tui.db import sqlite_path
    from tribe_tui.services import integrity  # check and backup only (tribe_tui.deferred)

    lang = env.lang
    url = env.settings.url
    path = sqlite_path(url)
    if url.startswith(("sqlite:", "sqliteext:")):
        if path is None or not path.is_file():
            raise Refused(t("error.backup_no_source", lang, path=path or url))
        outcomes = _checked(lambda: integrity.check_sqlite_file(path))
    else:
        from tribe_tui.db import open_database

        db = open_database(url)  # PostgreSQL: the server checks its own pages; the rules are checked here
        outcomes = integrity.check_connection(lambda sql: list(db.execute_sql(sql).fetchall()), sqlite=False)
    report = integrity.as_json(outcomes)
    env.emit(report, lambda: _check_text(outcomes, lang))
    return 0 if report["ok"] else 1


def _checked(run: Callable[[], list[integrity.Outcome]]) -> list[integrity.Outcome]:
    try:
        return run()
    except sqlite3.Error as exc:  # not even the first page could be read: no database (or no access)
        from tribe_tui.db import damage_refusal

        raise damage_refusal(exc) or Refused(f"cannot open the database: {exc}".splitlines()[0]) from None


def _check_title(name: str, lang: str) -> str:
    return {
        "integrity": lambda: t("check.integrity", lang),
        "foreign_keys": lambda: t("check.foreign_keys", lang),
        "licences_within_paid_seats": lambda: t("check.licences_within_paid_seats", lang),
        "one_invoice_per_period": lambda: t("check.one_invoice_per_period", lang),
        "gapless_invoice_numbers": lambda: t("check.gapless_invoice_numbers", lang),
        "licence_tally": lambda: t("check.licence_tally", lang),
    }[name]()


def _check_text(outcomes: list[integrity.Outcome], lang: str) -> list[str]:
    lines = []
    for outcome in outcomes:
        title = _check_title(outcome.name, lang)
        if outcome.skipped:
            lines.append(t("check.line_skipped", lang, check=title))
        elif outcome.ok:
            lines.append(t("check.line_ok", lang, check=title))
        else:
            lines.append(t("check.line_problems", lang, check=title, count=outcome.count))
            lines.extend("  " + ", ".join(f"{k}={v}" for k, v in problem.items()) for problem in outcome.problems)
    failed = [o for o in outcomes if not o.ok]
    lines.append(tn("check.failed", len(failed), lang) if failed else t("check.all_ok", lang))
    return lines


def backup(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.db import BUSY_TIMEOUT_MS, sqlite_path

    lang = env.lang
    url = env.settings.url
    if not url.startswith(("sqlite:", "sqliteext:")):
        raise Refused(t("error.backup_not_sqlite", lang))
    source = sqlite_path(url)
    if source is None or not source.is_file():
        raise Refused(t("error.backup_no_source", lang, path=source or url))
    target = Path(args.path).expanduser().absolute()
    if target.exists() or target.is_symlink():
        raise Refused(t("error.backup_exists", lang, path=target))
    if not target.parent.is_dir():
        raise Refused(t("error.backup_no_dir", lang, path=target.parent))

    # Written beside the target, then linked into place: PATH only ever holds a complete, checked
    # copy, and a file that appeared meanwhile is not overwritten (link fails where rename would not).
    partial = target.parent / f".{target.name}.{os.getpid()}.partial"
    try:
        os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        version = _copy(source, partial, BUSY_TIMEOUT_MS / 1000)
        os.link(partial, target)
    except FileExistsError:
        raise Refused(t("error.backup_exists", lang, path=target)) from None
    except (sqlite3.Error, OSError) as exc:
        reason = (getattr(exc, "strerror", None) or str(exc) or type(exc).__name__).splitlines()[0]
        raise Refused(t("error.backup_failed", lang, reason=reason)) from None
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
    from tribe_tui.services import integrity

    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=timeout)
    dst = sqlite3.connect(destination, timeout=timeout)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # a self-contained single file, no -wal beside it
        # The whole check, on the copy, before it is declared good: every page, every foreign
        # key, the data's own rules (what `tribe-tui check` runs).
        failed = [
            o for o in integrity.check_connection(lambda sql: dst.execute(sql).fetchall(), sqlite=True) if not o.ok
        ]
        if failed:
            first = failed[0]
            detail = ", ".join(f"{k}={v}" for k, v in first.problems[0].items()) if first.problems else ""
            raise sqlite3.DatabaseError(f"the copy failed its check ({first.name}: {detail}); run `tribe-tui check`")
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
