"""Ordered schema migrations and the catalogue load (R8).

A database records the highest migration applied in `schemaversion`; on start, db.open_database
runs every newer one in order under the database's write lock (several processes may start at
once). A database from a newer release is refused rather than guessed at. This module knows the
schema, not how to open or lock a database, so it imports the models and nothing of db.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import peewee

from tribe_tui.errors import Refused
from tribe_tui.models import (
    ALL_MODELS,
    AuditEvent,
    BillingDetails,
    CataloguePrice,
    CatalogueVersion,
    Collection,
    CollectionBatch,
    CreditNote,
    CreditNoteCounter,
    Edition,
    Employee,
    Invitation,
    Invoice,
    InvoiceLine,
    LicenceTally,
    Module,
    Organisation,
    OutboxMessage,
    Payment,
    PaymentMandate,
    PaymentReminder,
    SchemaVersion,
    SshKey,
    StatementEntry,
    new_key_uid,
)


def _initial_schema(db: peewee.Database) -> None:
    db.create_tables([m for m in ALL_MODELS if m is not SchemaVersion])


def _outbox_claim(db: peewee.Database) -> None:
    """OutboxMessage.claimed_at: the lease a flush takes before sending."""
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as run_migrations

    columns = {c.name for c in db.get_columns(OutboxMessage._meta.table_name)}
    if "claimed_at" not in columns:  # a database made by migration 1 of this release already has it
        run_migrations(
            SchemaMigrator.from_database(db).add_column(
                OutboxMessage._meta.table_name, "claimed_at", OutboxMessage.claimed_at
            )
        )


def _licence_renew_index(db: peewee.Database) -> None:
    """Index (organisation, auto_renew): counting renewing licences reads only the index."""
    # IF NOT EXISTS: a database made by migration 1 of this release already has it (same name).
    db.execute_sql(
        "CREATE INDEX IF NOT EXISTS licence_organisation_id_auto_renew ON licence (organisation_id, auto_renew)"
    )


def _ssh_keys(db: peewee.Database) -> None:
    """SSH keys as identity: the key table, the organisation's SSH policy, and who acted
    (employee, key fingerprint) on every audit event.

    Plain ALTER TABLE ... ADD COLUMN, which both backends do in place: playhouse's migrator would
    add the NOT NULL policy by rebuilding `organisation` on SQLite, and dropping the old table
    cascades (ON DELETE CASCADE) into every employee and licence."""

    # A database made by migration 1 of this release already has all of it.
    db.create_tables([SshKey], safe=True)
    if "ssh_policy" not in {c.name for c in db.get_columns(Organisation._meta.table_name)}:
        db.execute_sql("ALTER TABLE organisation ADD COLUMN ssh_policy VARCHAR(16) NOT NULL DEFAULT 'key+password'")
    audit_columns = {c.name for c in db.get_columns(AuditEvent._meta.table_name)}
    if "employee_id" not in audit_columns:
        db.execute_sql(
            "ALTER TABLE audit_event ADD COLUMN employee_id INTEGER REFERENCES employee (id) ON DELETE SET NULL"
        )
    if "key_fingerprint" not in audit_columns:
        db.execute_sql("ALTER TABLE audit_event ADD COLUMN key_fingerprint VARCHAR(64)")
    db.execute_sql("CREATE INDEX IF NOT EXISTS audit_event_employee_id ON audit_event (employee_id)")
    db.execute_sql("CREATE INDEX IF NOT EXISTS audit_event_organisation_id_at ON audit_event (organisation_id, at)")


def _invoice_line_period(db: peewee.Database) -> None:
    """InvoiceLine.period_from/period_to (R10): the service period of each line. Lines written
    before it covered their invoice's period, so that is what they get."""
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as run_migrations

    table, invoices = InvoiceLine._meta.table_name, Invoice._meta.table_name
    columns = {c.name for c in db.get_columns(table)}
    if "period_from" in columns:  # a database made by migration 1 of this release already has them
        return
    migrator = SchemaMigrator.from_database(db)
    nullable = peewee.DateField(null=True)
    run_migrations(
        migrator.add_column(table, "period_from", nullable), migrator.add_column(table, "period_to", nullable)
    )
    db.execute_sql(
        f'UPDATE "{table}" SET '
        f'period_from = (SELECT i.period_start FROM "{invoices}" i WHERE i.id = "{table}".invoice_id), '
        f'period_to = (SELECT i.period_end FROM "{invoices}" i WHERE i.id = "{table}".invoice_id)'
    )
    run_migrations(migrator.add_not_null(table, "period_from"), migrator.add_not_null(table, "period_to"))


