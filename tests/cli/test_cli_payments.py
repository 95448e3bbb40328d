"""The seller's side: `payments collect` writes a SEPA direct-debit batch (pain.008.001.02, checked
against the official XSD), `payments import` reconciles a camt.053 bank statement. Run on both
database engines (TRIBE_TEST_BACKEND=postgres)."""

from __future__ import annotations

import os
import stat
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from tests.camt import Entry, Tx, statement
from tests.helpers import ok

PAIN = "{urn:iso:std:iso:20022:tech:xsd:pain.008.001.02}"
ACME_IBAN = "NL44RABO0123456789"
BETA_IBAN = "DE89370400440532013000"


def _pain008_schema() -> etree.XMLSchema:
    """The official ISO 20022 pain.008.001.02 schema, as sepaxml ships it."""
    import sepaxml

    return etree.XMLSchema(etree.parse(str(Path(sepaxml.__file__).parent / "schemas" / "pain.008.001.02.xsd")))


def _init(cli, name: str, email: str, username: str, iban: str) -> str:
    made = ok(
        cli(
            "init",
            "--org",
            name,
            "--admin-email",
            email,
            "--admin-username",
            username,
            "--licences",
            "3",
            "--start",
            "2026-06-01",
            "--billing",
            f"iban={iban}",
            "--json",
        )
    ).json
    return made["organisation"]


@pytest.fixture
def two(cli):
    """Acme pays by direct debit, Beta by bank transfer; each has its first invoice (issued 26 Nov
    2026, due 10 Dec 2026, € 1.306,80)."""
    acme = _init(cli, "Acme B.V.", "admin@acme.nl", "acme", ACME_IBAN)
    beta = _init(cli, "Beta GmbH", "admin@beta.de", "beta", BETA_IBAN)
    ok(cli("mandate", "sign", "--yes", "--org", acme))
    return acme, beta


def _invoices(cli, org: str) -> dict[str, dict]:
    return {row["number"]: row for row in ok(cli("invoices", "list", "--json", "--org", org)).json}


def _rows(model) -> list[tuple]:
    from tribe_tui.db import open_database

    open_database(os.environ["TRIBE_DATABASE_URL"])
    return [tuple(r) for r in model.select().order_by(model.id).tuples()]


def _payment_tables() -> dict[str, list[tuple]]:
    from tribe_tui.models import AuditEvent, Collection, CollectionBatch, Payment, StatementEntry

    return {m.__name__: _rows(m) for m in (Payment, StatementEntry, Collection, CollectionBatch, AuditEvent)}


def test_collect_writes_a_valid_pain008_once(cli, two, tmp_path):
    acme, beta = two
    nothing = ok(cli("payments", "collect", "--date", "2026-12-09", str(tmp_path / "early.xml"), "--json")).json
    assert nothing["count"] == 0 and not (tmp_path / "early.xml").exists()  # not due before 10 December

    path = tmp_path / "batch.xml"
    result = ok(cli("payments", "collect", "--date", "2026-12-10", str(path), "--json")).json
    assert [(i["organisation"], i["invoice"], i["amount"], i["sequence_type"]) for i in result["invoices"]] == [
        (acme, "2026-0001", "1306.80", "FRST")
    ]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    document = etree.parse(str(path))
    _pain008_schema().assertValid(document)
    tx = document.find(f".//{PAIN}DrctDbtTxInf")
    assert tx.findtext(f"{PAIN}PmtId/{PAIN}EndToEndId") == "2026-0001"
    assert tx.findtext(f"{PAIN}DrctDbtTx/{PAIN}MndtRltdInf/{PAIN}MndtId") == "TRIBE-000001-1"
    assert tx.findtext(f"{PAIN}DrctDbtTx/{PAIN}MndtRltdInf/{PAIN}DtOfSgntr") == "2026-11-26"
    assert tx.findtext(f"{PAIN}DbtrAcct/{PAIN}Id/{PAIN}IBAN") == ACME_IBAN
    assert document.findtext(f".//{PAIN}PmtTpInf/{PAIN}SeqTp") == "FRST"
    assert document.findtext(f".//{PAIN}CdtrSchmeId/{PAIN}Id/{PAIN}PrvtId/{PAIN}Othr/{PAIN}Id") == "NL69ZZZ123456780000"
    assert document.findtext(f".//{PAIN}ReqdColltnDt") == "2026-12-10"

    before = path.read_bytes()
    refused = cli("payments", "collect", "--date", "2026-12-10", str(path))  # no overwrite without --force
    assert refused.code == 1 and path.read_bytes() == before
    again = ok(cli("payments", "collect", "--date", "2026-12-31", str(tmp_path / "again.xml"), "--json")).json
    assert again["count"] == 0  # never the same invoice in two batches
    assert _invoices(cli, beta)["2026-0002"]["status"] == "open"  # bank transfer: never collected


