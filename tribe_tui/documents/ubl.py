"""An invoice as a UBL 2.1 e-invoice following Peppol BIS Billing 3.0 (EN 16931).

What Dutch bookkeeping packages import, and what Peppol carries. The elements come in the order
the UBL 2.1 schema prescribes (it is a sequence: any other order is invalid). The VAT category of
the invoice follows from how its VAT was decided (R6):

    21%             S   standard rate; our VAT id on the invoice (BR-S-02)
    reverse charge  AE  0%, exemption reason VATEX-EU-AE; both VAT ids (BR-AE-02, BR-AE-10)
    outside the EU  O   not subject to Dutch VAT (the place of supply of our service is the
                        customer's country): no rate, reason VATEX-EU-O, and no VAT ids at all
                        (BR-O-02); we are identified by our KvK registration instead (BR-CO-26)

A line's quantity and net price are chosen so that quantity x price is the stored amount exactly,
with the price in whole cents (billing.booked_quantity_and_price; PEPPOL-EN16931-R120 allows a
little slack, bookkeeping packages do not): the licences at their pro-rata price per licence when
that is whole cents, else the line as one unit. The note states licences, yearly price and days;
its service period is the line's own InvoicePeriod. Deterministic: the same document gives the same bytes.
"""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from decimal import Decimal

from tribe_tui import billing, formatting
from tribe_tui.documents import DocumentLine, InvoiceDocument, Party, clean_text, file_names
from tribe_tui.i18n import t

CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CURRENCY = "EUR"
COMMERCIAL_INVOICE = "380"  # UNTDID 1001
CREDIT_NOTE = "381"  # UNTDID 1001
SEPA_CREDIT_TRANSFER = "58"  # UNTDID 4461
SEPA_DIRECT_DEBIT = "59"
PDF_MIME = "application/pdf"
UNIT = "C62"  # UN/ECE rec 20: one (a licence, a module)
KVK_SCHEME = "0106"  # ISO 6523 ICD: Dutch Chamber of Commerce number

# The document's own namespace as the default one (as in every Peppol example; naive importers
# expect it), the common ones with their customary prefixes.
ET.register_namespace("", INVOICE_NS)
ET.register_namespace("cn", CREDIT_NOTE_NS)  # one default namespace per process: a credit note's is prefixed
ET.register_namespace("cac", CAC)
ET.register_namespace("cbc", CBC)


def category(doc: InvoiceDocument) -> str:
    """The EN 16931 VAT category code (UNTDID 5305) of the invoice's lines."""
    if doc.vat_reason == billing.VAT_REASON_REVERSE_CHARGE:
        return "AE"
    if doc.vat_reason == billing.VAT_REASON_OUTSIDE_EU:
        return "O"
    return "S"


class NoEndpoint(ValueError):
    """The customer has no Peppol endpoint id: the invoice has no e-invoice (its PDF still goes)."""