def _catalogue_versions(db: peewee.Database) -> None:
    """R12: catalogue versions, and per organisation the version its current period is charged by.
    Organisations that exist get a first version made of the prices loaded now (the schema of
    this migration held prices only; _catalogue_version_items adds the rest)."""

    db.create_tables([CatalogueVersion, CataloguePrice], safe=True)
    columns = {c.name for c in db.get_columns(Organisation._meta.table_name)}
    if "catalogue_version" not in columns:
        # In place on both backends (a nullable column): never playhouse's rebuild of `organisation`,
        # whose DROP would cascade into employees and licences on SQLite (see _ssh_keys).
        db.execute_sql(
            "ALTER TABLE organisation ADD COLUMN catalogue_version INTEGER REFERENCES catalogue_version (id)"
        )
        db.execute_sql("CREATE INDEX IF NOT EXISTS organisation_catalogue_version ON organisation (catalogue_version)")
    if Edition.select().exists() and not CatalogueVersion.select().exists():
        version = _add_catalogue_version(prices_only=True)
        Organisation.update(catalogue_version=version).execute()


def _people_columns(db: peewee.Database) -> None:
    """Employee.last_sign_in_on (idle licences); OutboxMessage.sent_via (where a mail went) and
    error_kind (why it did not, as a word a screen translates). Plain ALTER TABLE ... ADD COLUMN,
    in place on both backends (see _ssh_keys)."""

    for model, column, kind in (
        (Employee, "last_sign_in_on", "DATE"),
        (OutboxMessage, "sent_via", "VARCHAR(500)"),
        (OutboxMessage, "error_kind", "VARCHAR(32)"),
    ):
        table = model._meta.table_name
        if column not in {c.name for c in db.get_columns(table)}:  # migration 1 of this release made it
            db.execute_sql(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")


def _outbox_invoice(db: peewee.Database) -> None:
    """OutboxMessage.invoice: an invoice's mail, sent with its PDF and UBL attached."""
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as run_migrations

    columns = {c.name for c in db.get_columns(OutboxMessage._meta.table_name)}
    if "invoice_id" not in columns:  # a database made by migration 1 of this release already has it
        run_migrations(
            SchemaMigrator.from_database(db).add_column(
                OutboxMessage._meta.table_name, "invoice_id", OutboxMessage.invoice
            )
        )


def _catalogue_version_items(db: peewee.Database) -> None:
    """R12: a catalogue version holds everything that decides an amount, not only the price: the
    name printed on the invoice, a module's per-user and edition requirement, an edition's rank.
    Versions written before got them from the Edition and Module rows as they are now (nothing
    older is known). Plain ALTER TABLE ... ADD COLUMN, in place on both backends (see _ssh_keys)."""

    table = CataloguePrice._meta.table_name
    columns = {c.name for c in db.get_columns(table)}  # migration 1 of this release made them
    for column, kind in (("name", "VARCHAR(100)"), ("per_user", "BOOLEAN"), ("requires", "VARCHAR(32)")):
        if column not in columns:
            db.execute_sql(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
    if "rank" not in columns:
        db.execute_sql(f'ALTER TABLE {table} ADD COLUMN "rank" INTEGER')
    for edition in Edition.select(Edition.code, Edition.name, Edition.rank):
        CataloguePrice.update(name=edition.name, rank=edition.rank).where(
            (CataloguePrice.kind == "edition") & (CataloguePrice.code == edition.code) & CataloguePrice.name.is_null()
        ).execute()
    for module in Module.select(Module.code, Module.name, Module.per_user, Module.requires):
        CataloguePrice.update(name=module.name, per_user=module.per_user, requires=module.requires_id).where(
            (CataloguePrice.kind == "module") & (CataloguePrice.code == module.code) & CataloguePrice.name.is_null()
        ).execute()


def _ssh_key_uid(db: peewee.Database) -> None:
    """SshKey.uid: the identity a key line's forced command names, 128 random bits that no later
    key can take (a row id can: SQLite reuses a deleted newest id). Existing keys get one each; the
    key lines sshd sees are made when a client connects, so the new form applies at once."""

    table = SshKey._meta.table_name
    if "uid" not in {c.name for c in db.get_columns(table)}:  # a database made by migration 1 of this release has it
        # Plain ADD COLUMN (in place on both backends, see _ssh_keys); NULL until filled just below.
        db.execute_sql(f"ALTER TABLE {table} ADD COLUMN uid VARCHAR(32)")
    missing = [row[0] for row in db.execute_sql(f"SELECT id FROM {table} WHERE uid IS NULL").fetchall()]
    for key_id in missing:
        db.execute_sql(f"UPDATE {table} SET uid = {db.param} WHERE id = {db.param}", (new_key_uid(), key_id))
    db.execute_sql(f"CREATE UNIQUE INDEX IF NOT EXISTS {table}_uid ON {table} (uid)")


def _payments(db: peewee.Database) -> None:
    """Payments: direct-debit mandates, collection batches and their invoices, imported statement
    entries, payments per invoice, and reminders. New tables only (a database made by migration 1
    of this release already has them)."""

    db.create_tables([PaymentMandate, CollectionBatch, Collection, StatementEntry, Payment, PaymentReminder], safe=True)


def _shared_database_indexes(db: peewee.Database) -> None:
    """Indexes for one database shared by many organisations: every query of a screen or an action
    reaches its own organisation's rows through an index, and `billing run` finds the organisations
    due without reading them all (organisation_due: only those not ended, oldest period first)."""
    for statement in (
        "CREATE INDEX IF NOT EXISTS organisation_due ON organisation (paid_until, id) WHERE status <> 'ended'",
        # The queue of mail to send (a flush after every invoice or invitation): only what waits, not
        # every organisation's sent mail.
        "CREATE INDEX IF NOT EXISTS outbox_message_queued ON outbox_message (id) WHERE sent_at IS NULL",
    ):
        db.execute_sql(statement)


_SQLITE_ACTIVITY = "COALESCE((SELECT COALESCE(e.last_sign_in_on, substr(e.created_at, 1, 10)) FROM employee e WHERE e.id = {holder}), '1900-01-01')"
_SQLITE_TALLY_ADD = (
    "INSERT INTO licence_tally (organisation_id, active_on, auto_renew, n) VALUES ({org}, {day}, {renews}, {delta})"
    " ON CONFLICT (organisation_id, active_on, auto_renew) DO UPDATE SET n = n + excluded.n;"
)
_SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS licence_tally_insert AFTER INSERT ON licence BEGIN "
    + _SQLITE_TALLY_ADD.format(
        org="NEW.organisation_id", day=_SQLITE_ACTIVITY.format(holder="NEW.holder_id"), renews="NEW.auto_renew", delta=1
    )
    + " END",
    "CREATE TRIGGER IF NOT EXISTS licence_tally_delete AFTER DELETE ON licence BEGIN "
    + _SQLITE_TALLY_ADD.format(
        org="OLD.organisation_id",
        day=_SQLITE_ACTIVITY.format(holder="OLD.holder_id"),
        renews="OLD.auto_renew",
        delta=-1,
    )
    + " END",
    "CREATE TRIGGER IF NOT EXISTS licence_tally_update AFTER UPDATE OF organisation_id, holder_id, auto_renew"
    " ON licence BEGIN "
    + _SQLITE_TALLY_ADD.format(
        org="OLD.organisation_id",
        day=_SQLITE_ACTIVITY.format(holder="OLD.holder_id"),
        renews="OLD.auto_renew",
        delta=-1,
    )
    + " "
    + _SQLITE_TALLY_ADD.format(
        org="NEW.organisation_id", day=_SQLITE_ACTIVITY.format(holder="NEW.holder_id"), renews="NEW.auto_renew", delta=1
    )
    + " END",
    "CREATE TRIGGER IF NOT EXISTS licence_tally_employee AFTER UPDATE OF last_sign_in_on, created_at ON employee"
    " WHEN COALESCE(OLD.last_sign_in_on, substr(OLD.created_at, 1, 10))"
    " IS NOT COALESCE(NEW.last_sign_in_on, substr(NEW.created_at, 1, 10)) BEGIN"
    " INSERT INTO licence_tally (organisation_id, active_on, auto_renew, n)"
    " SELECT l.organisation_id, COALESCE(OLD.last_sign_in_on, substr(OLD.created_at, 1, 10)), l.auto_renew, -1"
    " FROM licence l WHERE l.holder_id = NEW.id"
    " ON CONFLICT (organisation_id, active_on, auto_renew) DO UPDATE SET n = n + excluded.n;"
    " INSERT INTO licence_tally (organisation_id, active_on, auto_renew, n)"
    " SELECT l.organisation_id, COALESCE(NEW.last_sign_in_on, substr(NEW.created_at, 1, 10)), l.auto_renew, 1"
    " FROM licence l WHERE l.holder_id = NEW.id"
    " ON CONFLICT (organisation_id, active_on, auto_renew) DO UPDATE SET n = n + excluded.n;"
    " END",
)
# PostgreSQL: statement-level triggers with transition tables, so a statement over many licences
# (the demo's 100,000 inserts, a renewal's delete of those that lapse) moves the tally in one
# grouped upsert, not one function call per row.
_PG_DAY = "COALESCE(e.last_sign_in_on, e.created_at::date, DATE '1900-01-01')"
_PG_UPSERT = (
    "INSERT INTO licence_tally (organisation_id, active_on, auto_renew, n)"
    " SELECT organisation_id, day, auto_renew, SUM(d) FROM ({rows}) moved"
    " GROUP BY organisation_id, day, auto_renew HAVING SUM(d) <> 0"
    " ON CONFLICT (organisation_id, active_on, auto_renew) DO UPDATE SET n = licence_tally.n + EXCLUDED.n"
)
_PG_LICENCES = (
    "SELECT l.organisation_id, " + _PG_DAY + " AS day, l.auto_renew, {sign} AS d"
    " FROM {table} l LEFT JOIN employee e ON e.id = l.holder_id"
)
_PG_PEOPLE = (
    "SELECT l.organisation_id, COALESCE(p.last_sign_in_on, p.created_at::date) AS day, l.auto_renew, {sign} AS d"
    " FROM {table} p JOIN licence l ON l.holder_id = p.id"
)
_POSTGRES_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION licence_tally_on_licence() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
    " IF TG_OP = 'INSERT' THEN "
    + _PG_UPSERT.format(rows=_PG_LICENCES.format(sign=1, table="new_rows"))
    + "; ELSIF TG_OP = 'DELETE' THEN "
    + _PG_UPSERT.format(rows=_PG_LICENCES.format(sign=-1, table="old_rows"))
    + "; ELSE "
    + _PG_UPSERT.format(
        rows=_PG_LICENCES.format(sign=-1, table="old_rows")
        + " UNION ALL "
        + _PG_LICENCES.format(sign=1, table="new_rows")
    )
    + "; END IF; RETURN NULL; END $$",
    "CREATE OR REPLACE FUNCTION licence_tally_on_employee() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    + _PG_UPSERT.format(
        rows=_PG_PEOPLE.format(sign=-1, table="old_rows") + " UNION ALL " + _PG_PEOPLE.format(sign=1, table="new_rows")
    )
    + "; RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS licence_tally ON licence",
    "DROP TRIGGER IF EXISTS licence_tally_insert ON licence",
    "DROP TRIGGER IF EXISTS licence_tally_delete ON licence",
    "DROP TRIGGER IF EXISTS licence_tally_update ON licence",
    "DROP TRIGGER IF EXISTS licence_tally ON employee",
    "CREATE TRIGGER licence_tally_insert AFTER INSERT ON licence REFERENCING NEW TABLE AS new_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION licence_tally_on_licence()",
    "CREATE TRIGGER licence_tally_delete AFTER DELETE ON licence REFERENCING OLD TABLE AS old_rows"
    " FOR EACH STATEMENT EXECUTE FUNCTION licence_tally_on_licence()",
    "CREATE TRIGGER licence_tally_update AFTER UPDATE ON licence REFERENCING OLD TABLE AS old_rows"
    " NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION licence_tally_on_licence()",
    "CREATE TRIGGER licence_tally AFTER UPDATE ON employee REFERENCING OLD TABLE AS old_rows"
    " NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION licence_tally_on_employee()",
    "DROP FUNCTION IF EXISTS licence_tally_add(integer, date, boolean, integer)",
    "DROP FUNCTION IF EXISTS licence_tally_activity(integer)",
)


