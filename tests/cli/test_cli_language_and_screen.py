"""`tribe-tui --screen SECTION` opens the TUI on that section, as `demo --screen` does; argparse's
own words (usage, headings, its error messages) are in the user's language, like every other line."""

from __future__ import annotations

import gettext
import os

import pytest

pytestmark = pytest.mark.engine_free  # the parser and the language alone


@pytest.mark.parametrize("argv", [["--screen", "licences"], ["--lang", "en", "--screen=invoices"]], ids=str)
def test_screen_opens_the_tui_itself_on_that_section(cli, monkeypatch, argv):
    opened = []
    monkeypatch.setattr("tribe_tui.cli.account.open_tui", lambda env, args, **kw: opened.append(kw) or 0)
    result = cli(*argv)
    assert (result.code, result.err) == (0, "")
    assert opened == [{"screen": argv[-1].rpartition("=")[2] if "=" in argv[-1] else argv[-1]}]


def test_an_unknown_screen_is_refused_naming_the_sections(cli):
    result = cli("--lang", "en", "--screen", "nowhere")
    assert result.code == 2
    assert "invalid choice: 'nowhere'" in result.err and "'licences'" in result.err


@pytest.mark.parametrize(
    "argv, said",
    [
        (["licences"], "tribe-tui: deze argumenten ontbreken: ACTION"),  # the locale (LANG=nl_NL) says Dutch
        (["--lang", "nl", "frobnicate"], "tribe-tui: argument COMMAND: ongeldige keuze: 'frobnicate' (kies uit"),
        (["licences", "--db"], "tribe-tui: argument --db: verwacht één waarde"),
        (["account", "show", "--bogus"], "tribe-tui: onbekende argumenten: --bogus"),
        (["--lang", "en", "licences"], "tribe-tui: the following arguments are required: ACTION"),
        (["--lang=en", "account", "show", "--bogus"], "tribe-tui: unrecognized arguments: --bogus"),
    ],
    ids=str,
)
def test_argparse_errors_are_in_the_users_language(cli, argv, said):
    result = cli(*argv)
    assert result.code == 2
    assert result.err.startswith(said), result.err


def test_tribe_lang_chooses_argparses_language_too(cli, monkeypatch):
    monkeypatch.setenv("TRIBE_LANG", "en")
    assert cli("licences").err == "tribe-tui: the following arguments are required: ACTION\n"


@pytest.mark.parametrize(
    "lang, words",
    [("nl", ["gebruik: tribe-tui", "opties:", "toon deze hulp en stop"]), ("en", ["usage: tribe-tui", "options:"])],
)
def test_help_headings_are_in_the_users_language(capsys, lang, words):
    from tribe_tui.cli import run

    with pytest.raises(SystemExit):
        run(["--lang", lang, "licences", "--help"])
    shown = capsys.readouterr().out
    assert all(word in shown for word in words), shown
    if lang == "nl":
        assert "usage:" not in shown and "options:" not in shown


def test_the_language_is_only_argparses_while_it_parses(cli, monkeypatch):
    monkeypatch.delenv("LANGUAGE", raising=False)
    domain = gettext.textdomain()
    cli("--lang", "nl", "licences")
    assert "LANGUAGE" not in os.environ and gettext.textdomain() == domain
