"""The seller's side of payments: collecting open invoices by SEPA direct debit (a pain.008.001.02
batch) and reconciling the bank's statement (camt.053).

Collecting is one transaction: the batch and each invoice in it are recorded together with the
file being written, so an invoice never goes into two batches unless its collection came back
unpaid in between (billing.collectable). Importing a statement is one transaction too: its entries
are remembered by the bank's reference, so the same statement imported twice counts once; a file
that is not a statement is refused before anything is recorded. Amounts and the allocation of a
payment over invoices come from billing.py.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

from tribe_tui import billing
from tribe_tui.db import lock_name, write_transaction
from tribe_tui.errors import BadInput, Refused
from tribe_tui.i18n import t
from tribe_tui.migrations import seller
from tribe_tui.models import (
    BillingDetails,
    Collection,
    CollectionBatch,
    Invoice,
    Organisation,
    Payment,
    PaymentMandate,
    StatementEntry,
)
from tribe_tui.service_types import Context
from tribe_tui.services._audit import audit
from tribe_tui.services._queries import rows
from tribe_tui.services.mandates import bank_details
from tribe_tui.services.standing import credited_invoice_ids, paid_amounts

CHUNK = 500  # ids or numbers per IN (...) list


def _lock_payments() -> None:
    """Collect and import serialise (SQLite's BEGIN IMMEDIATE does it there; a named lock on
    PostgreSQL): two runs at once would each see an invoice as not yet collected, or the same
    payment as not yet recorded."""
    lock_name("payments")


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


# --- collect ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CollectedInvoice:
    organisation: str  # slug
    number: str
    amount: Decimal
    sequence_type: str  # FRST | RCUR
    mandate: str

    def to_json(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation,
            "invoice": self.number,
            "amount": billing.as_text(self.amount),
            "sequence_type": self.sequence_type,
            "mandate": self.mandate,
        }


@dataclass(frozen=True)
class CollectResult:
    collection_date: date
    message_id: str | None  # None: nothing was due, no file written
    path: str | None
    items: tuple[CollectedInvoice, ...]

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.items), billing.ZERO)

    def to_json(self) -> dict[str, Any]:
        return {
            "collection_date": self.collection_date.isoformat(),
            "message_id": self.message_id,
            "path": self.path,
            "count": len(self.items),
            "total": billing.as_text(self.total),
            "invoices": [i.to_json() for i in self.items],
        }


Due = list[tuple[Organisation, PaymentMandate, Invoice, Decimal, str]]


def _due(collection_date: date) -> Due:
    """Every open invoice of an organisation with an active mandate, due on or before the
    collection date and not in a batch already (unless that collection came back unpaid), with
    the amount open and the sequence type of its mandate; by organisation, then invoice number."""
    mandates = {
        m.organisation_id: m
        for m in PaymentMandate.select().where(PaymentMandate.withdrawn_on.is_null()).order_by(PaymentMandate.id)
    }
    if not mandates:
        return []
    latest_issue = collection_date - timedelta(days=billing.PAYMENT_TERM_DAYS)  # due = issue + 14 <= date
    invoices: list[Invoice] = []
    org_ids = sorted(mandates)
    for ids in _chunks(org_ids):
        invoices.extend(
            Invoice.select(Invoice.id, Invoice.organisation, Invoice.number, Invoice.date, Invoice.total).where(
                Invoice.organisation.in_(list(ids)) & (Invoice.date <= latest_issue)
            )
        )
    invoice_ids = [i.id for i in invoices]
    paid: dict[int, tuple[Decimal, date]] = {}
    states: dict[int, list[str]] = {}
    for ids in _chunks(invoice_ids):
        paid.update(paid_amounts(invoice_ids=ids))
        for invoice_id, status in rows(
            Collection.select(Collection.invoice, Collection.status).where(Collection.invoice.in_(list(ids)))
        ):
            states.setdefault(invoice_id, []).append(status)
    credited = credited_invoice_ids(invoice_ids)
    mandate_states: dict[int, list[str]] = {}
    for ids in _chunks([m.id for m in mandates.values()]):
        for mandate_id, status in rows(
            Collection.select(Collection.mandate, Collection.status).where(Collection.mandate.in_(list(ids)))
        ):
            mandate_states.setdefault(mandate_id, []).append(status)
    orgs = {o.id: o for ids in _chunks(org_ids) for o in Organisation.select().where(Organisation.id.in_(list(ids)))}
    due: Due = []
    for invoice in sorted(invoices, key=lambda i: (i.organisation_id, billing.invoice_number_key(i.number))):
        amount, last = paid.get(invoice.id, (billing.ZERO, None))
        standing = billing.invoice_standing(
            invoice.total, amount, invoice.date, collection_date, credited=invoice.id in credited, paid_on=last
        )
        if not standing.is_open or not billing.collectable(states.get(invoice.id, [])):
            continue
        mandate = mandates[invoice.organisation_id]
        sequence = billing.sequence_type(mandate_states.get(mandate.id, []))
        due.append((orgs[invoice.organisation_id], mandate, invoice, standing.open_amount, sequence))
    return due


def collect(
    collection_date: date, today: date, actor: str, write: Callable[[bytes], str], lang: str = "en"
) -> CollectResult:
    """Write one pain.008.001.02 batch of everything due by `collection_date` (through `write`,
    which puts the bytes in place and returns where) and record it, in one transaction: if
    writing fails nothing is recorded; if recording fails the file is removed again."""
    the_seller = seller()
    creditor_id = the_seller.get("creditor_id")
    if not creditor_id:
        raise Refused(t("error.no_creditor_id", lang))
    if collection_date < today:
        raise BadInput(t("error.collection_date_past", lang, date=collection_date.isoformat(), today=today.isoformat()))
    written: str | None = None
    try:
        with write_transaction():
            _lock_payments()
            due = _due(collection_date)
            if not due:
                return CollectResult(collection_date, None, None, ())
            data, message_id = _pain008(the_seller, creditor_id, collection_date, due)
            batch = CollectionBatch.create(
                message_id=message_id,
                collection_date=collection_date,
                path="",
                count=len(due),
                total=sum((amount for *_, amount, _seq in due), billing.ZERO),
            )
            fields = [
                Collection.batch,
                Collection.invoice,
                Collection.mandate,
                Collection.sequence_type,
                Collection.amount,
                Collection.status,
            ]
            for chunk in _chunks(due):
                Collection.insert_many(
                    [
                        (batch.id, invoice.id, mandate.id, sequence, amount, billing.COLLECTION_PENDING)
                        for _org, mandate, invoice, amount, sequence in chunk
                    ],
                    fields=fields,
                ).execute()
            items = tuple(
                CollectedInvoice(org.slug, invoice.number, amount, sequence, mandate.reference)
                for org, mandate, invoice, amount, sequence in due
            )
            for org_id, mine in _by_organisation(due):
                audit(
                    Context(org_id, actor, today),
                    "payments.collected",
                    None,
                    {
                        "batch": message_id,
                        "collection_date": collection_date,
                        "invoices": [
                            {"number": i.number, "amount": billing.as_text(a), "sequence_type": s}
                            for _o, _m, i, a, s in mine
                        ],
                    },
                )
            written = write(data)
            CollectionBatch.update(path=written).where(CollectionBatch.id == batch.id).execute()
    except BaseException:
        if written not in (None, "-"):
            try:
                os.unlink(written)  # recorded or not at all: the file does not outlive a failed commit
            except OSError:
                pass
        raise
    return CollectResult(collection_date, message_id, written, items)


def _by_organisation(due: Due) -> Iterator[tuple[int, Due]]:
    groups: dict[int, Due] = {}
    for item in due:
        groups.setdefault(item[0].id, []).append(item)
    yield from groups.items()


def _pain008(the_seller: dict[str, Any], creditor_id: str, collection_date: date, due: Due) -> tuple[bytes, str]:
    """The batch as pain.008.001.02 XML (sepaxml), checked against the XSD it ships, and its message id."""
    from sepaxml import SepaDD

    iban, bic = bank_details(the_seller["iban"])
    config = {
        "name": the_seller["name"],
        "IBAN": iban,
        "BIC": bic,
        "batch": True,
        "creditor_id": creditor_id,
        "currency": "EUR",
    }
    sepa = SepaDD(config, schema="pain.008.001.02", clean=True)
    for _org, mandate, invoice, amount, sequence in due:
        payment: dict[str, Any] = {
            "name": mandate.account_holder,
            "IBAN": mandate.iban,
            "amount": int(amount * 100),
            "type": sequence,
            "collection_date": collection_date,
            "mandate_id": mandate.reference,
            "mandate_date": mandate.signed_on,
            "description": f"Factuur {invoice.number} {the_seller['name']}",
            "endtoend_id": invoice.number,
        }
        if mandate.bic:
            payment["BIC"] = mandate.bic
        sepa.add_payment(payment)
    data = bytes(sepa.export(validate=False))
    _check_pain008(data)
    return data, str(sepa.msg_id)


@lru_cache(maxsize=1)
def _pain008_schema() -> Any:
    """The pain.008.001.02 XSD that sepaxml ships, loaded into lxml once (libxml2 validates 10,000
    transactions in a fraction of a second; sepaxml's own check, in pure Python, takes a minute)."""

    import sepaxml
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(Path(sepaxml.__file__).parent / "schemas" / "pain.008.001.02.xsd")))


