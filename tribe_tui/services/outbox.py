"""The outbox: e-mail is written in the transaction of the action that causes it, sent after commit.

Delivery is at-least-once, by choice. A flush first *claims* a message (a lease in
`claimed_at`, taken by a conditional UPDATE in its own short transaction), then sends it, then
marks it sent in another short transaction. Two flushes at once never both send a message: only
one UPDATE wins the claim. If the process dies between the SMTP server accepting the message and
the mark, the lease runs out and a later flush sends it again: a duplicate invitation is harmless
(its token is single-use), a lost one is not. A failed send releases the claim, counts the
attempt and keeps the error (never the SMTP password or a token), so nothing is lost.

After sending, the token-bearing parts of the stored body are blanked: the outbox does not keep
working credentials around once they have left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from peewee import Expression

from tribe_tui.db import write_transaction
from tribe_tui.models import OutboxMessage, utcnow
from tribe_tui.services import documents

if TYPE_CHECKING:
    from email.message import EmailMessage

    from tribe_tui.config import Settings

# Far longer than one SMTP conversation (10 s timeouts): a live sender never loses its claim.
CLAIM_LEASE = timedelta(minutes=10)
_SECRET_IN_BODY = re.compile(r"(token=|accept-invite |reset-password )[A-Za-z0-9_-]+")
# A password-reset link's token: only its addressee may see it, so it is hidden even while queued
# (`outbox list --show`): the admin who sent it must not be able to set that password.
RESET_TOKEN = re.compile(r"reset-password(?: |\?token=)([A-Za-z0-9_-]+)")
_RESET_SHOWN = re.compile(r"(reset-password(?: |\?token=))[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class FlushResult:
    sent: int
    failed: int
    errors: dict[int, str] = field(default_factory=dict)  # message id -> error, for failed ones
    sent_ids: frozenset[int] = frozenset()
    kinds: dict[int, str] = field(default_factory=dict)  # message id -> mail.error_kind, for failed ones

    def to_json(self) -> dict[str, Any]:
        return {"sent": self.sent, "failed": self.failed, "queued": queued_count()}


def enqueue(
    org_id: int | None,
    recipient: str,
    subject: str,
    body: str,
    invoice_id: int | None = None,
    *,
    credit_note_id: int | None = None,
) -> int:
    """Call inside the action's transaction: the mail exists exactly when the action does. With
    `invoice_id` (or `credit_note_id`), the invoice's (credit note's) PDF and UBL go with it."""
    message_id: int = OutboxMessage.insert(
        organisation=org_id,
        recipient=recipient,
        subject=subject,
        body=body,
        invoice=invoice_id,
        credit_note=credit_note_id,
    ).execute()
    return message_id


def queued_count() -> int:
    return OutboxMessage.select().where(OutboxMessage.sent_at.is_null()).count()


def _claimable(now: datetime) -> Expression:
    return OutboxMessage.sent_at.is_null() & (
        OutboxMessage.claimed_at.is_null() | (OutboxMessage.claimed_at < now - CLAIM_LEASE)
    )


def stable_message_id(message: OutboxMessage) -> str:
    """The same Message-ID on every attempt: delivery is at least once (a crash between the
    server's 250 and marking the message sent means a resend), and a resend with the same
    Message-ID is recognised as the same mail by mail servers and clients that deduplicate."""
    stamp = message.created_at.strftime("%Y%m%d%H%M%S%f")
    return f"<outbox-{message.id}-{stamp}@tribe-tui>"


def claim(message_id: int, now: datetime | None = None) -> bool:
    """Take the lease on one message; False when it was sent or another flush holds it."""
    now = now or utcnow()
    with write_transaction():
        taken: int = (
            OutboxMessage.update(claimed_at=now).where((OutboxMessage.id == message_id) & _claimable(now)).execute()
        )
    return taken == 1


def message_for(row: OutboxMessage, settings: Settings) -> EmailMessage:
    """The e-mail an outbox row stands for: the one place a message is built (sent, or shown by
    `outbox list --show`), so whatever a message carries is added here once."""
    from tribe_tui import mail

    # An invoice's mail: its text, PDF and UBL are made from the stored invoice (R10: it never changes).
    if row.invoice_id:
        body, files = documents.invoice_mail(row.invoice_id)
    elif row.credit_note_id:
        body, files = documents.credit_note_mail(row.credit_note_id)
    else:
        body, files = row.body, []
    return mail.build_message(
        settings.mail_from, row.recipient, row.subject, body, message_id=stable_message_id(row), attachments=files
    )


def _mark_sent(message: OutboxMessage, via: str) -> None:
    with write_transaction():
        OutboxMessage.update(
            sent_at=utcnow(),
            claimed_at=None,
            attempts=OutboxMessage.attempts + 1,
            last_error=None,
            sent_via=via,
            error_kind=None,
            body=_SECRET_IN_BODY.sub(r"\1[verzonden / sent]", message.body),
        ).where(OutboxMessage.id == message.id).execute()


def _mark_failed(ids: Iterable[int], error: str, kind: str) -> None:
    ids = list(ids)
    if not ids:
        return
    with write_transaction():
        OutboxMessage.update(
            claimed_at=None, attempts=OutboxMessage.attempts + 1, last_error=error, error_kind=kind
        ).where(OutboxMessage.id.in_(ids) & OutboxMessage.sent_at.is_null()).execute()


def flush(settings: Settings, *, now: datetime | None = None) -> FlushResult:
    """Send every queued message, oldest first. Returns how many went out and how many failed."""
    from tribe_tui import mail  # smtplib: only a flush sends (an action that queues mail does not)

    now = now or utcnow()
    pending = [m.id for m in OutboxMessage.select(OutboxMessage.id).where(_claimable(now)).order_by(OutboxMessage.id)]
    if not pending:
        return FlushResult(0, 0)
    secrets: tuple[str | None, ...] = ()
    sent_ids: set[int] = set()
    errors: dict[int, str] = {}
    kinds: dict[int, str] = {}
    try:
        connection = mail.connect(settings.smtp_url)
        if isinstance(connection, mail.Connection):
            secrets = (connection.config.password,)
    except (mail.MailNotConfigured, mail.BadSmtpUrl) as exc:
        # Nothing is sent, so nothing is claimed; the attempt and the reason are still recorded
        # (but never on a message that another flush is sending right now).
        error = mail.safe_error(exc)
        kind = mail.error_kind(exc)
        with write_transaction():
            OutboxMessage.update(attempts=OutboxMessage.attempts + 1, last_error=error, error_kind=kind).where(
                OutboxMessage.id.in_(pending) & _claimable(now)
            ).execute()
        return FlushResult(0, len(pending), {i: error for i in pending}, kinds={i: kind for i in pending})
    with connection:
        for position, message_id in enumerate(pending):
            if not claim(message_id, now):
                continue  # sent meanwhile, or another flush is sending it
            message = OutboxMessage.get_by_id(message_id)
            try:
                via = connection.send(message_for(message, settings))
            except Exception as exc:  # any failure keeps the message queued with its reason
                error = mail.safe_error(exc, secrets)
                kinds[message_id] = mail.error_kind(exc)
                _mark_failed([message_id], error, kinds[message_id])
                errors[message_id] = error
                if mail.is_connection_error(exc):
                    # The server is unreachable: count an attempt for the rest without waiting on each.
                    rest = [i for i in pending[position + 1 :] if claim(i, now)]
                    _mark_failed(rest, error, kinds[message_id])
                    errors.update({i: error for i in rest})
                    kinds.update({i: kinds[message_id] for i in rest})
                    break
                continue
            _mark_sent(message, via)
            sent_ids.add(message_id)
    return FlushResult(len(sent_ids), len(errors), errors, frozenset(sent_ids), kinds)


@dataclass(frozen=True)
class OutboxRow:
    id: int
    recipient: str
    subject: str
    created_at: datetime
    sent_at: datetime | None
    attempts: int
    last_error: str | None
    sent_via: str | None = None
    error_kind: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "recipient": self.recipient,
            "subject": self.subject,
            "created_at": self.created_at.isoformat(),
            "sent_at": self.sent_at and self.sent_at.isoformat(),
            "attempts": self.attempts,
            "last_error": self.last_error,
            "sent_via": self.sent_via,
            "error_kind": self.error_kind,
        }


def _outbox_row(m: OutboxMessage) -> OutboxRow:
    return OutboxRow(
        m.id, m.recipient, m.subject, m.created_at, m.sent_at, m.attempts, m.last_error, m.sent_via, m.error_kind
    )


def list_messages(only_queued: bool = True, org_id: int | None = None) -> list[OutboxRow]:
    query = OutboxMessage.select().order_by(OutboxMessage.id)
    if only_queued:
        query = query.where(OutboxMessage.sent_at.is_null())
    if org_id is not None:
        query = query.where(OutboxMessage.organisation == org_id)
    return [_outbox_row(m) for m in query]


def show_message(message_id: int, settings: Settings) -> tuple[OutboxRow, str] | None:
    """One message as it is (or was) sent: its row and the RFC 5322 text (headers and body). A
    queued invitation still carries its token; once sent, the stored copy no longer does."""
    row = OutboxMessage.get_or_none(OutboxMessage.id == message_id)
    if row is None:
        return None
    message = message_for(row, settings)
    if not message.is_multipart():
        return _outbox_row(row), _RESET_SHOWN.sub(r"\1[verborgen / hidden]", message.as_string())
    # An invoice's mail: the headers and its text as sent; the attachments named, not dumped as base64.
    headers = "".join(
        f"{name}: {value}\n" for name, value in message.items() if not name.lower().startswith(("content-", "mime-"))
    )
    text = message.get_body(preferencelist=("plain",))
    parts = [headers, "\n", text.get_content() if text is not None else ""]
    parts += [
        f"[{part.get_filename()}, {part.get_content_type()}, {len(part.get_content())} bytes]\n"
        for part in message.iter_attachments()
    ]
    return _outbox_row(row), "".join(parts)
