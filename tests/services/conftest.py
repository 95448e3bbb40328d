"""Service tests: a real database (the one the autouse fixture points at), organisations made by
the real `create_organisation`, and a full dump of the account tables to prove "nothing changed"."""

from __future__ import annotations

import os
from datetime import date

import pytest

from tribe_tui.models import (
    AuditEvent,
    Employee,
    Licence,
)
from tribe_tui.service_types import Context

ACTOR = "test:admin"
# A period of 366 days (it holds 29 February 2028); on 31 August 2027 183 days remain: exactly half.
LEAP_START = date(2027, 3, 1)
HALF_WAY = date(2027, 8, 31)


@pytest.fixture
def db():
    from tribe_tui.db import open_database

    return open_database(os.environ["TRIBE_DATABASE_URL"])


@pytest.fixture
def make_org(db):
    """make_org(start=..., licences=..., edition=..., today=..., name=...) -> Context of its admin."""
    from tribe_tui.schemas import InitInput
    from tribe_tui.services.organisations import create_organisation

    def make(
        *,
        start: date = date(2026, 6, 1),
        licences: int = 3,
        edition: str = "tribe",
        today: date | None = None,
        name: str = "Acme B.V.",
        username: str = "admin",
        email: str = "admin@acme.nl",
        lang: str = "nl",
    ) -> Context:
        data = InitInput(
            org_name=name,
            admin_email=email,
            admin_username=username,
            edition=edition,
            licences=licences,
            start=start,
            language=lang,
        )
        from tests.conftest import BILLING

        created = create_organisation(data, today or start, ACTOR, billing_details={"company_name": name, **BILLING})
        return Context(created.org_id, ACTOR, today or date(2026, 11, 26), lang)

    return make


@pytest.fixture
def ctx(make_org) -> Context:
    """Acme: Tribe, 3 licences, period 1 June 2026 - 31 May 2027, today 26 November 2026."""
    return make_org()


@pytest.fixture
def staff(ctx):
    """Two colleagues holding licences next to the admin; 5 licences in all, 2 of them free."""
    from tribe_tui.services.licences import add_licences

    add_licences(ctx, 2)
    rows = []
    free = [
        lic.id
        for lic in Licence.select()
        .where((Licence.organisation == ctx.org_id) & Licence.holder.is_null())
        .order_by(Licence.id)
    ]
    for i, (name, email) in enumerate((("Daan de Jong", "daan@acme.nl"), ("Emma Jansen", "emma@acme.nl"))):
        employee = Employee.create(organisation=ctx.org_id, name=name, email=email, username=f"user{i}", role="user")
        Licence.update(holder=employee.id).where(Licence.id == free[i]).execute()
        rows.append(employee)
    return rows


def events(ctx: Context) -> list[AuditEvent]:
    return list(AuditEvent.select().where(AuditEvent.organisation == ctx.org_id).order_by(AuditEvent.id))


@pytest.fixture
def audit_events():
    return events


@pytest.fixture
def new_events(db):
    """new_events.mark() before an action, new_events() after it: the audit events it wrote."""

    class Tracker:
        def __init__(self) -> None:
            self.seen = 0

        def mark(self) -> None:
            self.seen = AuditEvent.select().count()

        def __call__(self) -> list[AuditEvent]:
            return list(AuditEvent.select().order_by(AuditEvent.id).offset(self.seen))

    return Tracker()