def test_collect_skips_a_withdrawn_mandate(cli, two, tmp_path):
    acme, _ = two
    ok(cli("mandate", "withdraw", "--yes", "--org", acme))
    assert ok(cli("payments", "collect", "--date", "2026-12-10", str(tmp_path / "b.xml"), "--json")).json["count"] == 0


def _collect(cli, tmp_path, name: str, date: str = "2026-12-10") -> dict:
    return ok(cli("payments", "collect", "--date", date, str(tmp_path / name), "--json")).json


def test_statement_reconciles_and_twice_imported_counts_once(cli, two, tmp_path):
    acme, beta = two
    _collect(cli, tmp_path, "batch.xml")
    ok(cli("licences", "add", "1", "--org", beta))  # Beta's 2026-0003: € 110,54 + VAT
    beta_second = _invoices(cli, beta)["2026-0003"]
    data = statement(
        [
            # The direct-debit batch, booked as one entry with a TxDtls per collection.
            Entry(
                "ABN-DD-0001",
                True,
                "IDDT/ESDD",
                [
                    Tx(Decimal("1306.80"), "2026-0001", "TRIBE-000001-1", "Acme B.V.", ACME_IBAN, "Factuur 2026-0001"),
                ],
                info="SEPA Incasso batch",
            ),
            # Beta pays part of its first invoice, naming it in the unstructured remittance.
            Entry(
                "ABN-CT-0002",
                True,
                "RCDT/ESCT",
                [
                    Tx(
                        Decimal("300.00"),
                        name="Beta GmbH",
                        iban=BETA_IBAN,
                        unstructured="Rechnung 2026-0002 Teilzahlung",
                    )
                ],
            ),
            # Beta pays its second invoice exactly, without a reference: amount and IBAN.
            Entry(
                "ABN-CT-0003", True, "RCDT/ESCT", [Tx(Decimal(beta_second["total"]), name="Beta GmbH", iban=BETA_IBAN)]
            ),
            # Someone unknown pays something unrelated.
            Entry(
                "ABN-CT-0004",
                True,
                "RCDT/ESCT",
                [Tx(Decimal("42.00"), name="J. Jansen", iban="NL20INGB0001234567", unstructured="lidmaatschap")],
            ),
            # Bank costs: a debit that is no return.
            Entry("ABN-FEE-0005", False, "CCRD/CHRG", [Tx(Decimal("4.50"), name="ABN AMRO", unstructured="Kosten")]),
        ]
    )
    path = tmp_path / "camt053.xml"
    path.write_bytes(data)
    first = ok(cli("payments", "import", str(path), "--json")).json
    assert (first["entries"], first["already_imported"]) == (5, 0)
    assert sorted((p["kind"], p["invoice"], p["amount"]) for p in first["payments"]) == sorted(
        [
            ("paid", "2026-0001", "1306.80"),
            ("partly_paid", "2026-0002", "300.00"),
            ("paid", "2026-0003", beta_second["total"]),
        ]
    )
    assert [u["amount"] for u in first["unmatched"]] == ["42.00", None]
    assert "J. Jansen" in first["unmatched"][0]["line"] and "lidmaatschap" in first["unmatched"][0]["line"]

    acme_invoice = _invoices(cli, acme)["2026-0001"]
    assert (acme_invoice["status"], acme_invoice["paid_on"], acme_invoice["open_amount"]) == (
        "paid",
        "2026-12-01",
        "0.00",
    )
    beta_invoices = _invoices(cli, beta)
    assert (beta_invoices["2026-0002"]["status"], beta_invoices["2026-0002"]["open_amount"]) == (
        "partly_paid",
        "1006.80",
    )
    assert beta_invoices["2026-0003"]["status"] == "paid"
    text = ok(cli("payments", "import", str(path), "--lang", "nl")).out  # the second time: nothing new
    assert "5 posten gelezen (5 al eerder ingelezen)" in text

    before = _payment_tables()
    assert ok(cli("payments", "import", str(path), "--json")).json["already_imported"] == 5
    assert _payment_tables() == before


