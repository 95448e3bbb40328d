"""An issued invoice as documents: the stored rows -> `InvoiceDocument` -> PDF and UBL bytes.

One function (`document_of`) turns what was stored when the invoice was issued into the plain data
both documents are made from; nothing is computed again (R10: an invoice never changes, so its
documents never do). Only the due date and how the e-invoice states a line's quantity and price
follow from stored values, through billing.py. The outbox uses `invoice_mail` when it sends an invoice's e-mail.
"""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from typing import Any

from tribe_tui import billing
from tribe_tui.documents import DirectDebit, DocumentLine, InvoiceDocument, Party
from tribe_tui.documents import file_names as file_names  # services and CLI name the files through here
from tribe_tui.formatting import long_date, money
from tribe_tui.i18n import t
from tribe_tui.models import CreditNote, Invoice, InvoiceLine, Organisation

PDF_TYPE = "application/pdf"
UBL_TYPE = "application/xml"


def document_of(invoice: Invoice, lines: list[InvoiceLine], language: str) -> InvoiceDocument:
    seller: dict[str, Any] = json.loads(invoice.seller)
    customer: dict[str, Any] = json.loads(invoice.customer)
    payment_days = int(seller.get("payment_days", billing.PAYMENT_TERM_DAYS))
    return InvoiceDocument(
        number=invoice.number,
        issued=invoice.date,
        due=billing.payment_due(invoice.date, payment_days),
        payment_days=payment_days,
        language=language,
        seller=Party(
            name=seller.get("name", ""),
            country=seller.get("country", billing.HOME_COUNTRY),
            address=seller.get("address", ""),
            postcode=seller.get("postcode", ""),
            city=seller.get("city", ""),
            vat_number=seller.get("vat_number", ""),
            kvk_number=seller.get("kvk_number", ""),
            email=seller.get("email", ""),
            iban=seller.get("iban", ""),
        ),
        customer=Party(
            name=customer.get("company_name") or customer.get("organisation", ""),
            country=customer.get("country") or billing.HOME_COUNTRY,
            attention=customer.get("attention", ""),
            address=customer.get("address", ""),
            postcode=customer.get("postcode", ""),
            city=customer.get("city", ""),
            vat_number=customer.get("vat_number", ""),
            kvk_number=customer.get("kvk_number", ""),
            peppol_id=customer.get("peppol_id", ""),
            # Where the e-invoice reaches the customer: the invoice address, else the admin
            # recorded with the invoice.
            email=customer.get("invoice_email") or customer.get("admin_email", ""),
        ),
        lines=tuple(_document_line(line) for line in lines),
        subtotal=invoice.subtotal,
        vat_rate=Decimal(invoice.vat_rate),
        vat=invoice.vat,
        total=invoice.total,
        vat_reason=invoice.vat_reason,
        customer_vat_number=invoice.customer_vat_number or customer.get("vat_number", ""),
        po_reference=customer.get("po_reference", ""),
        direct_debit=_direct_debit(customer.get("direct_debit")),
    )


def _direct_debit(recorded: dict[str, str] | None) -> DirectDebit | None:
    """The mandate recorded with the invoice when it was issued (none: paid by bank transfer)."""
    if not recorded:
        return None
    return DirectDebit(recorded["mandate"], recorded["iban"], recorded["creditor_id"])


def _document_line(line: InvoiceLine) -> DocumentLine:
    booked_quantity, booked_price = billing.booked_quantity_and_price(line.quantity, line.amount)
    return DocumentLine(
        description=line.description,
        quantity=line.quantity,
        unit_price=line.unit_price,
        days=line.days,
        period_days=line.period_days,
        period_from=line.period_from,
        period_to=line.period_to,
        amount=line.amount,
        booked_quantity=booked_quantity,
        booked_price=booked_price,
    )


def load_document(invoice: Invoice) -> InvoiceDocument:
    """The invoice with its lines, in its organisation's invoice language."""
    lines = list(InvoiceLine.select().where(InvoiceLine.invoice == invoice.id).order_by(InvoiceLine.position))
    language = Organisation.select(Organisation.language).where(Organisation.id == invoice.organisation_id).scalar()
    return document_of(invoice, lines, language or "nl")


def load_credit_note_document(credit: CreditNote) -> InvoiceDocument:
    """The credit note as a document: the credited invoice's lines, amounts and parties, with its
    own number and date, the invoice it refers to, and the reason."""
    invoice = Invoice.get_by_id(credit.invoice_id)
    document = load_document(invoice)
    return dataclasses.replace(
        document,
        number=credit.number,
        issued=credit.date,
        due=credit.date,
        credits=(invoice.number, invoice.date),
        credit_reason=credit.reason,
    )


def pdf_bytes(document: InvoiceDocument) -> bytes:
    from tribe_tui.documents.pdf import render_pdf  # fpdf2 loads only when a PDF is made

    return render_pdf(document)


def ubl_bytes(document: InvoiceDocument, pdf: bytes | None = None) -> bytes:
    """The e-invoice with its PDF embedded (`pdf` when the caller made it already)."""
    from tribe_tui.documents.ubl import render_ubl

    return render_ubl(document, pdf if pdf is not None else pdf_bytes(document))


def invoice_mail(invoice_id: int) -> tuple[str, list[tuple[str, str, bytes]]]:
    """The text of the invoice's e-mail, in the invoice's language, and its attachments: (file
    name, MIME type, content) of the PDF and, when the customer has a Peppol endpoint, the UBL."""

    invoice = Invoice.get_by_id(invoice_id)
    document = load_document(invoice)
    lang = document.language
    organisation = json.loads(invoice.customer).get("organisation", document.customer.name)
    body = t(
        "mail.invoice_body",
        lang,
        organisation=organisation,
        number=document.number,
        date=long_date(document.issued, lang),
        total=money(document.total, lang),
        due=long_date(document.due, lang),
        seller=document.seller.name,
    )
    pdf_name, ubl_name = file_names(document.number, lang)
    pdf = pdf_bytes(document)
    attachments = [(pdf_name, PDF_TYPE, pdf)]
    if document.has_e_invoice:  # no Peppol endpoint, no e-invoice: the PDF alone, never an invalid UBL
        attachments.append((ubl_name, UBL_TYPE, ubl_bytes(document, pdf)))
    return body, attachments


def credit_note_mail(credit_note_id: int) -> tuple[str, list[tuple[str, str, bytes]]]:
    """The credit note's e-mail: its text, and its PDF and (with a Peppol endpoint) UBL."""

    credit = CreditNote.get_by_id(credit_note_id)
    document = load_credit_note_document(credit)
    lang = document.language
    assert document.credits is not None
    body = t(
        "mail.credit_note_body",
        lang,
        number=document.number,
        invoice=document.credits[0],
        date=long_date(document.issued, lang),
        total=money(document.total, lang),
        seller=document.seller.name,
    )
    pdf_name, ubl_name = file_names(document.number, lang, credit_note=True)
    pdf = pdf_bytes(document)
    attachments = [(pdf_name, PDF_TYPE, pdf)]
    if document.has_e_invoice:
        attachments.append((ubl_name, UBL_TYPE, ubl_bytes(document, pdf)))
    return body, attachments
