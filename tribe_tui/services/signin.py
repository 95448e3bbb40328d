"""Signing in: username + password, access decided by date (R9), lockout kept in the database.

Every refusal carries the same message, so the answer tells nobody whether a username exists,
whether the password was right, or why the person may not come in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from tribe_tui import billing
from tribe_tui.config import Settings
from tribe_tui.db import write_transaction
from tribe_tui.errors import Refused
from tribe_tui.i18n import t
from tribe_tui.models import Employee, Licence, Organisation, SignInFailure, utcnow
from tribe_tui.services._base import rows
from tribe_tui.services.auth import hash_password, verify_password

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


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    # Verifying against this for unknown users makes them cost as much time as known ones.
    return hash_password("decoy password that nobody has")


def _lockout(settings: Settings | None) -> tuple[int, timedelta]:
    if settings is None:
        settings = Settings()
    return settings.lockout_failures, timedelta(minutes=settings.lockout_minutes)


def locked_until(username: str, now: datetime, failures: int, window: timedelta) -> datetime | None:
    """When `failures` failures fell within `window`, the name is locked for `window` after the last
    of them. Failures are not recorded while locked, so hammering cannot stretch the lock."""
    recent: list[datetime] = [at for (at,) in rows(
        SignInFailure.select(SignInFailure.at)
        .where((SignInFailure.username == username) & (SignInFailure.at > now - 2 * window))
        .order_by(SignInFailure.at))]
    until: datetime | None = None
    for first, last in zip(recent, recent[failures - 1:], strict=False):
        if last - first <= window and last + window > now:
            until = last + window if until is None else max(until, last + window)
    return until


def _record_failure(username: str, now: datetime) -> None:
    with write_transaction():
        SignInFailure.create(username=username, at=now)


def _clear_failures(username: str) -> None:
    if not SignInFailure.select().where(SignInFailure.username == username).exists():
        return  # the usual case: no write lock taken for a clean sign-in
    with write_transaction():
        SignInFailure.delete().where(SignInFailure.username == username).execute()


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


def sign_in(username: str, password: str, *, today: date, lang: str = "nl", settings: Settings | None = None,
            now: datetime | None = None) -> SignedIn:
    """Who is signing in, or Refused with one generic message.

    The lockout runs on the wall clock (`now`, default the real time), not on `today`.
    """
    refused = Refused(t("err.sign_in_refused", lang))
    name = (username or "").strip().lower()
    if not name or len(name) > MAX_USERNAME or not password or len(password) > MAX_PASSWORD:
        raise refused
    now = now or utcnow()
    failures, window = _lockout(settings)
    if locked_until(name, now, failures, window) is not None:
        raise refused
    employee = Employee.get_or_none(Employee.username == name)
    if employee is None:
        verify_password(_decoy_hash(), password)
        _record_failure(name, now)
        raise refused
    if not verify_password(employee.password_hash, password):
        _record_failure(name, now)
        raise refused
    org = Organisation.get_by_id(employee.organisation_id)
    licence = Licence.get_or_none(Licence.holder == employee.id)
    if not may_use(employee, org, licence, today):
        raise refused  # the right password: not a guessing attempt, so not counted towards the lockout
    _clear_failures(name)
    return SignedIn(employee.id, org.id, name, employee.name, employee.role)  # name: what found the row
