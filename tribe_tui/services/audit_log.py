"""The Logboek as people read it: every audit event as one sentence in the admin's language
("Sanne heeft 1 licentie toegevoegd (factuur 2026-0010)"), newest first, filtered by person, kind
and date. The TUI's Logboek and `tribe-tui audit list` both take their words from here.

KINDS names every action an audit event is written with (services/_audit.py) and the group the
filter offers it under; SENTENCES holds one sentence per action. A test reads the services' source
for every action they write and checks that each has its sentence in both languages.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from peewee import JOIN, ModelSelect

from tribe_tui.formatting import long_date, moment, money, rules_zone, wall_clock
from tribe_tui.i18n import field_label, role, t, tn
from tribe_tui.models import AuditEvent, Edition, Employee, Module
from tribe_tui.service_types import Context
from tribe_tui.services._person import account_read
from tribe_tui.services._queries import rows
from tribe_tui.services.catalogue import shown_name

# The filter's groups of KINDS, in the order the filter lists them.
GROUPS = ("sign_in", "people", "licences", "subscription", "invoices", "ssh", "account")


def group_label(group: str, lang: str) -> str:
    return {
        "sign_in": t("audit.group.sign_in", lang),
        "people": t("audit.group.people", lang),
        "licences": t("audit.group.licences", lang),
        "subscription": t("audit.group.subscription", lang),
        "invoices": t("audit.group.invoices", lang),
        "ssh": t("audit.group.ssh", lang),
        "account": t("audit.group.account", lang),
    }.get(group, group)


# Every action an audit event is written with, and its group.
KINDS: dict[str, str] = {
    "sign_in": "sign_in",
    "sign_in.failed": "sign_in",
    "sign_in.locked": "sign_in",
    "sign_out": "sign_in",
    "session.ended": "sign_in",
    "password.changed": "sign_in",
    "password.reset_sent": "sign_in",
    "password.reset": "sign_in",
    "employee.former": "people",
    "employee.role": "people",
    "employee.unlock": "people",
    "employee.offboard": "people",
    "invitation.create": "people",
    "invitation.resend": "people",
    "invitation.revoke": "people",
    "invitation.accept": "people",
    "licences.add": "licences",
    "licence.unlink": "licences",
    "licence.link": "licences",
    "licence.auto_renew": "licences",
    "licences.unlink": "licences",
    "licences.auto_renew": "licences",
    "employees.former": "people",
    "edition.upgrade": "subscription",
    "edition.downgrade_scheduled": "subscription",
    "edition.downgrade_withdrawn": "subscription",
    "module.added": "subscription",
    "module.removal_undone": "subscription",
    "module.removal_scheduled": "subscription",
    "billing.renewal": "subscription",
    "account.cancel": "account",
    "account.cancel_withdrawn": "account",
    "account.ended": "account",
    "organisation.create": "account",
    "organisation.create_demo": "account",
    "billing_details.update": "account",
    "invoice.sent": "invoices",
    "invoice.credited": "invoices",
    "invoice.reminder": "invoices",
    "mandate.signed": "invoices",
    "mandate.withdrawn": "invoices",
    "payments.collected": "invoices",
    "payments.imported": "invoices",
    "payments.statement": "invoices",
    "ssh_key.added": "ssh",
    "ssh_key.removed": "ssh",
    "ssh.policy": "ssh",
}


def events_query(org_id: int, limit: int) -> ModelSelect[AuditEvent]:
    """Organisation `org_id`'s newest `limit` events with the person who acted (if any): at, actor, name,
    e-mail, key fingerprint, action, before, after. The Logboek and `tribe-tui audit list` narrow it."""
    return (
        AuditEvent.select(
            AuditEvent.at,
            AuditEvent.actor,
            Employee.name,
            Employee.email,
            AuditEvent.key_fingerprint,
            AuditEvent.action,
            AuditEvent.before,
            AuditEvent.after,
        )
        .join(Employee, JOIN.LEFT_OUTER, on=(AuditEvent.employee == Employee.id))
        .where(AuditEvent.organisation == org_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )


SHOWN = 200  # the newest events that match; `tribe-tui audit list` has them all


@dataclass(frozen=True)
class Event:
    """What a sentence is made from: who acted (their name, else the actor as recorded), and the
    event's before and after as stored."""

    who: str
    before: dict[str, Any]
    after: dict[str, Any]
    names: Callable[[str], str]  # an edition or module code -> its name in the admin's language
    lang: str
    rows: tuple[dict[str, Any], ...] = ()  # a bulk action's rows as they were before (services/bulk.py)

    def get(self, key: str) -> Any:
        value = self.after.get(key)
        return self.before.get(key) if value is None else value