def render_ubl(doc: InvoiceDocument, pdf: bytes | None = None) -> bytes:
    """The e-invoice; with `pdf`, the invoice's PDF embedded in it (Dutch packages show it beside
    the booked lines)."""
    if not doc.has_e_invoice:
        raise NoEndpoint(doc.number)
    code = category(doc)
    credit = doc.credits
    root = ET.Element(f"{{{CREDIT_NOTE_NS}}}CreditNote" if credit else f"{{{INVOICE_NS}}}Invoice")
    _cbc(root, "CustomizationID", CUSTOMIZATION_ID)
    _cbc(root, "ProfileID", PROFILE_ID)
    _cbc(root, "ID", doc.number)
    _cbc(root, "IssueDate", doc.issued.isoformat())
    if credit:  # a credit note has no due date: nothing is to be paid to us
        _cbc(root, "CreditNoteTypeCode", CREDIT_NOTE)
    else:
        _cbc(root, "DueDate", doc.due.isoformat())
        _cbc(root, "InvoiceTypeCode", COMMERCIAL_INVOICE)
    # One note at most (PEPPOL-EN16931-R002): a credit note's reason, and why 0% VAT.
    notes = [clean_text(doc.credit_reason)] if credit else []
    if code != "S":
        notes.append(_exemption_text(doc))
    if notes:
        _cbc(root, "Note", " — ".join(notes))
    _cbc(root, "DocumentCurrencyCode", CURRENCY)
    if not doc.po_reference:  # PEPPOL-EN16931-R003: a buyer reference or an order reference
        _cbc(root, "BuyerReference", clean_text(doc.customer.attention or doc.customer.name))
    period = _cac(root, "InvoicePeriod")
    _cbc(period, "StartDate", doc.period_from.isoformat())
    _cbc(period, "EndDate", doc.period_to.isoformat())
    if doc.po_reference:
        _cbc(_cac(root, "OrderReference"), "ID", clean_text(doc.po_reference))
    if credit:  # the invoice it credits (BR-55, NL-R-001)
        reference = _cac(_cac(root, "BillingReference"), "InvoiceDocumentReference")
        _cbc(reference, "ID", credit[0])
        _cbc(reference, "IssueDate", credit[1].isoformat())
    if pdf is not None:
        _embedded_pdf(root, doc, pdf)
    _party(_cac(root, "AccountingSupplierParty"), doc.seller, with_vat=code != "O")
    if doc.direct_debit is not None:  # BT-90: the seller's SEPA creditor id, right after its EndpointID
        supplier = root.find(f"{{{CAC}}}AccountingSupplierParty/{{{CAC}}}Party")
        assert supplier is not None
        identification = ET.Element(f"{{{CAC}}}PartyIdentification")
        _cbc(identification, "ID", doc.direct_debit.creditor_id, schemeID="SEPA")
        supplier.insert(1, identification)
    _party(
        _cac(root, "AccountingCustomerParty"),
        doc.customer,
        with_vat=code != "O",
        buyer=True,
        vat_number=doc.customer_vat_number,
    )
    if not credit:  # a credit note is not paid to us (NL-R-007 asks payment means only of what is)
        _payment_means(root, doc)
        _cbc(_cac(root, "PaymentTerms"), "Note", t("doc.payment_terms", doc.language, days=doc.payment_days))

    tax_total = _cac(root, "TaxTotal")
    _amount(tax_total, "TaxAmount", doc.vat)
    subtotal = _cac(tax_total, "TaxSubtotal")
    _amount(subtotal, "TaxableAmount", doc.subtotal)
    _amount(subtotal, "TaxAmount", doc.vat)
    _tax_category(subtotal, "TaxCategory", doc, code, exemption=True)

    totals = _cac(root, "LegalMonetaryTotal")
    _amount(totals, "LineExtensionAmount", doc.subtotal)
    _amount(totals, "TaxExclusiveAmount", doc.subtotal)
    _amount(totals, "TaxInclusiveAmount", doc.total)
    _amount(totals, "PayableAmount", doc.total)

    for position, line in enumerate(doc.lines, start=1):
        _line(root, position, line, doc, code, credit=credit is not None)
    ET.indent(root, space="  ")
    # The declaration as every Peppol example writes it (ElementTree's own uses single quotes).
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"


def _embedded_pdf(root: ET.Element, doc: InvoiceDocument, pdf: bytes) -> None:
    """The PDF as an additional supporting document (BG-24): its id is the invoice number (BR-52),
    its MIME code from Peppol's list (PEPPOL-EN16931-CL001), base64 as UBL's binary object is."""
    reference = _cac(root, "AdditionalDocumentReference")
    _cbc(reference, "ID", doc.number)
    _cbc(reference, "DocumentDescription", t("label.invoice", doc.language) + " " + doc.number)
    attachment = _cac(reference, "Attachment")
    name = file_names(doc.number, doc.language)[0]
    _cbc(
        attachment,
        "EmbeddedDocumentBinaryObject",
        base64.b64encode(pdf).decode("ascii"),
        mimeCode=PDF_MIME,
        filename=name,
    )


def _line(
    root: ET.Element, position: int, line: DocumentLine, doc: InvoiceDocument, code: str, *, credit: bool
) -> None:
    element = _cac(root, "CreditNoteLine" if credit else "InvoiceLine")
    _cbc(element, "ID", str(position))
    _cbc(
        element,
        "Note",
        t(
            "doc.line_note",
            doc.language,
            quantity=line.quantity,
            price=formatting.money(line.unit_price, doc.language),
            days=line.days,
            period_days=line.period_days,
        ),
    )
    _cbc(element, "CreditedQuantity" if credit else "InvoicedQuantity", str(line.booked_quantity), unitCode=UNIT)
    _amount(element, "LineExtensionAmount", line.amount)
    period = _cac(element, "InvoicePeriod")
    _cbc(period, "StartDate", line.period_from.isoformat())
    _cbc(period, "EndDate", line.period_to.isoformat())
    item = _cac(element, "Item")
    _cbc(item, "Name", clean_text(line.description))
    _tax_category(item, "ClassifiedTaxCategory", doc, code, exemption=False)
    price = _cac(element, "Price")
    _cbc(price, "PriceAmount", billing.as_text(line.booked_price), currencyID=CURRENCY)


