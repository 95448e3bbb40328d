"""Facturatiegegevens: validated field by field; decides 21% or reverse charge (R6)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from pydantic import ValidationError

from tribe_tui import billing
from tribe_tui.errors import BadInput
from tribe_tui.i18n import t
from tribe_tui.models import BillingDetails
from tribe_tui.schemas import BILLING_FIELDS, BillingDetailsInput, CompleteBillingDetails, field_errors, one_line
from tribe_tui.service_types import Context
from tribe_tui.services._action import organisation_change
from tribe_tui.services._messages import msg
from tribe_tui.services._person import account_read
from tribe_tui.services.mandates import payment_method


@dataclass(frozen=True)
class BillingDetailsView:
    fields: dict[str, str]
    vat_rate: str
    vat_reason: str | None
    e_invoice: str | None  # SCHEME:ID where Peppol reaches the customer; None: PDF only
    payment_method: str = "bank_transfer"  # or direct_debit, while a mandate is signed (services/mandates.py)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.fields,
            "vat_rate": self.vat_rate,
            "vat_reason": self.vat_reason,
            "payment_method": self.payment_method,
            "e_invoice": self.e_invoice,
        }

    @property
    def e_invoice_hint(self) -> str | None:
        """The field that would make e-invoicing possible (None when it is): a KvK number for a
        Dutch customer, a VAT number in the EU, else a Peppol id."""
        if self.e_invoice is not None:
            return None
        from tribe_tui.documents.eas import VAT_SCHEMES

        if self.fields.get("country") == "NL":
            return "kvk_number"
        if self.fields.get("country") in {*VAT_SCHEMES, "GR"} and not self.fields.get("vat_number"):
            return "vat_number"
        return "peppol_id"


def _stored(org_id: int) -> dict[str, str]:
    details = BillingDetails.get_or_none(BillingDetails.organisation == org_id)
    if details is None:
        return dict(BillingDetailsInput().model_dump())
    return {name: getattr(details, name) for name in BILLING_FIELDS}


def _view(values: dict[str, str]) -> BillingDetailsView:
    from tribe_tui.documents.eas import endpoint

    vat = billing.vat_for(values.get("country"), values["vat_number"][:2] if values.get("vat_number") else None)
    found = endpoint(values.get("peppol_id", ""), values.get("kvk_number", ""), values.get("vat_number", ""))
    return BillingDetailsView(
        values, billing.rate_text(vat.rate), vat.reason, f"{found[0]}:{found[1]}" if found else None
    )


@account_read
def show(ctx: Context) -> BillingDetailsView:
    return replace(_view(_stored(ctx.org_id)), payment_method=payment_method(ctx.org_id))


def parse_assignments(lang: str, assignments: list[str]) -> dict[str, str]:
    """CLI form FIELD=VALUE ... into a dict; unknown fields are bad input."""
    if not assignments:
        raise BadInput(t("error.nothing_to_set", lang))
    changes: dict[str, str] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep:
            raise BadInput(t("error.field_syntax", lang))
        name = name.strip()
        if name not in BILLING_FIELDS:
            raise BadInput(t("error.unknown_field", lang, field=name, choices=", ".join(BILLING_FIELDS)))
        changes[name] = value
    return changes


def validate(ctx: Context, values: dict[str, str], *, complete: bool = True) -> dict[str, str]:
    """Field -> message for every invalid field (empty when all are valid). For forms: the whole
    form must name the customer and its full address; `complete=False` checks only the fields given."""
    try:
        (CompleteBillingDetails if complete else BillingDetailsInput)(**values)
    except ValidationError as exc:
        return field_errors(exc, ctx.lang)
    return {}


def preview(values: dict[str, str]) -> BillingDetailsView:
    """What VAT and e-invoice would apply to these (valid) values."""
    return _view(BillingDetailsInput(**values).model_dump())


def update(ctx: Context, changes: dict[str, str], *, expected_version: int | None = None) -> BillingDetailsView:
    unknown = [name for name in changes if name not in BILLING_FIELDS]
    if unknown:
        raise BadInput(msg(ctx, "error.unknown_field", field=unknown[0], choices=", ".join(BILLING_FIELDS)))
    # R9: billing details can always be corrected; they settle nothing and take no date rule.
    with organisation_change(ctx, expected_version, guard=None, settle_first=False) as change:
        org = change.org
        before = _stored(org.id)
        try:
            # Never emptied: the customer's name and full address stay on every invoice (Wet OB art. 35a).
            valid = CompleteBillingDetails(**{**before, **changes}).model_dump()
        except ValidationError as exc:
            raise BadInput(one_line(exc, ctx.lang)) from None
        BillingDetails.insert(organisation=org.id, **valid).on_conflict(
            conflict_target=[BillingDetails.organisation], update=valid
        ).execute()
        change.audit("billing_details.update", {k: before[k] for k in changes}, {k: valid[k] for k in changes})
    return replace(_view(valid), payment_method=payment_method(ctx.org_id))
