"""Peewee models. Plain storage; rules live in billing.py, actions in services/.

peewee ships type stubs: a field declared here types both the column (`Licence.holder`) and its
value (`licence.holder`). What peewee adds by itself, the `id` primary key and the `<name>_id`
value of a foreign key, is declared for the type checker in `if TYPE_CHECKING:` blocks (no
effect when the code runs: peewee only looks at Field objects).
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from peewee import (
    AutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

# The models' database: db.open_database binds it.
database = DatabaseProxy()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_key_uid() -> str:
    """An SSH key's identity in the command its key line forces: 128 random bits, never reused
    (a row id is: SQLite hands a deleted newest id to the next row)."""
    return secrets.token_hex(16)


if TYPE_CHECKING:  # generic in peewee's stubs only
    _Cents = BigIntegerField[Decimal]
else:
    _Cents = BigIntegerField


class MoneyField(_Cents):
    """Euros as whole cents in the database, Decimal in Python: exact on every backend."""

    if TYPE_CHECKING:

        def __new__(cls, *args: Any, **kwargs: Any) -> MoneyField: ...

    def db_value(self, value: Decimal | None) -> int | None:
        if value is None:
            return None
        cents = Decimal(value) * 100
        if cents != cents.to_integral_value():
            raise ValueError(f"{value} has more than two decimals")
        return int(cents)

    def python_value(self, value: int | None) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))


class BaseModel(Model):
    if TYPE_CHECKING:
        id: AutoField[int]  # what peewee adds to a model without a primary key of its own

    class Meta:
        database = database
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = IntegerField()
    applied_at = DateTimeField(default=utcnow)


class Edition(BaseModel):
    code = CharField(primary_key=True, max_length=32)
    name = CharField(max_length=100)
    yearly_price = MoneyField()
    rank = IntegerField()


class Module(BaseModel):
    code = CharField(primary_key=True, max_length=32)
    name = CharField(max_length=100)
    kind = CharField(max_length=16)  # module | integration
    per_user = BooleanField()
    yearly_price = MoneyField()
    requires = ForeignKeyField(Edition, null=True, column_name="requires", backref="+")

    if TYPE_CHECKING:
        requires_id: str | None


class CatalogueVersion(BaseModel):
    """R12: one loaded state of the catalogue. Loading a changed file adds one; none is ever
    rewritten, so a period is charged by the catalogue in force when it started."""

    loaded_at = DateTimeField(default=utcnow)


class CataloguePrice(BaseModel):
    """R12: an edition or module as catalogue `version` had it, with everything that decides an
    amount: the yearly price, the name printed on an invoice line, and for a module whether it is
    charged per licence and which edition it requires (R8); for an edition its rank. The Edition
    and Module rows are the newest catalogue; a period reads its own version's rows."""

    version = ForeignKeyField(CatalogueVersion, backref="prices", on_delete="CASCADE")
    kind = CharField(max_length=8)  # edition | module
    code = CharField(max_length=32)
    yearly_price = MoneyField()
    # Null only in a row a release before these columns wrote and no migration has filled yet.
    name = CharField(max_length=100, null=True)
    per_user = BooleanField(null=True)  # modules
    requires = CharField(max_length=32, null=True)  # modules: the edition code, or none
    rank = IntegerField(null=True)  # editions

    if TYPE_CHECKING:
        version_id: int

    class Meta:
        indexes = ((("version", "kind", "code"), True),)


class Organisation(BaseModel):
    slug = CharField(unique=True, max_length=64)
    name = CharField(max_length=200)
    edition = ForeignKeyField(Edition, column_name="edition", backref="+")
    scheduled_edition = ForeignKeyField(Edition, null=True, column_name="scheduled_edition", backref="+")
    period_start = DateField()
    paid_until = DateField()
    status = CharField(max_length=16, default="active")  # active | cancelled | ended
    cancel_reason = TextField(null=True)
    cancelled_on = DateField(null=True)
    ended_on = DateField(null=True)
    language = CharField(max_length=2, default="nl")
    # How an SSH key signs in: "key" (the key alone) or "key+password" (the key, then the
    # owner's password: two factors).
    ssh_policy = CharField(max_length=16, default="key+password")
    # R12: the catalogue version the current period is charged by (set when it starts): prices,
    # per-user, required editions and the names its invoice lines print.
    catalogue_version = ForeignKeyField(CatalogueVersion, null=True, column_name="catalogue_version", backref="+")
    # Bumped by every change: lets a screen holding stale data notice a newer change.
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)

    if TYPE_CHECKING:
        edition_id: str
        scheduled_edition_id: str | None
        catalogue_version_id: int | None


