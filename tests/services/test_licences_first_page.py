"""The licences screen's first page is read by walking the employees' name index, not by sorting
every licence: it must be exactly the first page of the full order (held licences by holder name,
then licence id; then free licences by id; former colleagues left out)."""

from __future__ import annotations

import os

import pytest


def _pages(ctx_limit: int):
    from tribe_tui.db import open_database
    from tribe_tui.models import Organisation
    from tribe_tui.service_types import Context
    from tribe_tui.services.licences import _first_page, list_licences

    open_database(os.environ["TRIBE_DATABASE_URL"])
    from tests.conftest import TODAY

    ctx = Context(Organisation.get().id, "test", TODAY, "nl")
    return _first_page(ctx, ctx_limit), list_licences(ctx, None, False, 0, ctx_limit)


@pytest.mark.parametrize("licences, limit", [(30, 64), (200, 64), (200, 150), (200, 500)])
def test_the_first_page_is_the_first_page_of_the_full_order(cli, licences, limit):
    assert cli("demo", "--no-open", "--licences", str(licences)).code == 0
    from tribe_tui.models import Employee

    _pages(1)
    # Names that sort together whatever their case, and a former colleague who still holds a licence.
    people = list(Employee.select().order_by(Employee.id))
    for person, name in zip(
        people[3:9], ["anna de Vries", "Anna de Vries", "ANNA DE VRIES", "Bob", "bob", "Åsa"], strict=True
    ):
        Employee.update(name=name).where(Employee.id == person.id).execute()
    Employee.update(former=True).where(Employee.id == people[10].id).execute()
    fast, full = _pages(limit)
    assert fast == full
    assert len(fast) == min(limit, len(list_all()))


def list_all():
    from tests.conftest import TODAY
    from tribe_tui.models import Organisation
    from tribe_tui.service_types import Context
    from tribe_tui.services.licences import list_licences

    return list_licences(Context(Organisation.get().id, "test", TODAY, "nl"), None, False)