def _check_pain008(data: bytes) -> None:
    """A batch that fails the schema is never written: a programming error, not the operator's."""
    from lxml import etree

    schema = _pain008_schema()
    if not schema.validate(etree.fromstring(data)):
        raise RuntimeError(f"the direct-debit batch fails the pain.008.001.02 schema: {schema.error_log.last_error}")


# --- import ------------------------------------------------------------------------------------------

CAMT_053 = (
    "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02",
    "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08",
)
INVOICE_NUMBER = re.compile(r"(?<![0-9])(20[0-9]{2}-[0-9]{4,})(?![0-9])")


@dataclass
class StatementTx:
    """One transaction of a statement entry (an entry of a batch booking has several)."""

    amount: Decimal
    credit: bool
    reversal: bool
    booked_on: date
    end_to_end: str
    remittance: list[str]
    iban: str
    name: str
    reason: str
    entry_key: str
    family: str  # the bank transaction code's family and sub-family, e.g. IDDT/ESDD, RCDT/ESCT

    def line(self) -> str:
        """The statement line as the operator reads it back."""
        sign = "" if self.credit else "-"
        text = " ".join(part for part in [*self.remittance, self.end_to_end] if part and part != "NOTPROVIDED")
        return (
            f"{self.booked_on.isoformat()} {sign}{billing.as_text(self.amount)} {self.name} {self.iban} {text}".strip()
        )


