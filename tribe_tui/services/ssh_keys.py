"""SSH keys as identity: employees' public keys, the organisation's SSH policy, the session a
key opens, and the audit list that says who did what from which key.

sshd asks `tribe-tui ssh authorized-keys` (tribe_tui.authorized_keys) for a key and runs the
`ssh session KEY_UID FINGERPRINT` it names; `open_key_session` is where that session starts.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from peewee import ModelSelect, fn

from tribe_tui import sshsig
from tribe_tui.authorized_keys import fingerprint, is_key_uid
from tribe_tui.db import write_transaction
from tribe_tui.errors import BadInput, Refused
from tribe_tui.i18n import t
from tribe_tui.models import AuditEvent, Employee, Licence, Organisation, SshKey, utcnow
from tribe_tui.service_types import Context, Session
from tribe_tui.services._action import organisation_change
from tribe_tui.services._messages import msg
from tribe_tui.services._person import account_read
from tribe_tui.services._queries import find_employee, rows
from tribe_tui.services.audit_log import events_query
from tribe_tui.services.lockout import locked_until, lockout_policy
from tribe_tui.services.signin import may_use, sign_in_event

POLICIES = ("key", "key+password")


@dataclass(frozen=True)
class KeyRow:
    id: int
    name: str
    key_type: str
    fingerprint: str
    added_at: datetime
    last_used_at: datetime | None
    owner_name: str
    owner_email: str
    uid: str = ""  # the identity the key line's forced command names (not shown: sshd's business)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.key_type,
            "fingerprint": self.fingerprint,
            "added_at": self.added_at.isoformat(timespec="seconds"),
            "last_used_at": self.last_used_at.isoformat(timespec="seconds") if self.last_used_at else None,
            "owner": self.owner_name,
            "email": self.owner_email,
        }

    def audit_json(self) -> dict[str, Any]:
        return {"email": self.owner_email, "name": self.name, "fingerprint": self.fingerprint}


def _key_query(ctx: Context) -> ModelSelect[Any]:
    return (
        SshKey.select(
            SshKey.id,
            SshKey.name,
            SshKey.key_type,
            SshKey.fingerprint,
            SshKey.added_at,
            SshKey.last_used_at,
            Employee.name,
            Employee.email,
            SshKey.uid,
        )
        .join(Employee)
        .where(Employee.organisation == ctx.org_id)
        .order_by(fn.LOWER(Employee.name), SshKey.added_at, SshKey.id)
    )


def _key_rows(query: ModelSelect[Any]) -> list[KeyRow]:
    return [KeyRow(*row) for row in rows(query)]


@account_read
def list_keys(ctx: Context, email: str | None = None) -> list[KeyRow]:
    """Every key of the organisation, or one person's."""
    query = _key_query(ctx)
    if email is not None:
        from tribe_tui.schemas import EmailRef, parse

        query = query.where(Employee.id == find_employee(ctx, parse(EmailRef, ctx.lang, email=email).email).id)
    return _key_rows(query)


@account_read
def my_keys(ctx: Context) -> list[KeyRow]:
    """The signed-in person's own keys ("Mijn SSH-sleutels")."""
    return _key_rows(_key_query(ctx).where(Employee.id == _me(ctx)))


def _me(ctx: Context) -> int:
    if ctx.employee_id is None:
        raise Refused(msg(ctx, "error.ssh_no_person"))
    return ctx.employee_id


def _not_ended(ctx: Context, org: Organisation) -> None:
    """Keys can be managed while the account can be used (a pending renewal included)."""
    if org.status == "ended":
        raise Refused(msg(ctx, "error.ended"))


@dataclass(frozen=True)
class KeyChallenge:
    """What the person a key is for signs with its private half before the key is stored: the text,
    the `ssh-keygen -Y sign` command that signs it, and the key it is for."""

    text: str
    command: str
    fingerprint: str
    email: str
    key_type: str = "ssh-ed25519"

    def command_lines(self) -> str:
        """The command in lines shorter than 80 columns (for a terminal to copy from)."""
        return sshsig.sign_command(self.text, self.key_type, lines=True)

    def to_json(self) -> dict[str, Any]:
        return {
            "challenge": self.text,
            "namespace": sshsig.NAMESPACE,
            "command": self.command,
            "fingerprint": self.fingerprint,
            "email": self.email,
        }