def test_a_returned_direct_debit_reopens_the_invoice_and_is_collected_first_again(cli, two, tmp_path):
    acme, _ = two
    _collect(cli, tmp_path, "batch1.xml")
    collected = Entry(
        "DD-1", True, "IDDT/ESDD", [Tx(Decimal("1306.80"), "2026-0001", "TRIBE-000001-1", "Acme B.V.", ACME_IBAN)]
    )
    (tmp_path / "s1.xml").write_bytes(statement([collected], statement_id="S1"))
    ok(cli("payments", "import", str(tmp_path / "s1.xml")))
    assert _invoices(cli, acme)["2026-0001"]["status"] == "paid"

    returned = Entry(
        "RET-1",
        False,
        "IDDT/UPDD",
        [Tx(Decimal("1306.80"), "2026-0001", "TRIBE-000001-1", "Acme B.V.", ACME_IBAN, reason="AM04")],
        booked_on=__import__("datetime").date(2026, 12, 12),
    )
    (tmp_path / "s2.xml").write_bytes(statement([returned], statement_id="S2"))
    result = ok(cli("payments", "import", str(tmp_path / "s2.xml"), "--json")).json
    assert [(r["kind"], r["invoice"], r["reason"]) for r in result["returned"]] == [("returned", "2026-0001", "AM04")]
    reopened = _invoices(cli, acme)["2026-0001"]
    assert (reopened["status"], reopened["open_amount"]) == ("open", "1306.80")  # due 10 Dec; today 26 Nov

    # Collected again: the first collection came back unpaid, so this is FRST again.
    again = _collect(cli, tmp_path, "batch2.xml", "2026-12-20")
    assert [(i["invoice"], i["sequence_type"]) for i in again["invoices"]] == [("2026-0001", "FRST")]

    # The second goes through, then the debtor has it refunded (MD06): the mandate was used (RCUR
    # next), the invoice is open again, and it is not collected again by itself.
    paid = Entry(
        "DD-2", True, "IDDT/ESDD", [Tx(Decimal("1306.80"), "2026-0001", "TRIBE-000001-1", "Acme B.V.", ACME_IBAN)]
    )
    refund = Entry(
        "RET-2",
        False,
        "IDDT/PRDD",
        [Tx(Decimal("1306.80"), "2026-0001", "TRIBE-000001-1", "Acme B.V.", ACME_IBAN, reason="MD06")],
    )
    (tmp_path / "s3.xml").write_bytes(statement([paid, refund], statement_id="S3"))
    result = ok(cli("payments", "import", str(tmp_path / "s3.xml"), "--json")).json
    assert [(r["kind"], r["reason"]) for r in result["returned"]] == [("refunded", "MD06")]
    assert _invoices(cli, acme)["2026-0001"]["open_amount"] == "1306.80"
    assert _collect(cli, tmp_path, "batch3.xml", "2026-12-31")["count"] == 0

    from tribe_tui import billing
    from tribe_tui.models import Collection

    states = [c.status for c in Collection.select().order_by(Collection.id)]
    assert states == ["returned", "refunded"]
    assert billing.sequence_type(states) == "RCUR"


def test_a_camt053_001_08_statement_reads_the_same(cli, two, tmp_path):
    _, beta = two
    data = statement(
        [
            Entry(
                "V8-1",
                True,
                "RCDT/ESCT",
                [Tx(Decimal("1306.80"), name="Beta GmbH", iban=BETA_IBAN, structured="2026-0002")],
            )
        ],
        version="08",
    )
    (tmp_path / "s.xml").write_bytes(data)
    ok(cli("payments", "import", str(tmp_path / "s.xml")))
    assert _invoices(cli, beta)["2026-0002"]["status"] == "paid"


@pytest.mark.parametrize(
    "content",
    [
        b"this is no XML",
        b"<?xml version='1.0'?><Document xmlns='urn:iso:std:iso:20022:tech:xsd:pain.008.001.02'/>",
        b"<?xml version='1.0'?><Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.053.001.02'><BkToCstmrStmt/></Document>",
        statement([Entry("X-1", True, "RCDT/ESCT", [Tx(Decimal("1.00"))])]).replace(b">1.00<", b">1,00<"),
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><d>&e;</d>',
    ],
    ids=["not-xml", "foreign", "no-statement", "bad-amount", "external-entity"],
)
def test_a_malformed_or_foreign_file_is_refused_and_records_nothing(cli, two, tmp_path, content):
    path = tmp_path / "in.xml"
    path.write_bytes(content)
    before = _payment_tables()
    result = cli("payments", "import", str(path))
    assert result.code == 2 and result.err.count("\n") == 1 and result.err.startswith("tribe-tui: ")
    assert _payment_tables() == before


def test_collect_says_what_it_collected(cli, two, tmp_path):
    text = ok(cli("payments", "collect", "--date", "2026-12-10", str(tmp_path / "b.xml"), "--lang", "nl")).out
    assert text.startswith("1 factuur, €\xa01.306,80, te incasseren op 10 december 2026: ")
    assert "2026-0001" in text and "FRST  TRIBE-000001-1" in text


def test_a_collection_date_in_the_past_is_bad_input(cli, two, tmp_path):
    result = cli("payments", "collect", "--date", "2026-11-25", str(tmp_path / "b.xml"), "--lang", "nl")
    assert result.code == 2 and "De incassodatum 2026-11-25 ligt vóór vandaag (2026-11-26)" in result.err
    assert not (tmp_path / "b.xml").exists()
    assert cli("payments", "collect", "--date", "26-11-2026", str(tmp_path / "b.xml")).code == 2
