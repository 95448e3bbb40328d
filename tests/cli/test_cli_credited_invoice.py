"""A credited invoice (a credit note cancels it) is never collected nor reminded, and lists as
credited with nothing open: the payment status asks the credit notes themselves."""

from __future__ import annotations


def test_a_credited_invoice_is_neither_collected_nor_reminded(cli, org, tmp_path):
    assert cli("billing-details", "set", "iban=NL44RABO0123456789").code == 0
    assert cli("mandate", "sign", "--yes").code == 0
    [row] = cli("invoices", "list", "--json").json
    assert row["status"] == "open"
    credited = cli("invoices", "credit", row["number"], "--reason", "verkeerde gegevens", "--yes")
    assert credited.code == 0, credited.err
    [row] = cli("invoices", "list", "--json").json
    assert (row["status"], row["open_amount"]) == ("credited", "0.00")
    assert row["credited_by"]
    collected = cli("payments", "collect", "--date", "2026-12-31", str(tmp_path / "b.xml"), "--json")
    assert collected.code == 0 and collected.json["count"] == 0
    assert cli("billing", "run", "--today", "2027-01-15", "--lang", "nl").out.count("Herinnering") == 0
