"""Invoices: written once, numbered without gaps per year, never changed afterwards."""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from tribe_tui import billing
from tribe_tui.db import is_sqlite, write_transaction
from tribe_tui.documents import InvoiceDocument
from tribe_tui.errors import BadInput, Refused
from tribe_tui.i18n import mail_reason, t
from tribe_tui.migrations import seller
from tribe_tui.models import (
    BillingDetails,
    Employee,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    Organisation,
    PaymentMandate,
)
from tribe_tui.safe_text import visible
from tribe_tui.service_types import Context, line_json
from tribe_tui.services import documents, outbox, standing
from tribe_tui.services._audit import audit
from tribe_tui.services._messages import msg
from tribe_tui.services._person import account_read, require_person
from tribe_tui.services.credit_note_lookup import credited_by, find_credit_note, is_credit_note_number

if TYPE_CHECKING:
    from tribe_tui.config import Settings


@dataclass(frozen=True)
class InvoiceLineView:
    description: str
    quantity: int
    unit_price: Decimal
    days: int
    period_days: int
    amount: Decimal
    period_from: date  # R10: the service period of the line, both days included
    period_to: date


@dataclass(frozen=True)
class InvoiceView:
    number: str
    date: date
    reason: str
    period_start: datetime.date  # (`date` is a field's name from here on)
    period_end: datetime.date
    lines: tuple[InvoiceLineView, ...]
    subtotal: Decimal
    vat_rate: str
    vat: Decimal
    total: Decimal
    vat_reason: str | None
    customer_vat_number: str | None
    seller: dict[str, Any]
    customer: dict[str, Any]
    standing: billing.InvoiceStanding  # status, due date, open amount on the day it was read
    credited_by: str | None = None  # the credit note that credits this invoice, if any

    def summary_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "date": self.date.isoformat(),
            "subtotal": billing.as_text(self.subtotal),
            "vat": billing.as_text(self.vat),
            "total": billing.as_text(self.total),
            "reason": self.reason,
            "status": self.standing.status,
            "due_date": self.standing.due_date.isoformat(),
            "paid_on": None if self.standing.paid_on is None else self.standing.paid_on.isoformat(),
            "open_amount": billing.as_text(self.standing.open_amount),
            "credited_by": self.credited_by,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            **self.summary_json(),
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "lines": [line_json(line) for line in self.lines],
            "vat_rate": self.vat_rate,
            "vat_reason": self.vat_reason,
            "customer_vat_number": self.customer_vat_number,
            "seller": self.seller,
            "customer": self.customer,
        }


def _next_number(year: int) -> str:
    """Take the next number of `year` inside the caller's transaction (the row lock serialises)."""
    return billing.invoice_number(year, _take_counter(year))  # R10: 'YYYY-NNNN', more digits past 9,999


def _take_counter(year: int) -> int:
    """Add one to the counter of `year` and return it. On PostgreSQL the UPDATE locks the counter
    row until the transaction ends: whoever numbers next waits for that commit (or rollback, which
    gives the number back). So the number is gapless, and callers take it as late as they can:
    after every read and check, just before the rows that carry it (docs/deployment.md)."""
    bump = InvoiceCounter.update(last=InvoiceCounter.last + 1).where(InvoiceCounter.year == year)
    if is_sqlite():  # one writer holds the database: no one can come between the two statements
        if bump.execute():
            return int(InvoiceCounter.select(InvoiceCounter.last).where(InvoiceCounter.year == year).scalar())
    else:
        found = list(bump.returning(InvoiceCounter.last).tuples().execute())
        if found:
            return int(found[0][0])
    # The year's first number: make its row (a concurrent first waits on the key, then finds it).
    InvoiceCounter.insert(year=year, last=0).on_conflict_ignore().execute()
    return _take_counter(year)


def admin_email(org_id: int) -> str:
    """The address of the organisation's first admin who is still with it: who gets the invoice
    when the billing details name no invoice address."""
    admin = (
        Employee.select(Employee.email)
        .where((Employee.organisation == org_id) & (Employee.role == "admin") & (Employee.former == False))  # noqa: E712
        .order_by(Employee.id)
        .first()
    )
    return admin.email if admin is not None else ""