def _payment_means(root: ET.Element, doc: InvoiceDocument) -> None:
    """How the invoice is paid (BG-16), the one place that writes cac:PaymentMeans: SEPA credit
    transfer to the seller's IBAN (UNTDID 4461 code 58), or SEPA direct debit (59) under the
    customer's mandate (BT-89) from the account debited (BT-91); the invoice number is the payment
    reference either way."""
    means = _cac(root, "PaymentMeans")
    if doc.direct_debit is not None:
        _cbc(means, "PaymentMeansCode", SEPA_DIRECT_DEBIT)
        _cbc(means, "PaymentID", doc.number)
        mandate = _cac(means, "PaymentMandate")
        _cbc(mandate, "ID", doc.direct_debit.mandate)
        _cbc(_cac(mandate, "PayerFinancialAccount"), "ID", doc.direct_debit.debtor_iban)
        return
    _cbc(means, "PaymentMeansCode", SEPA_CREDIT_TRANSFER)
    _cbc(means, "PaymentID", doc.number)
    if doc.seller.iban:
        account = _cac(means, "PayeeFinancialAccount")
        _cbc(account, "ID", doc.seller.iban)
        _cbc(account, "Name", doc.seller.name)


def _party(parent: ET.Element, party: Party, *, with_vat: bool, buyer: bool = False, vat_number: str = "") -> None:
    element = _cac(parent, "Party")
    found = party.endpoint
    if found is None:  # the seller has its KvK number; the customer was checked by render_ubl
        raise NoEndpoint(party.name)
    scheme, address = found
    _cbc(element, "EndpointID", address, schemeID=scheme)
    _cbc(_cac(element, "PartyName"), "Name", clean_text(party.name))
    postal = _cac(element, "PostalAddress")
    if party.address:
        _cbc(postal, "StreetName", clean_text(party.address))
    if party.city:
        _cbc(postal, "CityName", clean_text(party.city))
    if party.postcode:
        _cbc(postal, "PostalZone", clean_text(party.postcode))
    _cbc(_cac(postal, "Country"), "IdentificationCode", party.country)
    vat_id = (vat_number if buyer else party.vat_number) if with_vat else ""
    if vat_id:
        tax_scheme = _cac(element, "PartyTaxScheme")
        _cbc(tax_scheme, "CompanyID", vat_id)
        _cbc(_cac(tax_scheme, "TaxScheme"), "ID", "VAT")
    legal = _cac(element, "PartyLegalEntity")
    _cbc(legal, "RegistrationName", clean_text(party.name))
    if party.kvk_number:
        _cbc(legal, "CompanyID", party.kvk_number, schemeID=KVK_SCHEME)
    if buyer and (party.attention or party.email):
        contact = _cac(element, "Contact")
        if party.attention:
            _cbc(contact, "Name", clean_text(party.attention))
        if party.email:
            _cbc(contact, "ElectronicMail", party.email)


def _tax_category(parent: ET.Element, name: str, doc: InvoiceDocument, code: str, *, exemption: bool) -> None:
    element = _cac(parent, name)
    _cbc(element, "ID", code)
    if code != "O":  # "not subject to VAT" has no rate (BR-O-05, BR-O-09)
        _cbc(element, "Percent", billing.rate_text(doc.vat_rate))
    if exemption and code != "S":
        _cbc(element, "TaxExemptionReasonCode", "VATEX-EU-AE" if code == "AE" else "VATEX-EU-O")
        _cbc(element, "TaxExemptionReason", _exemption_text(doc))
    _cbc(_cac(element, "TaxScheme"), "ID", "VAT")


def _exemption_text(doc: InvoiceDocument) -> str:
    if doc.vat_reason == billing.VAT_REASON_REVERSE_CHARGE:
        return t("vat.reverse_charge_line", doc.language, vat_number=doc.customer_vat_number)
    return t("vat.outside_eu_line", doc.language)


def _cac(parent: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{CAC}}}{name}")


def _cbc(parent: ET.Element, name: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{CBC}}}{name}", attributes)
    element.text = text
    return element


def _amount(parent: ET.Element, name: str, value: Decimal) -> None:
    _cbc(parent, name, billing.as_text(value), currencyID=CURRENCY)