class OrganisationModule(BaseModel):
    organisation = ForeignKeyField(Organisation, backref="modules", on_delete="CASCADE")
    module = ForeignKeyField(Module, column_name="module", backref="+")
    active = BooleanField(default=True)
    renews = BooleanField(default=True)
    # Set when a scheduled downgrade is what ends this module; withdrawing the downgrade restores it.
    ends_with_edition = BooleanField(default=False)
    added_on = DateField()

    if TYPE_CHECKING:
        organisation_id: int
        module_id: str

    class Meta:
        indexes = ((("organisation", "module"), True),)


class Employee(BaseModel):
    organisation = ForeignKeyField(Organisation, backref="employees", on_delete="CASCADE")
    name = CharField(max_length=200)
    email = CharField(max_length=254)
    username = CharField(max_length=64, null=True, unique=True)
    password_hash = CharField(max_length=255, null=True)
    role = CharField(max_length=8, default="user")  # admin | user
    former = BooleanField(default=False)  # Voormalig
    created_at = DateTimeField(default=utcnow)
    # The rules' date (--today) of the last successful sign-in: idle licences cost money.
    last_sign_in_on = DateField(null=True)

    if TYPE_CHECKING:
        organisation_id: int

    class Meta:
        indexes = (
            (("organisation", "email"), True),
            (("organisation", "former", "name"), False),
        )


class SshKey(BaseModel):
    """An employee's SSH public key: sshd asks tribe-tui for it (AuthorizedKeysCommand) and the line
    it gets back forces `tribe-tui ssh session <uid> <fingerprint>`, so a connection names its
    person and key by an identity no later key can take."""

    uid = CharField(max_length=32, unique=True, default=new_key_uid)
    employee = ForeignKeyField(Employee, backref="ssh_keys", on_delete="CASCADE")
    name = CharField(max_length=100)
    key_type = CharField(max_length=32)  # ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa, ...
    key_blob = TextField()  # base64 of the key in OpenSSH's wire format, as cryptography writes it
    # SHA256:<base64>, as `ssh-keygen -l` prints it. Unique: one key belongs to one person; the
    # index is what `ssh authorized-keys` looks a key up by.
    fingerprint = CharField(max_length=64, unique=True)
    added_at = DateTimeField(default=utcnow)
    last_used_at = DateTimeField(null=True)

    if TYPE_CHECKING:
        employee_id: int


class Licence(BaseModel):
    organisation = ForeignKeyField(Organisation, backref="licences", on_delete="CASCADE")
    holder = ForeignKeyField(Employee, null=True, unique=True, backref="licence", on_delete="SET NULL")
    auto_renew = BooleanField(default=True)
    created_on = DateField()

    if TYPE_CHECKING:
        organisation_id: int
        holder_id: int | None

    class Meta:
        indexes = (
            (("organisation", "holder"), False),
            # Covers the count of licences that renew (overview, forecast, renewal): no table reads.
            (("organisation", "auto_renew"), False),
        )


# The day a free licence is counted under in LicenceTally (a holder's day is always later).
FREE_DAY = dt.date(1900, 1, 1)


class LicenceTally(BaseModel):
    """How many licences an organisation has, by the holder's last day of use (their last sign-in,
    or the day they were added; FREE_DAY for a free licence) and auto-renew. Kept by database
    triggers on `licence` and `employee` (migrations._licence_tally), whatever code changes them: the
    account's counts (total, in use, renewing, idle) are sums over a few rows, not counts over every
    licence. `tribe-tui check` compares it with the licences themselves."""

    organisation_id = IntegerField()  # no foreign key: the triggers write it while licences go
    active_on = DateField()
    auto_renew = BooleanField()
    n = IntegerField()

    class Meta:
        indexes = ((("organisation_id", "active_on", "auto_renew"), True),)


class BillingDetails(BaseModel):
    organisation = ForeignKeyField(Organisation, unique=True, backref="+", on_delete="CASCADE")
    company_name = CharField(max_length=200, default="")
    attention = CharField(max_length=200, default="")
    address = CharField(max_length=200, default="")
    postcode = CharField(max_length=16, default="")
    city = CharField(max_length=100, default="")
    country = CharField(max_length=2, default="NL")
    invoice_email = CharField(max_length=254, default="")
    vat_number = CharField(max_length=20, default="")
    kvk_number = CharField(max_length=8, default="")
    iban = CharField(max_length=34, default="")
    po_reference = CharField(max_length=100, default="")
    peppol_id = CharField(max_length=110, default="")  # SCHEME:ID, where Peppol reaches the customer

    if TYPE_CHECKING:
        organisation_id: int


class InvoiceCounter(BaseModel):
    """The last number used per year: numbers are gapless because they come from this row
    inside the transaction that writes the invoice."""

    year = IntegerField(primary_key=True)
    last = IntegerField(default=0)


