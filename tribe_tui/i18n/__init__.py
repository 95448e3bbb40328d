"""User-facing strings in Dutch and English, from the gettext catalogues in tribe_tui/locale.

A message id is a key (`section.overview`); tribe_tui/locale/<lang>/LC_MESSAGES/tribe_tui.po holds
its text in that language (README, Development, says how to add one). `t(key, lang, **values)`
looks a text up, `tn(key, n, lang, **values)` picks the plural form for a count. A key missing from
Dutch falls back to English, so nothing ever shows a bare key for a string that exists in one of them.

Every key is written literally in a `t`/`tn`/`tr`/`trn`/`msg` call or marked with `N_` where it is
stored for later, so that `pybabel extract` finds them all (tests/unit/test_i18n.py checks it).
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path
from typing import Any

from tribe_tui.billing import Labels

LANGUAGES = ("nl", "en")
# The thousands separator of a whole number in each language (CLDR's nl_NL and en_GB, which babel
# uses for everything else): a count needs no locale data, so a screen that shows counts and no
# money or dates (the licences list) draws its first frame without loading babel.
GROUP = {"nl": ".", "en": ","}
DOMAIN = "tribe_tui"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of `lang` (Dutch for an unknown language), English behind it."""
    if lang == "en":
        return gettext.translation(DOMAIN, LOCALE_DIR, languages=["en"])
    dutch = gettext.translation(DOMAIN, LOCALE_DIR, languages=["nl"])
    dutch.add_fallback(_EnglishWhenAsked())
    return dutch


