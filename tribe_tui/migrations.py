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
from importlib import resources

import peewee

from tribe_tui.errors import Refused
from tribe_tui.models import ALL_MODELS, Edition, Module, SchemaVersion


def _initial_schema(db: peewee.Database) -> None:
    db.create_tables([m for m in ALL_MODELS if m is not SchemaVersion])


def _outbox_claim(db: peewee.Database) -> None:
    """OutboxMessage.claimed_at: the lease a flush takes before sending."""
    from playhouse.migrate import SchemaMigrator
    from playhouse.migrate import migrate as run_migrations

    from tribe_tui.models import OutboxMessage

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
    """SSH keys as identity (#15): the key table, the organisation's SSH policy, and who acted
    (employee, key fingerprint) on every audit event.

    Plain ALTER TABLE ... ADD COLUMN, which both backends do in place: playhouse's migrator would
    add the NOT NULL policy by rebuilding `organisation` on SQLite, and dropping the old table
    cascades (ON DELETE CASCADE) into every employee and licence."""
    from tribe_tui.models import AuditEvent, Organisation, SshKey

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

    from tribe_tui.models import Invoice, InvoiceLine

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
    """R12: catalogue versions, and per organisation the version its current period is charged at.
    Organisations that exist get a first version made of the prices loaded now."""
    from tribe_tui.models import CataloguePrice, CatalogueVersion, Organisation

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
        version = _add_catalogue_version()
        Organisation.update(catalogue_version=version).execute()


def _people_columns(db: peewee.Database) -> None:
    """Employee.last_sign_in_on (idle licences); OutboxMessage.sent_via (where a mail went) and
    error_kind (why it did not, as a word a screen translates). Plain ALTER TABLE ... ADD COLUMN,
    in place on both backends (see _ssh_keys)."""
    from tribe_tui.models import Employee, OutboxMessage

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

    from tribe_tui.models import OutboxMessage

    columns = {c.name for c in db.get_columns(OutboxMessage._meta.table_name)}
    if "invoice_id" not in columns:  # a database made by migration 1 of this release already has it
        run_migrations(
            SchemaMigrator.from_database(db).add_column(
                OutboxMessage._meta.table_name, "invoice_id", OutboxMessage.invoice
            )
        )


def _billing_peppol_id(db: peewee.Database) -> None:
    """BillingDetails.peppol_id: the customer's Peppol participant id (SCHEME:ID), where the
    e-invoice goes when neither a KvK nor a VAT number gives an endpoint. In place on both backends."""
    from tribe_tui.models import BillingDetails

    table = BillingDetails._meta.table_name
    if "peppol_id" not in {c.name for c in db.get_columns(table)}:  # migration 1 of this release made it
        db.execute_sql(f"ALTER TABLE {table} ADD COLUMN peppol_id VARCHAR(110) NOT NULL DEFAULT ''")


def _credit_notes(db: peewee.Database) -> None:
    """Credit notes (their own gapless series) and OutboxMessage.credit_note: a credit note's mail,
    sent with its PDF and UBL."""
    from tribe_tui.models import CreditNote, CreditNoteCounter, OutboxMessage

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
    _billing_peppol_id,  # 9
    _credit_notes,  # 10
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
def read_catalogue() -> dict:
    """The shipped catalogue, read and parsed once per process (every start checks it, and every
    invoice copies the seller from it). Shared: do not change it."""
    text = resources.files("tribe_tui").joinpath("catalogue.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def check_seller(seller: dict) -> dict:
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
    return seller


@lru_cache(maxsize=1)
def seller() -> dict:
    """The seller block of the shipped catalogue, checked once per process (every invoice copies it)."""
    return check_seller(read_catalogue()["seller"])


def _add_catalogue_version() -> int:
    """A new catalogue version holding the prices of the Edition and Module rows as they are now."""
    from tribe_tui.models import CataloguePrice, CatalogueVersion

    version = CatalogueVersion.create()
    CataloguePrice.insert_many(
        [dict(version=version.id, kind="edition", code=e.code, yearly_price=e.yearly_price) for e in Edition.select()]
        + [dict(version=version.id, kind="module", code=m.code, yearly_price=m.yearly_price) for m in Module.select()]
    ).execute()
    return version.id


def load_catalogue(db: peewee.Database, *, check_only: bool = False) -> bool:
    """Make the catalogue tables match the shipped file; cheap when they already do.
    With check_only, only tell whether they do. A change adds a catalogue version (R12): the
    Edition and Module rows are the newest prices, the versions keep the ones periods started at."""
    from tribe_tui.models import CatalogueVersion

    data = read_catalogue()
    editions = {e["code"]: e for e in data["editions"]}
    modules = {m["code"]: m for m in data["modules"]}
    have_editions = {e.code: e for e in Edition.select()}
    have_modules = {m.code: m for m in Module.select()}

    def same_edition(row: Edition, spec: dict) -> bool:
        return (row.name, row.yearly_price, row.rank) == (spec["name"], Decimal(spec["yearly_price"]), spec["rank"])

    def same_module(row: Module, spec: dict) -> bool:
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
