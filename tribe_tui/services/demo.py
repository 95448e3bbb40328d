"""The demo organisation: believable Dutch data, created once, deterministic for a given date."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import NamedTuple

from tribe_tui import billing
from tribe_tui.config import DEMO_ADMIN, DEMO_SLUG  # noqa: F401 - DEMO_ADMIN: part of this module's interface
from tribe_tui.db import write_transaction
from tribe_tui.i18n import labels
from tribe_tui.models import (
    BillingDetails,
    Edition,
    Employee,
    Invoice,
    Licence,
    Module,
    Organisation,
    OrganisationModule,
    Payment,
    PaymentMandate,
)
from tribe_tui.service_types import Context
from tribe_tui.services._audit import audit
from tribe_tui.services._prices import latest_catalogue_version, priced_edition, priced_module, vat_of
from tribe_tui.services._queries import licence_total, rows
from tribe_tui.services.auth import hash_password

DEMO_ORG = "Van der Berg Installatietechniek B.V."
DEMO_LICENCES = 30
DEMO_ADMIN_EMAIL = "sanne.vanderberg@vanderberg-installatie.nl"
DEMO_PASSWORD = "Demo-wachtwoord-2026"
DEMO_DOMAIN = "vanderberg-installatie.nl"
DEMO_MODULES = ("projects", "exact-online")

FIRST_NAMES = """Daan Emma Sem Julia Lucas Mila Levi Tess Finn Sophie Milan Zoë Jesse Sara Noah Evi Bram Lotte
Thijs Anna Ruben Fleur Lars Lisa Tim Noor Jasper Iris Stijn Femke Koen Eva Joris Maud Niels Sanne Wouter Roos
Pieter Marit Gijs Floor Hugo Isa Teun Lieke Olivier Nina""".split()
LAST_NAMES = """de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|de Boer|Mulder|
de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf|van der Meer|
van der Linden|Kok|Jacobs|de Haan|Vermeulen|van den Heuvel|van der Veen|van den Broek|de Bruijn|de Bruin|
van der Heijden|Schouten|van Beek|Willems|van Vliet|van de Ven|Hoekstra|Maas|Verhoeven|Koster|van Dam|
van der Wal|Prins|Blom|Huisman""".replace("\n", "").split("|")


def demo_start(today: date) -> date:
    """The demo's period started on the first of the month, five months before today's month."""
    month = today.month - 5
    year = today.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1)


def _people(count: int) -> list[tuple[str, str]]:
    rng = random.Random(2026)
    people: list[tuple[str, str]] = []
    seen: set[str] = set()
    i = 0
    while len(people) < count:
        first = FIRST_NAMES[i % len(FIRST_NAMES)] if i < len(FIRST_NAMES) else rng.choice(FIRST_NAMES)
        last = LAST_NAMES[(i * 7) % len(LAST_NAMES)] if i < len(LAST_NAMES) else rng.choice(LAST_NAMES)
        i += 1
        local = f"{first}.{last}".lower().replace(" ", "").replace("ë", "e")
        email = f"{local}@{DEMO_DOMAIN}"
        n = 2
        while email in seen:
            email = f"{local}{n}@{DEMO_DOMAIN}"
            n += 1
        seen.add(email)
        people.append((f"{first} {last}", email))
    return people


def _last_sign_in(i: int, today: date) -> date:
    """Most colleagues signed in within the last weeks; every seventh not for 60 days or more
    (the overview's idle licences have something to show)."""
    return today - timedelta(days=60 + i % 90 if i % 7 == 0 else 1 + (i * 5) % 40)


class DemoResult(NamedTuple):
    org_id: int
    created: bool
    licences: int


def ensure_demo(
    today: date, licences: int = DEMO_LICENCES, actor: str = "demo", *, payments: bool = False
) -> DemoResult:
    """Create the demo organisation unless it exists. With L licences: 90% held (5 of them by
    people who later left show as Voormalig without a licence), the rest free. With `payments`
    (what `tribe-tui demo` shows): a paid, an overdue and an open invoice, and a direct-debit
    mandate (see _demo_payments)."""
    existing = Organisation.get_or_none(Organisation.slug == DEMO_SLUG)
    if existing is not None:
        return DemoResult(existing.id, False, licence_total(existing.id))  # the tally: no count over every licence

    start = demo_start(today)
    held = max(1, (licences * 9) // 10)
    formers = 5
    people = _people(held - 1 + formers)
    with write_transaction():
        prices = latest_catalogue_version()  # R12: the period keeps the prices of today
        org = Organisation.create(
            slug=DEMO_SLUG,
            name=DEMO_ORG,
            edition="tribe",
            period_start=start,
            paid_until=billing.period_end(start),
            language="nl",
            catalogue_version=prices,
        )
        admin = Employee.create(
            organisation=org.id,
            name="Sanne van der Berg",
            email=DEMO_ADMIN_EMAIL,
            username=DEMO_ADMIN,
            role="admin",
            password_hash=hash_password(DEMO_PASSWORD),
            last_sign_in_on=today,
        )
        employees = [
            dict(
                organisation=org.id,
                name=name,
                email=email,
                username=None,
                role="user",
                former=i >= held - 1,
                last_sign_in_on=_last_sign_in(i, today),
            )
            for i, (name, email) in enumerate(people)
        ]
        for batch in range(0, len(employees), 2000):
            Employee.insert_many(employees[batch : batch + 2000]).execute()
        holder_ids = [admin.id] + [
            i
            for (i,) in rows(
                Employee.select(Employee.id)
                .where(
                    (Employee.organisation == org.id)
                    & (Employee.former == False)  # noqa: E712
                    & (Employee.id != admin.id)
                )
                .order_by(Employee.id)
            )
        ]
        licence_rows = [
            dict(
                organisation=org.id,
                holder=holder_ids[i] if i < len(holder_ids) else None,
                auto_renew=not (i % 17 == 5),
                created_on=start,
            )
            for i in range(licences)
        ]
        for batch in range(0, len(licence_rows), 5000):
            Licence.insert_many(licence_rows[batch : batch + 5000]).execute()
        for code in DEMO_MODULES:
            OrganisationModule.create(organisation=org.id, module=code, active=True, renews=True, added_on=start)
        BillingDetails.create(
            organisation=org.id,
            company_name=DEMO_ORG,
            attention="t.a.v. de administratie",
            address="Industrieweg 12",
            postcode="3542 AD",
            city="Utrecht",
            country="NL",
            invoice_email=f"facturen@{DEMO_DOMAIN}",
            vat_number="NL004495445B01",
            kvk_number="30123456",
            iban="NL91ABNA0417164300",
            po_reference="PO-2026-118",
        )
        modules = [priced_module(Module.get_by_id(code), prices) for code in DEMO_MODULES]
        # With payments, the last licences were added during the period, each addition its own invoice.
        later = sum(DEMO_LATER_LICENCES) if payments and licences > sum(DEMO_LATER_LICENCES) else 0
        charge = billing.period_charge(
            licences - later,
            priced_edition(Edition.get_by_id("tribe"), prices),
            modules,
            start,
            vat_of(org.id),
            labels("nl"),
        )
        # Here, not at the top: `tribe-tui demo` on an existing demo (a TUI start) creates nothing,
        # and the invoices service brings documents and the outbox.
        from tribe_tui.services.invoices import write_invoice

        number = write_invoice(org, charge, "initial", start, start, org.paid_until)
        if payments:
            _demo_payments(org, admin, number, today, later)
        audit(
            Context(org.id, actor, today),
            "organisation.create_demo",
            None,
            {"name": DEMO_ORG, "licences": licences, "invoice": number},
        )
    return DemoResult(org.id, True, licences)


# With payments: licences added 40 days into the period (2) and four days ago (1), one invoice each.
DEMO_LATER_LICENCES = (2, 1)


def _demo_payments(org: Organisation, admin: Employee, first: str, today: date, later: int) -> None:
    """Inside ensure_demo's transaction: the first invoice paid by bank transfer nine days after it
    was issued; two licences added 40 days into the period and never paid (overdue); one added four
    days ago (open, not yet due); and the admin signed a direct-debit mandate yesterday, so
    `payments collect` has something to collect. The account is the same as without payments (the
    same licences, modules and billing details): only its invoices and their payments differ."""
    from tribe_tui.services.invoices import write_invoice
    from tribe_tui.services.mandates import bank_details

    if later:
        period = billing.Period(org.period_start, org.paid_until)
        edition = priced_edition(Edition.get_by_id(org.edition_id), org.catalogue_version_id)
        modules = [
            priced_module(Module.get_by_id(code), org.catalogue_version_id)
            for code in DEMO_MODULES
            if Module.get_by_id(code).per_user
        ]
        days = [org.period_start + timedelta(days=40), max(org.period_start, today - timedelta(days=4))]
        newest = [
            lic
            for (lic,) in rows(
                Licence.select(Licence.id).where(Licence.organisation == org.id).order_by(Licence.id.desc())
            )
        ]
        for count, on in zip(DEMO_LATER_LICENCES, days, strict=True):
            charge = billing.licence_add_charge(count, edition, modules, on, period, vat_of(org.id), labels("nl"))
            write_invoice(org, charge, "licences", on, on, org.paid_until)
            added, newest = newest[:count], newest[count:]
            Licence.update(created_on=on).where(Licence.id.in_(added)).execute()
    paid = Invoice.get(Invoice.number == first)
    Payment.create(invoice=paid.id, amount=paid.total, booked_on=paid.date + timedelta(days=9), kind="transfer")
    details = BillingDetails.get(BillingDetails.organisation == org.id)
    iban, bic = bank_details(details.iban)
    PaymentMandate.create(
        organisation=org.id,
        reference=f"TRIBE-{org.id:06d}-1",
        iban=iban,
        bic=bic,
        account_holder=DEMO_ORG,
        signed_on=max(org.period_start, today - timedelta(days=1)),
        signed_by=admin.id,
        signer_name=admin.name,
    )