def _date(value: Any, lang: str) -> str:
    """A stored date ('2027-05-31', or a moment '2027-05-31 00:00:00') as every other date is shown."""
    if not value:
        return "—"
    return long_date(date.fromisoformat(str(value)[:10]), lang)


def _amount(value: Any, lang: str) -> str:
    return money(Decimal(str(value)), lang) if value not in (None, "") else "—"


def _numbers(items: Any) -> str:
    return ", ".join(str(i.get("number")) for i in items or [] if isinstance(i, dict))


def _method(value: Any, lang: str) -> str:
    return {
        "password": t("audit.method.password", lang),
        "key": t("audit.method.key", lang),
        "key+password": t("audit.method.key_password", lang),
        "invitation": t("audit.method.invitation", lang),
    }.get(str(value), str(value))


def _failure(value: Any, lang: str) -> str:
    return {
        "password": t("audit.failure.password", lang),
        "no_access": t("audit.failure.no_access", lang),
    }.get(str(value), str(value))


def _session_end(value: Any, lang: str) -> str:
    return {
        "gone": t("audit.ended.gone", lang),
        "key": t("audit.ended.key", lang),
        "former": t("audit.ended.former", lang),
        "no_licence": t("audit.ended.no_licence", lang),
        "account_ended": t("audit.ended.account_ended", lang),
        "locked": t("audit.ended.locked", lang),
        "idle": t("audit.ended.idle", lang),
    }.get(str(value), str(value))


def _policy(value: Any, lang: str) -> str:
    return {
        "key": t("audit.policy.key", lang),
        "key+password": t("audit.policy.key_password", lang),
    }.get(str(value), str(value))


def _until(value: Any, lang: str) -> str:
    """A stored moment (ISO, UTC) on Amsterdam's clock."""
    return moment(datetime.fromisoformat(str(value)), lang) if value else "—"


