"""A wrong invoice is corrected the Dutch way: a credit note of its own gapless series that refers
to the invoice, and where needed a new invoice; both reach the customer by e-mail, and the credit
note passes the same e-invoice rules (BR-55 / NL-R-001: it names the invoice it credits)."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

from tests.einvoice import NS, check_ubl, pdf_text
from tests.helpers import ok
from tribe_tui.formatting import money


def documents(cli, tmp_path: Path, number: str) -> tuple[bytes, bytes]:
    pdf, ubl = tmp_path / f"{number}.pdf", tmp_path / f"{number}.xml"
    ok(cli("invoices", "show", number, "--pdf", str(pdf), "--ubl", str(ubl), "--force"))
    return pdf.read_bytes(), ubl.read_bytes()


def test_a_wrong_invoice_is_credited_and_issued_again(cli, org, tmp_path):
    """The company name was wrong on 2026-0001: corrected, credited, and invoiced again."""
    first = ok(cli("invoices", "show", "2026-0001", "--json")).json
    ok(cli("billing-details", "set", "company_name=Acme Holding B.V."))
    done = ok(
        cli("invoices", "credit", "2026-0001", "--reason", "Verkeerde bedrijfsnaam", "--reissue", "--yes", "--json")
    ).json
    assert done == {
        "credit_note": "C2026-0001",
        "invoice": "2026-0001",
        "date": "2026-11-26",
        "total": first["total"],
        "reissued": "2026-0002",
    }

    listed = {row["number"]: row for row in ok(cli("invoices", "list", "--json")).json}
    assert listed["2026-0001"]["credited_by"] == "C2026-0001" and listed["2026-0002"]["credited_by"] is None
    assert listed["2026-0002"]["total"] == first["total"]
    assert "gecrediteerd met C2026-0001" in ok(cli("invoices", "show", "2026-0001")).out
    assert "gecrediteerd met C2026-0001" in ok(cli("invoices", "list")).out

    pdf, ubl = documents(cli, tmp_path, "C2026-0001")
    root = check_ubl(ubl)
    x = lambda path: root.xpath(path, namespaces=NS)  # noqa: E731
    assert x("cbc:ID/text()") == ["C2026-0001"]
    assert x("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID/text()") == ["2026-0001"]
    assert x("cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate/text()") == [first["date"]]
    assert x("cbc:Note/text()") == ["Verkeerde bedrijfsnaam"]
    assert x("cac:LegalMonetaryTotal/cbc:PayableAmount/text()") == [first["total"]]
    # It credits the invoice as it was: the old name, not the corrected one.
    assert x("cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name/text()") == ["Acme B.V."]
    assert x("cac:PaymentMeans") == []  # nothing to pay to us
    text = pdf_text(pdf)
    for expected in (
        "Creditnota",
        "C2026-0001",
        "2026-0001",
        "Verkeerde bedrijfsnaam",
        money(-Decimal(first["total"]), "nl").replace("\xa0", " "),
    ):
        assert expected in text, (expected, text)

    again = check_ubl(documents(cli, tmp_path, "2026-0002")[1])
    assert again.xpath("cac:AccountingCustomerParty/cac:Party/cac:PartyName/cbc:Name/text()", namespaces=NS) == [
        "Acme Holding B.V."
    ]
    assert [line["amount"] for line in ok(cli("invoices", "show", "2026-0002", "--json")).json["lines"]] == [
        line["amount"] for line in first["lines"]
    ]

    from tribe_tui.db import open_database
    from tribe_tui.models import AuditEvent, OutboxMessage
    from tribe_tui.services.documents import credit_note_mail

    open_database(os.environ["TRIBE_DATABASE_URL"])
    [event] = AuditEvent.select().where(AuditEvent.action == "invoice.credited")
    assert "C2026-0001" in event.after and "Verkeerde bedrijfsnaam" in event.after
    # The customer's e-mail gets both: the credit note and the new invoice, each with PDF and UBL.
    [credit_mail] = OutboxMessage.select().where(OutboxMessage.credit_note.is_null(False))
    assert credit_mail.recipient == "admin@acme.nl" and "C2026-0001" in credit_mail.subject
    body, files = credit_note_mail(credit_mail.credit_note_id)
    assert "C2026-0001" in body and "2026-0001" in body
    assert [(name, kind) for name, kind, _ in files] == [
        ("creditnota-C2026-0001.pdf", "application/pdf"),
        ("creditnota-C2026-0001.xml", "application/xml"),
    ]
    assert files[1][2] == ubl
    assert OutboxMessage.select().where(OutboxMessage.invoice.is_null(False)).count() == 2  # 2026-0001 and -0002


def test_credit_notes_have_their_own_gapless_series(cli, org, tmp_path):
    ok(cli("licences", "add", "1"))
    ok(cli("invoices", "credit", "2026-0002", "--reason", "Per abuis", "--yes"))
    ok(cli("invoices", "credit", "2026-0001", "--reason", "Dubbel", "--yes"))
    numbers = [row["number"] for row in ok(cli("invoices", "list", "--json")).json]
    assert numbers == ["2026-0001", "2026-0002"]  # no invoice was issued, no number taken
    for number, invoice in (("C2026-0001", "2026-0002"), ("C2026-0002", "2026-0001")):
        root = check_ubl(documents(cli, tmp_path, number)[1])
        assert root.xpath("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID/text()", namespaces=NS) == [invoice]
    ok(cli("licences", "add", "1"))
    assert ok(cli("invoices", "list", "--json")).json[-1]["number"] == "2026-0003"


def test_a_reverse_charged_invoice_is_credited_with_one_note(cli, tmp_path):
    """Reason and reverse-charge mention share the one note Peppol allows (PEPPOL-EN16931-R002)."""
    argv = ["init", "--org", "Brouwerij", "--admin-email", "a@b.be", "--admin-username", "brouwer", "--lang", "en"]
    for item in ("country=BE", "kvk_number=", "vat_number=BE0123456749", "postcode=2000", "city=Antwerpen"):
        argv += ["--billing", item]
    ok(cli(*argv))
    ok(cli("invoices", "credit", "2026-0001", "--reason", "Wrong licences", "--yes"))
    pdf, ubl = documents(cli, tmp_path, "C2026-0001")
    root = check_ubl(ubl)
    assert root.xpath("cbc:Note/text()", namespaces=NS) == [
        "Wrong licences — Reverse charge: customer VAT number BE0123456749"
    ]
    text = pdf_text(pdf)
    assert "Credit note date" in text and "Reverse charge" in text and "Credits invoice 2026-0001" in text
    assert "-€0.00" not in text and "€0.00" in text  # the 0% VAT is no negative zero


def test_crediting_is_asked_first_once_per_invoice_and_changes_nothing_when_refused(cli, org, dump):
    before = dump()
    for argv, code in (
        (("2026-0001", "--reason", "x"), 2),  # not confirmed
        (("2026-0001", "--yes"), 2),  # no reason
        (("2026-0001", "--reason", " ", "--yes"), 2),
        (("2026-0099", "--reason", "x", "--yes"), 2),  # no such invoice
        (("C2026-0001", "--reason", "x", "--yes"), 2),  # a credit note is not an invoice
        (("2026-0001", "--reason", "x\x1b[31m", "--yes"), 2),
    ):
        refused = cli("invoices", "credit", *argv)
        assert refused.code == code and len(refused.err.splitlines()) == 1, (argv, refused.err)
    assert dump() == before
    ok(cli("invoices", "credit", "2026-0001", "--reason", "Fout", "--yes"))
    after = dump()
    twice = cli("invoices", "credit", "2026-0001", "--reason", "Nog eens", "--yes")
    assert twice.code == 1 and "C2026-0001" in twice.err
    assert dump() == after
    assert Decimal(ok(cli("invoices", "show", "2026-0001", "--json")).json["total"]) > 0
