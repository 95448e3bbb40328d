"""Reminders in `billing run`: 7 days after the due date and again 21 days after, each once, by
e-mail through the outbox and in the audit log; never for a paid invoice."""

from __future__ import annotations

import json
import os
from datetime import date
from decimal import Decimal

import pytest


def _run(cli, today: str) -> list[dict]:
    """The reminders this run sent, from the audit log (the run's JSON lists renewals only)."""
    before = len(_events())
    result = cli("billing", "run", "--today", today, "--lang", "nl")
    assert result.code == 0, result.err
    sent = _events()[before:]
    assert len(sent) == result.out.count("Herinnering "), result.out  # and each is said
    return sent


def _mail() -> list[tuple[str, str, str]]:
    from tribe_tui.db import open_database
    from tribe_tui.models import OutboxMessage

    open_database(os.environ["TRIBE_DATABASE_URL"])
    return [
        (m.recipient, m.subject, m.body)
        for m in OutboxMessage.select().where(OutboxMessage.invoice.is_null()).order_by(OutboxMessage.id)
    ]


def _events() -> list[dict]:
    from tribe_tui.db import open_database
    from tribe_tui.models import AuditEvent

    open_database(os.environ["TRIBE_DATABASE_URL"])
    return [
        json.loads(e.after)
        for e in AuditEvent.select().where(AuditEvent.action == "invoice.reminder").order_by(AuditEvent.id)
    ]


def test_first_and_second_reminder_each_once(cli, org):
    # 2026-0001: issued 26 November 2026, due 10 December.
    assert _run(cli, "2026-12-16") == []
    [first] = _run(cli, "2026-12-17")  # 7 days after the due date
    assert [(i["number"], i["level"]) for i in first["invoices"]] == [("2026-0001", 1)]
    assert _run(cli, "2026-12-17") == [] and _run(cli, "2026-12-30") == []  # once
    [(to, subject, body)] = _mail()
    assert to == "admin@acme.nl" and subject.startswith("Herinnering: openstaande facturen van Tribe CRM B.V.")
    assert "factuur 2026-0001" in body and "vervallen op 10 december 2026" in body and "1.306,80" in body
    assert "NL91ABNA0417164300" in body  # how to pay: the seller's IBAN, quoting the invoice number

    [second] = _run(cli, "2026-12-31")  # 21 days after
    assert second["invoices"][0]["level"] == 2
    assert _run(cli, "2027-02-01") == []
    assert _mail()[1][1].startswith("Tweede herinnering")
    assert [e["invoices"][0]["level"] for e in _events()] == [1, 2]


def test_a_paid_invoice_is_never_reminded(cli, org):
    from tribe_tui.models import Invoice, Payment

    invoice = Invoice.get(Invoice.number == "2026-0001")
    Payment.create(invoice=invoice.id, amount=invoice.total, booked_on=date(2026, 12, 5), kind="transfer")
    assert _run(cli, "2026-12-17") == [] and _run(cli, "2026-12-31") == []
    assert _mail() == [] and _events() == []


@pytest.mark.parametrize("paid", ["100.00"])
def test_a_partly_paid_invoice_is_reminded_for_what_is_open(cli, org, paid):
    from tribe_tui.models import Invoice, Payment

    _run(cli, "2026-12-01")
    invoice = Invoice.get(Invoice.number == "2026-0001")
    Payment.create(invoice=invoice.id, amount=Decimal(paid), booked_on=date(2026, 12, 5), kind="transfer")
    [reminded] = _run(cli, "2026-12-31")  # past both days at once: the second only
    assert reminded["invoices"][0]["level"] == 2 and reminded["invoices"][0]["open_amount"] == "1206.80"
    assert _run(cli, "2027-01-15") == []
