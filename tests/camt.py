"""Bank statements for the tests: ISO 20022 camt.053 built the way Dutch banks send them (a group
header; a statement with its account, opening and closing balance and summary; booked entries with
the bank's reference and transaction code; a SEPA direct-debit batch as one entry with a TxDtls per
collection; a returned debit with its reason code)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

SELLER_IBAN = "NL91ABNA0417164300"
NS = {
    "02": "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02",
    "08": "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08",
}


@dataclass
class Tx:
    amount: Decimal
    end_to_end: str = "NOTPROVIDED"
    mandate: str | None = None
    name: str = ""
    iban: str = ""
    unstructured: str | None = None
    structured: str | None = None  # a creditor reference (Strd/CdtrRefInf/Ref)
    reason: str | None = None  # RtrInf/Rsn/Cd of a returned direct debit


@dataclass
class Entry:
    reference: str  # AcctSvcrRef: the bank's unique reference of the entry
    credit: bool
    family: str  # RCDT/ESCT (credit transfer in), IDDT/ESDD (direct debit collected), IDDT/UPDD (returned)
    txs: list[Tx] = field(default_factory=list)
    booked_on: date = date(2026, 12, 1)
    status: str = "BOOK"
    info: str = ""

    @property
    def amount(self) -> Decimal:
        return sum((tx.amount for tx in self.txs), Decimal("0.00"))


def _tx(tx: Tx, credit: bool, version: str) -> str:
    party, account = ("Dbtr", "DbtrAcct") if credit else ("Cdtr", "CdtrAcct")
    name = f"<Nm>{escape(tx.name)}</Nm>" if tx.name else ""
    party_xml = f"<{party}><Pty>{name}</Pty></{party}>" if version == "08" else f"<{party}>{name}</{party}>"
    refs = f"<EndToEndId>{escape(tx.end_to_end)}</EndToEndId>" + (
        f"<MndtId>{escape(tx.mandate)}</MndtId>" if tx.mandate else ""
    )
    remittance = ""
    if tx.unstructured is not None:
        remittance += f"<Ustrd>{escape(tx.unstructured)}</Ustrd>"
    if tx.structured is not None:
        remittance += (
            "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
            f"<Ref>{escape(tx.structured)}</Ref></CdtrRefInf></Strd>"
        )
    return (
        "<TxDtls>"
        f"<Refs>{refs}</Refs>"
        f'<AmtDtls><TxAmt><Amt Ccy="EUR">{tx.amount:.2f}</Amt></TxAmt></AmtDtls>'
        "<RltdPties>"
        + party_xml
        + (f"<{account}><Id><IBAN>{tx.iban}</IBAN></Id></{account}>" if tx.iban else "")
        + "</RltdPties>"
        + (f"<RmtInf>{remittance}</RmtInf>" if remittance else "")
        + (f"<RtrInf><Rsn><Cd>{tx.reason}</Cd></Rsn></RtrInf>" if tx.reason else "")
        + "</TxDtls>"
    )


def _entry(entry: Entry, version: str) -> str:
    family, sub = entry.family.split("/")
    status = f"<Sts><Cd>{entry.status}</Cd></Sts>" if version == "08" else f"<Sts>{entry.status}</Sts>"
    batch = f"<Btch><NbOfTxs>{len(entry.txs)}</NbOfTxs></Btch>" if len(entry.txs) > 1 else ""
    return (
        "<Ntry>"
        f'<Amt Ccy="EUR">{entry.amount:.2f}</Amt>'
        f"<CdtDbtInd>{'CRDT' if entry.credit else 'DBIT'}</CdtDbtInd>"
        f"{status}"
        f"<BookgDt><Dt>{entry.booked_on.isoformat()}</Dt></BookgDt>"
        f"<ValDt><Dt>{entry.booked_on.isoformat()}</Dt></ValDt>"
        f"<AcctSvcrRef>{escape(entry.reference)}</AcctSvcrRef>"
        f"<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>{family}</Cd><SubFmlyCd>{sub}</SubFmlyCd></Fmly></Domn>"
        "<Prtry><Cd>N944</Cd><Issr>ABNAMRO</Issr></Prtry></BkTxCd>"
        f"<NtryDtls>{batch}{''.join(_tx(tx, entry.credit, version) for tx in entry.txs)}</NtryDtls>"
        + (f"<AddtlNtryInf>{escape(entry.info)}</AddtlNtryInf>" if entry.info else "")
        + "</Ntry>"
    )


def statement(entries: list[Entry], *, statement_id: str = "STMT-2026-12-01", version: str = "02") -> bytes:
    credits = sum((e.amount for e in entries if e.credit), Decimal("0.00"))
    debits = sum((e.amount for e in entries if not e.credit), Decimal("0.00"))
    opening = Decimal("10000.00")
    closing = opening + credits - debits

    def balance(code: str, amount: Decimal) -> str:
        return (
            f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
            f'<Amt Ccy="EUR">{amount:.2f}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
            "<Dt><Dt>2026-12-01</Dt></Dt></Bal>"
        )

    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<Document xmlns="{NS[version]}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<BkToCstmrStmt>"
        f"<GrpHdr><MsgId>{statement_id}-MSG</MsgId><CreDtTm>2026-12-02T06:00:00</CreDtTm></GrpHdr>"
        "<Stmt>"
        f"<Id>{statement_id}</Id><ElctrncSeqNb>335</ElctrncSeqNb><CreDtTm>2026-12-02T06:00:00</CreDtTm>"
        f"<Acct><Id><IBAN>{SELLER_IBAN}</IBAN></Id><Ccy>EUR</Ccy>"
        "<Svcr><FinInstnId><BIC>ABNANL2A</BIC></FinInstnId></Svcr></Acct>"
        + balance("OPBD", opening)
        + balance("CLBD", closing)
        + f"<TxsSummry><TtlNtries><NbOfNtries>{len(entries)}</NbOfNtries></TtlNtries></TxsSummry>"
        + "".join(_entry(e, version) for e in entries)
        + "</Stmt></BkToCstmrStmt></Document>"
    )
    return xml.encode("utf-8")