class Invoice(BaseModel):
    organisation = ForeignKeyField(Organisation, backref="invoices", on_delete="CASCADE")
    number = CharField(unique=True, max_length=16)
    date = DateField()  # the issue date (R10); each line states the period it covers
    reason = CharField(max_length=32)  # initial | licences | upgrade | module | renewal
    period_start = DateField()
    period_end = DateField()
    subtotal = MoneyField()
    vat_rate = CharField(max_length=8)
    vat = MoneyField()
    total = MoneyField()
    vat_reason = CharField(max_length=32, null=True)
    customer_vat_number = CharField(max_length=20, null=True)
    seller = TextField()  # JSON: our details as they were
    customer = TextField()  # JSON: the customer's billing details as they were
    created_at = DateTimeField(default=utcnow)

    if TYPE_CHECKING:
        organisation_id: int


class InvoiceLine(BaseModel):
    invoice = ForeignKeyField(Invoice, backref="lines", on_delete="CASCADE")
    position = IntegerField()
    description = CharField(max_length=200)
    quantity = IntegerField()
    unit_price = MoneyField()
    days = IntegerField()
    period_days = IntegerField()
    amount = MoneyField()
    # R10: the service period this line covers, both days included (the invoice's `date` is the
    # day it was issued).
    period_from = DateField()
    period_to = DateField()

    if TYPE_CHECKING:
        invoice_id: int


class CreditNoteCounter(BaseModel):
    """The last credit-note number used per year: a gapless series of its own, beside the invoices'."""

    year = IntegerField(primary_key=True)
    last = IntegerField(default=0)


class CreditNote(BaseModel):
    """The correction of a wrong invoice, the Dutch way: the whole invoice credited (its lines, its
    amounts, the parties as it named them), numbered in its own series, referring to the invoice.
    An invoice is credited at most once; a corrected invoice, where needed, is a new invoice."""

    organisation = ForeignKeyField(Organisation, backref="+", on_delete="CASCADE")
    invoice = ForeignKeyField(Invoice, unique=True, backref="+", on_delete="CASCADE")
    number = CharField(unique=True, max_length=20)
    date = DateField()  # the issue date
    reason = TextField()  # why, as the admin typed it
    created_at = DateTimeField(default=utcnow)

    if TYPE_CHECKING:
        organisation_id: int
        invoice_id: int

    class Meta:
        indexes = ((("organisation", "date"), False),)


class AuditEvent(BaseModel):
    organisation = ForeignKeyField(Organisation, null=True, backref="+", on_delete="SET NULL")
    actor = CharField(max_length=100)
    action = CharField(max_length=64)
    before = TextField(null=True)  # JSON
    after = TextField(null=True)  # JSON
    at = DateTimeField(default=utcnow)
    # Who acted, when a person did (a TUI session), and from which SSH key.
    employee = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    key_fingerprint = CharField(max_length=64, null=True)

    if TYPE_CHECKING:
        organisation_id: int | None
        employee_id: int | None

    class Meta:
        indexes = ((("organisation", "at"), False),)


class Invitation(BaseModel):
    organisation = ForeignKeyField(Organisation, backref="invitations", on_delete="CASCADE")
    email = CharField(max_length=254)
    token_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    accepted_at = DateTimeField(null=True)
    revoked_at = DateTimeField(null=True)
    employee = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    # The role the inviter chose (admin | user, default user): accepting gives exactly that, also
    # to a former colleague coming back. `purpose`: invite | password_reset (the same machinery).
    role = CharField(max_length=16, default="user")
    purpose = CharField(max_length=16, default="invite")

    if TYPE_CHECKING:
        organisation_id: int
        employee_id: int | None


class OutboxMessage(BaseModel):
    organisation = ForeignKeyField(Organisation, null=True, backref="+", on_delete="SET NULL")
    recipient = CharField(max_length=254)
    subject = CharField(max_length=200)
    body = TextField()
    created_at = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True)
    attempts = IntegerField(default=0)
    last_error = TextField(null=True)
    # Set by the flush that is sending it (a lease): two flushes never send the same message.
    claimed_at = DateTimeField(null=True)
    # Where it went once sent: "smtp host:port" or the message's file in a maildir.
    sent_via = CharField(max_length=500, null=True)
    error_kind = CharField(max_length=32, null=True)  # mail.error_kind of last_error, for words on screen
    # An invoice's mail: its PDF and UBL are attached when it is sent. They are made from the
    # invoice, which never changes (R10), so the mail carries the same documents whenever it goes.
    invoice = ForeignKeyField(Invoice, null=True, backref="+", on_delete="CASCADE")
    # A credit note's mail, the same way: its PDF and UBL are made when it is sent.
    credit_note = ForeignKeyField(CreditNote, null=True, backref="+", on_delete="CASCADE")

    if TYPE_CHECKING:
        organisation_id: int | None
        invoice_id: int | None
        credit_note_id: int | None


