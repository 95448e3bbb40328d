"""Payments at scale: `payments collect` of 10,000 invoices and `payments import` of a 10,000-line
bank statement against 10,000 open invoices, each as a whole process on SQLite (a scratch file).

    python bench/payments.py [--invoices 10000] [--orgs 1000] [--runs 3] [--keep]

The data is made set-based through the models (organisations, a mandate each, invoices spread over
them); the statement (tests/camt.py, the real-bank structure the tests use) has one entry per line:
80% credit transfers naming their invoice in the remittance information, 10% paying the exact
amount from the organisation's IBAN without a reference, 5% returned direct debits (AM04) and 5%
unrelated lines. Each run works on a fresh copy of the database; the figure is the median.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
TODAY = date(2026, 12, 1)


def make_database(path: Path, invoices: int, orgs: int) -> None:
    from schwifty import IBAN

    from tribe_tui.db import open_database, write_transaction
    from tribe_tui.migrations import seller
    from tribe_tui.models import BillingDetails, Invoice, InvoiceCounter, Organisation, PaymentMandate

    open_database(f"sqlite:///{path}")
    with write_transaction():
        Organisation.insert_many(
            [
                dict(
                    slug=f"org-{i}",
                    name=f"Organisatie {i} B.V.",
                    edition="tribe",
                    period_start=date(2026, 6, 1),
                    paid_until=date(2027, 5, 31),
                )
                for i in range(orgs)
            ]
        ).execute()
        ids = [o.id for o in Organisation.select(Organisation.id).order_by(Organisation.id)]
        ibans = {org_id: str(IBAN.generate("NL", bank_code="RABO", account_code=f"{org_id:010d}")) for org_id in ids}
        BillingDetails.insert_many(
            [dict(organisation=org_id, company_name=f"Organisatie {org_id} B.V.", iban=ibans[org_id]) for org_id in ids]
        ).execute()
        PaymentMandate.insert_many(
            [
                dict(
                    organisation=org_id,
                    reference=f"TRIBE-{org_id:06d}-1",
                    iban=ibans[org_id],
                    bic="RABONL2U",
                    account_holder=f"Organisatie {org_id} B.V.",
                    signed_on=date(2026, 6, 1),
                    signer_name="bench",
                )
                for org_id in ids
            ]
        ).execute()
        the_seller = json.dumps(seller(), sort_keys=True)
        rows = []
        for n in range(1, invoices + 1):
            total = Decimal(100 + n % 900) + Decimal(n % 100) / 100
            rows.append(
                dict(
                    organisation=ids[n % len(ids)],
                    number=f"2026-{n:04d}",
                    date=date(2026, 11, 1),
                    reason="licences",
                    period_start=date(2026, 11, 1),
                    period_end=date(2027, 5, 31),
                    subtotal=total,
                    vat_rate="0",
                    vat=Decimal("0.00"),
                    total=total,
                    seller=the_seller,
                    customer="{}",
                )
            )
        for start in range(0, len(rows), 2000):
            Invoice.insert_many(rows[start : start + 2000]).execute()
        InvoiceCounter.insert(year=2026, last=invoices).execute()


def make_statement(path: Path, db: Path, lines: int) -> None:
    from tests.camt import Entry, Tx, statement
    from tribe_tui.db import open_database
    from tribe_tui.models import BillingDetails, Invoice

    open_database(f"sqlite:///{db}")
    ibans = dict(BillingDetails.select(BillingDetails.organisation, BillingDetails.iban).tuples())
    invoices = list(Invoice.select(Invoice.number, Invoice.organisation, Invoice.total).order_by(Invoice.id).tuples())
    entries = []
    for i in range(lines):
        number, org_id, total = invoices[i % len(invoices)]
        kind = i % 20
        ref = f"BENCH-{i:06d}"
        if kind < 16:  # named in the remittance information
            entries.append(
                Entry(
                    ref,
                    True,
                    "RCDT/ESCT",
                    [Tx(total, name="Klant", iban=ibans[org_id], unstructured=f"Factuur {number}")],
                )
            )
        elif kind < 18:  # exact amount from the organisation's IBAN
            entries.append(Entry(ref, True, "RCDT/ESCT", [Tx(total, name="Klant", iban=ibans[org_id])]))
        elif kind < 19:  # a returned direct debit
            entries.append(
                Entry(
                    ref,
                    False,
                    "IDDT/UPDD",
                    [Tx(total, number, f"TRIBE-{org_id:06d}-1", "Klant", ibans[org_id], reason="AM04")],
                )
            )
        else:  # unrelated
            entries.append(
                Entry(
                    ref,
                    True,
                    "RCDT/ESCT",
                    [Tx(Decimal("12.34"), name="Onbekend", iban="NL20INGB0001234567", unstructured="gift")],
                )
            )
    path.write_bytes(statement(entries, statement_id="BENCH"))


CPU: dict[str, list[float]] = {}


def timed(argv: list[str], env: dict[str, str], name: str = "") -> tuple[float, str]:
    """Wall time of the whole process; its CPU time (user + system) is kept in CPU[name]: on a
    shared, loaded machine the wall time mostly measures the wait for a core."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.setdefault(name, []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr}")
    return elapsed, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=10_000)
    parser.add_argument("--orgs", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="tribe-bench-payments-"))
    tribe = str(Path(sys.executable).with_name("tribe-tui"))
    env = {**os.environ, "TRIBE_TODAY": TODAY.isoformat(), "TRIBE_LANG": "en"}
    try:
        base = scratch / "base.db"
        started = time.perf_counter()
        make_database(base, args.invoices, args.orgs)
        made = time.perf_counter() - started
        camt = scratch / "camt053.xml"
        make_statement(camt, base, args.invoices)
        print(
            f"data: {args.invoices} invoices over {args.orgs} organisations in {made:.1f} s; statement {camt.stat().st_size / 1e6:.1f} MB"
        )
        collect, first, again = [], [], []
        for run in range(args.runs):
            copy = scratch / f"run{run}.db"
            shutil.copy(base, copy)
            url = f"sqlite:///{copy}"
            due = (TODAY + timedelta(days=14)).isoformat()
            seconds, out = timed(
                [tribe, "--db", url, "--json", "payments", "collect", "--date", due, str(scratch / f"batch{run}.xml")],
                env,
                "collect",
            )
            assert json.loads(out)["count"] == args.invoices, out[:200]
            collect.append(seconds)
            fresh = scratch / f"import{run}.db"
            shutil.copy(base, fresh)
            url = f"sqlite:///{fresh}"
            seconds, out = timed([tribe, "--db", url, "--json", "payments", "import", str(camt)], env, "import")
            result = json.loads(out)
            first.append(seconds)
            seconds, out = timed([tribe, "--db", url, "--json", "payments", "import", str(camt)], env, "again")
            assert json.loads(out)["already_imported"] == args.invoices
            again.append(seconds)
        print(
            f"matched {len(result['payments'])}, returned {len(result['returned'])}, unmatched {len(result['unmatched'])}"
        )
        for name, values, key in (
            (f"payments collect, {args.invoices} invoices", collect, "collect"),
            (f"payments import, {args.invoices} lines", first, "import"),
            ("payments import, same statement again", again, "again"),
        ):
            print(
                f"{name:<45} median {statistics.median(values):.2f} s wall, "
                f"{statistics.median(CPU[key]):.2f} s CPU  ({', '.join(f'{v:.2f}' for v in values)})"
            )
        print(f"load average after: {os.getloadavg()[0]:.1f}")
    finally:
        if args.keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
