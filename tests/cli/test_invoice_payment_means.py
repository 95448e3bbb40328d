"""The documents say how to pay: an invoice issued while a direct-debit mandate is active carries
payment means 59 with the mandate reference, the debited account and the seller's creditor id
(EN 16931 BT-89, BT-91, BT-90) and "wordt automatisch afgeschreven op ..." on the PDF; one issued
under bank transfer keeps code 58 with the seller's IBAN. Either stays the same once issued."""

from __future__ import annotations

from tests.einvoice import NS, check_ubl, pdf_text
from tests.helpers import ok

DEBTOR = "NL44RABO0123456789"


def _documents(cli, tmp_path, number: str) -> tuple[bytes, bytes]:
    pdf, ubl = tmp_path / f"{number}.pdf", tmp_path / f"{number}.xml"
    ok(cli("invoices", "show", number, "--pdf", str(pdf), "--ubl", str(ubl), "--force"))
    return pdf.read_bytes(), ubl.read_bytes()


def test_direct_debit_invoice_names_mandate_account_and_creditor_id(cli, org, tmp_path):
    ok(cli("billing-details", "set", f"iban={DEBTOR}"))
    ok(cli("mandate", "sign", "--yes"))
    number = ok(cli("licences", "add", "1", "--json")).json["invoice"]
    pdf, ubl = _documents(cli, tmp_path, number)
    root = check_ubl(ubl)
    x = lambda path: root.xpath(path, namespaces=NS)  # noqa: E731
    assert [e.text for e in x("cac:PaymentMeans/cbc:PaymentMeansCode")] == ["59"]
    assert [e.text for e in x("cac:PaymentMeans/cbc:PaymentID")] == [number]
    assert [e.text for e in x("cac:PaymentMeans/cac:PaymentMandate/cbc:ID")] == ["TRIBE-000001-1"]
    assert [e.text for e in x("cac:PaymentMeans/cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID")] == [DEBTOR]
    [creditor] = x("cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID")
    assert (creditor.text, creditor.get("schemeID")) == ("NL69ZZZ123456780000", "SEPA")
    text = " ".join(pdf_text(pdf).split())
    assert "wordt automatisch afgeschreven op 10 december 2026" in text and "TRIBE-000001-1" in text

    ok(cli("mandate", "withdraw", "--yes"))  # the invoice as issued: the same documents afterwards
    assert _documents(cli, tmp_path, number)[1] == ubl


def test_bank_transfer_invoice_keeps_code_58_and_the_sellers_iban(cli, org, tmp_path):
    pdf, ubl = _documents(cli, tmp_path, "2026-0001")
    root = check_ubl(ubl)
    x = lambda path: root.xpath(path, namespaces=NS)  # noqa: E731
    assert [e.text for e in x("cac:PaymentMeans/cbc:PaymentMeansCode")] == ["58"]
    assert [e.text for e in x("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID")] == ["NL91ABNA0417164300"]
    assert not x("cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification")
    assert "afgeschreven" not in pdf_text(pdf)