@dataclass
class StatementEntryRead:
    key: str
    booked_on: date
    amount: Decimal  # signed
    booked: bool
    transactions: list[StatementTx] = field(default_factory=list)


class _Camt:
    """Reads camt.053 with lxml: the parts of .001.02 and .001.08 used here have the same shape
    (only the entry status and a party's name moved a level down in .08, and both are tried)."""

    def __init__(self, ns: str) -> None:
        self.ns = ns
        self._paths: dict[str, str] = {}

    def path(self, steps: str) -> str:
        found = self._paths.get(steps)
        if found is None:
            found = self._paths[steps] = "/".join(f"{{{self.ns}}}{step}" for step in steps.split("/"))
        return found

    def text(self, element: Any, *paths: str) -> str:
        for steps in paths:
            found = element.find(self.path(steps))
            if found is not None and found.text:
                return str(found.text).strip()
        return ""

    def all_text(self, element: Any, steps: str) -> list[str]:
        return [str(e.text).strip() for e in element.findall(self.path(steps)) if e.text and e.text.strip()]


def parse_statement(data: bytes) -> list[StatementEntryRead]:
    """Every entry of every statement in a camt.053 file; BadInput (one line) for anything that is
    not one. Nothing of the database is touched here."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise BadInput(f"not a bank statement: the XML is malformed ({str(exc).splitlines()[0]})") from None
    ns = etree.QName(root).namespace or ""
    if etree.QName(root).localname != "Document" or ns not in CAMT_053:
        raise BadInput(f"not a camt.053.001.02 or .08 bank statement (found {etree.QName(root).text[:120]})")
    camt = _Camt(ns)
    statements = root.findall(camt.path("BkToCstmrStmt/Stmt"))
    if not statements:
        raise BadInput("not a bank statement: it holds no statement (BkToCstmrStmt/Stmt)")
    entries: list[StatementEntryRead] = []
    for statement in statements:
        account = camt.text(statement, "Acct/Id/IBAN", "Acct/Id/Othr/Id")
        for position, entry in enumerate(statement.findall(camt.path("Ntry")), start=1):
            entries.append(_entry(camt, statement, account, position, entry))
    return entries


def _amount(value: str, where: str) -> Decimal:
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise BadInput(f"not a bank statement: {where} has no amount ({value[:40]!r})") from None
    if amount < 0 or amount != amount.quantize(billing.CENT):
        raise BadInput(f"not a bank statement: {where} has an invalid amount ({value[:40]!r})")
    return amount


def _day(value: str, where: str) -> date:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise BadInput(f"not a bank statement: {where} has no booking date") from None


def _entry(camt: _Camt, statement: Any, account: str, position: int, entry: Any) -> StatementEntryRead:
    from lxml import etree

    reference = camt.text(entry, "AcctSvcrRef", "NtryRef")
    if reference:
        key = f"{account}:{reference}"
    else:  # no reference from the bank: the entry itself (with its statement's id) is its identity
        digest = hashlib.sha256(camt.text(statement, "Id").encode() + etree.tostring(entry, method="c14n")).hexdigest()[
            :40
        ]
        key = f"{account}:sha256:{digest}"
    where = f"entry {reference or position}"
    amount = _amount(camt.text(entry, "Amt"), where)
    credit = camt.text(entry, "CdtDbtInd") == "CRDT"
    if camt.text(entry, "CdtDbtInd") not in ("CRDT", "DBIT"):
        raise BadInput(f"not a bank statement: {where} is neither credit nor debit")
    reversal = camt.text(entry, "RvslInd").lower() == "true"
    booked_on = _day(camt.text(entry, "BookgDt/Dt", "BookgDt/DtTm", "ValDt/Dt"), where)
    booked = camt.text(entry, "Sts", "Sts/Cd") == "BOOK"
    family = "/".join(
        part
        for part in (
            camt.text(entry, "BkTxCd/Domn/Fmly/Cd"),
            camt.text(entry, "BkTxCd/Domn/Fmly/SubFmlyCd"),
        )
        if part
    )
    read = StatementEntryRead(key, booked_on, amount if credit else -amount, booked)
    details = entry.findall(camt.path("NtryDtls/TxDtls"))
    for tx in details or [entry]:
        own = camt.text(tx, "AmtDtls/TxAmt/Amt", "Amt")
        tx_amount = _amount(own, where) if own and details else amount
        party = "Dbtr" if credit else "Cdtr"
        remittance = camt.all_text(tx, "RmtInf/Ustrd") + camt.all_text(tx, "RmtInf/Strd/CdtrRefInf/Ref")
        if not details:
            remittance += camt.all_text(entry, "AddtlNtryInf")
        read.transactions.append(
            StatementTx(
                amount=tx_amount,
                credit=credit,
                reversal=reversal,
                booked_on=booked_on,
                end_to_end=camt.text(tx, "Refs/EndToEndId"),
                remittance=remittance,
                iban=camt.text(tx, f"RltdPties/{party}Acct/Id/IBAN"),
                name=camt.text(tx, f"RltdPties/{party}/Nm", f"RltdPties/{party}/Pty/Nm"),
                reason=camt.text(tx, "RtrInf/Rsn/Cd"),
                entry_key=key,
                family=family,
            )
        )
    return read


@dataclass(frozen=True)
class ReconciledLine:
    kind: str  # paid | partly_paid | returned | refunded | unmatched | overpaid | not_booked
    line: str
    invoice: str | None = None
    amount: Decimal | None = None
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "invoice": self.invoice,
            "amount": None if self.amount is None else billing.as_text(self.amount),
            "reason": self.reason,
            "line": self.line,
        }


@dataclass(frozen=True)
class ImportResult:
    entries: int
    already_imported: int
    lines: tuple[ReconciledLine, ...]

    def of(self, *kinds: str) -> list[ReconciledLine]:
        return [line for line in self.lines if line.kind in kinds]

    def to_json(self) -> dict[str, Any]:
        return {
            "entries": self.entries,
            "already_imported": self.already_imported,
            "payments": [line.to_json() for line in self.of("paid", "partly_paid")],
            "returned": [line.to_json() for line in self.of("returned", "refunded")],
            "unmatched": [line.to_json() for line in self.of("unmatched", "overpaid", "not_booked")],
        }


@dataclass
class _Open:
    """An invoice as the import sees it, kept up to date as the statement's lines are booked."""

    id: int
    org_id: int
    number: str
    date: date
    total: Decimal
    paid: Decimal
    credited: bool

    def open_amount(self) -> Decimal:
        return billing.ZERO if self.credited else max(billing.ZERO, self.total - self.paid)


