"""Stored text that came another way than through our validation (restored data, a shared
database, an older release) is shown, never obeyed: the CLI's text, the CSV of an invoice on a
terminal and in an export, and the PDF all go through the one sanitiser (tribe_tui.safe_text)."""

from __future__ import annotations

import json

from tests.einvoice import pdf_text

# An OSC title change, a bell, clear-screen, a right-to-left override.
HOSTILE = "Evil\x1b]0;pwned\x07\x1b[2J\u202eX"
UNSAFE = "\x1b\x07\u202e"


def _store_hostile_text() -> str:
    """The organisation's name, the first invoice's line and customer, as if written around us."""
    from tribe_tui.models import Invoice, InvoiceLine, Organisation

    Organisation.update(name=HOSTILE).execute()
    invoice = Invoice.select().order_by(Invoice.id).get()
    InvoiceLine.update(description=f"Licenties {HOSTILE}").where(InvoiceLine.invoice == invoice.id).execute()
    customer = json.loads(invoice.customer)
    customer["company_name"] = HOSTILE
    Invoice.update(customer=json.dumps(customer)).where(Invoice.id == invoice.id).execute()
    return invoice.number


def test_stored_escapes_are_shown_in_every_output(cli, org, tmp_path):
    number = _store_hostile_text()
    for argv in (("account", "show"), ("invoices", "show", number), ("invoices", "list")):
        shown = cli(*argv)
        assert shown.code == 0, (argv, shown.err)
        assert not any(ch in shown.out for ch in UNSAFE), (argv, shown.out)
    assert "Evil␛]0;pwned␇␛[2J\ufffdX" in cli("invoices", "show", number).out

    csv_out = cli("invoices", "show", number, "--csv")
    assert csv_out.code == 0 and "Licenties Evil␛]0;pwned␇␛[2J\ufffdX" in csv_out.out, csv_out
    assert not any(ch in csv_out.out for ch in UNSAFE), csv_out.out
    export = tmp_path / "export.csv"
    assert (
        cli("invoices", "export", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv", str(export)).code
        == 0
    )
    assert "Evil␛]0;pwned" in export.read_text() and not any(ch in export.read_text() for ch in UNSAFE)

    pdf = tmp_path / "invoice.pdf"
    assert cli("invoices", "show", number, "--pdf", str(pdf)).code == 0
    text = pdf_text(pdf.read_bytes())
    assert "Evil ]0;pwned  [2J\ufffdX" in text, text  # controls as spaces (the font has no pictures)
    assert not any(ch in text for ch in UNSAFE), text

    # JSON carries the stored text exactly (escaped by JSON itself), for scripts to judge.
    assert cli("account", "show", "--json").json["organisation"] == HOSTILE
