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

from tribe_tui.plain_text import document_text


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
    price_for_days: Decimal  # one unit for this line's days (billing.price_for_days): the e-invoice's net price


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

    @property
    def period_from(self) -> date:
        return min(line.period_from for line in self.lines)

    @property
    def period_to(self) -> date:
        return max(line.period_to for line in self.lines)


def clean_text(text: str) -> str:
    """Stored text as a document can hold it (plain_text.document_text, the one sanitiser):
    characters XML 1.0 and a PDF page cannot carry (control characters) become spaces, hidden
    format characters (bidi overrides) U+FFFD; everything else stays literal."""
    return document_text(text)