def _licence_tally(db: peewee.Database) -> None:
    """LicenceTally and the triggers that keep it, then counted once from the licences: the
    account's counts no longer grow with the number of licences (a count over 100,000 index entries
    and a join over every holder took tens of ms on every start and `account show`)."""

    db.create_tables([LicenceTally], safe=True)  # a database made by migration 1 of this release has it
    for statement in _SQLITE_TRIGGERS if isinstance(db, peewee.SqliteDatabase) else _POSTGRES_TRIGGERS:
        db.execute_sql(statement)
    activity = (
        "COALESCE(e.last_sign_in_on, substr(e.created_at, 1, 10), '1900-01-01')"
        if isinstance(db, peewee.SqliteDatabase)
        else "COALESCE(e.last_sign_in_on, e.created_at::date, DATE '1900-01-01')"
    )
    db.execute_sql("DELETE FROM licence_tally")
    db.execute_sql(
        "INSERT INTO licence_tally (organisation_id, active_on, auto_renew, n)"
        f" SELECT l.organisation_id, {activity}, l.auto_renew, COUNT(*)"
        " FROM licence l LEFT JOIN employee e ON e.id = l.holder_id"
        f" GROUP BY l.organisation_id, {activity}, l.auto_renew"
    )


def _employee_name_order(db: peewee.Database) -> None:
    """Index employee (organisation_id, former, lower(name)): the licences screen's first page walks
    it in name order instead of sorting every licence (services.licences._first_page)."""
    db.execute_sql(
        "CREATE INDEX IF NOT EXISTS employee_organisation_id_former_lower_name"
        " ON employee (organisation_id, former, lower(name))"
    )