class _Ledger:
    """The invoices a statement may touch, loaded in a few set-based queries, and what it books."""

    def __init__(self, transactions: list[StatementTx]) -> None:
        numbers = sorted(
            {n for tx in transactions for text in [*tx.remittance, tx.end_to_end] for n in INVOICE_NUMBER.findall(text)}
        )
        self.by_number: dict[str, _Open] = {}
        self.by_amount: dict[tuple[int, Decimal], list[_Open]] = {}  # (organisation, open amount)
        for chunk in _chunks(numbers):
            self._load(Invoice.number.in_(list(chunk)))
        # Exact amount + IBAN: the organisations whose billing details or mandates name the IBAN.
        ibans = sorted({tx.iban.replace(" ", "").upper() for tx in transactions if tx.iban})
        self.orgs_by_iban: dict[str, set[int]] = {}
        for chunk in _chunks(ibans):
            for org_id, iban in rows(
                BillingDetails.select(BillingDetails.organisation, BillingDetails.iban).where(
                    BillingDetails.iban.in_(list(chunk))
                )
            ):
                self.orgs_by_iban.setdefault(iban, set()).add(org_id)
            for org_id, iban in rows(
                PaymentMandate.select(PaymentMandate.organisation, PaymentMandate.iban).where(
                    PaymentMandate.iban.in_(list(chunk))
                )
            ):
                self.orgs_by_iban.setdefault(iban, set()).add(org_id)
        org_ids = sorted({o for found in self.orgs_by_iban.values() for o in found})
        for chunk in _chunks(org_ids):
            self._load(Invoice.organisation.in_(list(chunk)))
        self.payments: list[dict[str, Any]] = []
        self.collections: dict[int, tuple[str, str | None]] = {}  # invoice id -> new status, reason
        self.touched: dict[int, list[dict[str, Any]]] = {}  # organisation -> what was booked

    def _load(self, where: Any) -> None:
        found = [
            i
            for i in Invoice.select(
                Invoice.id, Invoice.organisation, Invoice.number, Invoice.date, Invoice.total
            ).where(where)
            if i.number not in self.by_number
        ]
        ids = [i.id for i in found]
        paid = paid_amounts(invoice_ids=ids) if ids else {}
        credited = credited_invoice_ids(ids)
        for i in found:
            invoice = _Open(
                i.id,
                i.organisation_id,
                i.number,
                i.date,
                i.total,
                paid.get(i.id, (billing.ZERO, None))[0],
                i.id in credited,
            )
            self.by_number[i.number] = invoice
            self._index(invoice)

    def named(self, tx: StatementTx) -> list[_Open]:
        """The invoices a line names (structured or unstructured remittance, end-to-end id), oldest first."""
        numbers = {n for text in [*tx.remittance, tx.end_to_end] for n in INVOICE_NUMBER.findall(text)}
        found = [self.by_number[n] for n in numbers if n in self.by_number]
        return sorted(found, key=lambda i: billing.invoice_number_key(i.number))

    def by_amount_and_iban(self, tx: StatementTx) -> _Open | None:
        """The oldest open invoice of exactly the line's amount, of an organisation paying from its IBAN."""
        orgs = self.orgs_by_iban.get(tx.iban.replace(" ", "").upper(), set())
        if not orgs:
            return None
        candidates = [
            i
            for org_id in orgs
            for i in self.by_amount.get((org_id, tx.amount), [])
            if i.open_amount() == tx.amount  # still: a line before this one may have paid it
        ]
        return min(candidates, key=lambda i: billing.invoice_number_key(i.number), default=None)

    def _index(self, invoice: _Open) -> None:
        self.by_amount.setdefault((invoice.org_id, invoice.open_amount()), []).append(invoice)

    def book(self, invoice: _Open, amount: Decimal, tx: StatementTx, kind: str, reason: str | None = None) -> None:
        invoice.paid += amount
        self._index(invoice)  # found by its new open amount from now on
        self.payments.append(
            dict(
                invoice=invoice.id,
                amount=amount,
                booked_on=tx.booked_on,
                kind=kind,
                reason_code=reason,
                entry=tx.entry_key,
            )
        )
        self.touched.setdefault(invoice.org_id, []).append(
            {"invoice": invoice.number, "amount": billing.as_text(amount), "kind": kind, "reason": reason}
        )


