"""Collega's uitnodigen: single-use tokens sent by e-mail; accepting one links a free licence.

Only the SHA-256 hash of a token is stored; the token itself exists in the e-mail (and in the
outbox until it is sent; revoking or replacing the invitation withdraws that queued mail). An
invitation is valid for `invite_valid_days` calendar days (UTC) counted from the day it was made,
that day included, by the wall clock like the sign-in lockout: `--today` moves the billing rules,
never the life of a credential.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from peewee import IntegrityError

from tribe_tui import billing, formatting
from tribe_tui.db import write_transaction
from tribe_tui.errors import BadInput, Refused
from tribe_tui.i18n import mail_reason, t
from tribe_tui.models import Employee, Invitation, Licence, Organisation, OutboxMessage, utcnow
from tribe_tui.service_types import Context
from tribe_tui.services import outbox
from tribe_tui.services._action import organisation_change
from tribe_tui.services._audit import audit
from tribe_tui.services._guards import require_changeable
from tribe_tui.services._locking import lock_organisation, touch
from tribe_tui.services._messages import msg
from tribe_tui.services._person import account_read
from tribe_tui.services._queries import licence_counts, same_address
from tribe_tui.services.auth import check_password_policy, hash_password
from tribe_tui.services.renewal import settle

if TYPE_CHECKING:  # pydantic models: imported where input is validated, not at start-up
    from tribe_tui.config import Settings
    from tribe_tui.schemas import AcceptInviteInput

TOKEN_BYTES = 32
_TOKEN_IN_MAIL = re.compile(r"accept-invite ([A-Za-z0-9_-]+)")


def new_token() -> str:
    """32 random bytes, URL-safe base64. Never starting with '-': the e-mail's line
    `tribe-tui accept-invite TOKEN` must not read as an option (costs under 0.03 bit)."""
    while True:
        token = secrets.token_urlsafe(TOKEN_BYTES)
        if not token.startswith("-"):
            return token


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min)


@dataclass(frozen=True)
class InviteOutcome:
    email: str
    status: str  # sent | queued
    error: str | None = None  # technical, for the outbox and --json
    reason: str | None = None  # the same in the admin's words and language, for a screen
    sent_via: str | None = None  # where it went: "smtp host:port" or a maildir file

    def to_json(self) -> dict[str, Any]:
        return {"email": self.email, "status": self.status, "error": self.error, "sent_via": self.sent_via}


class InviteOutcomes(list[InviteOutcome]):
    """Each address's outcome, in order (empty for a dry run), and what the click settled first:
    after paid-until the renewal, with its invoice (R9)."""

    def __init__(self, outcomes: list[InviteOutcome], settled: tuple[billing.Settled, ...] = ()) -> None:
        super().__init__(outcomes)
        self.settled = settled


@account_read
def free_licences(ctx: Context) -> int:
    total, in_use = licence_counts(ctx.org_id)
    return total - in_use


def invitation_mail(org: Organisation, token: str, valid_until: date, settings: Settings) -> tuple[str, str]:
    """Subject and body in the organisation's language."""
    lang = org.language
    link = f"{settings.public_url.rstrip('/')}/invite?token={token}"
    command = f"tribe-tui accept-invite {token}"
    # The name ends the sentence: "bij Installatietechniek B.V." gets no second full stop.
    sentence = org.name if org.name.endswith((".", "!", "?")) else org.name + "."
    body = t(
        "mail.invite_body",
        lang,
        org_sentence=sentence,
        link=link,
        command=command,
        date=formatting.long_date(valid_until, lang),
    )
    return t("mail.invite_subject", lang, org=org.name), body