def customer_snapshot(org: Organisation, details: BillingDetails | None, admin: str) -> dict[str, Any]:
    # The admin's address too: the e-invoice needs an electronic address for the customer, and
    # the invoice must give the same document later, whoever is admin then.
    snapshot: dict[str, Any] = {"organisation": org.name, "admin_email": admin}
    if details is not None:
        from tribe_tui.schemas import BILLING_FIELDS

        snapshot.update({name: getattr(details, name) for name in BILLING_FIELDS})
    # Paid by direct debit: the mandate as it stands at issue (the documents say so, and never change).
    mandate = (
        PaymentMandate.select()
        .where((PaymentMandate.organisation == org.id) & PaymentMandate.withdrawn_on.is_null())
        .order_by(PaymentMandate.id.desc())
        .first()
    )
    creditor_id = seller().get("creditor_id")
    if mandate is not None and creditor_id:
        snapshot["direct_debit"] = {"mandate": mandate.reference, "iban": mandate.iban, "creditor_id": creditor_id}
    return snapshot


_UNREAD: Any = object()


def write_invoice(
    org: Organisation,
    charge: billing.Charge,
    reason: str,
    on: date,
    period_start: date,
    period_end: date,
    details: BillingDetails | None = _UNREAD,
) -> str:
    """Must run inside the action's transaction: the invoice exists only if the action does.
    Every line states its own service period (R10); billing.py's line functions set it.
    `details`: the organisation's billing details when the caller read them in this transaction."""
    if any(line.period_from is None or line.period_to is None for line in charge.lines):
        raise ValueError("every invoice line needs its service period (R10)")
    # Everything read first: from the number on, other transactions that number wait for this one.
    if details is _UNREAD:
        details = BillingDetails.get_or_none(BillingDetails.organisation == org.id)
    admin = admin_email(org.id)
    customer = json.dumps(customer_snapshot(org, details, admin), sort_keys=True)
    recipient = (details.invoice_email if details is not None else "") or admin  # as invoice_recipient
    number = _next_number(on.year)
    invoice = Invoice.create(
        organisation=org.id,
        number=number,
        date=on,
        reason=reason,
        period_start=period_start,
        period_end=period_end,
        subtotal=charge.subtotal,
        vat_rate=billing.rate_text(charge.vat_rate),
        vat=charge.vat,
        total=charge.total,
        vat_reason=charge.vat_reason,
        customer_vat_number=charge.customer_vat_number,
        seller=json.dumps(seller(), sort_keys=True),
        customer=customer,
    )
    InvoiceLine.insert_many(
        [
            dict(
                invoice=invoice.id,
                position=i,
                description=line.description,
                quantity=line.quantity,
                unit_price=line.unit_price,
                days=line.days,
                period_days=line.period_days,
                amount=line.amount,
                period_from=line.period_from,
                period_to=line.period_to,
            )
            for i, line in enumerate(charge.lines, start=1)
        ]
    ).execute()
    if recipient:
        queue_invoice_mail(org, invoice, recipient)
    return number


# --- the invoice by e-mail ---------------------------------------------------------------------


def invoice_recipient(org_id: int) -> str:
    """Who gets an invoice: the invoice address of the billing details, else the admin."""
    details = BillingDetails.get_or_none(BillingDetails.organisation == org_id)
    return (details.invoice_email if details is not None else "") or admin_email(org_id)


def queue_invoice_mail(org: Organisation, invoice: Invoice, recipient: str) -> int:
    """Inside the caller's transaction: the mail exists exactly when the invoice does, and waits in
    the outbox while the mail server is down. Its text and its PDF and UBL are made from the
    invoice when it is sent (services/documents.py: invoice_mail), as the invoice never changes."""
    seller_name = json.loads(invoice.seller).get("name", "")
    subject = t("mail.invoice_subject", org.language, number=invoice.number, seller=seller_name)
    return outbox.enqueue(org.id, recipient, subject, "", invoice.id)