def _reconcile(tx: StatementTx, ledger: _Ledger) -> list[ReconciledLine]:
    line = tx.line()
    direct_debit = tx.family.startswith("IDDT") or bool(tx.reason)
    if not tx.credit and (tx.reason or tx.reversal or tx.family in ("IDDT/UPDD", "IDDT/PRDD")):
        return _returned(tx, ledger, line)
    if not tx.credit or tx.reversal:
        return [ReconciledLine("unmatched", line)]  # a debit that is no return: not a customer's payment
    named = [i for i in ledger.named(tx) if i.open_amount() > 0]
    if not named:
        single = ledger.by_amount_and_iban(tx)
        named = [single] if single is not None else []
    if not named:
        return [ReconciledLine("unmatched", line, amount=tx.amount)]
    parts, left = billing.allocate(tx.amount, [i.open_amount() for i in named])
    done: list[ReconciledLine] = []
    for invoice, part in zip(named, parts, strict=True):
        if part == 0:
            continue
        ledger.book(invoice, part, tx, "direct_debit" if direct_debit else "transfer")
        if direct_debit and tx.end_to_end == invoice.number:
            ledger.collections[invoice.id] = (billing.COLLECTION_COLLECTED, None)
        kind = "paid" if invoice.open_amount() == 0 else "partly_paid"
        done.append(ReconciledLine(kind, line, invoice.number, part))
    if left > 0:
        done.append(ReconciledLine("overpaid", line, amount=left))
    return done


