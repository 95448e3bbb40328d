"""Signing in: username + password, access decided by date (R9), lockout kept in the database.

Every refusal carries the same message, so the answer tells nobody whether a username exists,
whether the password was right, or why the person may not come in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tribe_tui import billing
from tribe_tui.config import Settings
from tribe_tui.db import lock_name, write_transaction
from tribe_tui.errors import Refused
from tribe_tui.i18n import t
from tribe_tui.models import Employee, Licence, Organisation, SignInFailure, utcnow
from tribe_tui.services._audit import record_event
from tribe_tui.services.auth import hash_password, needs_rehash, verify_password
from tribe_tui.services.lockout import locked_until, lockout_policy

MAX_USERNAME = 64
MAX_PASSWORD = 1024


@dataclass(frozen=True)
class SignedIn:
    employee_id: int
    org_id: int
    username: str
    name: str
    role: str  # admin | user

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def can_manage(signed_in: SignedIn) -> bool:
    """Only admins see and change the account settings."""
    return signed_in.is_admin


# Verified against for unknown usernames, so they cost one argon2 run like a wrong password does.
# A constant, not made on first use: every SSH login is a new process, where hashing it first
# would make an unknown name cost two runs. Same parameters as real hashes (a test holds that).
DECOY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$hkqLCQDOcsWfAjXhcM0HqA$RCZ9JkQOEOKgaXx4UhwyYkeBbF553ruDa2jXnvqbaMA"


def _claim_attempt(username: str, now: datetime, failures: int, window: timedelta) -> int | None:
    """Record this attempt as a failure before its password is checked, unless the name is locked
    (None). Check and record hold the name's lock together: parallel guesses (each SSH connection
    is its own process) queue here, and at most `failures` passwords are checked per window."""
    with write_transaction():
        lock_name(f"tribe-sign-in:{username}")
        if locked_until(username, now, failures, window) is not None:
            return None
        return SignInFailure.create(username=username, at=now).id


def sign_in_event(
    action: str, username: str, employee: Employee | None, key_fingerprint: str | None, **details: object
) -> None:
    """An audit event of signing in (inside the caller's transaction): by the person, when the name
    is theirs, in their organisation, and with the SSH key the connection came in with."""
    record_event(
        employee.organisation_id if employee is not None else None,
        username,
        action,
        after={"username": username, **details},
        employee_id=employee.id if employee is not None else None,
        key_fingerprint=key_fingerprint,
    )


def _failed(
    username: str,
    employee: Employee | None,
    reason: str,
    now: datetime,
    failures: int,
    window: timedelta,
    key_fingerprint: str | None,
) -> None:
    """A failed sign-in, and the lockout when this failure starts one. Attempts on a locked name are
    never checked, so they write nothing: hammering cannot flood the log (at most `failures` + 1
    events per name and window)."""
    with write_transaction():
        sign_in_event("sign_in.failed", username, employee, key_fingerprint, reason=reason)
        until = locked_until(username, now, failures, window)
        if until is not None:
            sign_in_event("sign_in.locked", username, employee, key_fingerprint, until=until.isoformat())


def _signed_in(
    employee: Employee, username: str, password: str, today: date, method: str, key_fingerprint: str | None
) -> None:
    """Clear the name's failures, record the day (the rules' date: idle licences are a billing
    matter) and the sign-in event; upgrade a hash made with weaker parameters than today's, now
    that the password is at hand (the only moment it is)."""
    new_hash = hash_password(password) if needs_rehash(employee.password_hash) else None
    with write_transaction():
        sign_in_event("sign_in", username, employee, key_fingerprint, method=method)
        SignInFailure.delete().where(SignInFailure.username == username).execute()
        Employee.update(last_sign_in_on=today).where(Employee.id == employee.id).execute()
        if new_hash is not None:
            Employee.update(password_hash=new_hash).where(
                (Employee.id == employee.id) & (Employee.password_hash == employee.password_hash)
            ).execute()


def may_use(employee: Employee, org: Organisation, licence: Licence | None, today: date) -> bool:
    """R9, by date: a licence, not Voormalig, an account that has not ended, a licence that has not lapsed."""
    if licence is None or employee.former:
        return False
    if org.status == "ended":
        return False
    past_paid_until = billing.renewal_pending(org.paid_until, today)
    if past_paid_until and org.status == "cancelled":
        return False  # ended the day after paid-until, whether `billing run` ran or not
    if past_paid_until and not licence.auto_renew:
        return False  # lapsed at paid-until + 1, whether `billing run` removed it yet or not
    return True


def sign_in(
    username: str,
    password: str,
    *,
    today: date,
    lang: str = "nl",
    settings: Settings | None = None,
    now: datetime | None = None,
    method: str = "password",
    key_fingerprint: str | None = None,
) -> SignedIn:
    """Who is signing in, or Refused with one generic message. Success and failure are audit
    events (`method`: how, e.g. "key+password"; `key_fingerprint`: over SSH, the key).

    The lockout runs on the wall clock (`now`, default the real time), not on `today`.
    """
    refused = Refused(t("error.sign_in_refused", lang))
    name = (username or "").strip().lower()
    if not name or len(name) > MAX_USERNAME or not password or len(password) > MAX_PASSWORD:
        raise refused
    now = now or utcnow()
    failures, window = lockout_policy(settings)
    attempt = _claim_attempt(name, now, failures, window)
    if attempt is None:
        raise refused  # locked: the password is not even checked
    employee = Employee.get_or_none(Employee.username == name)
    if employee is None:
        verify_password(DECOY_HASH, password)
        # The attempt stays recorded as a failure; its event too, outside any organisation (the
        # same writes as for a known name: the time taken tells nobody whether the name exists).
        _failed(name, None, "password", now, failures, window, key_fingerprint)
        raise refused
    if not verify_password(employee.password_hash, password):
        _failed(name, employee, "password", now, failures, window, key_fingerprint)
        raise refused
    org = Organisation.get_by_id(employee.organisation_id)
    licence = Licence.get_or_none(Licence.holder == employee.id)
    if not may_use(employee, org, licence, today):
        # The right password: not a guessing attempt, so not counted; refused all the same.
        with write_transaction():
            SignInFailure.delete().where(SignInFailure.id == attempt).execute()
            sign_in_event("sign_in.failed", name, employee, key_fingerprint, reason="no_access")
        raise refused
    _signed_in(employee, name, password, today, method, key_fingerprint)
    return SignedIn(employee.id, org.id, name, employee.name, employee.role)  # name: what found the row