def _parsed_key(ctx: Context, public_key: str) -> tuple[str, str, str]:
    """(type, base64 blob, fingerprint) of a public key line, or BadInput."""
    from tribe_tui.schemas import SshPublicKeyInput, parse

    key_type, blob = parse(SshPublicKeyInput, ctx.lang, public_key=public_key).public_key.split()
    return key_type, blob, fingerprint(base64.b64decode(blob))


def _owner(ctx: Context, email: str | None) -> Employee:
    """`email`'s employee (the CLI), or the signed-in person (the TUI: only their own keys)."""
    from tribe_tui.schemas import EmailRef, parse

    if email is None:
        return Employee.get_by_id(_me(ctx))
    return find_employee(ctx, parse(EmailRef, ctx.lang, email=email).email)


def _challenge_text(ctx: Context, owner: Employee, day: date) -> str:
    return sshsig.challenge(ctx.org_id, owner.id, day)


def _utc_today() -> date:
    return datetime.now(UTC).date()  # the wall clock, not --today: a signature ages in real time


@account_read
def key_challenge(ctx: Context, public_key: str, *, email: str | None = None) -> KeyChallenge:
    """The text `public_key`'s holder signs to show the key is theirs (tribe_tui.sshsig): for
    `email`'s owner (the CLI) or the signed-in person (the TUI). Valid today and tomorrow (UTC)."""
    key_type, _blob, digest = _parsed_key(ctx, public_key)
    owner = _owner(ctx, email)
    text = _challenge_text(ctx, owner, _utc_today())
    return KeyChallenge(text, sshsig.sign_command(text, key_type), digest, owner.email, key_type)


def add_key(
    ctx: Context,
    name: str,
    public_key: str,
    signature: str,
    *,
    email: str | None = None,
    expected_version: int | None = None,
) -> KeyRow:
    """Add a public key for `email`'s owner (the CLI), or for the signed-in person (the TUI: an
    admin adds only their own keys). `signature`: the key's signature over key_challenge's text
    (`ssh-keygen -Y sign`), so that nobody without the private half can store a key for anyone;
    one made yesterday (UTC) still counts."""
    from tribe_tui.schemas import SshKeyInput, parse

    data = parse(SshKeyInput, ctx.lang, name=name, public_key=public_key)
    key_type, blob = data.public_key.split()
    digest = fingerprint(base64.b64decode(blob))
    if email is not None:
        _owner(ctx, email)  # a bad or unknown address is said before the signature
    with organisation_change(ctx, expected_version, guard=_not_ended) as change:
        owner = _owner(ctx, email)
        today = _utc_today()
        for day in (today, today - timedelta(days=1)):
            try:
                signer = sshsig.signing_key(signature, _challenge_text(ctx, owner, day))
            except sshsig.BadSignature:
                continue
            if signer == base64.b64decode(blob):
                break
        else:
            raise BadInput(msg(ctx, "error.ssh_key_proof", fingerprint=digest))
        if SshKey.get_or_none(SshKey.fingerprint == digest) is not None:
            # Whose it is stays unsaid: the key may be a colleague's, or another organisation's.
            raise BadInput(msg(ctx, "error.ssh_key_taken"))
        key = SshKey.create(
            employee=owner.id, name=data.name, key_type=key_type, key_blob=blob, fingerprint=digest, added_at=utcnow()
        )
        row = KeyRow(key.id, key.name, key_type, digest, key.added_at, None, owner.name, owner.email, key.uid)
        change.audit("ssh_key.added", None, row.audit_json())
    return row


def remove_key(ctx: Context, ref: str, *, own_only: bool = False, expected_version: int | None = None) -> KeyRow:
    """Remove a key by fingerprint or id: the next connection with it is refused, and a session
    that came in with it ends at its next action. `own_only`: only the signed-in person's keys."""
    ref = (ref or "").strip()
    if not ref or len(ref) > 64:
        raise BadInput(msg(ctx, "error.ssh_key_unknown", ref=ref[:64]))
    with organisation_change(ctx, expected_version, guard=_not_ended) as change:
        wanted = SshKey.fingerprint == ref
        if ref.isascii() and ref.isdigit():  # not "１２": ids are ASCII digits (R11)
            wanted = wanted | (SshKey.id == int(ref))
        query = _key_query(ctx).where(wanted)
        if own_only:
            query = query.where(Employee.id == _me(ctx))
        found = _key_rows(query)
        if not found:
            raise BadInput(msg(ctx, "error.ssh_key_unknown", ref=ref))
        row = found[0]
        SshKey.delete().where(SshKey.id == row.id).execute()
        change.audit("ssh_key.removed", row.audit_json(), None)
    return row


