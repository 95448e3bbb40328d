"""Payment method: bank transfer (the default) or SEPA Core direct debit under a mandate that an
admin signs here. The payment method is direct debit exactly while the organisation has a mandate
that is not withdrawn. Signing uses the IBAN of the billing details; a new IBAN is a new mandate
(a new reference, collected FRST again), so changing the account is one action: sign again.
Withdrawing is one action too, and a withdrawn mandate is never collected again. Each is one
transaction with an audit event naming the person, the key they came in with, reference and IBAN."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tribe_tui.errors import Refused
from tribe_tui.i18n import t
from tribe_tui.migrations import seller
from tribe_tui.models import BillingDetails, Employee, Organisation, PaymentMandate
from tribe_tui.service_types import Context
from tribe_tui.services._action import organisation_change
from tribe_tui.services._messages import msg
from tribe_tui.services._person import account_read

BANK_TRANSFER = "bank_transfer"
DIRECT_DEBIT = "direct_debit"


@dataclass(frozen=True)
class MandateView:
    """The active mandate (or the one signing would make), with what the mandate text names."""

    payment_method: str
    creditor_name: str
    creditor_id: str
    reference: str  # the active mandate's, or the one signing now would get
    iban: str  # the active mandate's, or the billing details' (what signing would use)
    bic: str
    account_holder: str
    signed_on: date | None
    signer: str | None
    billing_iban: str  # the IBAN in the billing details (may differ from an active mandate's)

    @property
    def active(self) -> bool:
        return self.payment_method == DIRECT_DEBIT

    def to_json(self) -> dict[str, Any]:
        return {
            "payment_method": self.payment_method,
            "creditor_name": self.creditor_name,
            "creditor_id": self.creditor_id,
            "reference": self.reference,
            "iban": self.iban,
            "bic": self.bic or None,
            "account_holder": self.account_holder,
            "signed_on": None if self.signed_on is None else self.signed_on.isoformat(),
            "signed_by": self.signer,
            "billing_iban": self.billing_iban,
        }


def active_mandate(org_id: int) -> PaymentMandate | None:
    found: PaymentMandate | None = (
        PaymentMandate.select()
        .where((PaymentMandate.organisation == org_id) & PaymentMandate.withdrawn_on.is_null())
        .order_by(PaymentMandate.id.desc())
        .first()
    )
    return found


def payment_method(org_id: int) -> str:
    return DIRECT_DEBIT if active_mandate(org_id) is not None else BANK_TRANSFER


def bank_details(iban: str) -> tuple[str, str]:
    """The IBAN in its electronic form and the BIC its bank code gives ('' where schwifty's
    registry has none: within SEPA the IBAN alone is enough then). Raises ValueError if invalid."""
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    try:
        parsed = IBAN(iban)
    except SchwiftyException as exc:
        raise ValueError(str(exc)) from None
    bic = parsed.bic
    return parsed.compact, "" if bic is None else str(bic)


def _next_reference(org: Organisation) -> str:
    """'TRIBE-000042-3': the organisation and its how-manieth mandate; unique, at most 35 characters."""
    count = PaymentMandate.select().where(PaymentMandate.organisation == org.id).count()
    return f"TRIBE-{org.id:06d}-{count + 1}"


def _holder(org: Organisation, details: BillingDetails | None) -> str:
    return (details.company_name if details is not None else "") or org.name


@account_read
def show(ctx: Context) -> MandateView:
    """The active mandate; without one, what signing now would make (see `proposal`)."""
    org = Organisation.get_by_id(ctx.org_id)
    details = BillingDetails.get_or_none(BillingDetails.organisation == org.id)
    billing_iban = details.iban if details is not None else ""
    mandate = active_mandate(org.id)
    if mandate is None:
        return proposal(ctx)
    the_seller = seller()
    return MandateView(
        DIRECT_DEBIT,
        the_seller["name"],
        the_seller.get("creditor_id", ""),
        mandate.reference,
        mandate.iban,
        mandate.bic,
        mandate.account_holder,
        mandate.signed_on,
        mandate.signer_name,
        billing_iban,
    )


@account_read
def proposal(ctx: Context) -> MandateView:
    """The mandate that signing now would make: the next reference, the billing details' IBAN (the
    text the admin agrees to). Its payment method is the current one."""
    org = Organisation.get_by_id(ctx.org_id)
    details = BillingDetails.get_or_none(BillingDetails.organisation == org.id)
    billing_iban = details.iban if details is not None else ""
    the_seller = seller()
    try:
        iban, bic = bank_details(billing_iban) if billing_iban else ("", "")
    except ValueError:
        iban, bic = billing_iban, ""
    return MandateView(
        payment_method(org.id),
        the_seller["name"],
        the_seller.get("creditor_id", ""),
        _next_reference(org),
        iban,
        bic,
        _holder(org, details),
        None,
        None,
        billing_iban,
    )


def mandate_json(mandate: PaymentMandate) -> dict[str, Any]:
    return {
        "reference": mandate.reference,
        "iban": mandate.iban,
        "bic": mandate.bic or None,
        "account_holder": mandate.account_holder,
        "signed_on": mandate.signed_on,
        "signed_by": mandate.signer_name,
        "key_fingerprint": mandate.key_fingerprint,
    }


def sign(ctx: Context, *, expected_version: int | None = None) -> MandateView:
    """Sign a mandate for the billing details' IBAN and so pay by direct debit. An active mandate
    for another IBAN is withdrawn in the same action (the new one replaces it); one for the same
    IBAN is refused (nothing to sign)."""
    if not seller().get("creditor_id"):
        raise Refused(msg(ctx, "error.no_creditor_id"))
    # Like billing details (R9): settles nothing and takes no date rule; an ended account signs nothing.
    with organisation_change(ctx, expected_version, guard=_not_ended, settle_first=False) as change:
        org = change.org
        details = BillingDetails.get_or_none(BillingDetails.organisation == org.id)
        if details is None or not details.iban:
            raise Refused(msg(ctx, "error.mandate_no_iban"))
        try:
            iban, bic = bank_details(details.iban)
        except ValueError:
            raise Refused(msg(ctx, "error.mandate_bad_iban", iban=details.iban)) from None
        old = active_mandate(org.id)
        if old is not None and old.iban == iban:
            raise Refused(msg(ctx, "error.mandate_already", reference=old.reference))
        if old is not None:
            PaymentMandate.update(withdrawn_on=ctx.today).where(PaymentMandate.id == old.id).execute()
        employee = Employee.get_or_none(Employee.id == ctx.employee_id) if ctx.employee_id else None
        mandate = PaymentMandate.create(
            organisation=org.id,
            reference=_next_reference(org),
            iban=iban,
            bic=bic,
            account_holder=_holder(org, details),
            signed_on=ctx.today,
            signed_by=employee.id if employee else None,
            signer_name=employee.name if employee else ctx.actor,
            key_fingerprint=ctx.key_fingerprint,
        )
        change.audit(
            "mandate.signed",
            {"payment_method": DIRECT_DEBIT if old else BANK_TRANSFER, **({"mandate": old.reference} if old else {})},
            {"payment_method": DIRECT_DEBIT, **mandate_json(mandate)},
        )
    return show(ctx)


def withdraw(ctx: Context, *, expected_version: int | None = None) -> MandateView:
    """Withdraw the active mandate: back to bank transfer; it is never collected again."""
    with organisation_change(ctx, expected_version, guard=None, settle_first=False) as change:
        mandate = active_mandate(change.org.id)
        if mandate is None:
            raise Refused(msg(ctx, "error.mandate_none"))
        PaymentMandate.update(withdrawn_on=ctx.today).where(PaymentMandate.id == mandate.id).execute()
        change.audit(
            "mandate.withdrawn",
            {"payment_method": DIRECT_DEBIT, "mandate": mandate.reference, "iban": mandate.iban},
            {"payment_method": BANK_TRANSFER, "withdrawn_on": ctx.today},
        )
    return show(ctx)


def _not_ended(ctx: Context, org: Organisation) -> None:
    if org.status == "ended":
        raise Refused(msg(ctx, "error.ended"))


def mandate_text(view: MandateView, lang: str) -> str:
    """The SEPA mandate text the admin agrees to (the Dutch banks' standard wording)."""

    return t(
        "mandate.text",
        lang,
        creditor=view.creditor_name,
        creditor_id=view.creditor_id,
        reference=view.reference,
        iban=view.iban or "—",
        holder=view.account_holder,
    )