class SignInFailure(BaseModel):
    username = CharField(max_length=64, index=True)
    at = DateTimeField(default=utcnow)


class PaymentMandate(BaseModel):
    """A SEPA Core direct-debit mandate the organisation's admin signed in tribe-tui: the payment
    method is direct debit while one is not withdrawn. A new IBAN is a new mandate (new reference);
    a withdrawn one is never collected again. Never deleted: it is the proof of consent."""

    organisation = ForeignKeyField(Organisation, backref="+", on_delete="CASCADE")
    reference = CharField(max_length=35, unique=True)  # the mandate's id (MndtId), max 35 in pain.008
    iban = CharField(max_length=34)
    bic = CharField(max_length=11, default="")
    account_holder = CharField(max_length=200)
    signed_on = DateField()  # date of signature (the rules' date)
    signed_by = ForeignKeyField(Employee, null=True, backref="+", on_delete="SET NULL")
    signer_name = CharField(max_length=200)
    key_fingerprint = CharField(max_length=64, null=True)  # the SSH key of the session that signed
    withdrawn_on = DateField(null=True)
    created_at = DateTimeField(default=utcnow)

    if TYPE_CHECKING:
        organisation_id: int
        signed_by_id: int | None

    class Meta:
        indexes = ((("organisation", "withdrawn_on"), False),)


class CollectionBatch(BaseModel):
    """One direct-debit file (pain.008) written by `payments collect`."""

    message_id = CharField(max_length=35, unique=True)
    collection_date = DateField()
    path = CharField(max_length=1000)
    count = IntegerField()
    total = MoneyField()
    created_at = DateTimeField(default=utcnow)


class Collection(BaseModel):
    """One invoice in a batch: pending until the statement shows it, then collected, returned
    (unpaid: AM04, MS02, ...) or refunded (MD06)."""

    batch = ForeignKeyField(CollectionBatch, backref="collections", on_delete="CASCADE")
    invoice = ForeignKeyField(Invoice, backref="+", on_delete="CASCADE")
    mandate = ForeignKeyField(PaymentMandate, backref="+", on_delete="CASCADE")
    sequence_type = CharField(max_length=4)  # FRST | RCUR
    amount = MoneyField()
    status = CharField(max_length=16, default="pending")
    reason_code = CharField(max_length=4, null=True)

    if TYPE_CHECKING:
        batch_id: int
        invoice_id: int
        mandate_id: int

    class Meta:
        indexes = ((("invoice", "status"), False), (("mandate", "status"), False))


class StatementEntry(BaseModel):
    """A bank-statement entry already imported: importing the same statement again skips it."""

    reference = CharField(max_length=200, unique=True)  # account + the bank's entry reference
    booked_on = DateField()
    amount = MoneyField()  # signed: a credit is positive
    imported_at = DateTimeField(default=utcnow)


class Payment(BaseModel):
    """Money that came in for an invoice (positive), or went back (a returned or refunded direct
    debit: negative). What is open on an invoice is its total less the sum of these."""

    invoice = ForeignKeyField(Invoice, backref="+", on_delete="CASCADE")
    amount = MoneyField()
    booked_on = DateField()
    entry = ForeignKeyField(StatementEntry, null=True, backref="+", on_delete="SET NULL")
    kind = CharField(max_length=16)  # transfer | direct_debit | returned | refunded
    reason_code = CharField(max_length=4, null=True)
    created_at = DateTimeField(default=utcnow)

    if TYPE_CHECKING:
        invoice_id: int
        entry_id: int | None

    class Meta:
        indexes = ((("invoice", "booked_on"), False),)


class PaymentReminder(BaseModel):
    """A reminder (herinnering) sent for an invoice: level 1 (7 days after due), 2 (21 days)."""

    invoice = ForeignKeyField(Invoice, backref="+", on_delete="CASCADE")
    level = IntegerField()
    sent_on = DateField()

    if TYPE_CHECKING:
        invoice_id: int

    class Meta:
        indexes = ((("invoice", "level"), True),)


ALL_MODELS: tuple[type[BaseModel], ...] = (
    SchemaVersion,
    Edition,
    Module,
    CatalogueVersion,
    CataloguePrice,
    Organisation,
    OrganisationModule,
    Employee,
    SshKey,
    Licence,
    LicenceTally,
    BillingDetails,
    InvoiceCounter,
    Invoice,
    InvoiceLine,
    CreditNoteCounter,
    CreditNote,
    AuditEvent,
    Invitation,
    OutboxMessage,
    SignInFailure,
    PaymentMandate,
    CollectionBatch,
    Collection,
    StatementEntry,
    Payment,
    PaymentReminder,
)