def _invitation_role_purpose(db: peewee.Database) -> None:
    """Invitation.role (the role the inviter chose; before, a former admin invited back silently
    got the admin role again) and Invitation.purpose (invite | password_reset: a reset link is an
    invitation's token, expiry and revocation). Plain ALTER TABLE ... ADD COLUMN with a default,
    in place on both backends; skipped when migration 1 of this release already made them."""

    table = Invitation._meta.table_name
    for column, default in (("role", "user"), ("purpose", "invite")):
        if column not in {c.name for c in db.get_columns(table)}:
            db.execute_sql(f"ALTER TABLE {table} ADD COLUMN {column} VARCHAR(16) NOT NULL DEFAULT '{default}'")


def _billing_peppol_id(db: peewee.Database) -> None:
    """BillingDetails.peppol_id: the customer's Peppol participant id (SCHEME:ID), where the
    e-invoice goes when neither a KvK nor a VAT number gives an endpoint. In place on both backends."""

    table = BillingDetails._meta.table_name
    if "peppol_id" not in {c.name for c in db.get_columns(table)}:  # migration 1 of this release made it
        db.execute_sql(f"ALTER TABLE {table} ADD COLUMN peppol_id VARCHAR(110) NOT NULL DEFAULT ''")


def _credit_notes(db: peewee.Database) -> None:
    """Credit notes (their own gapless series) and OutboxMessage.credit_note: a credit note's mail,
    sent with its PDF and UBL."""

    db.create_tables([CreditNoteCounter, CreditNote], safe=True)  # migration 1 of this release made them
    table = OutboxMessage._meta.table_name
    if "credit_note_id" not in {c.name for c in db.get_columns(table)}:
        db.execute_sql(
            f"ALTER TABLE {table} ADD COLUMN credit_note_id INTEGER REFERENCES credit_note (id) ON DELETE CASCADE"
        )
        db.execute_sql(f"CREATE INDEX IF NOT EXISTS {table}_credit_note_id ON {table} (credit_note_id)")