def invite(
    ctx: Context,
    emails: list[str],
    settings: Settings,
    *,
    action: str = "invitation.create",
    admin: bool = False,
    dry_run: bool = False,
) -> InviteOutcomes:
    """One transaction for the whole list (all or nothing), then each e-mail is tried at once.
    Accepting gives the role chosen here (`admin`; by default not admin), also to a former
    colleague invited back, whatever role they had before. A dry run checks every address, sends
    nothing and says what would be settled first."""
    from tribe_tui.schemas import EmailRef, parse

    addresses: list[str] = []
    for raw in emails:
        # Named in the message: of several addresses, the admin must see which one is wrong.
        address = parse(EmailRef, ctx.lang, label=str(raw).strip() or None, email=raw).email
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise BadInput(msg(ctx, "error.invite_no_address"))
    valid_until = utcnow().date() + timedelta(days=settings.invite_valid_days - 1)
    message_ids: dict[str, int] = {}
    with organisation_change(ctx, dry_run=dry_run) as change:
        org = change.org
        for address in addresses:
            employee = Employee.get_or_none((Employee.organisation == org.id) & same_address(Employee.email, address))
            if employee is not None and Licence.get_or_none(Licence.holder == employee.id) is not None:
                raise Refused(msg(ctx, "error.invite_holds_licence", email=address))
            # A new invitation replaces any open one for the same address: only the newest link works.
            replaced = list(
                Invitation.select().where(
                    (Invitation.organisation == org.id)
                    & same_address(Invitation.email, address)
                    & (Invitation.purpose == "invite")
                    & Invitation.accepted_at.is_null()
                    & Invitation.revoked_at.is_null()
                )
            )
            if replaced:
                Invitation.update(revoked_at=utcnow()).where(Invitation.id.in_([i.id for i in replaced])).execute()
                _withdraw_mail(org.id, address, replaced)
            token = new_token()
            Invitation.create(
                organisation=org.id,
                email=address,
                token_hash=hash_token(token),
                expires_at=_day_start(valid_until + timedelta(days=1)),
                employee=employee.id if employee else None,
                role="admin" if admin else "user",
            )
            subject, body = invitation_mail(org, token, valid_until, settings)
            message_ids[address] = outbox.enqueue(org.id, address, subject, body)
        if dry_run:
            return InviteOutcomes([], change.settled)
        change.audit(
            action, None, {"emails": addresses, "valid_until": valid_until, "role": "admin" if admin else "user"}
        )
    flushed = outbox.flush(settings)  # also retries mail that was queued before
    sent = {
        m.id: m.sent_via
        for m in OutboxMessage.select(OutboxMessage.id, OutboxMessage.sent_via).where(
            OutboxMessage.id.in_(list(message_ids.values())) & OutboxMessage.sent_at.is_null(False)
        )
    }
    errors = {
        m.id: m.last_error
        for m in OutboxMessage.select(OutboxMessage.id, OutboxMessage.last_error).where(
            OutboxMessage.id.in_(list(message_ids.values()))
        )
    }
    return InviteOutcomes(
        [
            InviteOutcome(address, "sent", None, sent_via=sent[mid])
            if mid in sent
            else InviteOutcome(
                address, "queued", errors.get(mid), mail_reason(flushed.kinds.get(mid, "failed"), ctx.lang)
            )
            for address, mid in message_ids.items()
        ],
        change.settled,
    )


def resend(ctx: Context, email: str, settings: Settings) -> InviteOutcome:
    """A new invitation (new token, new e-mail) for an address invited before: the old link stops
    working. Refused when that person has accepted and holds a licence. The role is the one the
    newest invitation for the address was sent with (chosen then by an admin)."""
    latest = (
        Invitation.select(Invitation.role)
        .where(
            (Invitation.organisation == ctx.org_id)
            & same_address(Invitation.email, email.strip())
            & (Invitation.purpose == "invite")
        )
        .order_by(Invitation.id.desc())
        .first()
    )
    admin = latest is not None and latest.role == "admin"
    return invite(ctx, [email], settings, action="invitation.resend", admin=admin)[0]