class _EnglishWhenAsked(gettext.NullTranslations):
    """English behind Dutch, read only if Dutch lacks a key: every key has both (tests/unit/
    test_i18n.py), and reading the English catalogue is a measurable part of a Dutch start."""

    def gettext(self, message: str) -> str:
        return translations("en").gettext(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return translations("en").ngettext(msgid1, msgid2, n)


def t(key: str, lang: str = "nl", /, **values: object) -> str:
    template = translations(lang).gettext(key)
    return template.format(**values) if values else template


def count_text(n: int, lang: str = "nl") -> str:
    """A count as the language writes it: 12.857 (nl) / 12,857 (en)."""
    return f"{n:,}".replace(",", GROUP.get(lang, "."))


def tn(key: str, n: int, lang: str = "nl", /, **values: object) -> str:
    """The text of `key` in the plural form `n` needs ('nog 1 dag', 'nog 2 dagen'); `n` is also
    available to the text as {n}, written as the language writes a count (12.857 licenties)."""
    template = translations(lang).ngettext(key, key, n)
    return template.format(**{"n": count_text(n, lang), **values})


def N_(key: str) -> str:  # noqa: N802 - the gettext convention for "a message id, translated later"
    """Marks a key that is stored now and translated later (`t(stored_key, lang)`), so that
    extraction still finds it."""
    return key


def error_message(error_type: str, default: str, ctx: dict[str, Any], lang: str) -> str:
    """A pydantic error type as a short message in `lang`; `default` (pydantic's own English) for
    a type this project does not word itself."""
    values = {k: v for k, v in ctx.items() if isinstance(v, (int, str, float))}
    texts = {
        "whole_number": lambda: t("error.whole_number", lang),
        "greater_than_equal": lambda: t("error.greater_than_equal", lang, **values),
        "less_than_equal": lambda: t("error.less_than_equal", lang, **values),
        "email": lambda: t("error.email", lang),
        "username": lambda: t("error.username", lang),
        "control_characters": lambda: t("error.control_characters", lang),
        "country": lambda: t("error.country", lang),
        "vat_number": lambda: t("error.vat_number", lang),
        "iban": lambda: t("error.iban", lang),
        "kvk_number": lambda: t("error.kvk_number", lang),
        "peppol_id": lambda: t("error.peppol_id", lang),
        "required": lambda: t("error.required", lang),
        "postcode": lambda: t("error.postcode", lang),
        "postcode_digits": lambda: t("error.postcode_digits", lang),
        "postcode_country": lambda: t("error.postcode_country", lang, **values),
        "kvk_only_nl": lambda: t("error.kvk_only_nl", lang),
        "string_too_long": lambda: tn("error.string_too_long", int(values["max_length"]), lang, **values),
        "string_too_short": lambda: tn("error.string_too_short", int(values["min_length"]), lang, **values),
        "too_long": lambda: tn("error.too_long", int(values["max_length"]), lang, **values),
        "too_short": lambda: tn("error.too_short", int(values["min_length"]), lang, **values),
        "missing": lambda: t("error.missing", lang),
        "extra_forbidden": lambda: t("error.extra_forbidden", lang),
        "literal_error": lambda: t("error.literal_error", lang, **values),
        "switch": lambda: t("error.switch", lang),
        "date_from_datetime_parsing": lambda: t("error.date_from_datetime_parsing", lang),
        "date_parsing": lambda: t("error.date_parsing", lang),
        "date_from_datetime_inexact": lambda: t("error.date_from_datetime_inexact", lang),
        "string_pattern_mismatch": lambda: t("error.string_pattern_mismatch", lang),
        "ssh_key_private": lambda: t("error.ssh_key_private", lang),
        "ssh_key_lines": lambda: t("error.ssh_key_lines", lang),
        "ssh_key_options": lambda: t("error.ssh_key_options", lang),
        "ssh_key_type": lambda: t("error.ssh_key_type", lang),
        "ssh_key_invalid": lambda: t("error.ssh_key_invalid", lang),
        "ssh_key_weak": lambda: t("error.ssh_key_weak", lang, **values),
        "date_order": lambda: t("error.date_order", lang),
    }
    text = texts.get(error_type)
    if text is None:
        return default
    try:
        return text()
    except (KeyError, IndexError):  # pydantic's context lacked a value the text names
        return default


def labels(lang: str) -> Labels:
    """Invoice line descriptions for billing.py, in `lang`."""

    return Labels(
        licence=t("line.licence", lang),
        module_per_user=t("line.module_per_user", lang),
        module_flat=t("line.module_flat", lang),
        upgrade=t("line.upgrade", lang),
    )


# --- words for values the code holds as codes: one literal message per value ----------------------


def on_off(flag: bool, lang: str) -> str:
    return t("label.on", lang) if flag else t("label.off", lang)


def yes_no(flag: bool, lang: str) -> str:
    return t("label.yes", lang) if flag else t("label.no", lang)


def account_status(status: str, lang: str) -> str:
    """Organisation.status: active, cancelled, ended."""
    return {
        "active": t("status.active", lang),
        "cancelled": t("status.cancelled", lang),
        "ended": t("status.ended", lang),
    }.get(status, status)


def licence_status(status: str, lang: str) -> str:
    return {"in_use": t("licence.in_use", lang), "free": t("licence.free", lang)}.get(status, status)


def role(value: str, lang: str) -> str:
    return {"admin": t("role.admin", lang), "user": t("role.user", lang)}.get(value, value)


def module_kind(kind: str, lang: str) -> str:
    return {"module": t("kind.module", lang), "integration": t("kind.integration", lang)}.get(kind, kind)


def invoice_reason(reason: str, lang: str) -> str:
    return {
        "initial": t("reason.initial", lang),
        "licences": t("reason.licences", lang),
        "upgrade": t("reason.upgrade", lang),
        "module": t("reason.module", lang),
        "renewal": t("reason.renewal", lang),
        "correction": t("reason.correction", lang),
    }.get(reason, reason)


def invoice_status(status: str, lang: str) -> str:
    """billing.INVOICE_*: where an invoice stands (one or two words: a list column)."""
    return {
        "open": t("invoice_status.open", lang),
        "paid": t("invoice_status.paid", lang),
        "partly_paid": t("invoice_status.partly_paid", lang),
        "overdue": t("invoice_status.overdue", lang),
        "credited": t("invoice_status.credited", lang),
    }.get(status, status)


def payment_method(method: str, lang: str) -> str:
    return {
        "bank_transfer": t("payment_method.bank_transfer", lang),
        "direct_debit": t("payment_method.direct_debit", lang),
    }.get(method, method)


def vat_reason(reason: str, lang: str) -> str:
    """billing.VAT_REASON_*: why an invoice carries 0% VAT."""
    return {"reverse_charge": t("vat.reverse_charge", lang), "outside_eu": t("vat.outside_eu", lang)}.get(
        reason, reason
    )


def invitation_status(status: str, lang: str) -> str:
    """An invitation's state (InvitationRow.state, or its status)."""
    return {
        "open": t("invitation.open", lang),
        "accepted": t("invitation.accepted", lang),
        "revoked": t("invitation.revoked", lang),
        "expired": t("invitation.expired", lang),
        "sent": t("invitation.sent", lang),
        "queued": t("invitation.queued", lang),
        "failed": t("invitation.failed", lang),
    }.get(status, status)


def e_invoice_text(endpoint: str | None, hint: str | None, lang: str) -> str:
    """Where the customer's e-invoice goes (a Peppol endpoint), or which billing field would make
    e-invoicing possible."""
    if endpoint is not None:
        return t("e_invoice.to", lang, endpoint=endpoint)
    return t("e_invoice.none", lang, field=field_label(hint or "peppol_id", lang))


def field_label(name: str, lang: str) -> str:
    """The label of a field the admin fills in (billing details, and the inputs of the other
    actions), for messages such as 'Aantal: moet minstens 1 zijn'; a name without one as it is."""
    return {
        "company_name": t("field.company_name", lang),
        "attention": t("field.attention", lang),
        "address": t("field.address", lang),
        "postcode": t("field.postcode", lang),
        "city": t("field.city", lang),
        "country": t("field.country", lang),
        "invoice_email": t("field.invoice_email", lang),
        "vat_number": t("field.vat_number", lang),
        "kvk_number": t("field.kvk_number", lang),
        "iban": t("field.iban", lang),
        "po_reference": t("field.po_reference", lang),
        "peppol_id": t("field.peppol_id", lang),
        "count": t("field.count", lang),
        "email": t("field.email", lang),
        "ref": t("field.ref", lang),
        "on": t("field.on", lang),
        "code": t("field.code", lang),
        "reason": t("field.reason", lang),
        "token": t("field.token", lang),
        "username": t("field.username", lang),
        "password": t("field.password", lang),
        "name": t("field.name", lang),
        "public_key": t("field.public_key", lang),
        "policy": t("field.policy", lang),
        "since": t("field.since", lang),
        "through": t("field.through", lang),
        "who": t("field.who", lang),
        "org_name": t("field.org_name", lang),
        "admin_email": t("field.admin_email", lang),
        "admin_username": t("field.admin_username", lang),
        "admin_name": t("field.admin_name", lang),
        "licences": t("field.licences", lang),
        "start": t("field.start", lang),
        "language": t("field.language", lang),
        "edition": t("field.edition", lang),
        "date_from": t("field.date_from", lang),
        "date_to": t("field.date_to", lang),
        "format": t("field.format", lang),
    }.get(name, name)


def mail_reason(kind: str, lang: str) -> str:
    """Why an e-mail did not go out (mail.error_kind), in words; never an exception's class name."""
    return {
        "not_configured": t("mail.reason.not_configured", lang),
        "unreachable": t("mail.reason.unreachable", lang),
        "refused": t("mail.reason.refused", lang),
        "insecure": t("mail.reason.insecure", lang),
        "certificate": t("mail.reason.certificate", lang),
        "smtputf8": t("mail.reason.smtputf8", lang),
    }.get(kind) or t("mail.reason.failed", lang)
