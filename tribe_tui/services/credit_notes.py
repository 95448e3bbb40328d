"""Credit notes: a wrong invoice is corrected the Dutch way, never changed.

The whole invoice is credited by a credit note of its own gapless number series (C2026-0001),
referring to the invoice, with the invoice's lines, amounts and parties; where the service itself
was right (e.g. the billing details were wrong), `reissue` issues a new invoice with the same lines
and periods to the billing details as they are now. One transaction with one audit event; the
customer's e-mail gets the credit note (PDF and UBL) and, when reissued, the new invoice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from tribe_tui import billing
from tribe_tui.errors import Refused
from tribe_tui.i18n import t
from tribe_tui.models import CreditNote, CreditNoteCounter, Invoice, InvoiceLine, Organisation
from tribe_tui.service_types import Context
from tribe_tui.services import outbox
from tribe_tui.services._action import organisation_change, require_not_backdated
from tribe_tui.services._messages import msg
from tribe_tui.services._person import account_read
from tribe_tui.services._prices import vat_of
from tribe_tui.services.credit_note_lookup import CREDIT_PREFIX, is_credited
from tribe_tui.services.invoices import find_invoice, invoice_recipient, write_invoice

REISSUE_REASON = "correction"  # Invoice.reason of a new invoice that replaces a credited one


@dataclass(frozen=True)
class CreditOutcome:
    credit_note: str
    invoice: str  # the credited invoice
    date: date
    total: str
    reissued: str | None  # the new invoice, when one was issued

    def to_json(self) -> dict[str, Any]:
        return {
            "credit_note": self.credit_note,
            "invoice": self.invoice,
            "date": self.date.isoformat(),
            "total": self.total,
            "reissued": self.reissued,
        }


def _next_number(year: int) -> str:
    """The next credit-note number of `year`, inside the caller's transaction (the row lock serialises)."""
    CreditNoteCounter.insert(year=year, last=0).on_conflict_ignore().execute()
    CreditNoteCounter.update(last=CreditNoteCounter.last + 1).where(CreditNoteCounter.year == year).execute()
    last = CreditNoteCounter.select(CreditNoteCounter.last).where(CreditNoteCounter.year == year).scalar()
    return f"{CREDIT_PREFIX}{year}-{last:04d}"


def credit_invoice(
    ctx: Context, number: str, reason: str, *, reissue: bool = False, expected_version: int | None = None
) -> CreditOutcome:
    from tribe_tui.schemas import CreditInput, parse

    wanted = parse(CreditInput, ctx.lang, number=number, reason=reason)
    invoice = find_invoice(ctx, wanted.number)
    # Billing details can always be corrected (R9): so can an invoice, whatever the account's state.
    with organisation_change(ctx, expected_version, guard=None, settle_first=False) as change:
        if is_credited(invoice.id):
            found = CreditNote.get(CreditNote.invoice == invoice.id)
            raise Refused(msg(ctx, "error.already_credited", number=invoice.number, credit_note=found.number))
        org: Organisation = change.org
        require_not_backdated(ctx, org)  # R10: dated on or after the latest invoice, the credited one included
        credit = CreditNote.create(
            organisation=org.id,
            invoice=invoice.id,
            number=_next_number(ctx.today.year),
            date=ctx.today,
            reason=wanted.reason,
        )
        reissued = _reissue(org, invoice, ctx.today) if reissue else None
        recipient = invoice_recipient(org.id)
        if recipient:
            seller_name = json.loads(invoice.seller).get("name", "")
            subject = t("mail.credit_note_subject", org.language, number=credit.number, seller=seller_name)
            outbox.enqueue(org.id, recipient, subject, "", credit_note_id=credit.id)
        change.audit(
            "invoice.credited",
            {"invoice": invoice.number},
            {"credit_note": credit.number, "reason": wanted.reason, "reissued": reissued},
        )
    return CreditOutcome(credit.number, invoice.number, ctx.today, billing.as_text(invoice.total), reissued)


def _reissue(org: Organisation, invoice: Invoice, today: date) -> str:
    """A new invoice for the same service: the credited invoice's lines and periods, to the billing
    details (and so the VAT) as they are now, issued today."""
    lines = InvoiceLine.select().where(InvoiceLine.invoice == invoice.id).order_by(InvoiceLine.position)
    charge = billing.charge(
        [
            billing.Line(
                line.description,
                line.quantity,
                line.unit_price,
                line.days,
                line.period_days,
                line.amount,
                line.period_from,
                line.period_to,
            )
            for line in lines
        ],
        vat_of(org.id),
    )
    return write_invoice(org, charge, REISSUE_REASON, today, invoice.period_start, invoice.period_end)


@account_read
def check_creditable(ctx: Context, number: str) -> str:
    """Before asking: the invoice exists and is not credited yet (refused, saying by what, if it is)."""
    invoice = find_invoice(ctx, number)
    found = CreditNote.get_or_none(CreditNote.invoice == invoice.id)
    if found is not None:
        raise Refused(msg(ctx, "error.already_credited", number=invoice.number, credit_note=found.number))
    return invoice.number