@dataclass(frozen=True)
class InvitationRow:
    email: str
    status: str  # open | accepted | revoked | expired
    created_at: datetime
    valid_until: date
    accepted_at: datetime | None
    mail_queued: bool
    mail: str | None = None  # of an open one: sent | queued | failed
    mail_error_kind: str | None = None  # mail.error_kind when queued or failed
    sent_via: str | None = None  # where the mail went
    accepted_by: str | None = None  # "Name (username)"

    @property
    def state(self) -> str:
        """What the list shows: sent | queued | failed | accepted | expired | revoked."""
        return self.mail or "queued" if self.status == "open" else self.status

    def to_json(self) -> dict[str, Any]:
        return {
            "email": self.email,
            "status": self.status,
            "state": self.state,
            "created_at": self.created_at.isoformat(),
            "valid_until": self.valid_until.isoformat(),
            "accepted_at": self.accepted_at and self.accepted_at.isoformat(),
            "mail_queued": self.mail_queued,
            "mail_error": self.mail_error_kind,
            "sent_via": self.sent_via,
            "accepted_by": self.accepted_by,
        }


def _withdraw_mail(org_id: int, address: str, invitations: list[Invitation]) -> int:
    """Delete the unsent e-mails that carry these invitations' tokens: a revoked link must not
    go out later (`outbox flush`). Found by the token in the body, whose hash is what is stored."""
    hashes = {i.token_hash for i in invitations}
    withdrawn = [
        m.id
        for m in OutboxMessage.select(OutboxMessage.id, OutboxMessage.body).where(
            (OutboxMessage.organisation == org_id)
            & same_address(OutboxMessage.recipient, address)
            & OutboxMessage.sent_at.is_null()
        )
        if any(hash_token(token) in hashes for token in _TOKEN_IN_MAIL.findall(m.body))
    ]
    if withdrawn:
        OutboxMessage.delete().where(OutboxMessage.id.in_(withdrawn)).execute()
    return len(withdrawn)


def _replaced(invitation: Invitation) -> bool:
    """Revoked because a newer invitation to the same address was made (a resend, or inviting
    again), in the same transaction: its link is dead, and the newer e-mail holds the one that works."""
    return (
        Invitation.select()
        .where(
            (Invitation.organisation == invitation.organisation_id)
            & same_address(Invitation.email, invitation.email)
            & (Invitation.purpose == "invite")
            & (Invitation.id > invitation.id)
            & (Invitation.created_at >= invitation.revoked_at)
        )
        .exists()
    )


def _expired(invitation: Invitation) -> bool:
    return utcnow() >= invitation.expires_at


def _status(invitation: Invitation) -> str:
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.revoked_at is not None:
        return "revoked"
    if _expired(invitation):
        return "expired"
    return "open"


# Kinds of mail failure that trying again will not mend: the list says "failed", not "queued".
_FAILED_KINDS = frozenset({"refused", "insecure", "certificate", "smtputf8", "failed"})


def _mail_state(message: OutboxMessage | None) -> tuple[str | None, str | None, str | None]:
    """(sent | queued | failed, error kind, where it went) of an invitation's latest e-mail."""
    if message is None:
        return None, None, None
    if message.sent_at is not None:
        return "sent", None, message.sent_via
    kind = message.error_kind
    return ("failed" if kind in _FAILED_KINDS else "queued"), kind, None


@account_read
def list_invitations(ctx: Context) -> list[InvitationRow]:
    """Newest first; each open one with its latest e-mail's state (a new invitation for an
    address withdraws the older queued mail, so the newest mail to an address is its newest
    invitation's), each accepted one with who accepted it."""
    latest: dict[str, OutboxMessage] = {}
    for m in (
        OutboxMessage.select(
            OutboxMessage.id,
            OutboxMessage.recipient,
            OutboxMessage.sent_at,
            OutboxMessage.error_kind,
            OutboxMessage.sent_via,
        )
        .where(OutboxMessage.organisation == ctx.org_id)
        .order_by(OutboxMessage.id)
    ):
        latest[m.recipient] = m
    people = {
        e.id: f"{e.name} ({e.username})" if e.username else e.name
        for e in Employee.select(Employee.id, Employee.name, Employee.username)
        .join(Invitation, on=(Invitation.employee == Employee.id))
        .where(
            (Invitation.organisation == ctx.org_id)
            & (Invitation.purpose == "invite")
            & Invitation.accepted_at.is_null(False)
        )
    }
    found = []
    for i in (
        Invitation.select()
        .where((Invitation.organisation == ctx.org_id) & (Invitation.purpose == "invite"))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ):
        status = _status(i)
        mail_state, kind, via = _mail_state(latest.get(i.email)) if status == "open" else (None, None, None)
        found.append(
            InvitationRow(
                i.email,
                status,
                i.created_at,
                i.expires_at.date() - timedelta(days=1),
                i.accepted_at,
                mail_state in ("queued", "failed"),
                mail_state,
                kind,
                via,
                people.get(i.employee_id) if status == "accepted" and i.employee_id else None,
            )
        )
    return found


