"""A credited invoice (a credit note cancels it) is never collected nor reminded, and lists as
credited with nothing open. Credit notes come from elsewhere: services.standing.credited_invoice_ids
is the one place that names them, so these tests stand in for it."""

from __future__ import annotations

import pytest


@pytest.fixture
def all_credited(monkeypatch):
    def credited(invoice_ids=None, org_id=None):
        from tribe_tui.models import Invoice

        return {i.id for i in Invoice.select(Invoice.id)}

    for module in ("standing", "payments", "reminders"):
        monkeypatch.setattr(f"tribe_tui.services.{module}.credited_invoice_ids", credited)


def test_a_credited_invoice_is_neither_collected_nor_reminded(cli, org, all_credited, tmp_path):
    assert cli("billing-details", "set", "iban=NL44RABO0123456789").code == 0
    assert cli("mandate", "sign", "--yes").code == 0
    [row] = cli("invoices", "list", "--json").json
    assert (row["status"], row["open_amount"]) == ("credited", "0.00")
    collected = cli("payments", "collect", "--date", "2026-12-31", str(tmp_path / "b.xml"), "--json")
    assert collected.code == 0 and collected.json["count"] == 0
    assert cli("billing", "run", "--today", "2027-01-15", "--lang", "nl").out.count("Herinnering") == 0