def _returned(tx: StatementTx, ledger: _Ledger, line: str) -> list[ReconciledLine]:
    """A direct debit that came back: unpaid (AM04, MS02, ...) or refunded at the debtor's request
    (MD06). The invoice is open again for what came back; its collection no longer counts as
    having used the mandate, unless it was a refund (billing.sequence_type)."""
    named = ledger.named(tx)
    if not named:
        return [ReconciledLine("unmatched", line, amount=tx.amount, reason=tx.reason or None)]
    invoice = named[0]
    refunded = tx.reason in billing.REFUND_REASONS or tx.family == "IDDT/PRDD"
    back = min(tx.amount, invoice.paid)  # never more than was booked as paid on it
    if back > 0:
        ledger.book(invoice, -back, tx, "refunded" if refunded else "returned", tx.reason or None)
    else:
        ledger.touched.setdefault(invoice.org_id, []).append(
            {"invoice": invoice.number, "amount": "0.00", "kind": "returned", "reason": tx.reason or None}
        )
    ledger.collections[invoice.id] = (
        billing.COLLECTION_REFUNDED if refunded else billing.COLLECTION_RETURNED,
        tx.reason or None,
    )
    return [ReconciledLine("refunded" if refunded else "returned", line, invoice.number, tx.amount, tx.reason or None)]


