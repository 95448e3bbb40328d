"""R10's storage: every invoice line states the service period it covers (from and to, inclusive),
stored with the line and shown by `invoices show --json`; older databases get their lines'
periods from their invoice's period."""

from __future__ import annotations

import os

from tests.helpers import ok


def periods(cli, number: str) -> list[tuple[str, str, str]]:
    shown = ok(cli("invoices", "show", number, "--json")).json
    return [(line["description"], line["period_from"], line["period_to"]) for line in shown["lines"]]


def test_every_invoice_line_states_its_period(cli, org):
    # org: period 2026-06-01 .. 2027-05-31, today 2026-11-26.
    ok(cli("modules", "add", "projects"))
    ok(cli("licences", "add", "2"))
    assert periods(cli, "2026-0001") == [("Licentie Tribe", "2026-06-01", "2027-05-31")]
    assert periods(cli, "2026-0002") == [("Projecten (per gebruiker)", "2026-11-26", "2027-05-31")]
    assert periods(cli, "2026-0003") == [
        ("Licentie Tribe", "2026-11-26", "2027-05-31"),
        ("Projecten (per gebruiker)", "2026-11-26", "2027-05-31"),
    ]
    ok(cli("billing", "run", "--today", "2027-06-01"))
    renewal = ok(cli("invoices", "list", "--json")).json[-1]["number"]
    assert periods(cli, renewal) == [
        ("Licentie Tribe", "2027-06-01", "2028-05-31"),
        ("Projecten (per gebruiker)", "2027-06-01", "2028-05-31"),
    ]


def test_an_older_database_gets_each_lines_period_from_its_invoice(cli, org):
    ok(cli("licences", "add", "1"))
    from playhouse.migrate import SchemaMigrator, migrate

    from tribe_tui.db import open_database
    from tribe_tui.migrations import MIGRATIONS, _invoice_line_period
    from tribe_tui.models import SchemaVersion, database

    # Make the database look like one written before the columns existed (the schema version before).
    db = open_database(os.environ["TRIBE_DATABASE_URL"])
    migrator = SchemaMigrator.from_database(db)
    with db.atomic():
        migrate(migrator.drop_column("invoice_line", "period_from"), migrator.drop_column("invoice_line", "period_to"))
        SchemaVersion.delete().where(SchemaVersion.version > MIGRATIONS.index(_invoice_line_period)).execute()
    database.close()

    assert periods(cli, "2026-0001") == [("Licentie Tribe", "2026-06-01", "2027-05-31")]
    assert periods(cli, "2026-0002") == [("Licentie Tribe", "2026-11-26", "2027-05-31")]
    columns = {c.name: c.null for c in open_database(os.environ["TRIBE_DATABASE_URL"]).get_columns("invoice_line")}
    assert (columns["period_from"], columns["period_to"]) == (False, False)
    ok(cli("licences", "add", "1"))  # and new lines are written into the migrated table
    assert periods(cli, "2026-0003") == [("Licentie Tribe", "2026-11-26", "2027-05-31")]
