"""One database for 10,000 organisations: every query of the overview, the licences list and
filter, the invoices list and every admin action reaches its own organisation's rows through an
index. The queries are the ones the code really sends (peewee's log while the screens' services and
the CLI's actions run on one organisation among 10,000); the database's own planner is asked for
each plan (PostgreSQL: EXPLAIN; SQLite: EXPLAIN QUERY PLAN) and a full scan of a table that holds
every organisation's rows fails the test."""

from __future__ import annotations

import io
import logging
import os
import re
import sys

import pytest

from tests.ssh_keys import add_key_by_cli

# PostgreSQL plans by the statistics of the rows there are: 10,000 organisations. SQLite keeps no
# statistics (tribe-tui never runs ANALYZE there) and plans every table as if it were large, using an
# index wherever one serves: a few hundred organisations give the same plans, in a fraction of the time.
ORGANISATIONS = {"postgres": 10_000, "sqlite": 300}
# Tables holding rows of every organisation. The catalogue (editions, modules, prices, versions),
# the invoice counter and the schema version are the same few rows for everyone.
SHARED = {
    "organisation",
    "organisation_module",
    "employee",
    "ssh_key",
    "licence",
    "billing_details",
    "invoice",
    "invoice_line",
    "audit_event",
    "invitation",
    "outbox_message",
    "sign_in_failure",
}


@pytest.fixture
def many(cli, backend):
    from bench.generate import generate
    from tribe_tui.db import open_database

    open_database(os.environ["TRIBE_DATABASE_URL"])
    slugs = generate(ORGANISATIONS[backend], 2)
    return slugs[len(slugs) // 2]  # one in the middle


def _statements(records) -> list[tuple[str, tuple]]:
    found = []
    for record in records:
        if isinstance(record.msg, tuple) and len(record.msg) == 2 and isinstance(record.msg[0], str):
            sql, params = record.msg
            if sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE", "WITH")):
                found.append((sql, tuple(params or ())))
    return found


def _full_scans(sql: str, params: tuple) -> list[str]:
    """The shared tables the planner would read whole for this statement."""
    from tribe_tui.db import current, is_sqlite

    db = current()
    if is_sqlite(db):
        # SQLite names a table by its alias ("t1"); a SCAN walks all of it, in an index's order or
        # not, unless the index is partial (it holds only the rows its WHERE chose).
        aliases = dict((alias, table) for table, alias in re.findall(r'"(\w+)" AS "(\w+)"', sql))
        partial = {name for (name,) in db.execute_sql("SELECT name FROM sqlite_master WHERE sql LIKE '% WHERE %'")}
        plan = [row[-1] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()]
        scans = [
            aliases.get(m.group(1), m.group(1))
            for line in plan
            for m in [re.match(r"SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?", line)]
            if m and m.group(2) not in partial
        ]
        return [table for table in scans if table in SHARED]
    plan = [row[0] for row in db.execute_sql("EXPLAIN " + sql, params).fetchall()]
    return [m.group(1) for line in plan for m in [re.search(r"Seq Scan on (\w+)", line)] if m and m.group(1) in SHARED]


def _run_all(cli, target: str, key, monkeypatch) -> None:
    from datetime import date

    from tribe_tui.models import Invoice, Organisation
    from tribe_tui.service_types import Context
    from tribe_tui.services import account, audit_log, employees, invoices, licences, search_index

    org = Organisation.get(Organisation.slug == target)
    ctx = Context(org.id, "cli:test", date(2026, 11, 26))
    # The screens' reads: overview, its idle figure, the licences list, index and rows, invoices.
    account.overview(ctx)
    account.idle_seats(ctx)
    licences.licences_view(ctx)
    index = search_index.search_index(ctx, "licences")
    search_index.search_index(ctx, "employees")
    licences.licence_rows(ctx, list(index.ids[:50]))
    employees.idle_licence_ids(ctx)
    employees.employees_view(ctx)
    # The Logboek: its events, filtered, and the people its person filter offers.
    audit_log.read_log(ctx)
    audit_log.read_log(ctx, person=1, group="licences", since=date(2026, 11, 1), through=date(2026, 11, 30))
    first = Invoice.select().where(Invoice.organisation == org.id).order_by(Invoice.id).first()
    invoices.list_invoices(ctx)
    invoices.get_invoice(ctx, first.number)

    admin, user = f"m0@{target}.example", f"m1@{target}.example"
    for argv in (
        ["account", "show"],
        ["licences", "list"],
        ["licences", "list", "--filter", "Medewerker 01"],
        ["licences", "list", "--hide-former", "--idle-days", "30"],
        ["invoices", "list"],
        ["invoices", "show", first.number],
        ["employees", "list", "--former"],
        ["licences", "add", "1"],
        ["licences", "unlink", user],
        ["licences", "link", user],
        ["licences", "renew", user, "off"],
        ["licences", "renew", user, "on"],
        ["edition", "set", "creator"],
        ["modules", "add", "workflows"],
        ["modules", "remove", "projects"],
        ["employees", "admin", user, "on"],
        ["employees", "admin", user, "off"],
        ["employees", "unlock", user],  # refused (not locked out): its reads ran
        ["billing-details", "set", "city=Utrecht"],
        ["invite", "nieuw@voorbeeld.nl"],
        ["invitations", "list"],
        ["invitations", "revoke", "nieuw@voorbeeld.nl"],
        ["ssh", "keys", "list"],
        ["audit", "list"],
        ["invoices", "send", first.number],
        ["licences", "offboard", user],
        ["employees", "former", user, "off"],
        ["cancel", "--reason", "te duur", "--yes"],
        ["cancel", "--withdraw"],
    ):
        monkeypatch.setattr(sys, "stdin", io.StringIO(key.line + "\n"))
        done = cli(*argv, "--org", target, "--json")
        assert done.code == (1 if argv[1] == "unlock" else 0), (argv, done.err)
        if argv[:2] == ["invitations", "revoke"]:  # then a key: its challenge, signed, and the add
            added = add_key_by_cli(cli, admin, key, "laptop", "--org", target)
            assert added.code == 0, added.err


def test_no_query_of_a_screen_or_an_action_reads_every_organisations_rows(cli, many, caplog, tmp_path, monkeypatch):
    from tests.ssh_keys import keygen

    key = keygen(tmp_path, "laptop")
    with caplog.at_level(logging.DEBUG, logger="peewee"):
        _run_all(cli, many, key, monkeypatch)
    statements = _statements(caplog.records)
    assert len(statements) > 200
    caplog.clear()
    found = {}
    for sql, params in statements:
        scans = _full_scans(sql, params)
        if scans:
            found.setdefault(sql, scans)
    assert not found, "\n\n".join(f"{scans}: {sql}" for sql, scans in found.items())
