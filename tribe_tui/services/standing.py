"""Where each invoice stands: what was paid on it (payments less returned direct debits), and so
its status, due date and open amount by billing.invoice_standing. Read-only, for lists, the
overview, collecting and reminders alike."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from peewee import fn

from tribe_tui import billing
from tribe_tui.models import CreditNote, Invoice, Payment
from tribe_tui.services._queries import rows


def credited_invoice_ids(invoice_ids: Iterable[int] | None = None, org_id: int | None = None) -> set[int]:
    """The invoices a credit note cancels: the one place the status, the lists, collecting and
    reminders ask (of the given invoices, or of an organisation's)."""
    query = CreditNote.select(CreditNote.invoice)
    if invoice_ids is not None:
        ids = list(invoice_ids)
        if not ids:
            return set()
        query = query.where(CreditNote.invoice.in_(ids))
    if org_id is not None:
        query = query.where(CreditNote.organisation == org_id)
    return {row.invoice_id for row in query}


def paid_amounts(
    org_id: int | None = None, invoice_ids: Iterable[int] | None = None
) -> dict[int, tuple[Decimal, date]]:
    """Invoice id -> (net amount paid, the day of its last payment), for the invoices that have
    payments: one grouped query."""
    # Raw values (coerce off): the sum in cents on every backend, whatever peewee would convert.
    query = Payment.select(
        Payment.invoice, fn.SUM(Payment.amount).coerce(False), fn.MAX(Payment.booked_on).coerce(False)
    ).group_by(Payment.invoice)
    if org_id is not None:
        query = query.join(Invoice).where(Invoice.organisation == org_id)
    if invoice_ids is not None:
        query = query.where(Payment.invoice.in_(list(invoice_ids)))
    found: dict[int, tuple[Decimal, date]] = {}
    for invoice_id, cents, last in rows(query):
        last_day = last if isinstance(last, date) else date.fromisoformat(str(last)[:10])
        found[invoice_id] = ((Decimal(int(cents)) / 100).quantize(billing.CENT), last_day)
    return found


def standing_of(
    invoice: Invoice, today: date, paid: dict[int, tuple[Decimal, date]], credited: set[int]
) -> billing.InvoiceStanding:
    amount, last = paid.get(invoice.id, (billing.ZERO, None))
    return billing.invoice_standing(
        invoice.total, amount, invoice.date, today, credited=invoice.id in credited, paid_on=last
    )


def standings(org_id: int, today: date) -> dict[int, billing.InvoiceStanding]:
    """Invoice id -> its standing on `today`, for every invoice of the organisation."""
    paid = paid_amounts(org_id)
    credited = credited_invoice_ids(org_id=org_id)
    return {
        invoice.id: standing_of(invoice, today, paid, credited)
        for invoice in Invoice.select(Invoice.id, Invoice.total, Invoice.date).where(Invoice.organisation == org_id)
    }
