"""Hostile input: every pydantic input model and every CLI command, fed random and adversarial
strings (huge numbers, unicode, control characters, Rich markup, SQL fragments, very long text).

The outcome is always a success or a one-line refusal (exit 1 or 2, one line on stderr, no
traceback), and a refusal changed nothing in the database. The number of inputs tried is recorded
(see the run's closing summary and docs/reliability.md).
"""

from __future__ import annotations

import argparse
import io
import json
import string
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.reliability.conftest import one_line_refusal, snapshot

NASTY = [
    "",
    " ",
    "\t",
    "0",
    "-1",
    "+3",
    "1.5",
    "1e3",
    "1e309",
    "NaN",
    "inf",
    "-0",
    "0x10",
    "٣",
    "３",
    "99999999999999999999999999999999999999",
    str(2**63),
    str(-(2**63) - 1),
    "10000",
    "10001",
    "'; DROP TABLE organisation; --",
    '" OR 1=1 --',
    "1; DELETE FROM audit_event",
    "' UNION SELECT * FROM employee --",
    "[bold red]boom[/]",
    "[/]",
    "[link=file:///etc/passwd]x[/link]",
    "[blink]",
    "\x1b[31mred\x1b[0m",
    "\x1b]52;c;aGk=\x07",
    "\x00",
    "a\x00b",
    "\r\n",
    "line\nbreak",
    "\u202eevil",
    "\u200b",
    "\ufeff",
    "\udcff",
    "\ud800",
    "ü",
    "Zoë Müller-Ünal",
    "名前",
    "🙂" * 20,
    "%s%n%x",
    "{0}",
    "{lang}",
    "{__class__}",
    "../../../../etc/passwd",
    "NULL",
    "None",
    "null",
    "true",
    "on",
    "off",
    "aan",
    "uit",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "2026-11-26",
    "x" * 300,
    "A" * 20_000,
    "a@b",
    "a@b.c",
    "x@example.org",
    "@",
    "a@" + "b" * 300 + ".nl",
    "NL000099998B57",
    "NL91ABNA0417164300",
    "1234 AB",
    "12345678",
    "tribe",
    "creator",
    "sales",
    "projects",
    "-h",
    "--help",
    "--json",
    "--",
    "-",
    "--db=sqlite:////etc/passwd",
]


def _text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NASTY),
        st.text(max_size=40),
        st.text(alphabet=string.printable, max_size=60),
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.lists(st.sampled_from(NASTY), min_size=2, max_size=4).map("".join),
    )


def _value() -> st.SearchStrategy[object]:
    return st.one_of(
        _text(),
        st.integers(min_value=-(10**40), max_value=10**40),
        st.floats(),
        st.booleans(),
        st.none(),
        st.dates(),
        st.lists(_text(), max_size=3),
        st.dictionaries(_text(), _text(), max_size=2),
    )


# --- 1. every pydantic input model ------------------------------------------------------------


def _input_models():
    from tribe_tui import schemas

    return sorted(
        (
            c
            for c in vars(schemas).values()
            if isinstance(c, type) and issubclass(c, schemas.Input) and c is not schemas.Input
        ),
        key=lambda c: c.__name__,
    )


@pytest.mark.engine_free  # the models alone: parse() never opens a database
@pytest.mark.parametrize("model", _input_models(), ids=lambda c: c.__name__)
def test_every_input_model_accepts_or_refuses_in_one_line(model, figures):
    from tribe_tui.errors import BadInput
    from tribe_tui.schemas import parse

    tried = []
    fields = list(model.model_fields)

    @settings(max_examples=150, deadline=None, database=None)
    @given(
        values=st.dictionaries(st.sampled_from(fields + ["unexpected_field"]), _value(), max_size=len(fields) + 1),
        lang=st.sampled_from(["nl", "en"]),
    )
    def check(values, lang):
        tried.append(1)
        try:
            parse(model, lang, **values)
        except BadInput as exc:
            assert exc.message and "\n" not in exc.message and len(exc.message) < 500, repr(exc.message)
            assert exc.exit_code == 2

    check()
    figures(f"hostile input, models / {model.__name__}", inputs=len(tried), tracebacks=0, not_one_line=0)


# --- 2. every CLI command ----------------------------------------------------------------------

SKIP_OPTIONS = {"-h", "--help", "--db"}  # --db is exercised in test_broken_env.py, on files of its own


