"""An issued invoice reaches the customer by e-mail, PDF and UBL attached, through a real SMTP
server (aiosmtpd on 127.0.0.1); with the server down it waits in the outbox until `outbox flush`."""

from __future__ import annotations

from tests.einvoice import check_ubl, pdf_text


def attachments(received) -> dict[str, tuple[str, bytes]]:
    return {
        part.get_filename(): (part.get_content_type(), part.get_content())
        for part in received.message.iter_attachments()
    }


def test_issued_invoices_are_mailed_with_pdf_and_ubl(run, org, smtp):
    # The first invoice was issued by init (no mail server yet: it waits, to the admin, as there was
    # no invoice address); adding licences issues the second, to the invoice address the billing
    # details now name, and sends what waits at once.
    from tribe_tui.models import OutboxMessage

    assert OutboxMessage.select().where(OutboxMessage.sent_at.is_null()).count() == 1
    assert run("billing-details", "set", "invoice_email=boekhouding@acme.nl").code == 0
    assert run("licences", "add", "1").code == 0
    [first] = smtp.to("admin@acme.nl")
    [second] = smtp.to("boekhouding@acme.nl")
    for received, number in ((first, "2026-0001"), (second, "2026-0002")):
        assert number in received.message["Subject"]
        files = attachments(received)
        assert set(files) == {f"factuur-{number}.pdf", f"factuur-{number}.xml"}
        content_type, pdf = files[f"factuur-{number}.pdf"]
        assert content_type == "application/pdf" and number in pdf_text(pdf)
        content_type, ubl = files[f"factuur-{number}.xml"]
        assert content_type == "application/xml"
        root = check_ubl(ubl)
        assert root.xpath("*[local-name()='ID']/text()") == [number]

    # Sent again on request, to another address, at once; it is the same document.
    sent = run("invoices", "send", "2026-0002", "--to", "accountant@example.nl", "--json")
    assert sent.code == 0 and sent.json["status"] == "sent"
    [again] = smtp.to("accountant@example.nl")
    assert attachments(again)["factuur-2026-0002.xml"] == attachments(second)["factuur-2026-0002.xml"]
    from tribe_tui.models import AuditEvent

    assert AuditEvent.select().where(AuditEvent.action == "invoice.sent").count() == 1
    bad = run("invoices", "send", "2026-0002", "--to", "not-an-address")
    assert bad.code == 2 and smtp.to("not-an-address") == []


def test_with_the_server_down_the_invoice_waits_and_flush_sends_it(run, org, smtp_down):
    assert run("licences", "add", "1").code == 0
    down = run("invoices", "send", "2026-0002", "--json")
    assert down.code == 0 and down.json["status"] == "queued" and down.json["to"] == "admin@acme.nl"
    failed = run("outbox", "flush", "--json")
    assert failed.code == 0 and failed.json["sent"] == 0 and failed.json["queued"] == 3
    assert smtp_down.messages == []

    smtp_down.start()
    assert run("outbox", "flush", "--json").json == {"sent": 3, "failed": 0, "queued": 0}
    mails = smtp_down.to("admin@acme.nl")
    assert sorted(m.message["Subject"] for m in mails) == [
        "Factuur 2026-0001 van Tribe CRM B.V.",
        "Factuur 2026-0002 van Tribe CRM B.V.",
        "Factuur 2026-0002 van Tribe CRM B.V.",
    ]
    for mail in mails:
        files = attachments(mail)
        assert len(files) == 2
        [(_, ubl)] = [v for k, v in files.items() if k.endswith(".xml")]
        check_ubl(ubl)
    assert run("outbox", "flush", "--json").json == {"sent": 0, "failed": 0, "queued": 0}
