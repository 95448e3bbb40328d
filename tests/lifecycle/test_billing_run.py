"""`billing run` over several organisations: one transaction each, a failure reported and passed
over, a summary, and a run stopped half-way carried on by the next."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.lifecycle.conftest import ADMIN_PASSWORD

SLUGS = ("acme-bv", "kapot-bv", "zuid-bv")


@pytest.fixture
def three(run, org):
    """Acme BV, Kapot BV and Zuid BV, all paid until 2026-12-31."""
    for name, user in (("Kapot BV", "kapot"), ("Zuid BV", "zuid")):
        made = run(
            "init",
            "--org",
            name,
            "--admin-email",
            f"a@{user}.nl",
            "--admin-username",
            user,
            "--start",
            "2026-01-01",
            "--password-stdin",
            stdin=ADMIN_PASSWORD,
        )
        assert made.code == 0, made.err
    return SLUGS


def _state(slug: str) -> tuple:
    from tribe_tui.models import AuditEvent, Invoice, Organisation

    org = Organisation.get(Organisation.slug == slug)
    return (
        org.paid_until,
        org.version,
        Invoice.select().where(Invoice.organisation == org.id).count(),
        # The renewal's events; a reminder of the open first invoice is the run's other, separate act.
        AuditEvent.select()
        .where((AuditEvent.organisation == org.id) & (AuditEvent.action != "invoice.reminder"))
        .count(),
    )


def _numbers(year: int) -> list[int]:
    from tribe_tui.models import Invoice

    return sorted(int(i.number.split("-")[1]) for i in Invoice.select() if i.number.startswith(f"{year}-"))


def test_a_failing_organisation_is_reported_and_the_run_goes_on(run, three, monkeypatch):
    from tribe_tui.services import renewal

    before = _state("kapot-bv")
    settle = renewal.settle

    def broken(ctx, org, **kw):
        if org.slug == "kapot-bv":
            settle(ctx, org, **kw)  # its renewal is written, then the bad data is found: all of it goes
            raise ValueError("bad data in\nthe licences")
        return settle(ctx, org, **kw)

    monkeypatch.setattr(renewal, "settle", broken)
    done = run("billing", "run", "--today", "2027-01-01", "--json")

    assert done.code == 1
    assert done.err.splitlines() == [
        "kapot-bv: niet verwerkt (ValueError: bad data in the licences); er is niets van bewaard, "
        "de volgende run probeert het opnieuw."
    ]
    summary = done.json
    assert [o["organisation"] for o in summary["outcomes"]] == ["acme-bv", "zuid-bv"]
    assert summary["failures"] == [{"organisation": "kapot-bv", "reason": "ValueError: bad data in the licences"}]
    assert (summary["organisations"], summary["invoices"]) == (2, 2)
    assert _state("kapot-bv") == before  # nothing of it kept
    assert _numbers(2027) == [1, 2]  # the rolled-back renewal left no gap

    # The data is mended: the next run settles it, and only it.
    monkeypatch.setattr(renewal, "settle", settle)
    again = run("billing", "run", "--today", "2027-01-01", "--json")
    assert again.code == 0, again.err
    assert [o["organisation"] for o in again.json["outcomes"]] == ["kapot-bv"]
    assert _numbers(2027) == [1, 2, 3]


def test_the_summary_counts_organisations_invoices_and_their_total(run, three):
    done = run("billing", "run", "--today", "2027-01-01", "--json")
    assert done.code == 0, done.err
    summary = done.json
    totals = [o["total"] for o in summary["outcomes"]]
    assert summary["organisations"] == 3 and summary["invoices"] == 3 and summary["failures"] == []
    assert summary["invoiced_total"] == str(sum(Decimal(t) for t in totals))
    # Each first invoice (issued 2026-01-01, due 15 January) is still open a year later: one reminder each.
    assert summary["reminders"] == 3 and summary["seconds"] >= 0

    text = run("billing", "run", "--today", "2028-01-01")
    assert text.code == 0, text.err
    assert text.out.splitlines()[-1].startswith("3 organisaties verwerkt; 3 facturen, samen €\xa0")


def test_a_run_stopped_half_way_is_simply_run_again(run, three, monkeypatch):
    """The process dies (here: interrupted) while settling the second organisation: the first is
    committed, the second rolled back; the next run does the second and third, none twice."""
    from tribe_tui.services import renewal

    settle = renewal.settle

    def dies(ctx, org, **kw):
        if org.slug == "kapot-bv":
            settle(ctx, org, **kw)
            raise KeyboardInterrupt
        return settle(ctx, org, **kw)

    monkeypatch.setattr(renewal, "settle", dies)
    assert run("billing", "run", "--today", "2027-01-01").code == 130
    assert [_state(s)[0] for s in SLUGS] == [date(2027, 12, 31), date(2026, 12, 31), date(2026, 12, 31)]

    monkeypatch.setattr(renewal, "settle", settle)
    again = run("billing", "run", "--today", "2027-01-01", "--json")
    assert again.code == 0, again.err
    assert [o["organisation"] for o in again.json["outcomes"]] == ["kapot-bv", "zuid-bv"]
    assert [_state(s)[0] for s in SLUGS] == [date(2027, 12, 31)] * 3
    assert [_state(s)[2] for s in SLUGS] == [2, 2, 2]  # the first invoice and one renewal each
    assert _numbers(2027) == [1, 2, 3]


def test_the_invoice_number_is_taken_after_every_read_of_the_renewal(run, org, caplog):
    """Gapless numbers lock the year's counter row until commit (on PostgreSQL other runners then
    wait): after it the renewal only writes the rows that carry the number, nothing else."""
    import logging

    from tribe_tui.services.renewal import run_billing

    with caplog.at_level(logging.DEBUG, logger="peewee"):
        [outcome] = run_billing(date(2027, 1, 1), "test").outcomes
    statements = [str(r.msg[0]) if isinstance(r.msg, tuple) else str(r.msg) for r in caplog.records]
    taken = max(i for i, s in enumerate(statements) if s.startswith('UPDATE "invoice_counter"'))
    after = []
    for statement in statements[taken + 1 :]:
        if 'FROM "organisation"' in statement:
            break  # the next claim: this organisation's transaction has ended
        if not statement.startswith('SELECT "t1"."last" FROM "invoice_counter"'):  # SQLite reads it back
            after.append(statement)
    assert [s.split('"')[1] for s in after] == ["invoice", "invoice_line", "outbox_message", "audit_event"], after
    assert all(s.startswith("INSERT INTO") for s in after), after
    assert outcome.invoice_number == "2027-0001"


def test_on_a_terminal_a_progress_bar_counts_organisations_and_the_rate(three, monkeypatch):
    import io
    import json
    from contextlib import redirect_stderr

    from tribe_tui.cli import run as cli

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen, out = Terminal(), io.StringIO()
    monkeypatch.setenv("COLUMNS", "100")
    with redirect_stderr(screen):
        code = cli(["billing", "run", "--today", "2027-01-01", "--json"], stdout=out)
    assert code == 0
    shown = screen.getvalue()
    assert "Verlengen" in shown and "3/3" in shown and "organisaties/s" in shown, shown
    assert json.loads(out.getvalue())["organisations"] == 3  # stdout holds the summary alone


def test_elsewhere_no_progress_bar(run, three):
    done = run("billing", "run", "--today", "2027-01-01")
    assert done.code == 0 and done.err == ""
