"""Creating an organisation (R9) and choosing which one a command acts on."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from peewee import IntegrityError, chunked

from tribe_tui import billing
from tribe_tui.db import write_transaction
from tribe_tui.errors import BadInput, Refused
from tribe_tui.i18n import labels, t
from tribe_tui.models import BillingDetails, Edition, Employee, Licence, Organisation
from tribe_tui.service_types import Context
from tribe_tui.services._audit import audit
from tribe_tui.services._prices import latest_catalogue_version, priced_edition, vat_of
from tribe_tui.services.auth import check_password_policy, hash_password
from tribe_tui.services.invoices import write_invoice

if TYPE_CHECKING:  # only an annotation here: importing schemas (pydantic models) costs every command
    from tribe_tui.schemas import InitInput


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:48] or "org"


def resolve(slug: str | None, lang: str) -> Organisation:
    """The organisation named by --org, or the only one there is."""
    if slug:
        org = Organisation.get_or_none(Organisation.slug == slug)
        if org is None:
            raise BadInput(t("error.unknown_org", lang, slug=slug))
        return org
    orgs = list(Organisation.select(Organisation.id, Organisation.slug).order_by(Organisation.id).limit(6))
    if not orgs:
        raise Refused(t("error.no_org", lang))
    if len(orgs) > 1:
        raise BadInput(t("error.several_orgs", lang, slugs=", ".join(o.slug for o in orgs[:5])))
    return Organisation.get_by_id(orgs[0].id)


@dataclass(frozen=True)
class Created:
    org_id: int
    slug: str
    admin_id: int
    invoice_number: str
    charge: billing.Charge


def create_organisation(
    data: InitInput, today: date, actor: str, slug: str | None = None, billing_details: dict[str, str] | None = None
) -> Created:
    """R9: the organisation, N licences, the admin linked to one, the first period's invoice, with
    the billing details given (validated like `billing-details set`) so that its VAT is right. They
    must name the customer and its full address (company name, address, postcode, city, country)."""

    lang = data.language
    if data.start is not None and data.start > today:
        raise BadInput(t("error.start_after_today", lang, start=data.start.isoformat(), today=today.isoformat()))
    from tribe_tui.schemas import CompleteBillingDetails, parse

    # No invoice without the customer's name and full address (Wet OB art. 35a): the first one too.
    details = parse(CompleteBillingDetails, lang, **(billing_details or {})).model_dump()
    if data.password is not None:
        check_password_policy(data.password, data.admin_username, lang)
    start = data.start or today
    slug = slug or slugify(data.org_name)
    try:
        return _create(data, today, actor, slug, start, lang, details)
    except IntegrityError:
        # Another init committed the same slug or username after our check: PostgreSQL enforces
        # uniqueness only at the insert (SQLite's write lock serialised us before the check). The
        # same words as when the check itself finds it.
        if Organisation.get_or_none(Organisation.slug == slug) is not None:
            raise Refused(t("error.slug_taken", lang, slug=slug)) from None
        if Employee.get_or_none(Employee.username == data.admin_username) is not None:
            raise Refused(t("error.username_taken", lang, username=data.admin_username)) from None
        raise


def _create(
    data: InitInput, today: date, actor: str, slug: str, start: date, lang: str, details: dict[str, str]
) -> Created:
    with write_transaction():
        if Organisation.get_or_none(Organisation.slug == slug) is not None:
            raise Refused(t("error.slug_taken", lang, slug=slug))
        if Employee.get_or_none(Employee.username == data.admin_username) is not None:
            raise Refused(t("error.username_taken", lang, username=data.admin_username))
        edition = Edition.get_by_id(data.edition)
        prices = latest_catalogue_version()  # R12: the first period keeps the prices of today
        org = Organisation.create(
            slug=slug,
            name=data.org_name,
            edition=edition.code,
            period_start=start,
            paid_until=billing.period_end(start),
            language=lang,
            catalogue_version=prices,
        )
        BillingDetails.create(organisation=org.id, **details)
        admin = Employee.create(
            organisation=org.id,
            name=data.admin_name or data.admin_username,
            email=data.admin_email,
            username=data.admin_username,
            role="admin",
            password_hash=hash_password(data.password) if data.password else None,
        )
        # In batches: one INSERT of many rows exceeds SQLite's limit on bound variables.
        for batch in chunked(
            [
                dict(organisation=org.id, holder=admin.id if i == 0 else None, auto_renew=True, created_on=start)
                for i in range(data.licences)
            ],
            1000,
        ):
            Licence.insert_many(batch).execute()
        charge = billing.period_charge(
            data.licences, priced_edition(edition, prices), [], start, vat_of(org.id), labels(lang)
        )
        number = write_invoice(org, charge, "initial", today, start, org.paid_until)  # issued today (R10)
        ctx = Context(org.id, actor, today, lang)
        audit(
            ctx,
            "organisation.create",
            None,
            {
                "name": org.name,
                "slug": slug,
                "edition": edition.code,
                "licences": data.licences,
                "period_start": start,
                "paid_until": org.paid_until,
                "admin": data.admin_username,
                "invoice": number,
            },
        )
    return Created(org.id, slug, admin.id, number, charge)
