"""What every command module builds on: the parser's pieces (Parser, Commands and the global
options a subcommand takes), the Env a command handler gets, and what several commands do
alike: a charge as a table, all a click invoices as text, a file written privately, the mail an
action queued sent."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from tribe_tui import billing, formatting
from tribe_tui.errors import BadInput, Refused
from tribe_tui.i18n import t
from tribe_tui.safe_text import visible_lines
from tribe_tui.service_types import Context

if TYPE_CHECKING:
    from tribe_tui.config import Settings

Handler = Callable[["Env", argparse.Namespace], int]
GLOBALS = ("json", "db", "today", "org", "lang")


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line with exit code 2."""

    def error(self, message: str) -> NoReturn:  # noqa: D102
        raise BadInput(message)


def common_options(with_org: bool = True) -> Parser:
    """The global options, for a subcommand's parser (given after the command)."""
    common = Parser(add_help=False)
    _global_options(common, suppress=True, with_org=with_org)
    return common


class Commands:
    """Adds subcommands that take the global options: `command()` for a leaf, `group()` for a verb
    with actions (`licences add`, `licences list`, ...). Shared by every cli module.

    With `wanted` (the command argv names) the other top-level commands are not built: they get
    SKIPPED, which takes their add_argument/set_defaults/add_parser calls and does nothing.
    `names` records every top-level name asked for, built or skipped."""

    def __init__(self, sub: argparse._SubParsersAction[Parser], common: Parser, wanted: str | None = None) -> None:
        self.sub = sub
        self.common = common
        self.wanted = wanted
        self.names: list[str] = []

    def _skipped(self, name: str) -> bool:
        self.names.append(name)
        return self.wanted is not None and name != self.wanted

    def command(
        self,
        name: str,
        handler: Handler,
        help: str,
        parent: argparse._SubParsersAction[Parser] | _Skipped | None = None,
        parents: list[Parser] | None = None,
    ) -> Parser | _Skipped:
        if parent is None and self._skipped(name):
            return SKIPPED
        p = (parent or self.sub).add_parser(name, parents=parents or [self.common], help=help, description=help)
        p.set_defaults(handler=handler)
        return p

    def group(self, name: str, help: str) -> argparse._SubParsersAction[Parser] | _Skipped:
        if self._skipped(name):
            return SKIPPED
        p = self.sub.add_parser(name, parents=[self.common], help=help, description=help)
        return p.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True)


class _Skipped:
    """The parser (and the actions) of a command that is not built: every call is a no-op."""

    def add_argument(self, *args: object, **kwargs: object) -> None:
        return None

    def set_defaults(self, **kwargs: object) -> None:
        return None

    def add_parser(self, *args: object, **kwargs: object) -> _Skipped:
        return self

    def add_subparsers(self, *args: object, **kwargs: object) -> _Skipped:
        return self


SKIPPED = _Skipped()


def _global_options(parser: argparse.ArgumentParser, suppress: bool, with_org: bool = True) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS if suppress else False, help="output JSON"
    )
    parser.add_argument("--db", metavar="URL", default=default, help="database URL (env TRIBE_DATABASE_URL)")
    parser.add_argument(
        "--today", metavar="YYYY-MM-DD", default=default, help="the date every rule uses (env TRIBE_TODAY)"
    )
    if with_org:
        parser.add_argument("--org", metavar="SLUG", default=default, help="the organisation, when there are several")
    parser.add_argument("--lang", choices=("nl", "en"), default=default, help="language of the output")


@dataclass
class Env:
    """What a command handler gets: settings, output, and the database opened on demand."""

    args: argparse.Namespace
    settings: Settings
    out_json: bool
    lang: str
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    _opened: bool = False

    @property
    def today(self) -> date:
        return self.settings.effective_today()

    @property
    def actor(self) -> str:
        try:
            user = getpass.getuser()
        except Exception:  # no passwd entry in some containers
            user = str(os.getuid())
        return f"cli:{user}"

    def open_db(self, *, create: bool = False) -> None:
        """Open the database; only `init` and `demo` may create it (create=True): for every other
        command a missing one is bad input naming the URL (a mistyped --db creates nothing)."""
        if not self._opened:
            from tribe_tui.db import open_database

            open_database(self.settings.url, create=create)
            self._opened = True

    def context(self) -> Context:
        """The organisation this command acts on (--org, or the only one)."""
        from tribe_tui.services.organisations import resolve

        self.open_db()
        org = resolve(self.settings.org, self.lang)
        return Context(org.id, self.actor, self.today, self.lang)

    def emit(self, data: object, text: str | Sequence[str] | Callable[[], str | Sequence[str]] | None = None) -> None:
        """JSON when --json, else the human text (a string or lines, or a function that makes them:
        formatting money and dates loads babel's locale data, which JSON does not need)."""
        if self.out_json:
            print(json.dumps(data, ensure_ascii=False, indent=2, default=str), file=self.stdout)
        elif text is not None:
            text = text() if callable(text) else text
            # Stored text (names, addresses) may hold terminal escapes that came another way.
            print(visible_lines(text if isinstance(text, str) else "\n".join(text)), file=self.stdout)