@dataclass(frozen=True)
class SendOutcome:
    number: str
    recipient: str
    status: str  # sent | queued
    reason: str | None = None  # why it is still queued, in the admin's words

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "to": self.recipient, "status": self.status, "reason": self.reason}


def send_invoice(ctx: Context, number: str, to: str | None, settings: Settings, *, to_me: bool = False) -> SendOutcome:
    """E-mail an issued invoice again (to `to`; with `to_me` to the admin acting; else to its usual
    recipient), with an audit event; then try to send at once. A failed send waits in the outbox
    (`outbox flush`)."""
    from tribe_tui.schemas import EmailRef, parse

    with write_transaction():
        require_person(ctx)  # in a session: still someone who may sign in, still an admin
        invoice = _find(ctx, number)
        if to_me:
            me = Employee.get_or_none((Employee.organisation == ctx.org_id) & (Employee.username == ctx.actor))
            recipient = me.email if me is not None else ""
        elif to is not None:
            recipient = parse(EmailRef, ctx.lang, email=to).email
        else:
            recipient = invoice_recipient(ctx.org_id)
        if not recipient:
            raise Refused(msg(ctx, "error.invoice_no_recipient"))
        org = Organisation.get_by_id(ctx.org_id)
        message_id = queue_invoice_mail(org, invoice, recipient)
        audit(ctx, "invoice.sent", None, {"number": invoice.number, "to": recipient})
    flushed = outbox.flush(settings)
    if message_id in flushed.sent_ids:
        return SendOutcome(invoice.number, recipient, "sent")
    return SendOutcome(
        invoice.number, recipient, "queued", mail_reason(flushed.kinds.get(message_id, "failed"), ctx.lang)
    )


# --- documents -----------------------------------------------------------------------------------


@account_read
def invoice_document(ctx: Context, number: str) -> InvoiceDocument:
    """The documents of an invoice, or of a credit note (its number starts with C)."""
    if is_credit_note_number(number):
        return documents.load_credit_note_document(find_credit_note(ctx, number))
    return documents.load_document(_find(ctx, number))


@account_read
def export_invoices(ctx: Context, date_from: date, date_to: date, fmt: str) -> tuple[int, bytes]:
    """Every invoice issued from `date_from` up to and including `date_to`, in number order, as one
    CSV (the rows of `invoices show --csv`, one header) or a zip of their UBL e-invoices (those
    whose customer has a Peppol endpoint). Returns how many invoices it holds, and the file's bytes."""
    query = Invoice.select().where(
        (Invoice.organisation == ctx.org_id) & (Invoice.date >= date_from) & (Invoice.date <= date_to)
    )
    # The numeric order of `invoices list` (R10), so '2026-10000' follows '2026-9999'.
    found = sorted(query, key=lambda i: billing.invoice_number_key(i.number))
    if fmt == "csv":
        out = io.StringIO()
        for i, invoice in enumerate(found):
            text = invoice_csv(get_invoice(ctx, invoice.number))
            out.write(text if i == 0 else text.split("\n", 1)[1])
        if not found:
            out.write(",".join(CSV_COLUMNS) + "\n")
        return len(found), out.getvalue().encode("utf-8")
    buffer = io.BytesIO()
    count = 0
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for invoice in found:
            document = documents.load_document(invoice)
            if not document.has_e_invoice:  # no Peppol endpoint for the customer: no e-invoice
                continue
            count += 1
            # The invoice's own date on the entry: the same invoices give the same zip.
            entry = zipfile.ZipInfo(
                documents.file_names(document.number, document.language)[1],
                date_time=(document.issued.year, document.issued.month, document.issued.day, 0, 0, 0),
            )
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            archive.writestr(entry, documents.ubl_bytes(document))
    return count, buffer.getvalue()


@account_read
def find_invoice(ctx: Context, number: str) -> Invoice:
    """The organisation's invoice with this number (bad input when there is none)."""
    return _find(ctx, number)


def _find(ctx: Context, number: str) -> Invoice:
    invoice = Invoice.get_or_none((Invoice.organisation == ctx.org_id) & (Invoice.number == number.strip()))
    if invoice is None:
        raise BadInput(msg(ctx, "error.unknown_invoice", number=number))
    return invoice


