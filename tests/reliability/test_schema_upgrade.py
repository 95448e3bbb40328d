"""A database made before SSH keys (schema version 3) is brought up to date when tribe-tui opens it:
the key table, the organisation's SSH policy, the audit event's person and key."""

from __future__ import annotations

import os


def test_a_version_3_database_gains_ssh_keys_and_keeps_its_data(cli, tmp_path):
    from playhouse.migrate import SchemaMigrator, migrate

    from tests.ssh_keys import add_key_by_cli, keygen
    from tribe_tui.db import is_sqlite, open_database
    from tribe_tui.models import AuditEvent, Employee, Licence, Organisation, SchemaVersion, SshKey

    assert cli("demo", "--no-open").code == 0
    db = open_database(os.environ["TRIBE_DATABASE_URL"])
    # Back to what release 3 made: no key table, no policy, audit events without person and key.
    migrator = SchemaMigrator.from_database(db)
    if is_sqlite(db):  # the table rebuilds below must not cascade into the employees and licences
        db.execute_sql("PRAGMA foreign_keys = OFF")
    with db.atomic():
        db.execute_sql("DROP INDEX IF EXISTS audit_event_organisation_id_at")
        db.drop_tables([SshKey])
        migrate(migrator.drop_column("organisation", "ssh_policy"))
        if is_sqlite(db):  # SQLite drops no column that a foreign key names: rebuild the table
            db.execute_sql(
                "CREATE TABLE audit_event_v3 (id INTEGER NOT NULL PRIMARY KEY, organisation_id INTEGER"
                " REFERENCES organisation (id) ON DELETE SET NULL, actor VARCHAR(100) NOT NULL,"
                " action VARCHAR(64) NOT NULL, before TEXT, after TEXT, at DATETIME NOT NULL)"
            )
            db.execute_sql(
                "INSERT INTO audit_event_v3 SELECT id, organisation_id, actor, action, before, after, at"
                " FROM audit_event"
            )
            db.execute_sql("DROP TABLE audit_event")
            db.execute_sql("ALTER TABLE audit_event_v3 RENAME TO audit_event")
        else:
            migrate(
                migrator.drop_column("audit_event", "employee_id"),
                migrator.drop_column("audit_event", "key_fingerprint"),
            )
        SchemaVersion.delete().where(SchemaVersion.version > 3).execute()
    events, employees, licences = AuditEvent.select().count(), Employee.select().count(), Licence.select().count()
    db.close()

    db = open_database(os.environ["TRIBE_DATABASE_URL"])
    from tribe_tui.migrations import SCHEMA_VERSION

    assert max(v.version for v in SchemaVersion.select()) == SCHEMA_VERSION  # 4 and every later one
    assert {"employee_id", "key_fingerprint"} <= {c.name for c in db.get_columns("audit_event")}
    assert Organisation.get().ssh_policy == "key+password"  # the default, for every existing organisation
    # Nothing lost on the way (a table rebuild on SQLite would cascade into employees and licences).
    assert (AuditEvent.select().count(), Employee.select().count(), Licence.select().count()) == (
        events,
        employees,
        licences,
    )
    assert employees > 0 and licences > 0
    db.close()
    key = keygen(tmp_path, "id")
    email = cli("employees", "list", "--json").json[0]["email"]
    assert add_key_by_cli(cli, email, key, "laptop").code == 0
    assert cli("audit", "list", "--json").json[0]["action"] == "ssh_key.added"


