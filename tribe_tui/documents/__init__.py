"""An issued invoice as documents: a PDF for people (pdf.py) and a UBL e-invoice for bookkeeping
software (ubl.py).

Both are made from an `InvoiceDocument`: a plain, frozen copy of what the stored invoice says
(services/invoices.py fills it from the database in one function). Nothing here computes an
amount: every figure was fixed when the invoice was issued (R10), so the same invoice always gives
the same documents. No database, no UI toolkit; fpdf2 is imported only when a PDF is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tribe_tui.safe_text import document_text


@dataclass(frozen=True)
class Party:
    """Seller or customer as the invoice recorded them (text the customer typed, kept literally)."""

    name: str
    country: str  # ISO 3166 alpha-2
    attention: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    vat_number: str = ""
    kvk_number: str = ""
    email: str = ""
    iban: str = ""
    peppol_id: str = ""  # SCHEME:ID, the Peppol participant id the customer gave

    @property
    def endpoint(self) -> tuple[str, str] | None:
        """(scheme, id) where a Peppol network reaches the party, None when it gave no such id."""
        from tribe_tui.documents.eas import endpoint

        return endpoint(self.peppol_id, self.kvk_number, self.vat_number)


@dataclass(frozen=True)
class DocumentLine:
    description: str
    quantity: int
    unit_price: Decimal  # yearly, per unit, excluding VAT
    days: int
    period_days: int
    period_from: date  # the service period of this line, both days included (R10)
    period_to: date
    amount: Decimal
    # How the e-invoice states the line (billing.booked_quantity_and_price): booked_quantity x
    # booked_price = amount exactly, the price in whole cents.
    booked_quantity: int
    booked_price: Decimal


@dataclass(frozen=True)
class DirectDebit:
    """Paid by SEPA direct debit under a mandate, as recorded when the invoice was issued."""

    mandate: str  # the mandate's reference (EN 16931 BT-89)
    debtor_iban: str  # the account debited (BT-91)
    creditor_id: str  # the seller's SEPA creditor identifier (BT-90)


@dataclass(frozen=True)
class InvoiceDocument:
    number: str
    issued: date
    due: date
    payment_days: int
    language: str  # the organisation's invoice language
    seller: Party
    customer: Party
    lines: tuple[DocumentLine, ...]
    subtotal: Decimal
    vat_rate: Decimal  # a percentage: 21 or 0
    vat: Decimal
    total: Decimal
    vat_reason: str | None  # billing.VAT_REASON_*: why 0%
    customer_vat_number: str  # the customer's VAT id on the invoice ("" when none)
    po_reference: str = ""
    direct_debit: DirectDebit | None = None  # None: paid by bank transfer to the seller's IBAN

    # A credit note: the invoice it credits (number and issue date) and why. Its lines and amounts
    # are the invoice's, stated positive (UBL CreditNote; the PDF shows them as credited).
    credits: tuple[str, date] | None = None
    credit_reason: str = ""

    @property
    def is_credit_note(self) -> bool:
        return self.credits is not None

    @property
    def has_e_invoice(self) -> bool:
        """A UBL e-invoice exists only when the customer has a Peppol endpoint (eas.py)."""
        return self.customer.endpoint is not None

    @property
    def period_from(self) -> date:
        return min(line.period_from for line in self.lines)

    @property
    def period_to(self) -> date:
        return max(line.period_to for line in self.lines)


def file_names(number: str, language: str, *, credit_note: bool = False) -> tuple[str, str]:
    """factuur-2026-0001.pdf / invoice-2026-0001.xml (creditnota-C2026-0001.pdf / credit-note-...):
    the names the attachments and exports carry."""
    if credit_note:
        stem = ("creditnota" if language == "nl" else "credit-note") + "-" + number
    else:
        stem = ("factuur" if language == "nl" else "invoice") + "-" + number
    return f"{stem}.pdf", f"{stem}.xml"


def clean_text(text: str) -> str:
    """Stored text as a document can hold it (safe_text.document_text, the one sanitiser):
    characters XML 1.0 and a PDF page cannot carry (control characters) become spaces, hidden
    format characters (bidi overrides) U+FFFD; everything else stays literal."""
    return document_text(text)