@account_read
def get_policy(ctx: Context) -> str:
    return str(Organisation.get_by_id(ctx.org_id).ssh_policy)


def set_policy(ctx: Context, policy: str, *, expected_version: int | None = None) -> str:
    """`key`: the key alone signs in; `key+password` (the default): the key, then the password."""
    from tribe_tui.schemas import SshPolicyInput, parse

    wanted = parse(SshPolicyInput, ctx.lang, policy=policy).policy
    with organisation_change(ctx, expected_version, guard=_not_ended) as change:
        if change.org.ssh_policy == wanted:
            change.unchanged()
            return wanted
        Organisation.update(ssh_policy=wanted).where(Organisation.id == ctx.org_id).execute()
        change.audit("ssh.policy", {"policy": change.org.ssh_policy}, {"policy": wanted})
    return wanted


# --- the session a key opens -------------------------------------------------------------------


@dataclass(frozen=True)
class KeySession:
    """Who connected with which key, and how they sign in (the organisation's policy)."""

    key_id: int
    fingerprint: str
    employee_id: int
    username: str
    policy: str

    @property
    def needs_password(self) -> bool:
        return self.policy != "key"


def open_key_session(uid: str, digest: str | None, today: date, lang: str) -> KeySession:
    """The forced command's start: the key named by its identity (never reused) must still be
    stored, be the key the line was made for (its fingerprint, also recomputed from the stored key)
    and its owner be allowed in now (the same rule as sign-in, the lockout included). One generic refusal for every
    reason, as at sign-in; a line of an older form (a bare row id) is refused too."""
    refused = Refused(t("error.sign_in_refused", lang))
    if not (is_key_uid(uid) and digest and digest.startswith("SHA256:") and len(digest) <= 64):
        raise refused
    key = SshKey.get_or_none(SshKey.uid == uid)
    if key is None or key.fingerprint != digest or fingerprint(base64.b64decode(key.key_blob)) != digest:
        raise refused
    employee = Employee.get_by_id(key.employee_id)
    org = Organisation.get_by_id(employee.organisation_id)
    if not employee.username or not may_use(employee, org, Licence.get_or_none(Licence.holder == employee.id), today):
        raise refused
    if locked_until(employee.username, utcnow(), *lockout_policy(None)) is not None:
        raise refused  # locked means locked, whatever the policy (`employees unlock` lifts it)
    session = KeySession(key.id, key.fingerprint, employee.id, employee.username, org.ssh_policy)
    with write_transaction():
        SshKey.update(last_used_at=utcnow()).where(SshKey.id == key.id).execute()
        if not session.needs_password:
            # Policy key: the key alone signs in, now. With key+password the sign-in screen records
            # the sign-in (or its failure); a connection that never signs in writes no event, so
            # no one can fill the log by connecting.
            sign_in_event("sign_in", employee.username, employee, key.fingerprint, method="key")
    return session


def with_key(session: Session, key: KeySession) -> Session:
    """The session of someone who came in with `key`: every audit event names the key."""

    return session._replace(
        ctx=session.ctx._replace(employee_id=key.employee_id, ssh_key_id=key.key_id, key_fingerprint=key.fingerprint),
    )


# --- the audit list -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    actor: str
    who_name: str | None
    who_email: str | None
    key_fingerprint: str | None
    action: str
    before: Any
    after: Any

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(timespec="seconds"),
            "actor": self.actor,
            "name": self.who_name,
            "email": self.who_email,
            "key_fingerprint": self.key_fingerprint,
            "action": self.action,
            "before": self.before,
            "after": self.after,
        }


AUDIT_LIMIT = 1000


@account_read
def list_audit(ctx: Context, since: object = None, who: object = None, limit: int = AUDIT_LIMIT) -> list[AuditRow]:
    """The organisation's audit events, newest first: who (the person and key when a person acted
    in the TUI), what, when, before -> after. `since` a date (UTC), `who` an employee's e-mail."""
    from tribe_tui.schemas import AuditFilter, parse

    wanted = parse(AuditFilter, ctx.lang, since=since or None, who=who or None)
    query = events_query(ctx.org_id, limit)
    if wanted.since is not None:
        query = query.where(AuditEvent.at >= datetime.combine(wanted.since, time.min))
    if wanted.who is not None:
        query = query.where(AuditEvent.employee == find_employee(ctx, wanted.who).id)
    return [
        AuditRow(at, actor, name, email, key, action, _json(before), _json(after))
        for at, actor, name, email, key, action, before, after in rows(query)
    ]


def _json(text: str | None) -> Any:
    return None if text is None else json.loads(text)