def send_queued_mail(env: Env) -> None:
    """After an action that issued an invoice: its e-mail (and whatever else waits) goes now, when a
    mail server is configured. A failure leaves it queued with its reason (`outbox list`); the
    action stands either way."""
    if env.settings.smtp_url:
        from tribe_tui.services.outbox import flush

        flush(env.settings)


def write_private(env: Env, path_text: str, data: bytes, force: bool) -> str:
    """Write `data` to PATH (mode 0600) or, for `-`, to stdout. Returns where it went."""
    lang = env.lang
    if path_text == "-":
        _to_stdout(env, data)
        return "-"
    target = Path(path_text).expanduser().absolute()
    if target.is_dir():
        raise Refused(t("error.file_is_dir", lang, path=target))
    if (target.exists() or target.is_symlink()) and not force:
        raise Refused(t("error.file_exists", lang, path=target))
    if not target.parent.is_dir():
        raise Refused(t("error.file_no_dir", lang, path=target.parent))
    # Written beside the target, then moved into place: PATH only ever holds the whole file. Without
    # --force, link (which fails on an existing name) rather than rename (which would replace it).
    partial = target.parent / f".{target.name}.{os.getpid()}.partial"
    try:
        handle = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if force:
            os.replace(partial, target)
        else:
            os.link(partial, target)
    except FileExistsError:
        raise Refused(t("error.file_exists", lang, path=target)) from None
    except OSError as exc:
        raise Refused(t("error.file_failed", lang, path=target, reason=exc.strerror or str(exc))) from None
    finally:
        partial.unlink(missing_ok=True)
    return str(target)


def _to_stdout(env: Env, data: bytes) -> None:
    stream = env.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a stream that takes text only cannot carry a PDF
        raise Refused(t("cli.stdout_binary", env.lang))
    stream.flush()
    buffer.write(data)
    buffer.flush()


def bill_text(env: Env, bill: billing.Bill) -> list[str]:
    """Everything a click invoices: the change's table alone, or (after paid-until, R9) the renewal
    or ending settled first with its lines, then the change's, then the sum of every invoice."""
    if not bill.settled:
        return charge_text(env, bill.change) if bill.change is not None else []
    f, lang = formatting, env.lang
    lines: list[str] = []
    for settled in bill.settled:
        lines.append(f.settled_done_text(settled, lang))  # with its number once it was written
        if settled.charge is not None and not settled.charge.is_empty:
            lines += charge_text(env, settled.charge)
    if bill.change is None:  # an action that charges nothing itself: the renewal is the one invoice
        return lines
    if not bill.change.is_empty:
        lines += [t("bill.then_change", lang)] + charge_text(env, bill.change)
    lines.append(f.bill_sum_text(bill, lang))
    return lines


def settled_first(env: Env, settled: tuple[billing.Settled, ...], said: str | list[str]) -> list[str]:
    """What an action that charges nothing itself says: the renewal (or ending) it settled first
    (R9), with its invoice number and lines, then what it did."""
    return bill_text(env, billing.Bill(settled, None)) + ([said] if isinstance(said, str) else said)


def charge_text(env: Env, charge: billing.Charge, *, periods: bool = False) -> list[str]:
    """The lines and totals as a table; with `periods`, each line's service period under it (R10)."""
    f = formatting
    lang = env.lang
    rows = []
    for line in charge.lines:
        rows.append(
            (
                line.description,
                f.line_formula(line.quantity, line.unit_price, line.days, line.period_days, lang),
                f.money(line.amount, lang),
            )
        )
        if periods and line.period_from is not None and line.period_to is not None:
            rows.append(
                (
                    "  "
                    + t(
                        "label.line_period",
                        lang,
                        start=f.long_date(line.period_from, lang),
                        end=f.long_date(line.period_to, lang),
                    ),
                    "",
                    "",
                )
            )
    rows.append((t("label.subtotal", lang), "", f.money(charge.subtotal, lang)))
    rows.append((f.vat_label(charge.vat_rate, charge.vat_reason, lang), "", f.money(charge.vat, lang)))
    rows.append((t("label.total", lang), "", f.money(charge.total, lang)))
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    w2 = max(len(r[2]) for r in rows)
    return [
        f"  {a:<{w0}}  {b:<{w1}}  {c:>{w2}}".rstrip() if b or not c else f"  {a:<{w0}}  {'':<{w1}}  {c:>{w2}}"
        for a, b, c in rows
    ]
