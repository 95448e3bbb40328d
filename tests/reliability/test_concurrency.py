"""Several admins' processes change one organisation at once: no update is lost, no charge doubled.

Each actor is a real process running real CLI commands (tests/reliability/actor.py), paused at
random inside every transaction so that the actions really overlap. Afterwards the database must
agree with what the processes were told: every successful action is there exactly once, every
refused one left nothing behind.
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter

from tests.conftest import billing_args
from tests.reliability.conftest import one_line_refusal, open_db, run_actors

PROCESSES = 6
ACTIONS = 30  # per process
RENEW_ON = "2027-06-01"  # the day after the demo organisation's paid-until
SHARED_LICENCES = 4  # auto-renew is toggled on these by every process: real conflicts
STARTERS = 6


def _plan(seed: int, licence_ids: list[int]) -> list[list[str]]:
    rng = random.Random(seed)
    commands = []
    for j in range(ACTIONS - 2):
        kind = rng.choice(("add", "add", "renew", "renew", "details"))
        if kind == "add":
            commands.append(["licences", "add", str(rng.randint(1, 3)), "--json"])
        elif kind == "renew":
            commands.append(["licences", "renew", str(rng.choice(licence_ids)), rng.choice(("on", "off")), "--json"])
        else:
            commands.append(["billing-details", "set", f"po_reference=P{seed}-{j}", "--json"])
    # Every process ends by running the renewal that has become due: it must happen exactly once.
    commands += [["billing", "run", "--today", RENEW_ON, "--json"]] * 2
    return commands


def test_concurrent_admins_lose_nothing_and_charge_nothing_twice(cli, tmp_path, figures):
    assert cli("demo", "--no-open").code == 0
    open_db()
    from tribe_tui.models import AuditEvent, BillingDetails, Invoice, InvoiceLine, Licence, Organisation

    org = Organisation.get()
    licence_ids = [lic.id for lic in Licence.select().order_by(Licence.id).limit(SHARED_LICENCES)]
    initial_auto = {lic.id: lic.auto_renew for lic in Licence.select()}
    initial_licences = Licence.select().count()
    initial_invoices = Invoice.select().count()
    initial_audit = AuditEvent.select().count()
    initial_version = org.version

    plans = {f"admin{i}": _plan(i, licence_ids) for i in range(PROCESSES)}
    runs = run_actors(tmp_path, plans, slow_s=0.004)
    results = [r for run in runs.values() for r in run.results]
    assert len(results) == PROCESSES * ACTIONS

    # Every outcome is a success or a one-line refusal; none is "busy" (the lock waits are long enough).
    failures = [r for r in results if r["code"] != 0]
    assert all(one_line_refusal(r["code"], r["err"]) for r in failures), failures[:3]
    assert not [r for r in failures if "bezet" in r["err"] or "busy" in r["err"]]

    ok = [r for r in results if r["code"] == 0]
    by_kind = Counter(r["argv"][0] + " " + r["argv"][1] for r in ok)
    adds = [r for r in ok if r["argv"][:2] == ["licences", "add"]]
    toggles = [r for r in ok if r["argv"][:2] == ["licences", "renew"]]
    details = [r for r in ok if r["argv"][0] == "billing-details"]
    renewals = [o for r in ok if r["argv"][0] == "billing" for o in json.loads(r["out"])["outcomes"]]
    assert adds and toggles and details, by_kind

    # Exactly one renewal, however many processes ran the billing run.
    assert len(renewals) == 1, renewals
    renewal_events = list(AuditEvent.select().where(AuditEvent.action == "billing.renewal"))
    assert len(renewal_events) == 1
    removed = json.loads(renewal_events[0].after)["licences_removed"]

    # Licences: the initial ones + every successful add - the ones that lapsed at the renewal.
    added = sum(int(r["argv"][2]) for r in adds)
    assert Licence.select().count() == initial_licences + added - removed

    # Invoices: one per successful add, one for the renewal; no number used twice or skipped.
    invoices = list(Invoice.select().order_by(Invoice.id))
    assert len(invoices) == initial_invoices + len(adds) + 1
    for year in {i.number[:4] for i in invoices}:
        numbers = sorted(int(i.number[5:]) for i in invoices if i.number.startswith(year))
        assert numbers == list(range(1, len(numbers) + 1)), (year, numbers)
    told = {json.loads(r["out"])["invoice"]: json.loads(r["out"])["total"] for r in adds}
    assert len(told) == len(adds)
    stored = {i.number: i for i in invoices}
    for number, total in told.items():
        assert str(stored[number].total) == total
        assert stored[number].reason == "licences"
    # The quantity on each add's invoice is what that process asked for.
    for r in adds:
        number = json.loads(r["out"])["invoice"]
        line = InvoiceLine.select().join(Invoice).where(Invoice.number == number).order_by(InvoiceLine.position).first()
        assert line.quantity == int(r["argv"][2])

    # Audit: one event per successful action, nothing else; the version counted every change.
    events = Counter(e.action for e in AuditEvent.select().where(AuditEvent.id > initial_audit))
    assert events == Counter(
        {
            "licences.add": len(adds),
            "licence.auto_renew": len(toggles),
            "billing_details.update": len(details),
            "billing.renewal": 1,
            # The demo's overdue invoice: the billing run reminds once, however many processes ran it.
            "invoice.reminder": 1,
        }
    )
    changes = len(adds) + len(toggles) + len(details) + 1
    assert Organisation.get_by_id(org.id).version == initial_version + changes

    # Auto-renew: each successful toggle flipped the state once (a lost update would break parity).
    flips = Counter(int(r["argv"][2]) for r in toggles)
    still_there = {lic.id: lic.auto_renew for lic in Licence.select().where(Licence.id.in_(licence_ids))}
    for lid, state in still_there.items():
        assert state == (initial_auto[lid] ^ (flips[lid] % 2 == 1)), lid
    gone = [lid for lid in licence_ids if lid not in still_there]
    assert all(initial_auto[lid] ^ (flips[lid] % 2 == 1) is False for lid in gone)

    # Billing details: the last committed change (in audit order) is the one that stuck.
    last = (
        AuditEvent.select().where(AuditEvent.action == "billing_details.update").order_by(AuditEvent.id.desc()).first()
    )
    assert BillingDetails.get().po_reference == json.loads(last.after)["po_reference"]
    assert {
        json.loads(e.after)["po_reference"]
        for e in AuditEvent.select().where(AuditEvent.action == "billing_details.update")
    } == {r["argv"][2].split("=", 1)[1] for r in details}

    figures(
        "concurrency",
        processes=PROCESSES,
        actions_per_process=ACTIONS,
        actions=len(results),
        succeeded=len(ok),
        refused=len(failures),
        licences_added=added,
        invoices=len(adds) + 1,
        renewals=len(renewals),
        lost_updates=0,
        doubled_charges=0,
    )


def test_many_processes_starting_on_a_new_database_migrate_it_once(tmp_path, monkeypatch, backend):
    """Admins on several hosts start tribe-tui at once on a new (or just upgraded) database."""
    if backend == "postgres":
        import psycopg2

        conn = psycopg2.connect(os.environ["TRIBE_DATABASE_URL"])
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        conn.close()
    else:
        monkeypatch.setenv("TRIBE_DATABASE_URL", f"sqlite:///{tmp_path / 'nieuw.db'}")
    # Only init (and demo) may create the database: each starter creates an organisation of its own.
    runs = run_actors(
        tmp_path,
        {
            f"start{i}": [
                [
                    "init",
                    "--org",
                    f"Start {i}",
                    "--admin-email",
                    f"a{i}@start.nl",
                    "--admin-username",
                    f"beheerder{i}",
                    *billing_args(f"Start {i}"),
                ]
            ]
            for i in range(STARTERS)
        },
    )
    results = [r for run in runs.values() for r in run.results]
    assert [r["code"] for r in results] == [0] * STARTERS, [r["err"] for r in results]

    open_db()
    from tribe_tui.migrations import SCHEMA_VERSION, read_catalogue
    from tribe_tui.models import Edition, Module, Organisation, SchemaVersion

    versions = sorted(v for (v,) in SchemaVersion.select(SchemaVersion.version).tuples())
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    assert Edition.select().count() == len(read_catalogue()["editions"])
    assert Module.select().count() == len(read_catalogue()["modules"])
    assert Organisation.select().count() == STARTERS


def test_concurrent_inits_of_one_organisation_make_it_once_and_tell_the_others_plainly(tmp_path):
    """Two operators (or a retried script) create the same organisation at the same moment: one
    wins, the others get the message a later init gets, on both engines (PostgreSQL enforces the
    unique slug only at insert, after both checked it was free)."""
    plans = {
        f"init{i}": [
            [
                "init",
                "--org",
                "Race BV",
                "--admin-email",
                f"a{i}@race.nl",
                "--admin-username",
                f"racer{i}",
                "--licences",
                "2",
                *billing_args("Race BV"),
            ]
        ]
        for i in range(STARTERS)
    }
    runs = run_actors(tmp_path, plans, slow_s=0.2)
    results = [r for run in runs.values() for r in run.results]
    assert sorted(r["code"] for r in results) == [0] + [1] * (STARTERS - 1), [r["err"] for r in results]
    for refused in (r for r in results if r["code"] == 1):
        assert refused["err"] == "tribe-tui: Er bestaat al een organisatie race-bv.\n", refused["err"]
    open_db()
    from tribe_tui.models import Organisation

    assert Organisation.select().where(Organisation.slug == "race-bv").count() == 1
