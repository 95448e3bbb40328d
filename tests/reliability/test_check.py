"""`tribe-tui check`: the whole-file check that opening no longer does (every page, every foreign key
and the data's own rules), run nightly from cron; `backup` runs it on its copy."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.reliability.conftest import one_line_refusal, open_db

# A rule broken on purpose, as a bug or a hand edit could: (what is planted, the check that must name it).
PLANTS = {
    "a licence nobody paid for": (
        "INSERT INTO licence (organisation_id, auto_renew, created_on) SELECT id, 1, '2026-11-26' FROM organisation",
        "licences_within_paid_seats",
    ),
    # The demo's first invoice again (its period, as a renewal), under the next number of its year.
    "a second invoice for the same period": (
        "INSERT INTO invoice (organisation_id, number, date, reason, period_start, period_end, subtotal, vat_rate,"
        " vat, total, seller, customer, created_at) SELECT organisation_id, substr(number, 1, 5) || printf('%04d',"
        " (SELECT last FROM invoice_counter WHERE year = CAST(substr(i.number, 1, 4) AS INTEGER)) + 1), date,"
        " 'renewal', period_start, period_end, subtotal, vat_rate, vat, total, seller, customer, created_at"
        " FROM invoice i WHERE id = (SELECT MIN(id) FROM invoice);"
        " UPDATE invoice_counter SET last = last + 1 WHERE year = (SELECT CAST(substr(number, 1, 4) AS INTEGER)"
        " FROM invoice WHERE id = (SELECT MIN(id) FROM invoice))",
        "one_invoice_per_period",
    ),
    # The newest invoice renumbered far ahead, the counter with it: numbers with a gap.
    "a gap in the invoice numbers": (
        "UPDATE invoice_counter SET last = 9999 WHERE year = (SELECT CAST(substr(number, 1, 4) AS INTEGER)"
        " FROM invoice WHERE id = (SELECT MAX(id) FROM invoice));"
        " UPDATE invoice SET number = substr(number, 1, 5) || '9999' WHERE id = (SELECT MAX(id) FROM invoice)",
        "gapless_invoice_numbers",
    ),
    "a counter behind the numbers used": ("UPDATE invoice_counter SET last = 0", "gapless_invoice_numbers"),
    "a licence held by someone who does not exist": (
        "PRAGMA foreign_keys = OFF; UPDATE licence SET holder_id = 999999 WHERE holder_id IS NULL"
        " AND id = (SELECT MIN(id) FROM licence WHERE holder_id IS NULL)",
        "foreign_keys",
    ),
}


@pytest.fixture
def sqlite_demo(cli, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("TRIBE_DATABASE_URL", f"sqlite:///{tmp_path / 'live.db'}")  # SQLite on either run
    assert cli("demo", "--no-open").code == 0
    return tmp_path / "live.db"


@pytest.mark.parametrize("plant", list(PLANTS))
def test_check_finds_a_broken_rule_planted_in_a_copy(cli, sqlite_demo, tmp_path, plant):
    sql, name = PLANTS[plant]
    copy = tmp_path / "copy.db"
    assert cli("backup", str(copy)).code == 0
    connection = sqlite3.connect(copy)
    connection.executescript(sql)
    connection.close()
    planted = copy.read_bytes()

    found = cli("check", "--json", "--db", f"sqlite:///{copy}")
    assert found.code == 1, found
    failed = {c["name"]: c for c in found.json["checks"] if not c["ok"]}
    assert list(failed) == [name] and found.json["ok"] is False
    assert failed[name]["problems"] >= 1 and failed[name]["listed"]
    assert copy.read_bytes() == planted  # checking writes nothing
    assert cli("check", "--json").json == {  # the live database, untouched, passes every check
        "ok": True,
        "checks": [
            {"name": c["name"], "ok": True, "problems": 0, "listed": [], "skipped": None} for c in found.json["checks"]
        ],
    }


def test_check_says_what_is_wrong_in_words_and_passes_a_sound_database(cli, sqlite_demo, tmp_path):
    ok = cli("check", "--lang", "en")
    assert ok.code == 0 and ok.out.splitlines()[-1] == "The database is sound: every check passed."
    connection = sqlite3.connect(sqlite_demo)
    connection.executescript(PLANTS["a licence nobody paid for"][0])
    connection.close()
    found = cli("check", "--lang", "en")
    assert found.code == 1
    assert "PROBLEM  licences within the paid seats: 1" in found.out
    assert "organisation=demo, licences=31, paid_seats=30, paid_until=2027-05-31" in found.out
    assert found.out.splitlines()[-1] == "1 check found problems (listed above)."


def test_backup_keeps_no_copy_that_fails_the_check(cli, sqlite_demo, tmp_path):
    connection = sqlite3.connect(sqlite_demo)
    connection.executescript(PLANTS["a gap in the invoice numbers"][0])
    connection.close()
    target = tmp_path / "copy.db"
    result = cli("backup", str(target), "--lang", "en")
    assert one_line_refusal(result.code, result.err) and result.code == 1, result
    assert "gapless_invoice_numbers" in result.err and "tribe-tui check" in result.err
    assert not target.exists() and list(tmp_path.glob(".copy.db*")) == []


def test_check_of_a_missing_file_is_one_line(cli, tmp_path):
    result = cli("check", "--db", f"sqlite:///{tmp_path / 'nothing.db'}")
    assert one_line_refusal(result.code, result.err) and result.code == 1, result
    assert not (tmp_path / "nothing.db").exists()


def test_check_on_the_tests_backend_finds_a_licence_nobody_paid_for(cli, backend):
    """On PostgreSQL the server checks its own pages and keys; the data's rules are checked the same."""
    assert cli("demo", "--no-open").code == 0
    before = cli("check", "--json")
    assert before.code == 0, before
    assert before.json["checks"][0]["skipped"] == (None if backend == "sqlite" else "postgresql")
    open_db()
    from tribe_tui.models import Licence, Organisation

    org = Organisation.get()
    Licence.create(organisation=org.id, created_on=org.period_start)
    found = cli("check", "--json")
    assert found.code == 1
    failed = [c for c in found.json["checks"] if not c["ok"]]
    assert [c["name"] for c in failed] == ["licences_within_paid_seats"]
    assert failed[0]["listed"] == [
        {"organisation": org.slug, "licences": 31, "paid_seats": 30, "paid_until": str(org.paid_until)}
    ]