def _count(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _licences_added(e: Event) -> str:
    added = _count(e.after.get("licences")) - _count(e.before.get("licences"))
    return tn("audit.licences.add", added, e.lang, who=e.who)


def _former(e: Event) -> str:
    if e.after.get("former"):
        return t("audit.employee.former", e.lang, who=e.who, email=e.get("email"))
    return t("audit.employee.former_undone", e.lang, who=e.who, email=e.get("email"))


def _auto_renew(e: Event) -> str:
    if e.after.get("auto_renew"):
        return t("audit.licence.auto_renew_on", e.lang, who=e.who, licence=e.get("licence"))
    return t("audit.licence.auto_renew_off", e.lang, who=e.who, licence=e.get("licence"))


def _rows(e: Event, field: str) -> str:
    """A bulk action's rows (services/bulk.py), each by the field that names it."""
    return ", ".join(str(row.get(field)) for row in e.rows)


def _details(e: Event) -> str:
    fields = ", ".join(field_label(name, e.lang) for name in sorted(e.after))
    return t("audit.billing_details.update", e.lang, who=e.who, fields=fields)


SENTENCES: dict[str, Callable[[Event], str]] = {
    "sign_in": lambda e: t("audit.sign_in", e.lang, who=e.who, method=_method(e.after.get("method"), e.lang)),
    "sign_in.failed": lambda e: t(
        "audit.sign_in.failed", e.lang, username=e.get("username"), reason=_failure(e.after.get("reason"), e.lang)
    ),
    "sign_in.locked": lambda e: t(
        "audit.sign_in.locked", e.lang, username=e.get("username"), time=_until(e.after.get("until"), e.lang)
    ),
    "sign_out": lambda e: t("audit.sign_out", e.lang, who=e.who),
    "session.ended": lambda e: t(
        "audit.session.ended", e.lang, who=e.who, reason=_session_end(e.after.get("reason"), e.lang)
    ),
    "password.changed": lambda e: t("audit.password.changed", e.lang, who=e.who),
    "password.reset_sent": lambda e: t(
        "audit.password.reset_sent",
        e.lang,
        who=e.who,
        email=e.get("email"),
        date=_date(e.after.get("valid_until"), e.lang),
    ),
    "password.reset": lambda e: t("audit.password.reset", e.lang, username=e.get("username")),
    "employee.former": _former,
    "employee.role": lambda e: t(
        "audit.employee.role", e.lang, who=e.who, email=e.get("email"), role=role(str(e.after.get("role")), e.lang)
    ),
    "employee.unlock": lambda e: t("audit.employee.unlock", e.lang, who=e.who, email=e.get("email")),
    "employee.offboard": lambda e: t("audit.employee.offboard", e.lang, who=e.who, email=e.before.get("holder")),
    "invitation.create": lambda e: t(
        "audit.invitation.create",
        e.lang,
        who=e.who,
        emails=", ".join(e.after.get("emails") or []),
        date=_date(e.after.get("valid_until"), e.lang),
    ),
    "invitation.resend": lambda e: t(
        "audit.invitation.resend", e.lang, who=e.who, emails=", ".join(e.after.get("emails") or [])
    ),
    "invitation.revoke": lambda e: t("audit.invitation.revoke", e.lang, who=e.who, email=e.get("email")),
    "invitation.accept": lambda e: t(
        "audit.invitation.accept", e.lang, username=e.after.get("username"), email=e.get("email")
    ),
    "licences.add": _licences_added,
    "licence.unlink": lambda e: t(
        "audit.licence.unlink", e.lang, who=e.who, licence=e.get("licence"), email=e.before.get("holder")
    ),
    "licence.link": lambda e: t(
        "audit.licence.link", e.lang, who=e.who, licence=e.get("licence"), email=e.after.get("holder")
    ),
    "licence.auto_renew": _auto_renew,
    "licences.unlink": lambda e: tn("audit.licences.unlink", len(e.rows), e.lang, who=e.who, rows=_rows(e, "holder")),
    "licences.auto_renew": lambda e: tn(
        "audit.licences.auto_renew_off", len(e.rows), e.lang, who=e.who, rows=_rows(e, "licence")
    ),
    "employees.former": lambda e: tn("audit.employees.former", len(e.rows), e.lang, who=e.who, rows=_rows(e, "email")),
    "edition.upgrade": lambda e: t(
        "audit.edition.upgrade", e.lang, who=e.who, edition=e.names(str(e.after.get("edition")))
    ),
    "edition.downgrade_scheduled": lambda e: t(
        "audit.edition.downgrade_scheduled", e.lang, who=e.who, edition=e.names(str(e.after.get("scheduled_edition")))
    ),
    "edition.downgrade_withdrawn": lambda e: t("audit.edition.downgrade_withdrawn", e.lang, who=e.who),
    "module.added": lambda e: t("audit.module.added", e.lang, who=e.who, module=e.names(str(e.get("module")))),
    "module.removal_undone": lambda e: t(
        "audit.module.removal_undone", e.lang, who=e.who, module=e.names(str(e.get("module")))
    ),
    "module.removal_scheduled": lambda e: t(
        "audit.module.removal_scheduled",
        e.lang,
        who=e.who,
        module=e.names(str(e.get("module"))),
        date=_date(e.after.get("ends_on"), e.lang),
    ),
    "billing.renewal": lambda e: tn(
        "audit.billing.renewal",
        _count(e.after.get("licences")),
        e.lang,
        date=_date(e.after.get("paid_until"), e.lang),
        amount=_amount(e.after.get("total"), e.lang),
    ),
    "account.cancel": lambda e: t(
        "audit.account.cancel", e.lang, who=e.who, date=_date(e.after.get("access_until"), e.lang)
    ),
    "account.cancel_withdrawn": lambda e: t("audit.account.cancel_withdrawn", e.lang, who=e.who),
    "account.ended": lambda e: t("audit.account.ended", e.lang, date=_date(e.after.get("ended_on"), e.lang)),
    "organisation.create": lambda e: tn(
        "audit.organisation.create", _count(e.after.get("licences")), e.lang, who=e.who, name=e.after.get("name")
    ),
    "organisation.create_demo": lambda e: tn(
        "audit.organisation.create_demo", _count(e.after.get("licences")), e.lang, name=e.after.get("name")
    ),
    "billing_details.update": _details,
    "invoice.sent": lambda e: t("audit.invoice.sent", e.lang, who=e.who, number=e.get("number"), to=e.get("to")),
    "invoice.credited": lambda e: t(
        "audit.invoice.credited", e.lang, who=e.who, invoice=e.before.get("invoice"), credit=e.after.get("credit_note")
    ),
    "invoice.reminder": lambda e: t("audit.invoice.reminder", e.lang, numbers=_numbers(e.after.get("invoices"))),
    "mandate.signed": lambda e: t("audit.mandate.signed", e.lang, who=e.who, iban=e.after.get("iban")),
    "mandate.withdrawn": lambda e: t("audit.mandate.withdrawn", e.lang, who=e.who),
    "payments.collected": lambda e: t(
        "audit.payments.collected",
        e.lang,
        numbers=_numbers(e.after.get("invoices")),
        date=_date(e.after.get("collection_date"), e.lang),
    ),
    "payments.imported": lambda e: tn("audit.payments.imported", len(e.after.get("payments") or []), e.lang),
    "payments.statement": lambda e: tn("audit.payments.statement", _count(e.after.get("entries")), e.lang),
    "ssh_key.added": lambda e: t(
        "audit.ssh_key.added",
        e.lang,
        who=e.who,
        name=e.after.get("name"),
        fingerprint=e.after.get("fingerprint"),
        email=e.after.get("email"),
    ),
    "ssh_key.removed": lambda e: t(
        "audit.ssh_key.removed",
        e.lang,
        who=e.who,
        name=e.before.get("name"),
        fingerprint=e.before.get("fingerprint"),
        email=e.before.get("email"),
    ),
    "ssh.policy": lambda e: t("audit.ssh.policy", e.lang, who=e.who, policy=_policy(e.after.get("policy"), e.lang)),
}


def sentence(kind: str, who: str, before: Any, after: Any, lang: str, names: Callable[[str], str] = str) -> str:
    """One audit event in words, in `lang`; an invoice it wrote is named at the end. An action this
    release does not know (a newer release wrote it) is said as it is stored."""
    rows = tuple(row for row in before if isinstance(row, dict)) if isinstance(before, list) else ()
    event = Event(
        who, before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}, names, lang, rows
    )
    words = SENTENCES.get(kind)
    text = words(event) if words is not None else t("audit.unknown", lang, who=who, kind=kind)
    invoice = event.after.get("invoice")
    if invoice and kind != "invoice.credited":
        text += " " + t("audit.with_invoice", lang, invoice=invoice)
    return text


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogEntry:
    at: datetime  # as stored: UTC, naive
    kind: str
    group: str
    who: str  # the person's name, or the actor as recorded (a username, `cli:root`)
    email: str | None  # the person's, when a person acted
    key_fingerprint: str | None
    text: str  # the sentence

    @property
    def when(self) -> datetime:
        """Amsterdam's wall clock."""
        return wall_clock(self.at)


