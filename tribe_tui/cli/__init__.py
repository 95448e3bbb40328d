"""The command line: arguments -> services -> text or JSON. No rules live here.

Every command takes the global options (before or after the command). Errors are one line on
stderr: exit 2 for bad input, 1 for a refused action; nothing was changed.
"""

from __future__ import annotations

import argparse
import gettext
import os
import sqlite3
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO, cast

from tribe_tui.cli import (
    account,
    billing_details,
    edition,
    employees,
    invoices,
    licences,
    lifecycle,
    modules,
    ops,
    payments,
    ssh,
)
from tribe_tui.cli.base import GLOBALS, Commands, Env, Handler, Parser, _global_options, common_options
from tribe_tui.config import Settings, language_from_locale
from tribe_tui.errors import BadInput, Refused, TribeError
from tribe_tui.i18n import LOCALE_DIR, t
from tribe_tui.sections import NAMES

if TYPE_CHECKING:
    from pydantic import ValidationError


def build_parser(argv: Sequence[str] | None = None) -> Parser:
    """The parser for argv: the global options and only the command argv names, as building all
    ~35 is a measurable part of every command (bench/RESULTS.md). Every command when argv is None, when it names
    none (the TUI), asks for help, or names an unknown one (argparse then lists all choices)."""

    parser = Parser(prog="tribe-tui", description="Tribe CRM account settings in the terminal.")
    _global_options(parser, suppress=False)
    # For the TUI (no command): the section it opens once signed in (`demo --screen` for the demo).
    parser.add_argument("--screen", metavar="SECTION", choices=NAMES, default=None, help="section to open first")
    wanted = None if argv is None else command_name(parser, argv)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    commands = Commands(sub, common_options(), wanted)
    for register in (  # in the order the help lists them
        account.register,
        licences.register,
        edition.register,
        modules.register,
        employees.register,
        billing_details.register,
        invoices.register,
        account.register_cancel,
        lifecycle.register,
        ops.register,
        ssh.register,
        payments.register,
    ):
        register(commands)
    if wanted is not None and wanted not in commands.names:
        return build_parser()
    return parser


def command_name(parser: argparse.ArgumentParser, argv: Sequence[str]) -> str | None:
    """The command argv names: its first token that is neither a global option of `parser` nor
    such an option's value (`--db URL`, `--db=URL`). None for no command, for -h/--help anywhere,
    and for whatever is unusual before the command (`--`, an abbreviated or unknown option, a value
    that starts with '-'): the whole tree is built and argparse decides as it always did."""
    if "-h" in argv or "--help" in argv:
        return None
    options = parser._option_string_actions  # {"--db": its action, ...}: nargs 0 takes no value
    tokens = iter(argv)
    for token in tokens:
        if not token.startswith("-"):
            return token
        option, has_value, _ = token.partition("=")
        action = options.get(option)
        if action is None or (action.nargs == 0 and has_value):
            return None
        if action.nargs != 0 and not has_value:
            value = next(tokens, None)
            if value is None or value.startswith("-"):
                return None
    return None


def _settings(args: argparse.Namespace) -> Settings:
    overrides: dict[str, object] = {}
    if args.db:
        overrides["database_url"] = args.db
    if args.today is not None:  # `--today ''` is bad input, not "the real date" (R11)
        overrides["today"] = args.today
    if args.org:
        overrides["org"] = args.org
    if args.lang:
        overrides["lang"] = args.lang
    try:
        return Settings(**overrides)
    except ValueError as exc:  # pydantic's ValidationError (a ValueError), from the settings model
        # The settings failed, so take the language the way Settings would have.
        from tribe_tui.schemas import one_line  # only now: importing pydantic slows every command

        lang = args.lang or os.environ.get("TRIBE_LANG") or language_from_locale()
        raise BadInput(one_line(cast("ValidationError", exc), lang if lang in ("nl", "en") else "en")) from None


def language_asked(argv: Sequence[str]) -> str:
    """The language argv asks for, before argparse has read it: --lang, else TRIBE_LANG, else the
    locale (as Settings decides; an invalid value is argparse's to refuse, in the locale's language)."""
    for token, value in zip(argv, [*argv[1:], None], strict=False):  # (each with the token after it)
        if token == "--":
            break
        given = value if token == "--lang" else token.partition("=")[2] if token.startswith("--lang=") else None
        if given in ("nl", "en"):
            return given
    env = (os.environ.get("TRIBE_LANG") or "").strip().lower()
    return env if env in ("nl", "en") else language_from_locale()


