"""`tribe-tui backup PATH`: a consistent copy of a SQLite database while admins are working."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from tests.reliability.conftest import one_line_refusal, read_results, start_actor

WRITES = 40  # per writer process


def _consistent(path: Path, base: dict | None = None) -> dict:
    """A copy is consistent when licences, invoices, audit events and the version agree: every
    licence beyond the demo's 30 was invoiced, and every licences invoice an admin's action wrote
    has its event (the demo's own invoices for licences added during its period, paid, overdue and
    open, have none: they are the same number in every copy of it)."""
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    licences = db.execute("SELECT COUNT(*) FROM licence").fetchone()[0]
    bought = db.execute(
        "SELECT COALESCE(SUM(l.quantity), 0) FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id"
        " WHERE i.reason = 'licences' AND l.position = (SELECT MIN(position) FROM invoice_line"
        " WHERE invoice_id = i.id)"
    ).fetchone()[0]
    adds = db.execute("SELECT COUNT(*) FROM audit_event WHERE action = 'licences.add'").fetchone()[0]
    invoices = db.execute("SELECT COUNT(*) FROM invoice WHERE reason = 'licences'").fetchone()[0]
    events = db.execute("SELECT COUNT(*) FROM audit_event").fetchone()[0]
    version = db.execute("SELECT version FROM organisation").fetchone()[0]
    db.close()
    found = {"licences": licences, "events": events, "version": version, "demo_invoiced": invoices - adds}
    demo = base["demo_invoiced"] if base else found["demo_invoiced"]
    demo_bought = db_bought_by_demo(path) if base is None else base["demo_bought"]
    assert licences == 30 + bought - demo_bought  # the demo's 30, plus what admins were invoiced
    assert invoices - adds == demo
    return {**found, "demo_bought": demo_bought}


def db_bought_by_demo(path: Path) -> int:
    """Licences the demo itself invoiced as added during its period (before any admin acted)."""
    db = sqlite3.connect(path)
    try:
        return db.execute(
            "SELECT COALESCE(SUM(l.quantity), 0) FROM invoice i JOIN invoice_line l ON l.invoice_id = i.id"
            " WHERE i.reason = 'licences' AND l.position = 1"
        ).fetchone()[0]
    finally:
        db.close()


def test_backups_taken_while_admins_write_are_consistent_and_restore_the_same_account(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("TRIBE_DATABASE_URL", f"sqlite:///{tmp_path / 'live.db'}")  # SQLite on either run
    assert cli("demo", "--no-open").code == 0
    base = _consistent(tmp_path / "live.db")
    writers = [
        start_actor(
            tmp_path,
            f"writer{i}",
            [["licences", "add", str(i + 1)], ["billing-details", "set", f"po_reference=W{i}"]] * (WRITES // 2),
            slow_s=0.005,
        )
        for i in range(2)
    ]
    copies = []
    try:
        while any(p.poll() is None for p, _ in writers) or len(copies) < 3:
            target = tmp_path / f"copy{len(copies)}.db"
            result = cli("backup", str(target), "--json")
            assert result.code == 0, result.err
            assert result.json["backup"] == str(target)
            copies.append(_consistent(target, base))
            time.sleep(0.05)
    finally:
        for process, _ in writers:
            process.wait(timeout=120)
    done = [read_results(results) for _, results in writers]
    assert all(r["code"] == 0 for run in done for r in run.results)
    # Copies taken mid-way saw some of the work, each copy a moment that really existed.
    assert len(copies) >= 3
    assert any(base["events"] < c["events"] for c in copies)

    final = tmp_path / "final.db"
    assert cli("backup", str(final)).code == 0
    for argv in (
        ("account", "show", "--json"),
        ("licences", "list", "--json"),
        ("invoices", "list", "--json"),
        ("billing-details", "show", "--json"),
    ):
        live = cli(*argv)
        restored = cli(*argv, "--db", f"sqlite:///{final}")
        assert live.code == restored.code == 0
        assert json.loads(live.out) == json.loads(restored.out), argv
    end = _consistent(final, base)
    assert end["version"] == _consistent(tmp_path / "live.db", base)["version"]
    assert any(base["events"] < c["events"] < end["events"] for c in copies)  # taken mid-way
    assert not list(tmp_path.glob(".*.partial"))  # no leftovers beside the copies


def test_backup_refuses_postgres_an_existing_file_and_a_missing_source(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("TRIBE_DATABASE_URL", f"sqlite:///{tmp_path / 'live.db'}")
    assert cli("demo", "--no-open").code == 0

    pg = cli("backup", str(tmp_path / "x.db"), "--db", "postgresql://postgres@127.0.0.1:5432/tribe", "--lang", "en")
    assert one_line_refusal(pg.code, pg.err) and pg.code == 1 and "pg_dump" in pg.err
    assert not (tmp_path / "x.db").exists()

    existing = tmp_path / "bestaat.db"
    existing.write_text("niet overschrijven")
    refused = cli("backup", str(existing))
    assert one_line_refusal(refused.code, refused.err) and refused.code == 1 and "bestaat al" in refused.err
    assert existing.read_text() == "niet overschrijven"

    no_dir = cli("backup", str(tmp_path / "geen" / "map" / "x.db"))
    assert one_line_refusal(no_dir.code, no_dir.err) and no_dir.code == 1

    missing = tmp_path / "nergens.db"
    no_source = cli("backup", str(tmp_path / "y.db"), "--db", f"sqlite:///{missing}")
    assert one_line_refusal(no_source.code, no_source.err) and no_source.code == 1
    assert not missing.exists() and not (tmp_path / "y.db").exists()  # no empty database made on the way

    foreign = tmp_path / "vreemd.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    not_ours = cli("backup", str(tmp_path / "z.db"), "--db", f"sqlite:///{foreign}")
    assert one_line_refusal(not_ours.code, not_ours.err) and not_ours.code == 1
    assert not (tmp_path / "z.db").exists()