@dataclass(frozen=True)
class LogPerson:
    employee_id: int
    name: str
    email: str


@dataclass(frozen=True)
class AuditLog:
    entries: tuple[LogEntry, ...]
    people: tuple[LogPerson, ...]  # everyone who appears in the organisation's log: the person filter


def catalogue_names(lang: str) -> Callable[[str], str]:
    """Edition and module codes -> their names in `lang` (for the sentences)."""
    known = {e.code: shown_name(e.code, e.name, lang) for e in Edition.select(Edition.code, Edition.name)}
    known |= {m.code: shown_name(m.code, m.name, lang) for m in Module.select(Module.code, Module.name)}
    return lambda code: known.get(code, code)


def _day_start(day: date) -> datetime:
    """Midnight in Amsterdam at the start of `day`, as the database holds moments (UTC, naive)."""
    return datetime.combine(day, time.min, tzinfo=rules_zone()).astimezone(UTC).replace(tzinfo=None)


def log_days(since: str, through: str, lang: str) -> tuple[date | None, date | None]:
    """The date filter as typed (YYYY-MM-DD, or empty): the two days, or BadInput naming the field."""
    from tribe_tui.schemas import LogDays, parse

    days = parse(LogDays, lang, since=since.strip() or None, through=through.strip() or None)
    return days.since, days.through


@account_read
def read_log(
    ctx: Context,
    *,
    person: int | None = None,
    group: str | None = None,
    since: date | None = None,
    through: date | None = None,
    limit: int = SHOWN,
) -> AuditLog:
    """The organisation's events, newest first, in words: by `person` (an employee id), of one
    `group` of KINDS, from `since` through `through` (days in Amsterdam)."""

    query = events_query(ctx.org_id, limit)
    if person is not None:
        query = query.where(AuditEvent.employee == person)
    if group is not None:
        query = query.where(AuditEvent.action.in_([k for k, g in KINDS.items() if g == group]))
    if since is not None:
        query = query.where(AuditEvent.at >= _day_start(since))
    if through is not None:
        query = query.where(AuditEvent.at < _day_start(through + timedelta(days=1)))
    names = catalogue_names(ctx.lang)
    entries = []
    for at, actor, name, email, key, action, before, after in rows(query):
        entries.append(
            LogEntry(
                at,
                action,
                KINDS.get(action, ""),
                name or actor,
                email,
                key,
                sentence(
                    action,
                    name or actor,
                    None if before is None else json.loads(before),
                    None if after is None else json.loads(after),
                    ctx.lang,
                    names,
                ),
            )
        )
    people = (
        Employee.select(Employee.id, Employee.name, Employee.email)
        .where(
            Employee.id.in_(
                AuditEvent.select(AuditEvent.employee).where(
                    (AuditEvent.organisation == ctx.org_id) & AuditEvent.employee.is_null(False)
                )
            )
        )
        .order_by(Employee.name)
    )
    return AuditLog(tuple(entries), tuple(LogPerson(i, n, e) for i, n, e in rows(people)))
