"""The licence counts the account shows come from LicenceTally, which the database's own triggers
keep: after every kind of change to licences and holders they equal the counts over the licences
themselves (the definitions the tally replaced), on both engines."""

from __future__ import annotations

import io
import sys
from datetime import date, datetime, time, timedelta

from tribe_tui.services.employees import IDLE_DAYS


def _counted(today: date) -> dict:
    """The account's licence figures counted over every licence, as before the tally."""
    import os

    from tribe_tui.db import open_database
    from tribe_tui.models import Employee, Licence, Organisation

    open_database(os.environ["TRIBE_DATABASE_URL"])
    org = Organisation.get()
    mine = Licence.select().where(Licence.organisation == org.id)
    cutoff = today - timedelta(days=IDLE_DAYS)
    idle = (
        Licence.select()
        .join(Employee, on=(Licence.holder == Employee.id))
        .where(
            (Licence.organisation == org.id)
            & (
                (Employee.last_sign_in_on <= cutoff)
                | (
                    Employee.last_sign_in_on.is_null()
                    & (Employee.created_at < datetime.combine(cutoff + timedelta(days=1), time.min))
                )
            )
        )
    )
    total = mine.count()
    in_use = mine.where(Licence.holder.is_null(False)).count()
    return {
        "licences": {"total": total, "in_use": in_use, "free": total - in_use},
        "idle": (idle.count(), idle.where(Licence.auto_renew == True).count()),  # noqa: E712
    }


def _shown(cli, *today: str) -> dict:
    shown = cli("account", "show", "--json", *today)
    assert shown.code == 0, shown.err
    return {
        "licences": shown.json["licences"],
        "idle": (shown.json["idle"]["licences"], shown.json["idle"]["renewing"]),
    }


def test_the_tally_follows_every_change_to_licences_and_holders(cli, monkeypatch):
    from tests.conftest import TODAY

    assert cli("demo", "--no-open").code == 0
    emails = [e["email"] for e in cli("employees", "list", "--json").json]
    holders = [row["email"] for row in cli("licences", "list", "--json").json if row.get("email")]
    steps = [
        ("licences", "add", "3"),
        ("licences", "unlink", holders[1]),
        ("licences", "renew", holders[2], "off"),
        ("licences", "offboard", holders[3]),
        ("licences", "link", holders[1]),
        ("employees", "former", holders[4], "on"),
        ("licences", "renew", holders[2], "on"),
        ("licences", "renew", holders[5], "off"),
    ]
    for step in steps:
        result = cli(*step)
        assert result.code == 0, (step, result.err)
        assert _shown(cli) == _counted(TODAY), step
    # A sign-in moves its holder out of the idle licences (the tally's day of use follows it).
    monkeypatch.setattr(sys, "stdin", io.StringIO("Demo-wachtwoord-2026\n"))
    assert cli("sign-in-check", "admin", "--password-stdin", "--today", "2027-03-01").code == 0
    later = date(2027, 3, 1)
    assert _shown(cli, "--today", later.isoformat()) == _counted(later)
    # The renewal removes the licences that do not renew (a delete over many rows at once).
    assert cli("billing", "run", "--today", "2027-06-01").code == 0
    renewed = date(2027, 6, 1)
    assert _shown(cli, "--today", renewed.isoformat()) == _counted(renewed)
    assert len(emails) > 5
    checked = cli("check", "--json", "--today", renewed.isoformat())
    assert checked.code == 0 and checked.json["ok"], checked.json