@contextmanager
def argparse_language(lang: str) -> Iterator[None]:
    """argparse's own words (usage, headings, its error messages) in `lang`. argparse asks gettext's
    current domain, in the language the environment names (LANGUAGE first): both are set while the
    parser is built and used, and put back after; tribe_tui/locale/nl/LC_MESSAGES/argparse.po holds
    the Dutch (English is argparse's own)."""
    domain, language = gettext.textdomain(), os.environ.get("LANGUAGE")
    gettext.bindtextdomain("argparse", str(LOCALE_DIR))
    gettext.textdomain("argparse")
    os.environ["LANGUAGE"] = lang
    try:
        yield
    finally:
        gettext.textdomain(domain)
        if language is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = language


def run(argv: Sequence[str], stdout: TextIO | None = None) -> int:
    lang = "en"
    argv = list(argv)
    if argv[:2] == ["ssh", "authorized-keys"]:  # sshd's question: its own rules (tribe_tui.authorized_keys)
        from tribe_tui.authorized_keys import main as authorized_keys

        return authorized_keys(argv[2:])
    try:
        with argparse_language(language_asked(argv)):
            args = build_parser(argv).parse_args(argv)
        for name in GLOBALS:  # options given after the command land on the sub-namespace
            if not hasattr(args, name):
                setattr(args, name, False if name == "json" else None)
        settings = _settings(args)
        lang = settings.language
        _skip_unused_drivers(settings.url)
        env = Env(args, settings, bool(args.json), lang, stdout or sys.stdout)
        handler: Handler | None = getattr(args, "handler", None)
        if handler is None:
            return account.open_tui(env, args, screen=args.screen)
        return handler(env, args)
    except TribeError as exc:
        print(f"tribe-tui: {_one_line(exc.message)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("tribe-tui: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # the user sees one line; TRIBE_DEBUG=1 shows the traceback
        report = getattr(exc, "report", None)  # the TUI's (tribe_tui.app.TuiFailed): its traceback is text
        if os.environ.get("TRIBE_DEBUG"):
            if report is None:
                raise
            print(report, file=sys.stderr)
            return 1
        return _unexpected(exc, lang)


def _skip_unused_drivers(url: str) -> None:
    """On SQLite, keep peewee from importing psycopg2 (a measurable part of every command and of
    the first frame, bench/RESULTS.md): it tries the import only to offer PostgreSQL, which this process won't use.
    A None entry in sys.modules makes that import fail the way an uninstalled driver does. Only
    before peewee is loaded: a process that has it already (the tests) keeps what it has."""
    if url.startswith("sqlite") and "peewee" not in sys.modules:
        sys.modules.setdefault("psycopg2", None)  # type: ignore[arg-type]  # None: "not installed"


def _one_line(message: str) -> str:
    """Messages echo what the user typed: control characters (line breaks, terminal escapes,
    bidi overrides) are shown escaped, so a message stays one harmless line."""

    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp")
        else ch
        for ch in message
    )


# The DB-API's errors, as sqlite3 and peewee name them: what a traceback from the TUI may end on.
_DATABASE_ERRORS = {
    "DatabaseError",
    "OperationalError",
    "IntegrityError",
    "ProgrammingError",
    "InterfaceError",
    "DataError",
    "NotSupportedError",
    "InternalError",
}


def _unexpected(exc: Exception, lang: str = "en") -> int:
    import peewee

    from tribe_tui.db import damage_refusal, is_busy

    damaged = damage_refusal(exc)  # a damaged page met by a read (actions refuse it themselves)
    if damaged is not None:
        print(f"tribe-tui: {_one_line(damaged.message)}", file=sys.stderr)
        return damaged.exit_code
    if is_busy(exc):  # still locked after db.retry_when_busy's attempts
        print("tribe-tui: " + t("error.busy", lang), file=sys.stderr)
        return 1
    # The TUI's error (tribe_tui.app.TuiFailed) names the one it ended on.
    kind = getattr(exc, "kind", None) or type(exc).__name__
    if isinstance(exc, (peewee.DatabaseError, sqlite3.DatabaseError)) or kind in _DATABASE_ERRORS:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else kind
        if "readonly database" in first or "read-only" in first or "disk is full" in first:
            said = t("error.disk_full", lang) if "full" in first else t("error.readonly", lang, detail=_one_line(first))
            print(f"tribe-tui: {said}", file=sys.stderr)
            return 1
        print(f"tribe-tui: database error: {_one_line(first)}", file=sys.stderr)
        return 1
    if isinstance(exc, OSError):
        print(f"tribe-tui: {_one_line(str(exc.strerror or exc))}", file=sys.stderr)
        return 1
    print(f"tribe-tui: unexpected error ({kind}); set TRIBE_DEBUG=1 for details", file=sys.stderr)
    return 1


__all__ = ["run", "build_parser", "command_name", "Env", "Parser", "BadInput", "Refused"]