def _view(
    invoice: Invoice, lines: list[InvoiceLine], standing: billing.InvoiceStanding, credited_by: str | None = None
) -> InvoiceView:
    return InvoiceView(
        number=invoice.number,
        date=invoice.date,
        reason=invoice.reason,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        lines=tuple(
            InvoiceLineView(
                l.description, l.quantity, l.unit_price, l.days, l.period_days, l.amount, l.period_from, l.period_to
            )
            for l in lines
        ),
        subtotal=invoice.subtotal,
        vat_rate=invoice.vat_rate,
        vat=invoice.vat,
        total=invoice.total,
        vat_reason=invoice.vat_reason,
        customer_vat_number=invoice.customer_vat_number,
        seller=json.loads(invoice.seller),
        customer=json.loads(invoice.customer),
        standing=standing,
        credited_by=credited_by,
    )


@account_read
def list_invoices(ctx: Context, *, open_only: bool = False) -> list[InvoiceView]:
    """In the order of their numbers (R10), oldest first, each with its status on `ctx.today` and
    the credit note that credits it, if any; `open_only`: those with money open (open, partly paid,
    overdue). Lines are not loaded: the list shows totals."""
    found = sorted(
        Invoice.select().where(Invoice.organisation == ctx.org_id), key=lambda i: billing.invoice_number_key(i.number)
    )
    standings = standing.standings(ctx.org_id, ctx.today)
    credits = credited_by([invoice.id for invoice in found])
    return [
        _view(invoice, [], standings[invoice.id], credits.get(invoice.id))
        for invoice in found
        if not open_only or standings[invoice.id].is_open
    ]


@account_read
def get_invoice(ctx: Context, number: str) -> InvoiceView:
    invoice = _find(ctx, number)
    lines = list(InvoiceLine.select().where(InvoiceLine.invoice == invoice.id).order_by(InvoiceLine.position))
    paid = standing.paid_amounts(invoice_ids=[invoice.id])
    credited = standing.credited_invoice_ids([invoice.id])
    return _view(
        invoice,
        lines,
        standing.standing_of(invoice, ctx.today, paid, credited),
        credited_by([invoice.id]).get(invoice.id),
    )


CSV_COLUMNS = (
    "number",
    "date",
    "description",
    "quantity",
    "unit_price",
    "days",
    "period_days",
    "amount",
    "subtotal",
    "vat_rate",
    "vat",
    "total",
    "period_from",
    "period_to",
    "vat_reason",
    "customer_vat_number",
    "vat_note",
)


def invoice_csv(view: InvoiceView, lang: str = "nl") -> str:
    """One row per line, with the invoice's totals repeated: opens cleanly in a spreadsheet. It
    carries what the invoice carries: each line's service period, the VAT reason, the customer's
    VAT number and the reverse-charge mention (in `lang`, as on the invoice)."""

    if view.vat_reason == billing.VAT_REASON_REVERSE_CHARGE:
        note = t("vat.reverse_charge_line", lang, vat_number=view.customer_vat_number)
    elif view.vat_reason == billing.VAT_REASON_OUTSIDE_EU:
        note = t("vat.outside_eu_line", lang)
    else:
        note = ""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for line in view.lines:
        writer.writerow(
            [
                view.number,
                view.date.isoformat(),
                _csv_safe(line.description),
                line.quantity,
                billing.as_text(line.unit_price),
                line.days,
                line.period_days,
                billing.as_text(line.amount),
                billing.as_text(view.subtotal),
                view.vat_rate,
                billing.as_text(view.vat),
                billing.as_text(view.total),
                line.period_from.isoformat(),
                line.period_to.isoformat(),
                _csv_safe(view.vat_reason or ""),
                _csv_safe(view.customer_vat_number or ""),
                _csv_safe(note),
            ]
        )
    return out.getvalue()


def _csv_safe(text: str) -> str:
    """Stored text as a CSV cell: through the one sanitiser (an escape sequence in a description
    would act on the terminal `invoices show --csv` prints to), and kept from running in a
    spreadsheet when it starts like a formula."""
    text = visible(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