def test_a_version_6_database_gains_the_invoice_link_of_its_mails(cli):
    """Migration 8 (invoice documents): a database from before invoice documents gets OutboxMessage.invoice, keeps
    its queued mail, and the next invoice's mail is linked to it (so it goes with PDF and UBL)."""
    from playhouse.migrate import SchemaMigrator, migrate

    from tribe_tui.db import is_sqlite, open_database
    from tribe_tui.migrations import SCHEMA_VERSION
    from tribe_tui.models import Invoice, OutboxMessage, SchemaVersion

    assert cli("demo", "--no-open").code == 0
    db = open_database(os.environ["TRIBE_DATABASE_URL"])
    with db.atomic():
        if is_sqlite(db):  # SQLite drops no column that a foreign key names: rebuild the table as 6 made it
            db.execute_sql(
                "CREATE TABLE outbox_message_v6 (id INTEGER NOT NULL PRIMARY KEY, organisation_id INTEGER"
                " REFERENCES organisation (id) ON DELETE SET NULL, recipient VARCHAR(254) NOT NULL,"
                " subject VARCHAR(200) NOT NULL, body TEXT NOT NULL, created_at DATETIME NOT NULL,"
                " sent_at DATETIME, attempts INTEGER NOT NULL, last_error TEXT, claimed_at DATETIME)"
            )
            db.execute_sql(
                "INSERT INTO outbox_message_v6 SELECT id, organisation_id, recipient, subject, body,"
                " created_at, sent_at, attempts, last_error, claimed_at FROM outbox_message"
            )
            db.execute_sql("DROP TABLE outbox_message")
            db.execute_sql("ALTER TABLE outbox_message_v6 RENAME TO outbox_message")
        else:
            migrate(SchemaMigrator.from_database(db).drop_column("outbox_message", "invoice_id"))
        SchemaVersion.delete().where(SchemaVersion.version > 6).execute()
    assert "invoice_id" not in {c.name for c in db.get_columns("outbox_message")}
    queued = [
        (m["id"], m["recipient"], m["subject"])
        for m in OutboxMessage.select(OutboxMessage.id, OutboxMessage.recipient, OutboxMessage.subject)
        .order_by(OutboxMessage.id)
        .dicts()
    ]
    db.close()

    assert cli("licences", "add", "1").code == 0  # opens the database: migration 7 runs first
    db = open_database(os.environ["TRIBE_DATABASE_URL"])
    assert max(v.version for v in SchemaVersion.select()) == SCHEMA_VERSION
    assert (
        queued
        and [(m.id, m.recipient, m.subject) for m in OutboxMessage.select().order_by(OutboxMessage.id)][: len(queued)]
        == queued
    )
    newest = Invoice.select().order_by(Invoice.id.desc()).get()
    assert OutboxMessage.select().where(OutboxMessage.invoice == newest.id).count() == 1
    db.close()


def test_keys_stored_before_key_identities_get_one_each_and_sign_in_as_before(cli, tmp_path):
    """SshKey.uid, the identity a key line's forced command names: a database with keys from
    before it gets one random identity per key, and the lookup answers with the new line at once."""
    import subprocess
    import sys

    import peewee
    import pytest

    from tests.ssh_keys import add_key_by_cli, keygen
    from tribe_tui.db import open_database
    from tribe_tui.migrations import MIGRATIONS, SCHEMA_VERSION, _ssh_key_uid
    from tribe_tui.models import SchemaVersion, SshKey

    assert cli("demo", "--no-open").code == 0
    email = cli("employees", "list", "--json").json[0]["email"]
    keys = [keygen(tmp_path, f"id{i}") for i in range(3)]
    for i, key in enumerate(keys):
        assert add_key_by_cli(cli, email, key, f"laptop {i}").code == 0
    db = open_database(os.environ["TRIBE_DATABASE_URL"])
    with db.atomic():
        db.execute_sql("DROP INDEX ssh_key_uid")
        db.execute_sql("ALTER TABLE ssh_key DROP COLUMN uid")
        SchemaVersion.delete().where(SchemaVersion.version >= MIGRATIONS.index(_ssh_key_uid) + 1).execute()
    db.close()

    tribe = os.path.join(os.path.dirname(sys.executable), "tribe-tui")
    assert cli("ssh", "keys", "list").code == 0  # opens the database: the migration runs first
    db = open_database(os.environ["TRIBE_DATABASE_URL"])
    assert max(v.version for v in SchemaVersion.select()) == SCHEMA_VERSION
    uids = {k.fingerprint: k.uid for k in SshKey.select()}
    assert len(set(uids.values())) == 3 and all(len(u) == 32 for u in uids.values())
    db.close()
    for key in keys:
        line = subprocess.run(
            [tribe, "ssh", "authorized-keys", "tribe", key.key_type, key.blob], capture_output=True, text=True
        ).stdout
        assert f' ssh session {uids[key.fingerprint]} {key.fingerprint}" {key.key_type} {key.blob}' in line
    # The index holds: no two keys share an identity.
    db = open_database(os.environ["TRIBE_DATABASE_URL"])
    with pytest.raises(peewee.IntegrityError), db.atomic():
        SshKey.update(uid=uids[keys[0].fingerprint]).where(SshKey.fingerprint == keys[1].fingerprint).execute()
    db.close()
