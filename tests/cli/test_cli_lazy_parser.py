"""The parser builds only the command argv names , and nothing a user sees changes: every
command parses to the same Namespace as with the whole tree, help is the same, and no command, help or
an unknown command still get the whole tree."""

from __future__ import annotations

import argparse

import pytest

from tribe_tui.cli import build_parser
from tribe_tui.errors import BadInput

pytestmark = pytest.mark.engine_free  # the parser alone: nothing here opens a database

GLOBALS_BEFORE = ["--json", "--db=sqlite:///elsewhere.db", "--today", "2026-11-26", "--lang", "en", "--org", "acme"]


def _top_level(parser: argparse.ArgumentParser) -> list[str]:
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return list(sub.choices)


def _walk(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(path, parser) for every parser of the tree: ('licences', 'add') -> its parser."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _walk(child, path + (name,))


FULL = build_parser()
COMMANDS = _top_level(FULL)
LEAVES = {path: parser for path, parser in _walk(FULL) if parser.get_default("handler") is not None}


def _typical(path: tuple[str, ...], parser: argparse.ArgumentParser, options: bool) -> list[str]:
    """The command, a value for each positional and required option and, with `options`, every
    option of it."""
    argv = list(path)
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        value = list(action.choices)[0] if action.choices else f"{action.dest}-value"
        if not action.option_strings:
            argv += [value, value] if action.nargs in ("+", "*") else [value]
        elif options or action.required:
            argv += [action.option_strings[-1]] + ([] if action.nargs == 0 else [value])
    return argv


def test_the_tree_is_all_there():
    assert len(COMMANDS) >= 15 and len(LEAVES) >= 30
    assert {"account", "licences", "init", "backup", "billing"} <= set(COMMANDS)


@pytest.mark.parametrize("path", list(LEAVES), ids=" ".join)
@pytest.mark.parametrize("before", [[], GLOBALS_BEFORE], ids=["", "globals-first"])
@pytest.mark.parametrize("options", [False, True], ids=["defaults", "options"])
def test_each_command_parses_as_with_the_whole_tree(path, before, options):
    argv = before + _typical(path, LEAVES[path], options)
    lazy = build_parser(argv)
    assert _top_level(lazy) == [path[0]]  # only the command argv names was built
    parsed = vars(lazy.parse_args(argv))
    assert parsed == vars(build_parser().parse_args(argv))
    assert parsed["handler"] is LEAVES[path].get_default("handler")


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_has_the_same_help_and_actions(name):
    lazy = dict(_walk(build_parser([name])))
    full = {path: parser for path, parser in _walk(FULL) if path[:1] == (name,)}
    assert set(lazy) - {()} == set(full)
    for path, parser in full.items():
        assert lazy[path].format_help() == parser.format_help(), path


@pytest.mark.parametrize(
    "argv, command",
    [
        (["account", "show"], "account"),
        (["--json", "licences", "add", "2"], "licences"),
        (["--db", "sqlite:///x.db", "--lang", "nl", "backup", "b.db"], "backup"),
        (["--db=sqlite:///x.db", "--today=2026-11-26", "invoices", "list"], "invoices"),
        (["--org", "init", "init"], "init"),  # --org's value first, then the command
        # no command, help, or anything unusual before the command: the whole tree, as before
        ([], None),
        (["--json", "--lang", "en"], None),
        (["--db"], None),
        (["-h"], None),
        (["--help", "account"], None),
        (["account", "show", "-h"], None),
        (["--tod", "2026-11-26", "account", "show"], None),  # an abbreviation: argparse resolves it
        (["--today", "-1", "account", "show"], None),
        (["--json=yes", "account", "show"], None),
        (["--", "account", "show"], None),
        (["-x", "account", "show"], None),
        (["frobnicate"], None),
        (["--json", "Account", "show"], None),
        ([""], None),
    ],
)
def test_which_commands_are_built(argv, command):
    assert _top_level(build_parser(argv)) == ([command] if command else COMMANDS)


def _usage_error(argv: list[str]) -> str:
    with pytest.raises(BadInput) as caught:
        FULL.parse_args(argv)
    return caught.value.message


@pytest.mark.parametrize(
    "argv",
    [
        ("frobnicate",),
        ("--json", "frobnicate", "x"),
        ("--db=sqlite:///x.db", "Account"),
        ("licences", "frob"),
        ("licences",),
        ("account", "show", "--bogus"),
        ("--lang", "fr", "account", "show"),
        ("licences", "add"),
    ],
    ids=" ".join,
)
def test_usage_errors_are_the_same_one_line_exit_2(cli, argv):
    # In English, as FULL was built: argparse's words follow the language asked for.
    result = cli("--lang", "en", *argv)
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines() == [f"tribe-tui: {_usage_error(['--lang', 'en', *argv])}"]


def test_an_unknown_command_lists_every_command(cli):
    err = cli("--lang", "en", "frobnicate").err
    assert "invalid choice: 'frobnicate'" in err
    assert all(f"'{name}'" in err for name in COMMANDS)


@pytest.mark.parametrize(
    "argv, path",
    [
        (["--help"], ()),
        (["-h", "account"], ()),
        (["--json", "-h"], ()),
        (["licences", "--help"], ("licences",)),
        (["--json", "licences", "add", "-h"], ("licences", "add")),
        (["backup", "--help", "--json"], ("backup",)),
    ],
    ids=str,
)
def test_help_is_the_same(capsys, argv, path):
    from tribe_tui.cli import run

    with pytest.raises(SystemExit) as done:
        run(["--lang", "en", *argv])  # English, as FULL was built
    assert done.value.code == 0
    assert capsys.readouterr().out == dict(_walk(FULL))[path].format_help()


def test_the_top_level_help_lists_every_command(capsys):
    from tribe_tui.cli import run

    with pytest.raises(SystemExit):
        run(["--help"])
    out = capsys.readouterr().out
    assert all(name in out for name in COMMANDS)


@pytest.mark.parametrize("argv", [[], ["--json", "--lang", "en"]], ids=str)
def test_without_a_command_the_tui_opens(cli, monkeypatch, argv):
    opened = []
    monkeypatch.setattr("tribe_tui.cli.account.open_tui", lambda env, args, **kw: opened.append(args) or 0)
    assert cli(*argv).code == 0
    (args,) = opened
    assert args.command is None and getattr(args, "handler", None) is None
