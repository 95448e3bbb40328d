"""CLI tests: the real command line in-process (the `cli` fixture of tests/conftest.py), an
organisation made by `tribe-tui init`, and a full dump of the account tables for "nothing changed"."""

from __future__ import annotations

import os

import pytest

START = "2026-06-01"  # with today 2026-11-26: 187 of 365 days remain


@pytest.fixture
def org(cli):
    """Acme B.V.: Tribe, 3 licences, period 1 June 2026 - 31 May 2027; the admin holds one."""
    result = cli(
        "init",
        "--org",
        "Acme B.V.",
        "--admin-email",
        "admin@acme.nl",
        "--admin-username",
        "admin",
        "--licences",
        "3",
        "--start",
        START,
        "--json",
    )
    assert result.code == 0, result.err
    return result.json


@pytest.fixture
def staff(org):
    """Two colleagues holding the two free licences: all 3 in use."""
    from tribe_tui.db import open_database
    from tribe_tui.models import Employee, Licence

    open_database(os.environ["TRIBE_DATABASE_URL"])
    free = [lic.id for lic in Licence.select().where(Licence.holder.is_null()).order_by(Licence.id)]
    for i, (name, email) in enumerate((("Daan de Jong", "daan@acme.nl"), ("Emma Jansen", "emma@acme.nl"))):
        employee = Employee.create(organisation=1, name=name, email=email, username=f"user{i}", role="user")
        Licence.update(holder=employee.id).where(Licence.id == free[i]).execute()
    return ["daan@acme.nl", "emma@acme.nl"]
