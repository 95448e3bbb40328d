"""Start-up stays lean: a command imports only what it uses (tribe_tui.deferred lists what it leaves
out), and Settings (a plain pydantic model since pydantic-settings was dropped for its import cost)
behaves as before."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest

# Loaded in a fresh interpreter: which heavy modules did `account show --json` pull in?
PROBE = """
import io, json, sys
from tribe_tui.cli import run
out = io.StringIO()
code = run(sys.argv[1:], stdout=out)
from tribe_tui.deferred import NOT_FOR_JSON_OUTPUT as heavy
print(json.dumps({"code": code, "out": out.getvalue(), "loaded": sorted(m for m in heavy if m in sys.modules)}))
"""


def probe(*argv: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, env=os.environ)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_account_show_json_imports_nothing_it_does_not_use(backend):
    created = probe("demo", "--no-open", "--licences", "12")
    assert created["code"] == 0
    shown = probe("account", "show", "--json")
    assert shown["code"] == 0
    assert json.loads(shown["out"])["licences"] == {"total": 12, "in_use": 10, "free": 2}
    # No money or date formatting for JSON, no UI, no password hashing, mail, PostgreSQL URL
    # parsing or input schemas: none of them is needed to read and print the account.
    # (On PostgreSQL the URL parser is the connection's own: it has to load there.)
    expected = ["playhouse.db_url"] if backend == "postgres" else []
    assert shown["loaded"] == expected


def test_licences_add_json_validates_with_pydantic_but_formats_nothing(backend):
    probe("demo", "--no-open", "--licences", "12")
    added = probe("licences", "add", "1", "--json")
    assert added["code"] == 0
    assert json.loads(added["out"])["licences_total"] == 13
    # The count goes through its pydantic model (tribe_tui.schemas); JSON needs no babel data.
    expected = ["playhouse.db_url", "tribe_tui.schemas"] if backend == "postgres" else ["tribe_tui.schemas"]
    assert added["loaded"] == expected


def test_account_show_text_formats_money_and_dates_without_babels_locale_data():
    probe("demo", "--no-open", "--licences", "12")
    shown = probe("account", "show", "--lang", "nl")
    assert shown["code"] == 0
    # Whole cents and long dates come from CLDR's patterns in formatting.py (held to babel's text
    # by tests/unit/test_formatting_without_babel.py).
    assert "€\xa0" in shown["out"] and " mei 2027" in shown["out"] and "babel" not in shown["loaded"]


def test_settings_read_tribe_environment_in_any_case(monkeypatch: pytest.MonkeyPatch):
    from tribe_tui.config import Settings

    monkeypatch.setenv("tribe_today", "2026-02-01")
    monkeypatch.setenv("TRIBE_LANG", "en")
    monkeypatch.setenv("TRIBE_INVITE_VALID_DAYS", "9")
    monkeypatch.setenv("TRIBE_NOT_A_SETTING", "ignored")
    settings = Settings()
    assert (settings.today, settings.language, settings.invite_valid_days) == (date(2026, 2, 1), "en", 9)


def test_settings_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch):
    from tribe_tui.config import Settings

    monkeypatch.setenv("TRIBE_TODAY", "2026-02-01")
    monkeypatch.setenv("TRIBE_DATABASE_URL", "")  # blank means unset, as before
    settings = Settings(today="2026-03-01")
    assert settings.today == date(2026, 3, 1)
    assert settings.database_url is None


def test_settings_from_the_environment_are_validated(monkeypatch: pytest.MonkeyPatch):
    from pydantic import ValidationError

    from tribe_tui.config import Settings

    monkeypatch.setenv("TRIBE_INVITE_VALID_DAYS", "0")
    with pytest.raises(ValidationError):
        Settings()
    monkeypatch.delenv("TRIBE_INVITE_VALID_DAYS")
    monkeypatch.setenv("TRIBE_LANG", "de")
    with pytest.raises(ValidationError):
        Settings()


def test_a_command_on_sqlite_never_loads_the_postgresql_driver(backend):
    # The CLI keeps peewee back until the URL is known, so that on SQLite peewee does not import
    # psycopg2 (tribe_tui.deferred.NOT_BEFORE_THE_DATABASE_URL): nothing it imports first loads peewee.
    code = (
        "import io, json, sys\n"
        "from tribe_tui.cli import run\n"
        "code = run(['account', 'show', '--json'], stdout=io.StringIO())\n"
        "print(json.dumps({'code': code, 'driver': sys.modules.get('psycopg2') is not None}))\n"
    )
    assert probe("demo", "--no-open")["code"] == 0
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"code": 0, "driver": backend == "postgres"}
