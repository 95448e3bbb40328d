"""Passwords after sign-up: a person changes their own (the old one asked, the same strength rules),
and an admin sends a colleague a single-use reset link by e-mail. The link is an invitation's
machinery (`Invitation` with purpose password_reset): a random token of which only the hash is
stored, an expiry, revoked when used or replaced. An admin never sees or sets anyone else's
password: the token travels only in the e-mail (the outbox hides it, even while queued).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tribe_tui import formatting
from tribe_tui.db import write_transaction
from tribe_tui.errors import Refused
from tribe_tui.i18n import mail_reason, t
from tribe_tui.models import Employee, Invitation, OutboxMessage, SignInFailure, utcnow
from tribe_tui.service_types import Context
from tribe_tui.services import outbox
from tribe_tui.services._action import organisation_change
from tribe_tui.services._audit import audit
from tribe_tui.services._messages import msg
from tribe_tui.services._person import require_person
from tribe_tui.services._queries import find_employee
from tribe_tui.services.auth import check_password_policy, hash_password, verify_password
from tribe_tui.services.invitations import hash_token, new_token
from tribe_tui.services.lockout import lockout_policy
from tribe_tui.services.signin import _claim_attempt, _failed

if TYPE_CHECKING:
    from tribe_tui.config import Settings

RESET_VALID = timedelta(hours=24)
PURPOSE = "password_reset"


def change_password(
    ctx: Context, old: str, new: str, *, settings: Settings | None = None, now: datetime | None = None
) -> None:
    """The person of `ctx` (a session, or the command line once their password signed them in)
    changes their own password. A wrong old password counts as a failed sign-in (the lockout
    applies: a session left open cannot be used to guess it)."""
    from tribe_tui.schemas import NewPasswordInput, parse

    data = parse(NewPasswordInput, ctx.lang, password=new, old=old)
    if ctx.employee_id is None:
        raise Refused(msg(ctx, "error.password_no_person"))
    with write_transaction():
        require_person(ctx, admin=False)  # also: the row's username is still ctx.actor
        employee = Employee.get_by_id(ctx.employee_id)
    username = ctx.actor
    check_password_policy(data.password, username, ctx.lang)
    now = now or utcnow()
    failures, window = lockout_policy(settings)
    attempt = _claim_attempt(username, now, failures, window)
    if attempt is None:
        raise Refused(msg(ctx, "error.password_old_wrong"))  # locked: not even checked
    if not verify_password(employee.password_hash, data.old or ""):
        _failed(username, employee, "password_change", now, failures, window, ctx.key_fingerprint)
        raise Refused(msg(ctx, "error.password_old_wrong"))
    new_hash = hash_password(data.password)  # slow on purpose: before the write lock
    with write_transaction():
        SignInFailure.delete().where(SignInFailure.id == attempt).execute()
        require_person(ctx, admin=False)
        changed = (
            Employee.update(password_hash=new_hash)
            .where((Employee.id == employee.id) & (Employee.password_hash == employee.password_hash))
            .execute()
        )
        if not changed:  # changed meanwhile (a reset link): the old password asked is no longer it
            raise Refused(msg(ctx, "error.password_old_wrong"))
        # Every open reset link for them stops working: the password is theirs again.
        _revoke_resets(employee.id)
        audit(ctx, "password.changed", after={"username": username})


def _revoke_resets(employee_id: int) -> list[Invitation]:
    open_ones = list(
        Invitation.select().where(
            (Invitation.employee == employee_id)
            & (Invitation.purpose == PURPOSE)
            & Invitation.accepted_at.is_null()
            & Invitation.revoked_at.is_null()
        )
    )
    if open_ones:
        Invitation.update(revoked_at=utcnow()).where(Invitation.id.in_([i.id for i in open_ones])).execute()
        hashes = {i.token_hash for i in open_ones}
        for message in OutboxMessage.select(OutboxMessage.id, OutboxMessage.body).where(
            OutboxMessage.sent_at.is_null()
        ):
            if any(hash_token(token) in hashes for token in outbox.RESET_TOKEN.findall(message.body)):
                OutboxMessage.delete().where(OutboxMessage.id == message.id).execute()
    return open_ones


@dataclass(frozen=True)
class ResetSent:
    email: str
    status: str  # sent | queued
    valid_until: datetime
    reason: str | None = None  # why it is still queued, in the admin's words

    def to_json(self) -> dict[str, Any]:
        return {"email": self.email, "status": self.status, "valid_until": self.valid_until.isoformat()}


def send_reset(ctx: Context, email: str, settings: Settings) -> ResetSent:
    """An admin sends a colleague who has signed up a single-use link to choose a new password
    (valid 24 hours); an earlier link for them stops working. The admin sees neither the token
    nor the password."""
    from tribe_tui.schemas import EmailRef, parse

    address = parse(EmailRef, ctx.lang, email=email).email
    with organisation_change(ctx) as change:
        employee = find_employee(ctx, address)
        if not employee.username or not employee.password_hash:
            raise Refused(msg(ctx, "error.reset_no_account", email=address))
        _revoke_resets(employee.id)
        token = new_token()
        until = utcnow() + RESET_VALID
        Invitation.create(
            organisation=ctx.org_id,
            email=employee.email,
            token_hash=hash_token(token),
            expires_at=until,
            employee=employee.id,
            role=employee.role,
            purpose=PURPOSE,
        )
        org = change.org
        lang = org.language
        body = t(
            "mail.reset_body",
            lang,
            org=org.name,
            link=f"{settings.public_url.rstrip('/')}/reset-password?token={token}",
            command=f"tribe-tui reset-password {token}",
            until=formatting.long_date(until.date(), lang),
        )
        message_id = outbox.enqueue(org.id, employee.email, t("mail.reset_subject", lang, org=org.name), body)
        change.audit("password.reset_sent", None, {"email": employee.email, "valid_until": until})
    flushed = outbox.flush(settings)
    if message_id in flushed.sent_ids:
        return ResetSent(employee.email, "sent", until)
    return ResetSent(employee.email, "queued", until, mail_reason(flushed.kinds.get(message_id, "failed"), ctx.lang))


def reset_password(token: str, new: str, *, today: date, lang: str = "nl") -> str:
    """Use a reset link: the person it was sent to gets the password chosen here; the link is used
    up. Refused (nothing changed) when unknown, used, replaced or expired. Returns the username."""
    from tribe_tui.schemas import InviteToken, NewPasswordInput, parse

    token = parse(InviteToken, lang, token=token).token
    data = parse(NewPasswordInput, lang, password=new)
    found = _reset_invitation(token, lang)
    username = Employee.get_by_id(found.employee_id).username or ""
    check_password_policy(data.password, username, lang)
    new_hash = hash_password(data.password)
    with write_transaction():
        invitation = _reset_invitation(token, lang)  # again, under the lock: used or replaced meanwhile?
        employee = Employee.get_by_id(invitation.employee_id)
        if employee.username != username:
            raise Refused(t("error.reset_used", lang))
        Employee.update(password_hash=new_hash).where(Employee.id == employee.id).execute()
        Invitation.update(accepted_at=utcnow()).where(Invitation.id == invitation.id).execute()
        ctx = Context(employee.organisation_id, username, today, lang, employee_id=employee.id)
        audit(ctx, "password.reset", after={"username": username})
    return username


def _reset_invitation(token: str, lang: str) -> Invitation:
    invitation = Invitation.get_or_none((Invitation.token_hash == hash_token(token)) & (Invitation.purpose == PURPOSE))
    if invitation is None or invitation.employee_id is None:
        raise Refused(t("error.reset_unknown", lang))
    if not Employee.get_by_id(invitation.employee_id).username:
        raise Refused(t("error.reset_unknown", lang))
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise Refused(t("error.reset_used", lang))
    if invitation.expires_at <= utcnow():
        raise Refused(t("error.reset_expired", lang))
    return invitation
