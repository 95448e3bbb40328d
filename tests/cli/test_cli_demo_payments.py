"""`tribe-tui demo` shows payments: a paid, an overdue and an open invoice, and an organisation
paying by direct debit whose batch validates against the official pain.008.001.02 XSD."""

from __future__ import annotations

from pathlib import Path

from lxml import etree


def test_demo_has_paid_overdue_and_open_invoices_and_a_mandate(cli, tmp_path):
    import sepaxml

    assert cli("demo", "--no-open").code == 0
    listed = cli("invoices", "list", "--json", "--org", "demo")
    assert listed.code == 0, listed.err
    assert [row["status"] for row in listed.json] == ["paid", "overdue", "open"]
    assert cli("mandate", "show", "--json", "--org", "demo").json["payment_method"] == "direct_debit"
    shown = cli("account", "show", "--json", "--org", "demo").json
    assert shown["oldest_overdue"]["number"] == listed.json[1]["number"]
    assert shown["open_balance"] == format(
        sum(__import__("decimal").Decimal(r["open_amount"]) for r in listed.json), ".2f"
    )

    batch = tmp_path / "demo.xml"
    collected = cli("payments", "collect", "--date", "2026-12-31", str(batch), "--json")
    assert collected.code == 0, collected.err
    assert [i["invoice"] for i in collected.json["invoices"]] == [listed.json[1]["number"], listed.json[2]["number"]]
    schema = etree.XMLSchema(etree.parse(str(Path(sepaxml.__file__).parent / "schemas" / "pain.008.001.02.xsd")))
    schema.assertValid(etree.parse(str(batch)))