def import_statement(data: bytes, today: date, actor: str) -> ImportResult:
    """Record the payments of a camt.053 statement, in one transaction; entries imported before
    are skipped (the same statement twice counts once)."""
    entries = parse_statement(data)  # all of it read before anything is written
    with write_transaction():
        _lock_payments()
        keys = [e.key for e in entries]
        known: set[str] = set()
        for chunk in _chunks(keys):
            known.update(
                k
                for (k,) in rows(
                    StatementEntry.select(StatementEntry.reference).where(StatementEntry.reference.in_(list(chunk)))
                )
            )
        fresh: list[StatementEntryRead] = []
        seen: set[str] = set()
        for entry in entries:
            if entry.key not in known and entry.key not in seen:
                fresh.append(entry)
                seen.add(entry.key)
        booked = [e for e in fresh if e.booked]
        ledger = _Ledger([tx for e in booked for tx in e.transactions])
        lines: list[ReconciledLine] = []
        for entry in fresh:
            if not entry.booked:
                lines.extend(ReconciledLine("not_booked", tx.line()) for tx in entry.transactions)
                continue
            for tx in entry.transactions:
                lines.extend(_reconcile(tx, ledger))
        _record(fresh, ledger, today, actor, lines)
    return ImportResult(len(entries), len(entries) - len(fresh), tuple(lines))


def _record(
    fresh: list[StatementEntryRead], ledger: _Ledger, today: date, actor: str, lines: list[ReconciledLine]
) -> None:
    booked = [e for e in fresh if e.booked]  # an entry not booked yet is read again next time
    for chunk in _chunks(booked):
        StatementEntry.insert_many(
            [(e.key, e.booked_on, e.amount) for e in chunk],
            fields=[StatementEntry.reference, StatementEntry.booked_on, StatementEntry.amount],
        ).execute()
    entry_ids: dict[str, int] = {}
    for chunk in _chunks([e.key for e in booked]):
        query = StatementEntry.select(StatementEntry.id, StatementEntry.reference).where(
            StatementEntry.reference.in_(list(chunk))
        )
        entry_ids.update({reference: entry_id for entry_id, reference in rows(query)})
    fields = [Payment.invoice, Payment.amount, Payment.booked_on, Payment.kind, Payment.reason_code, Payment.entry]
    payments = [
        (p["invoice"], p["amount"], p["booked_on"], p["kind"], p["reason_code"], entry_ids[p["entry"]])
        for p in ledger.payments
    ]
    for chunk in _chunks(payments):
        Payment.insert_many(list(chunk), fields=fields).execute()
    for invoice_id, (status, reason) in ledger.collections.items():
        latest = (
            Collection.select(Collection.id)
            .where(
                (Collection.invoice == invoice_id)
                & Collection.status.in_([billing.COLLECTION_PENDING, billing.COLLECTION_COLLECTED])
            )
            .order_by(Collection.id.desc())
            .first()
        )
        if latest is not None:
            Collection.update(status=status, reason_code=reason).where(Collection.id == latest.id).execute()
    for org_id, done in sorted(ledger.touched.items()):
        audit(Context(org_id, actor, today), "payments.imported", None, {"payments": done})
    if not fresh:
        return  # the same statement again: nothing is written, not even an event
    # The statement itself (how many lines, how many matched): no organisation of its own.
    audit(Context(0, actor, today), "payments.statement", None, _summary(fresh, lines), operator=True)


def _summary(fresh: Iterable[StatementEntryRead], lines: list[ReconciledLine]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.kind] = counts.get(line.kind, 0) + 1
    return {"entries": sum(1 for _ in fresh), **counts}