def _leaf_commands() -> dict[str, argparse.ArgumentParser]:
    """Every runnable command of the real parser: 'licences add' -> its parser."""
    from tribe_tui.cli import build_parser

    found: dict[str, argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if parser.get_default("handler") is not None:
            found[" ".join(path)] = parser
        for action in subs:
            for name, child in action.choices.items():
                walk(child, path + (name,))

    walk(build_parser(), ())
    return found


LEAVES = _leaf_commands()


def _argv(data, path: str, parser: argparse.ArgumentParser, tmp) -> list[str]:
    argv = path.split()
    for action in parser._actions:
        if action.option_strings or isinstance(action, argparse._SubParsersAction):
            continue
        if path == "backup":  # a file name inside this test's folder, never elsewhere
            name = data.draw(_text()).replace("/", "_").replace("\x00", "_")[:100] or "b"
            argv.append(str(tmp / f"backup-{name}"))
            continue
        if action.dest == "assignments":
            from tribe_tui.schemas import BILLING_FIELDS

            items = data.draw(
                st.lists(
                    st.one_of(
                        st.tuples(st.sampled_from(BILLING_FIELDS), _text()).map(lambda fv: f"{fv[0]}={fv[1]}"), _text()
                    ),
                    max_size=4,
                )
            )
            argv += items
            continue
        many = action.nargs in ("*", "+")
        values = data.draw(st.lists(_text(), min_size=1, max_size=3)) if many else [data.draw(_text())]
        argv += values
    for action in parser._actions:
        flag = next((o for o in action.option_strings if o.startswith("--")), None)
        if flag is None or flag in SKIP_OPTIONS or not data.draw(st.booleans()):
            continue
        if action.nargs == 0:
            argv.append(flag)
        elif action.choices and data.draw(st.booleans()):
            argv += [flag, data.draw(st.sampled_from(list(action.choices)))]
        elif flag == "--today":
            argv += [
                flag,
                data.draw(
                    st.one_of(
                        st.sampled_from(NASTY),
                        st.dates(
                            min_value=__import__("datetime").date(2025, 1, 1),
                            max_value=__import__("datetime").date(2028, 12, 31),
                        ).map(str),
                    )
                ),
            ]
        else:
            argv += [flag, data.draw(_text())]
    if path == "demo" and "--no-open" not in argv:
        argv.append("--no-open")  # never start the TUI in this test
    return argv


def _appended_only(before: dict, after: dict) -> None:
    """Audit events are only ever added: every earlier row is still there, unchanged."""
    assert after["audit_event"][: len(before["audit_event"])] == before["audit_event"]


# Failed sign-ins are recorded on purpose (lockout), and a flush without SMTP counts its attempt.
RECORDED_ON_FAILURE = ("sign_in_failure",)
# ... and they are audit events (sign_in.failed, and the lockout it may start): only those may be
# appended by a refused command.
SIGN_IN_EVENTS = ("sign_in.failed", "sign_in.locked")


def _only_sign_in_failures_added(before: dict, after: dict) -> bool:
    from tribe_tui.models import AuditEvent

    action = [field.name for field in AuditEvent._meta.sorted_fields].index("action")
    added = after["audit_event"][len(before["audit_event"]) :]
    return all(row[action] in SIGN_IN_EVENTS for row in added)


@pytest.mark.parametrize("path", sorted(LEAVES))
def test_every_cli_command_succeeds_or_refuses_in_one_line(cli, path, tmp_path, monkeypatch, figures):
    assert cli("demo", "--no-open").code == 0
    monkeypatch.chdir(tmp_path)
    outcomes = {"inputs": 0, "succeeded": 0, "refused": 0, "tracebacks": 0, "unintended_changes": 0}
    # The database as the previous example left it: nothing else writes between examples, so it is
    # this example's "before" (read again after anything but a whole, checked example).
    left: dict = {}

    @settings(
        max_examples=30,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def check(data):
        argv = _argv(data, path, LEAVES[path], tmp_path)
        monkeypatch.setattr(sys, "stdin", io.StringIO(data.draw(_text()) + "\n"))
        before = left.pop("after", None) or snapshot()
        try:
            result = cli(*argv)
        except SystemExit as exc:  # argparse's own --help / -h: prints help, exit 0, like the real CLI
            assert exc.code == 0 and ("-h" in argv or "--help" in argv), argv
            return
        after = snapshot()
        outcomes["inputs"] += 1
        assert "Traceback" not in result.err and "Traceback" not in result.out, (argv, result)
        _appended_only(before, after)
        if result.code == 0:
            outcomes["succeeded"] += 1
            if "--json" in argv and result.out.strip():
                json.loads(result.out)
            left["after"] = after
            return
        outcomes["refused"] += 1
        assert one_line_refusal(result.code, result.err), (argv, result)
        changed = [
            t
            for t in before
            if before[t] != after[t]
            and t not in RECORDED_ON_FAILURE
            and not (t == "audit_event" and _only_sign_in_failures_added(before, after))
        ]
        assert not changed, (argv, result.err, changed)
        left["after"] = after

    check()
    figures(f"hostile input, cli / {path}", **outcomes)
