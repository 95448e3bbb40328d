"""Many organisations at once, with their history, by bulk inserts (not one `init` process each).

    python bench/generate.py --db postgresql://postgres@127.0.0.1/tribe_bench --organisations 10000

Each organisation: N licences held by N employees (the first an admin who can sign in with
BENCH_PASSWORD), billing details, two modules, the first period's invoice and a mid-period licence
invoice (with lines, their mail sent), audit events, an SSH key, an accepted invitation and a failed
sign-in; every period runs START .. START + 1 year
- 1 day, so all are due for renewal on RENEWAL_DAY. Invoice numbers continue the year's counter.
The tests use it too (tests/reliability/test_billing_runners.py, tests/services/test_query_plans.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

START = date(2026, 1, 1)
RENEWAL_DAY = "2027-01-01"
BENCH_PASSWORD = "Bench-wachtwoord-2026"
MODULES = ("projects", "exact-online")  # a module and an integration: both renew
BATCH = 250  # organisations per transaction


def _next_id(model) -> int:
    from peewee import fn

    return int(model.select(fn.COALESCE(fn.MAX(model.id), 0)).scalar()) + 1


def _insert(model, rows: list[dict]) -> None:
    for i in range(0, len(rows), 2000):
        model.insert_many(rows[i : i + 2000]).execute()


def generate(organisations: int, licences: int = 30, *, prefix: str = "bench", start: date = START) -> list[str]:
    """Add `organisations` organisations to the open database; returns their slugs."""
    from tribe_tui import billing
    from tribe_tui.db import current, is_sqlite, write_transaction
    from tribe_tui.i18n import labels
    from tribe_tui.migrations import seller
    from tribe_tui.models import (
        AuditEvent,
        BillingDetails,
        Edition,
        Employee,
        Invitation,
        Invoice,
        InvoiceCounter,
        InvoiceLine,
        Licence,
        Module,
        Organisation,
        OrganisationModule,
        OutboxMessage,
        SignInFailure,
        SshKey,
    )
    from tribe_tui.services._prices import latest_catalogue_version, priced_edition, priced_module
    from tribe_tui.services.auth import hash_password

    end = billing.period_end(start)
    prices = latest_catalogue_version()
    modules = [priced_module(Module.get_by_id(code), prices) for code in MODULES]
    charge = billing.period_charge(
        licences,
        priced_edition(Edition.get_by_id("tribe"), prices),
        modules,
        start,
        billing.vat_for("NL", None),
        labels("nl"),
    )
    added_on = start + timedelta(days=60)
    extra = billing.licence_add_charge(
        1,
        priced_edition(Edition.get_by_id("tribe"), prices),
        [m for m in modules if m.per_user],
        added_on,
        billing.Period(start, end),
        billing.vat_for("NL", None),
        labels("nl"),
    )
    password = hash_password(BENCH_PASSWORD)
    seller_json = json.dumps(seller(), sort_keys=True)
    now = datetime(start.year, start.month, start.day, 9, 0)
    slugs: list[str] = []

    for first in range(0, organisations, BATCH):
        count = min(BATCH, organisations - first)
        with write_transaction():
            org_id, emp_id, lic_id, inv_id = (_next_id(m) for m in (Organisation, Employee, Licence, Invoice))
            InvoiceCounter.insert(year=start.year, last=0).on_conflict_ignore().execute()
            number = int(InvoiceCounter.get_by_id(start.year).last)
            orgs, details, people, seats, mods, invoices, lines, mails, events = ([] for _ in range(9))
            invitations, keys, failures = [], [], []
            for k in range(count):
                n = first + k + 1
                oid, slug = org_id + k, f"{prefix}-{n:05d}"
                slugs.append(slug)
                name = f"Bench {n:05d} B.V."
                orgs.append(
                    dict(
                        id=oid,
                        slug=slug,
                        name=name,
                        edition="tribe",
                        period_start=start,
                        paid_until=end,
                        status="active",
                        language="nl",
                        catalogue_version=prices,
                        created_at=now,
                    )
                )
                details.append(
                    dict(
                        organisation=oid,
                        company_name=name,
                        address=f"Straat {n}",
                        postcode="1012 AB",
                        city="Amsterdam",
                        country="NL",
                        invoice_email=f"factuur@{slug}.example",
                    )
                )
                for j in range(licences):
                    eid = emp_id + k * licences + j
                    people.append(
                        dict(
                            id=eid,
                            organisation=oid,
                            name=f"Medewerker {j:02d} {n:05d}",
                            email=f"m{j}@{slug}.example",
                            username=f"{slug}-admin" if j == 0 else None,
                            password_hash=password if j == 0 else None,
                            role="admin" if j == 0 else "user",
                            former=False,
                            created_at=now,
                            last_sign_in_on=start + timedelta(days=j),
                        )
                    )
                    seats.append(
                        dict(
                            id=lic_id + k * licences + j,
                            organisation=oid,
                            holder=eid,
                            auto_renew=j % 10 != 9,
                            created_on=start,
                        )
                    )
                for code in MODULES:
                    mods.append(dict(organisation=oid, module=code, active=True, renews=True, added_on=start))
                for m, (reason, on, bill) in enumerate((("initial", start, charge), ("licences", added_on, extra))):
                    iid = inv_id + 2 * k + m
                    number += 1
                    invoices.append(
                        dict(
                            id=iid,
                            organisation=oid,
                            number=f"{start.year}-{number:04d}",
                            date=on,
                            reason=reason,
                            period_start=on,
                            period_end=end,
                            subtotal=bill.subtotal,
                            vat_rate=billing.rate_text(bill.vat_rate),
                            vat=bill.vat,
                            total=bill.total,
                            seller=seller_json,
                            customer=json.dumps({"organisation": name}),
                            created_at=now,
                        )
                    )
                    for p, line in enumerate(bill.lines, start=1):
                        lines.append(
                            dict(
                                invoice=iid,
                                position=p,
                                description=line.description,
                                quantity=line.quantity,
                                unit_price=line.unit_price,
                                days=line.days,
                                period_days=line.period_days,
                                amount=line.amount,
                                period_from=line.period_from,
                                period_to=line.period_to,
                            )
                        )
                    mails.append(
                        dict(
                            organisation=oid,
                            recipient=f"factuur@{slug}.example",
                            subject=f"Factuur {number}",
                            body="",
                            created_at=now,
                            sent_at=now,
                            attempts=1,
                            sent_via="bench",
                            invoice=iid,
                        )
                    )
                admin_id = emp_id + k * licences
                keys.append(
                    dict(
                        employee=admin_id,
                        name="laptop",
                        key_type="ssh-ed25519",
                        key_blob="AAAA",
                        fingerprint=f"SHA256:bench{oid:043d}",
                        added_at=now,
                    )
                )
                if licences > 1:  # the second employee came in by invitation
                    invitations.append(
                        dict(
                            organisation=oid,
                            email=f"m1@{slug}.example",
                            token_hash=f"{oid:064x}",
                            created_at=now,
                            expires_at=now + timedelta(days=7),
                            accepted_at=now,
                            employee=admin_id + 1,
                        )
                    )
                failures.append(dict(username=f"{slug}-admin", at=now))
                for action in ("organisation.create", "licences.added", "module.added"):
                    events.append(dict(organisation=oid, actor="bench", action=action, after="{}", at=now))
            _insert(Organisation, orgs)
            _insert(BillingDetails, details)
            _insert(Employee, people)
            _insert(Licence, seats)
            _insert(OrganisationModule, mods)
            _insert(Invoice, invoices)
            _insert(InvoiceLine, lines)
            _insert(OutboxMessage, mails)
            _insert(AuditEvent, events)
            _insert(SshKey, keys)
            _insert(Invitation, invitations)
            _insert(SignInFailure, failures)
            InvoiceCounter.update(last=number).where(InvoiceCounter.year == start.year).execute()
    db = current()
    if db is not None and not is_sqlite(db):  # explicit ids were given: move the sequences past them
        for model in (Organisation, Employee, Licence, Invoice):
            table = model._meta.table_name
            db.execute_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM \"{table}\"))")
        db.execute_sql("ANALYZE")
    return slugs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database URL (its schema is made if new)")
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--licences", type=int, default=30)
    parser.add_argument("--prefix", default="bench")
    args = parser.parse_args()
    from tribe_tui.db import open_database

    open_database(args.db)
    started = time.monotonic()
    generate(args.organisations, args.licences, prefix=args.prefix)
    print(
        json.dumps(
            {
                "organisations": args.organisations,
                "licences": args.licences,
                "seconds": round(time.monotonic() - started, 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
