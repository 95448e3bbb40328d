"""A database made before SSH keys (schema version 3) is brought up to date when tribe-tui opens it:
the key table, the organisation's SSH policy, the audit event's person and key (#15)."""

from __future__ import annotations

import os


def test_a_version_3_database_gains_ssh_keys_and_keeps_its_data(cli, tmp_path):
    from playhouse.migrate import SchemaMigrator, migrate

    from tests.ssh_keys import keygen
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
            db.execute_sql("CREATE TABLE audit_event_v3 (id INTEGER NOT NULL PRIMARY KEY, organisation_id INTEGER"
                           " REFERENCES organisation (id) ON DELETE SET NULL, actor VARCHAR(100) NOT NULL,"
                           " action VARCHAR(64) NOT NULL, before TEXT, after TEXT, at DATETIME NOT NULL)")
            db.execute_sql("INSERT INTO audit_event_v3 SELECT id, organisation_id, actor, action, before, after, at"
                           " FROM audit_event")
            db.execute_sql("DROP TABLE audit_event")
            db.execute_sql("ALTER TABLE audit_event_v3 RENAME TO audit_event")
        else:
            migrate(migrator.drop_column("audit_event", "employee_id"),
                    migrator.drop_column("audit_event", "key_fingerprint"))
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
        events, employees, licences)
    assert employees > 0 and licences > 0
    db.close()
    key = keygen(tmp_path, "id")
    email = cli("employees", "list", "--json").json[0]["email"]
    assert cli("ssh", "keys", "add", email, key.line, "--name", "laptop").code == 0
    assert cli("audit", "list", "--json").json[0]["action"] == "ssh_key.added"