def revoke(ctx: Context, email: str) -> InvitationRow:
    """The open invitation(s) for this address stop working at once."""
    from tribe_tui.schemas import EmailRef, parse

    address = parse(EmailRef, ctx.lang, email=email).email
    with organisation_change(ctx) as change:
        org = change.org
        open_ones = list(
            Invitation.select().where(
                (Invitation.organisation == org.id)
                & same_address(Invitation.email, address)
                & (Invitation.purpose == "invite")
                & Invitation.accepted_at.is_null()
                & Invitation.revoked_at.is_null()
                & (Invitation.expires_at > utcnow())
            )
        )
        if not open_ones:
            raise Refused(msg(ctx, "error.invite_none_open", email=address))
        now = utcnow()
        Invitation.update(revoked_at=now).where(Invitation.id.in_([i.id for i in open_ones])).execute()
        withdrawn = _withdraw_mail(org.id, address, open_ones)
        change.audit(
            "invitation.revoke",
            {"email": address, "status": "open"},
            {"email": address, "status": "revoked", "mail_withdrawn": withdrawn},
        )
    latest = open_ones[0]
    return InvitationRow(
        address, "revoked", latest.created_at, latest.expires_at.date() - timedelta(days=1), None, False
    )


class AcceptRefused(Refused):
    """Accepting refused because of one field (`token` or `username`; None: neither, such as no
    free licence): a form puts the message there and the focus in it."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def accept_field_errors(values: dict[str, str], lang: str) -> dict[str, str]:
    """Field -> message for each given field of the accept form that is wrong as typed (token,
    username, name, password, password_again); the rules `accept` applies, before it is called."""
    from pydantic import ValidationError

    from tribe_tui.schemas import AcceptInviteInput, InviteToken, field_errors

    errors: dict[str, str] = {}
    if "token" in values:
        try:
            InviteToken(token=values["token"])
        except ValidationError:
            errors["token"] = t("accept.token_invalid", lang)
    try:
        AcceptInviteInput(
            username=values.get("username", "placeholder"),
            password="x",
            name=values.get("name") or None,  # optional
        )
    except ValidationError as exc:
        errors.update(field_errors(exc, lang))
    if "password" in values:
        try:
            check_password_policy(values["password"], values.get("username", "").strip().lower(), lang)
        except BadInput as exc:
            errors["password"] = exc.message
    if "password_again" in values and values["password_again"] != values.get("password"):
        errors["password_again"] = t("error.passwords_differ", lang)
    return errors


@dataclass(frozen=True)
class AcceptedInvite:
    org_id: int
    employee_id: int
    email: str
    username: str
    name: str
    licence_id: int
    reactivated: bool  # an existing (e.g. Voormalig) employee, not a new one

    def to_json(self) -> dict[str, Any]:
        return {
            "email": self.email,
            "username": self.username,
            "name": self.name,
            "licence": self.licence_id,
            "reactivated": self.reactivated,
            "auto_renew": True,
        }


def accept(
    token: str, *, username: str, password: str, name: str | None, today: date, settings: Settings, lang: str = "nl"
) -> AcceptedInvite:
    """Set name, username and password and link the invitee to a free licence, in one transaction.

    Refused (nothing changed, the invitation still valid where that makes sense): unknown,
    expired, used, revoked, no free licence, username taken, account ended.
    """
    from tribe_tui.schemas import AcceptInviteInput, InviteToken, parse

    token = parse(InviteToken, lang, token=token).token
    data = parse(AcceptInviteInput, lang, username=username, password=password, name=name)
    check_password_policy(data.password, data.username, lang)
    password_hash = hash_password(data.password)  # slow on purpose: done before taking the write lock
    try:
        return _accept(token, data, password_hash, today, lang)
    except IntegrityError:
        # Usernames are unique across organisations, whose locks are separate: a rare race lands here.
        raise AcceptRefused(t("error.username_taken", lang, username=data.username), "username") from None


def _accept(token: str, data: AcceptInviteInput, password_hash: str, today: date, lang: str) -> AcceptedInvite:
    with write_transaction():
        invitation = Invitation.get_or_none(Invitation.token_hash == hash_token(token))
        if invitation is None or invitation.purpose != "invite":  # a password-reset link is no invitation
            raise AcceptRefused(t("error.invite_unknown", lang), "token")
        ctx = Context(invitation.organisation_id, f"invite:{data.username}", today, lang)
        org = lock_organisation(ctx)
        if invitation.accepted_at is not None:
            raise AcceptRefused(msg(ctx, "error.invite_used"), "token")
        if invitation.revoked_at is not None:
            if _replaced(invitation):
                raise AcceptRefused(msg(ctx, "error.invite_replaced"), "token")
            raise AcceptRefused(msg(ctx, "error.invite_revoked"), "token")
        if _expired(invitation):
            raise AcceptRefused(
                msg(
                    ctx,
                    "error.invite_expired",
                    date=formatting.long_date(invitation.expires_at.date() - timedelta(days=1), lang),
                ),
                "token",
            )
        settle(ctx, org)  # R9: a due renewal is settled first, by the same code as `billing run`
        require_changeable(ctx, org)
        employee = (
            Employee.get_or_none(Employee.id == invitation.employee_id) if invitation.employee_id else None
        ) or Employee.get_or_none((Employee.organisation == org.id) & same_address(Employee.email, invitation.email))
        taken = Employee.get_or_none(Employee.username == data.username)
        if taken is not None and (employee is None or taken.id != employee.id):
            raise AcceptRefused(msg(ctx, "error.username_taken", username=data.username), "username")
        if employee is not None and Licence.get_or_none(Licence.holder == employee.id) is not None:
            raise Refused(msg(ctx, "error.invite_holds_licence", email=invitation.email))
        # Prefer a licence that renews: one with auto-renew off would lapse at paid-until.
        licence = (
            Licence.select()
            .where((Licence.organisation == org.id) & Licence.holder.is_null())
            .order_by(Licence.auto_renew.desc(), Licence.id)
            .first()
        )
        if licence is None:
            raise Refused(msg(ctx, "error.invite_no_free_licence"))
        before = None
        if employee is None:
            employee = Employee.create(
                organisation=org.id,
                name=data.name or data.username,
                email=invitation.email,
                username=data.username,
                password_hash=password_hash,
                role=invitation.role,
            )
            reactivated = False
        else:
            before = {
                "email": employee.email,
                "username": employee.username,
                "former": employee.former,
                "role": employee.role,
            }
            # The role the inviter chose now, not the one they had when they left.
            Employee.update(
                name=data.name or employee.name,
                username=data.username,
                password_hash=password_hash,
                former=False,
                role=invitation.role,
            ).where(Employee.id == employee.id).execute()
            reactivated = True
        # A licence that gets a new holder renews unless an admin switches that off (a free licence
        # left by an offboarded colleague had it off: the newcomer would lose access at paid-until).
        Licence.update(holder=employee.id, auto_renew=True).where(Licence.id == licence.id).execute()
        Invitation.update(accepted_at=utcnow(), employee=employee.id).where(Invitation.id == invitation.id).execute()
        touch(org)
        audit(
            ctx,
            "invitation.accept",
            before,
            {
                "email": invitation.email,
                "username": data.username,
                "licence": licence.id,
                "former": False,
                "role": invitation.role,
            },
        )
    return AcceptedInvite(
        org.id,
        employee.id,
        invitation.email,
        data.username,
        data.name or (employee.name if reactivated else data.username),
        licence.id,
        reactivated,
    )
