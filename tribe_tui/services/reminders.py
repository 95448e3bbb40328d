"""Reminders (herinneringen): `billing run` e-mails an organisation whose invoices are still open
7 days after their due date, and again 21 days after, each once (billing.reminder_due), naming the
open invoices and how to pay. One transaction per organisation: the reminder rows, the queued
e-mail and the audit event exist together or not at all. A paid or credited invoice is never
reminded: only what billing.invoice_standing says is open counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from peewee import fn

from tribe_tui import billing, formatting
from tribe_tui.db import write_transaction
from tribe_tui.i18n import t
from tribe_tui.migrations import seller
from tribe_tui.models import Invoice, Organisation, PaymentReminder
from tribe_tui.service_types import Context
from tribe_tui.services import outbox
from tribe_tui.services._audit import audit
from tribe_tui.services._locking import lock_organisation
from tribe_tui.services._queries import rows
from tribe_tui.services.standing import credited_invoice_ids, paid_amounts

FIRST_REMINDER_DAYS = billing.REMINDER_DAYS[0]


@dataclass(frozen=True)
class RemindedInvoice:
    number: str
    issued: date
    due_date: date
    open_amount: Decimal
    level: int


@dataclass(frozen=True)
class ReminderOutcome:
    slug: str
    recipient: str
    invoices: tuple[RemindedInvoice, ...]

    @property
    def level(self) -> int:
        return max(i.level for i in self.invoices)

    def to_json(self) -> dict[str, Any]:
        return {
            "organisation": self.slug,
            "status": "reminded",
            "level": self.level,
            "to": self.recipient,
            "invoices": [
                {
                    "number": i.number,
                    "due_date": i.due_date.isoformat(),
                    "open_amount": billing.as_text(i.open_amount),
                    "level": i.level,
                }
                for i in self.invoices
            ],
        }


def _due(today: date, org_id: int | None = None) -> dict[int, list[RemindedInvoice]]:
    """Organisation id -> the reminders due today, read set-based: invoices issued long enough ago,
    their payments, and the reminders they had."""
    latest_issue = today - timedelta(days=billing.PAYMENT_TERM_DAYS + FIRST_REMINDER_DAYS)
    query = Invoice.select(Invoice.id, Invoice.organisation, Invoice.number, Invoice.date, Invoice.total).where(
        Invoice.date <= latest_issue
    )
    if org_id is not None:
        query = query.where(Invoice.organisation == org_id)
    invoices = list(query)
    ids = [i.id for i in invoices]
    paid: dict[int, tuple[Decimal, date]] = {}
    sent: dict[int, int] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        paid.update(paid_amounts(invoice_ids=chunk))
        for invoice_id, level in rows(
            PaymentReminder.select(PaymentReminder.invoice, fn.MAX(PaymentReminder.level))
            .where(PaymentReminder.invoice.in_(chunk))
            .group_by(PaymentReminder.invoice)
        ):
            sent[invoice_id] = int(level)
    credited = credited_invoice_ids(ids)
    due: dict[int, list[RemindedInvoice]] = {}
    for invoice in sorted(invoices, key=lambda i: billing.invoice_number_key(i.number)):
        amount, last = paid.get(invoice.id, (billing.ZERO, None))
        standing = billing.invoice_standing(
            invoice.total, amount, invoice.date, today, credited=invoice.id in credited, paid_on=last
        )
        if not standing.is_open:
            continue
        level = billing.reminder_due(standing.due_date, today, sent.get(invoice.id, 0))
        if level is not None:
            due.setdefault(invoice.organisation_id, []).append(
                RemindedInvoice(invoice.number, invoice.date, standing.due_date, standing.open_amount, level)
            )
    return due


def send_reminders(today: date, actor: str, org_id: int | None = None) -> list[ReminderOutcome]:
    """Queue every reminder due on `today`; one transaction per organisation. Idempotent: a run
    the same day (or a second run at once, which waits for the organisation's lock) finds them sent."""
    outcomes: list[ReminderOutcome] = []
    for due_org in sorted(_due(today, org_id)):
        ctx = Context(due_org, actor, today)
        with write_transaction():
            org = lock_organisation(ctx)
            # Read again under the lock: another run may have sent them meanwhile.
            reminders = _due(today, due_org).get(due_org, [])
            if not reminders:
                continue
            outcome = _remind(ctx, org, reminders)
        outcomes.append(outcome)
    return outcomes


def _remind(ctx: Context, org: Organisation, reminders: list[RemindedInvoice]) -> ReminderOutcome:
    from tribe_tui.services.invoices import invoice_recipient

    numbers = {r.number: r for r in reminders}
    invoice_ids: dict[str, int] = dict(
        rows(Invoice.select(Invoice.number, Invoice.id).where(Invoice.number.in_(list(numbers))))
    )
    PaymentReminder.insert_many(
        [dict(invoice=invoice_ids[r.number], level=r.level, sent_on=ctx.today) for r in reminders]
    ).execute()
    recipient = invoice_recipient(org.id)
    subject, body = reminder_mail(org, reminders)
    if recipient:
        outbox.enqueue(org.id, recipient, subject, body)
    audit(
        ctx,
        "invoice.reminder",
        None,
        {
            "to": recipient or None,
            "invoices": [
                {"number": r.number, "level": r.level, "open_amount": billing.as_text(r.open_amount)} for r in reminders
            ],
        },
    )
    return ReminderOutcome(org.slug, recipient, tuple(reminders))


def reminder_mail(org: Organisation, reminders: list[RemindedInvoice]) -> tuple[str, str]:
    """Subject and text, in the organisation's language: the open invoices, then how to pay."""
    from tribe_tui.services.mandates import active_mandate

    lang = org.language
    the_seller = seller()
    second = any(r.level >= 2 for r in reminders)
    if second:
        subject = t("mail.reminder_subject_2", lang, seller=the_seller["name"])
    else:
        subject = t("mail.reminder_subject", lang, seller=the_seller["name"])
    lines = [t("mail.reminder_intro", lang, organisation=org.name), ""]
    for r in reminders:
        lines.append(
            t(
                "mail.reminder_line",
                lang,
                number=r.number,
                issued=formatting.long_date(r.issued, lang),
                due=formatting.long_date(r.due_date, lang),
                amount=formatting.money(r.open_amount, lang),
            )
        )
    total = sum((r.open_amount for r in reminders), billing.ZERO)
    lines += ["", t("mail.reminder_total", lang, amount=formatting.money(total, lang)), ""]
    mandate = active_mandate(org.id)
    if mandate is not None:
        lines.append(t("mail.reminder_direct_debit", lang, reference=mandate.reference, iban=mandate.iban))
    lines.append(t("mail.reminder_transfer", lang, iban=the_seller["iban"], seller=the_seller["name"]))
    lines += ["", t("mail.reminder_closing", lang, seller=the_seller["name"])]
    return subject, "\n".join(lines) + "\n"
