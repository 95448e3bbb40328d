"""Who acts, checked at every act: a session's person is asked again, each time, whether they may.

A TUI session (password or SSH key) carries its person in the context (`ctx.employee_id`). What
they may do is not settled at sign-in: every action (`organisation_change`, services/_action.py)
and every read of account data (the functions marked `@account_read`) first checks, in its own
transaction, that the person

- is still an employee of this organisation (and, over SSH, their key is still stored for them),
- may sign in: a licence, not Voormalig, not locked, the account not ended (R9, by date), and
- holds the role the act needs (the admin role, for everything the console shows or changes).

When they may no longer sign in the act raises SessionEnded (the session ends, with the reason);
when only the role is gone it raises NoRight (the "no right" screen). Contexts without a person
(an operator's command line, `billing run`, the demo's set-up) are not a session and pass.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from peewee import JOIN

from tribe_tui import billing
from tribe_tui.db import current
from tribe_tui.errors import NoRight, SessionEnded
from tribe_tui.i18n import t
from tribe_tui.models import Employee, Licence, Organisation, SshKey, utcnow
from tribe_tui.service_types import Context
from tribe_tui.services.lockout import locked_until, lockout_policy

P = ParamSpec("P")
R = TypeVar("R")

# Why a session ended: the reason recorded in the audit event, and the one line the person reads.
ENDED_MESSAGES: dict[str, Callable[[str], str]] = {
    "gone": lambda lang: t("session.ended.gone", lang),
    "key": lambda lang: t("session.ended.key", lang),
    "former": lambda lang: t("session.ended.former", lang),
    "no_licence": lambda lang: t("session.ended.no_licence", lang),
    "account_ended": lambda lang: t("session.ended.account_ended", lang),
    "locked": lambda lang: t("session.ended.locked", lang),
    "idle": lambda lang: t("session.ended.idle", lang),
}


def ended(ctx: Context, reason: str) -> SessionEnded:
    """The refusal that ends `ctx`'s session for `reason` (a key of ENDED_MESSAGES)."""
    return SessionEnded(ENDED_MESSAGES[reason](ctx.lang), reason)


def _standing(ctx: Context) -> tuple[str | None, str | None]:
    """(why the person of `ctx` may no longer sign in, or None; their role). One query over the
    columns the rule needs (the employee, their organisation, their licence), one for the key,
    one for the lockout: every read runs this, so it stays a few indexed lookups."""
    found = (
        Employee.select(
            Employee.organisation,
            Employee.username,
            Employee.former,
            Employee.role,
            Organisation.status,
            Organisation.paid_until,
            Licence.id,
            Licence.auto_renew,
        )
        .join(Organisation, on=(Organisation.id == Employee.organisation))
        .switch(Employee)
        .join(Licence, JOIN.LEFT_OUTER, on=(Licence.holder == Employee.id))
        .where(Employee.id == ctx.employee_id)
        .tuples()
        .first()
    )
    if found is None:
        return "gone", None
    org_id, username, former, role, status, paid_until, licence_id, auto_renew = found
    if org_id != ctx.org_id or username != ctx.actor:
        return "gone", role
    if ctx.ssh_key_id is not None:
        key = SshKey.select(SshKey.employee, SshKey.fingerprint).where(SshKey.id == ctx.ssh_key_id).tuples().first()
        if key is None or key != (ctx.employee_id, ctx.key_fingerprint):
            return "key", role
    if former:
        return "former", role
    # R9 by date, as signin.may_use decides it.
    past_paid_until = billing.renewal_pending(paid_until, ctx.today)
    if status == "ended" or status == "cancelled" and past_paid_until:
        return "account_ended", role
    if licence_id is None or past_paid_until and not auto_renew:
        return "no_licence", role  # unlinked, or a licence that lapsed at paid-until
    failures, window = lockout_policy(None)
    if locked_until(username, utcnow(), failures, window) is not None:
        return "locked", role
    return None, role


def why_not(ctx: Context) -> str | None:
    """Why the person of `ctx` may no longer sign in (a reason of ENDED_MESSAGES), or None."""
    return _standing(ctx)[0]


def require_person(ctx: Context, org: Organisation | None = None, *, admin: bool = True) -> None:
    """Inside the act's transaction: the session's person may still sign in and (with `admin`)
    still holds the admin role; SessionEnded or NoRight otherwise. No person, no check. (`org`:
    the organisation the act locked; the check reads the columns it needs itself.)"""
    if ctx.employee_id is None:
        return
    reason, role = _standing(ctx)
    if reason is not None:
        raise ended(ctx, reason)
    if admin and role != "admin":
        raise NoRight(t("error.no_access", ctx.lang))


_checked: ContextVar[bool] = ContextVar("tribe_person_checked", default=False)


def account_read(fn: Callable[P, R]) -> Callable[P, R]:
    """Marks a read of account data (its first argument the context): in a session it runs in one
    transaction with the check of its person (require_person) first. A read made by another read
    is checked once, by the outer one."""

    @functools.wraps(fn)
    def read(*args: P.args, **kwargs: P.kwargs) -> R:
        ctx = args[0]
        if not isinstance(ctx, Context) or ctx.employee_id is None or _checked.get():
            return fn(*args, **kwargs)
        db = current()
        if db is None:
            raise RuntimeError("no database is open (db.open_database)")
        token = _checked.set(True)
        try:
            with db.atomic():
                require_person(ctx)
                return fn(*args, **kwargs)
        finally:
            _checked.reset(token)

    read.reads_account = True  # type: ignore[attr-defined]
    return read
