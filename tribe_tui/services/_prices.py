"""Prices and catalogue rules as a catalogue version had them, and the customer's VAT."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from peewee import fn

from tribe_tui import billing
from tribe_tui.models import (
    BillingDetails,
    CataloguePrice,
    CatalogueVersion,
    Edition,
    Module,
)


def latest_catalogue_version() -> int | None:
    """R12: the newest catalogue version (a period that starts now is charged by it to its end)."""
    found = CatalogueVersion.select(fn.MAX(CatalogueVersion.id)).scalar()
    return None if found is None else int(found)


# Catalogue rows read so far, while `remembered_prices` is on (a billing run): a version is never
# rewritten (R12), so one read per version and item serves every organisation.
_VERSION_MEMO: ContextVar[dict[tuple[str, str, int], CataloguePrice | None] | None] = ContextVar(
    "catalogue_memo", default=None
)


@contextmanager
def remembered_prices() -> Iterator[None]:
    token = _VERSION_MEMO.set({})
    try:
        yield
    finally:
        _VERSION_MEMO.reset(token)


def _in_version(kind: str, code: str, version: int | None) -> CataloguePrice | None:
    """R12: the row of `code` in catalogue `version`; None without a version, for an item that
    version did not have (new since), or for a row no migration has filled (no name)."""
    if version is None:
        return None
    memo, key = _VERSION_MEMO.get(), (kind, code, version)
    if memo is not None and key in memo:
        found = memo[key]
    else:
        found = CataloguePrice.get_or_none(
            (CataloguePrice.version == version) & (CataloguePrice.kind == kind) & (CataloguePrice.code == code)
        )
        if memo is not None:
            memo[key] = found
    return None if found is None or found.name is None else found


def priced_edition(edition: Edition, version: int | None = None) -> billing.Priced:
    """R12: the edition as catalogue `version` had it, price and printed name (None: the newest)."""
    found = _in_version("edition", edition.code, version)
    if found is None:
        return billing.Priced(edition.code, edition.name, Decimal(edition.yearly_price), True)
    return billing.Priced(edition.code, str(found.name), Decimal(found.yearly_price), True)


def priced_module(module: Module, version: int | None = None) -> billing.Priced:
    """R12: the module as catalogue `version` had it (None: the newest): its price, its name as an
    invoice line prints it, and whether it is charged per licence or once. A period is charged by
    its own version for all three, whatever a later catalogue says."""
    found = _in_version("module", module.code, version)
    if found is None:
        return billing.Priced(module.code, module.name, Decimal(module.yearly_price), module.per_user)
    return billing.Priced(module.code, str(found.name), Decimal(found.yearly_price), bool(found.per_user))


def module_requires(module: Module, version: int | None = None) -> str | None:
    """R8/R12: the edition `module` requires in catalogue `version` (None: the newest), or None."""
    found = _in_version("module", module.code, version)
    return module.requires_id if found is None else found.requires


def edition_rank(code: str, version: int | None = None) -> int:
    """R12: the rank of edition `code` in catalogue `version` (None: the newest)."""
    found = _in_version("edition", code, version)
    return Edition.get_by_id(code).rank if found is None or found.rank is None else int(found.rank)


def edition_allows(module: Module, edition_code: str, version: int | None = None) -> bool:
    """R8: a module without `requires` is open to every edition; else the edition must rank at
    least as high as the one it requires; both as catalogue `version` says (R12; None: the newest)."""
    needed = module_requires(module, version)
    return needed is None or edition_rank(edition_code, version) >= edition_rank(needed, version)


def vat_of(org_id: int) -> billing.Vat:
    return vat_of_details(BillingDetails.get_or_none(BillingDetails.organisation == org_id))


def vat_of_details(details: BillingDetails | None) -> billing.Vat:
    if details is None:
        return billing.vat_for(None, None)
    vat_country = details.vat_number[:2] if details.vat_number else None
    vat = billing.vat_for(details.country, vat_country)
    # R6: the invoice names the customer's VAT number with reverse charge (its mention cites it),
    # and for a customer outside the EU (category O) as the customer's identifier (a GB, CH or NO
    # number, say): no VAT either way.
    if vat.reason in (billing.VAT_REASON_REVERSE_CHARGE, billing.VAT_REASON_OUTSIDE_EU) and details.vat_number:
        return billing.Vat(vat.rate, vat.reason, details.vat_number)
    return vat