MIGRATIONS: list[Callable[[peewee.Database], None]] = [
    _initial_schema,  # 1
    _outbox_claim,  # 2
    _licence_renew_index,  # 3
    _ssh_keys,  # 4
    _invoice_line_period,  # 5
    _catalogue_versions,  # 6
    _people_columns,  # 7
    _outbox_invoice,  # 8
    _catalogue_version_items,  # 9
    _ssh_key_uid,  # 10
    _payments,  # 11
    _shared_database_indexes,  # 12
    _licence_tally,  # 13
    _employee_name_order,  # 14
    _invitation_role_purpose,  # 15
    _billing_peppol_id,  # 16
    _credit_notes,  # 17
]
SCHEMA_VERSION = len(MIGRATIONS)


def current_version(db: peewee.Database) -> int:
    if not db.table_exists(SchemaVersion._meta.table_name):
        return 0
    found = SchemaVersion.select(peewee.fn.MAX(SchemaVersion.version)).scalar()
    return found or 0


def refuse_newer(version: int) -> None:
    if version > SCHEMA_VERSION:
        raise Refused(
            f"the database has schema version {version}; this tribe-tui knows up to {SCHEMA_VERSION}: upgrade tribe-tui"
        )


@lru_cache(maxsize=1)
def read_catalogue() -> dict[str, Any]:
    """The shipped catalogue, read and parsed once per process (every start checks it, and every
    invoice copies the seller from it). Shared: do not change it."""
    text = (Path(__file__).parent / "catalogue.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def check_seller(seller: dict[str, Any]) -> dict[str, Any]:
    """The seller block is printed on every invoice: its VAT number, KvK number and IBAN must be
    valid (a Dutch bookkeeper checks them). Raises Refused naming the field."""
    from stdnum import iban
    from stdnum.eu import vat

    checks = {
        "vat_number": lambda v: v.isascii() and vat.is_valid(v),
        "kvk_number": lambda v: v.isascii() and v.isdigit() and len(v) == 8,
        "iban": lambda v: v.isascii() and iban.is_valid(v),
    }
    for name in ("name", "address", "postcode", "city", "country", "vat_number", "kvk_number", "iban"):
        value = seller.get(name)
        if not isinstance(value, str) or not value.strip() or not checks.get(name, lambda v: True)(value):
            raise Refused(f"the catalogue's seller block has no valid {name}: fix catalogue.toml")
    # The SEPA creditor identifier is needed only to collect by direct debit; when given, it is valid.
    creditor_id = seller.get("creditor_id")
    if creditor_id is not None:
        from stdnum.eu import at_02

        if not isinstance(creditor_id, str) or not creditor_id.isascii() or not at_02.is_valid(creditor_id):
            raise Refused("the catalogue's seller block has no valid creditor_id: fix catalogue.toml")
    return seller


@lru_cache(maxsize=1)
def seller() -> dict[str, Any]:
    """The seller block of the shipped catalogue, checked once per process (every invoice copies it)."""
    return check_seller(read_catalogue()["seller"])


def _add_catalogue_version(*, prices_only: bool = False) -> int:
    """A new catalogue version (R12) holding the Edition and Module rows as they are now: price,
    name and rank of an edition; price, name, per-user and required edition of a module.
    `prices_only`: the version as the schema of _catalogue_versions held it (_catalogue_version_items
    fills in the rest)."""

    version = CatalogueVersion.create()
    editions = [
        dict(version=version.id, kind="edition", code=e.code, yearly_price=e.yearly_price)
        | ({} if prices_only else dict(name=e.name, per_user=None, requires=None, rank=e.rank))
        for e in Edition.select(Edition.code, Edition.name, Edition.yearly_price, Edition.rank)
    ]
    modules = [
        dict(version=version.id, kind="module", code=m.code, yearly_price=m.yearly_price)
        | ({} if prices_only else dict(name=m.name, per_user=m.per_user, requires=m.requires_id, rank=None))
        for m in Module.select(Module.code, Module.name, Module.yearly_price, Module.per_user, Module.requires)
    ]
    CataloguePrice.insert_many(editions + modules).execute()
    return version.id


def load_catalogue(db: peewee.Database, *, check_only: bool = False) -> bool:
    """Make the catalogue tables match the shipped file; cheap when they already do.
    With check_only, only tell whether they do. A change adds a catalogue version (R12): the
    Edition and Module rows are the newest prices, the versions keep the ones periods started at."""

    data = read_catalogue()
    editions = {e["code"]: e for e in data["editions"]}
    modules = {m["code"]: m for m in data["modules"]}
    have_editions = {e.code: e for e in Edition.select()}
    have_modules = {m.code: m for m in Module.select()}

    def same_edition(row: Edition, spec: dict[str, Any]) -> bool:
        return (row.name, row.yearly_price, row.rank) == (spec["name"], Decimal(spec["yearly_price"]), spec["rank"])

    def same_module(row: Module, spec: dict[str, Any]) -> bool:
        return (row.name, row.kind, row.per_user, row.yearly_price, row.requires_id) == (
            spec["name"],
            spec["kind"],
            spec["per_user"],
            Decimal(spec["yearly_price"]),
            spec.get("requires"),
        )

    if (
        all(c in have_editions and same_edition(have_editions[c], s) for c, s in editions.items())
        and all(c in have_modules and same_module(have_modules[c], s) for c, s in modules.items())
        and CatalogueVersion.select().exists()
    ):
        return True
    if check_only:
        return False
    check_seller(data["seller"])
    with db.atomic():
        for code, spec in editions.items():
            values = dict(name=spec["name"], yearly_price=Decimal(spec["yearly_price"]), rank=spec["rank"])
            if code in have_editions:
                Edition.update(**values).where(Edition.code == code).execute()
            else:
                Edition.insert(code=code, **values).execute()
        for code, spec in modules.items():
            values = dict(
                name=spec["name"],
                kind=spec["kind"],
                per_user=spec["per_user"],
                yearly_price=Decimal(spec["yearly_price"]),
                requires=spec.get("requires"),
            )
            if code in have_modules:
                Module.update(**values).where(Module.code == code).execute()
            else:
                Module.insert(code=code, **values).execute()
        _add_catalogue_version()
    return True
