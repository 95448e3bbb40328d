"""Which invoices a credit note credits, and a credit note found by its number: the reads that
services.invoices (listing, documents) and services.credit_notes (crediting) share."""

from __future__ import annotations

from tribe_tui.errors import BadInput
from tribe_tui.models import CreditNote
from tribe_tui.service_types import Context
from tribe_tui.services._messages import msg
from tribe_tui.services._person import account_read

CREDIT_PREFIX = "C"  # credit-note numbers: C2026-0001, never mistaken for an invoice's 2026-0001


def credited_by(invoice_ids: list[int]) -> dict[int, str]:
    """Invoice id -> the number of the credit note that credits it, for those that are credited."""
    if not invoice_ids:
        return {}
    query = CreditNote.select(CreditNote.invoice, CreditNote.number).where(CreditNote.invoice.in_(invoice_ids))
    return {row.invoice_id: row.number for row in query}


def is_credited(invoice_id: int) -> bool:
    """Whether a credit note credits this invoice (it is then no longer owed)."""
    return CreditNote.select().where(CreditNote.invoice == invoice_id).exists()


@account_read
def find_credit_note(ctx: Context, number: str) -> CreditNote:
    found = CreditNote.get_or_none((CreditNote.organisation == ctx.org_id) & (CreditNote.number == number.strip()))
    if found is None:
        raise BadInput(msg(ctx, "error.unknown_invoice", number=number))
    return found


def is_credit_note_number(number: str) -> bool:
    return number.strip().upper().startswith(CREDIT_PREFIX)
