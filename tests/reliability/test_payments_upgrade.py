"""A database from before payments is brought up to date when tribe-tui opens it: the payment
tables are added, its invoices keep their data and read as open; running the step again is harmless."""

from __future__ import annotations

import os

PAYMENT_TABLES = (
    "payment_reminder",
    "payment",
    "statement_entry",
    "collection",
    "collection_batch",
    "payment_mandate",
)


def test_a_database_from_before_payments_gains_the_payment_tables(cli):
    from tribe_tui.db import open_database
    from tribe_tui.migrations import MIGRATIONS, SCHEMA_VERSION, _payments
    from tribe_tui.models import SchemaVersion

    before_payments = MIGRATIONS.index(_payments)  # the version a database had before this step
    assert cli("demo", "--no-open").code == 0
    db = open_database(os.environ["TRIBE_DATABASE_URL"])
    with db.atomic():
        for table in PAYMENT_TABLES:
            db.execute_sql(f'DROP TABLE "{table}"')
        SchemaVersion.delete().where(SchemaVersion.version > before_payments).execute()
    db.close()

    listed = cli("invoices", "list", "--json")  # opens the database: the payments step runs first
    assert listed.code == 0, listed.err
    assert listed.json and all(  # nothing was paid before payments existed
        row["status"] in ("open", "overdue") and row["open_amount"] == row["total"] for row in listed.json
    )
    db = open_database(os.environ["TRIBE_DATABASE_URL"])
    assert max(v.version for v in SchemaVersion.select()) == SCHEMA_VERSION
    assert all(db.table_exists(table) for table in PAYMENT_TABLES)
    _payments(db)  # again: idempotent
    db.close()
