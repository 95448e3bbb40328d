"""Pydantic models for every input that crosses a boundary (CLI arguments, TUI fields, files).

Validators raise `PydanticCustomError` with a stable error type; `one_line()` turns the first
error into a short message in the user's language (see i18n).
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from datetime import date
from typing import Annotated, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tribe_tui.billing import EU_COUNTRIES
from tribe_tui.config import EARLIEST_TODAY, LATEST_TODAY, strict_date
from tribe_tui.countries import country_codes
from tribe_tui.errors import BadInput
from tribe_tui.i18n import error_message, field_label

MAX_LICENCES_PER_ADD = 10_000
MAX_ORGANISATION_LICENCES = 100_000  # what init and demo create at most
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")


# Refused in one-line text (names, reasons, addresses): controls and escapes (Cc), line and
# paragraph separators (Zl, Zp: a line break to a mail header or a terminal), format characters
# (Cf: bidi overrides make text read otherwise than it is stored), surrogates and private use.
_NOT_PLAIN = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co"})
# Except the zero-width non-joiner and joiner (Cf): Persian, Indic and Sinhala names are spelt with
# them, and they neither break a line nor reorder text.
_JOINERS = frozenset({"\u200c", "\u200d"})


def _no_control_characters(value: str) -> str:
    """Names, reasons and addresses are plain text on one line: no control, escape or line-break
    characters."""
    if any(unicodedata.category(ch) in _NOT_PLAIN and ch not in _JOINERS for ch in value):
        raise PydanticCustomError("control_characters", "contains control characters")
    return value


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


PlainText = Annotated[str, BeforeValidator(_strip), AfterValidator(_no_control_characters)]


def _email(value: str) -> str:
    from email_validator import EmailNotValidError, validate_email

    # Full-width forms ('ｊａｎ@…') are look-alikes of ASCII addresses: email-validator keeps them
    # in the local part (NFC leaves them) and quietly folds them in the domain (IDNA). Refused:
    # the address must be the one the admin meant, not a copy that only looks like it.
    if any(unicodedata.east_asian_width(ch) == "F" for ch in value):
        raise PydanticCustomError("email", "not a valid e-mail address")
    try:
        # Internationalised addresses by email-validator's rules (SMTPUTF8 where needed; mail.py
        # sends them only to a server that offers it).
        found = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise PydanticCustomError("email", "not a valid e-mail address") from None
    # The domain is lower-cased (email-validator's normalised form); the local part is kept as
    # typed: only the receiving server may decide that 'Jan' and 'jan' are one mailbox.
    return found.normalized


Email = Annotated[str, BeforeValidator(_strip), Field(min_length=3, max_length=254), AfterValidator(_email)]


def _whole_number(value: object) -> object:
    """R11: a count typed as text is ASCII digits and nothing else, exactly `[0-9]+`: "3" is 3;
    " 3", "3 ", "+3", "-3", "3.0", "1e3", "1_000", "٣" (another script's digit) are not numbers.
    Python's int() would take every one of those but the last three; nothing is stripped or
    converted here. An int handed in by code (not typed) is taken as it is; True is not a number."""
    if isinstance(value, bool):
        raise PydanticCustomError("whole_number", "not a whole number")
    if isinstance(value, str):
        # [0-9], not \d (that takes "٣"); fullmatch, not $ (that lets a trailing newline through).
        # Long enough that an absurd count is "too large", short enough that int() stays cheap.
        if not re.fullmatch(r"[0-9]{1,30}", value):
            raise PydanticCustomError("whole_number", "not a whole number")
        return int(value)
    return value


def _username(value: str) -> str:
    if not USERNAME_RE.fullmatch(value):
        raise PydanticCustomError("username", "3-64 characters: a-z, 0-9, dot, dash, underscore")
    return value


def tidy_username(value: object) -> object:
    """Usernames are lower case: 'Eva' typed is 'eva' (sign-in lower-cases what is typed too)."""
    return value.strip().lower() if isinstance(value, str) else value


Username = Annotated[str, BeforeValidator(tidy_username), AfterValidator(_username)]


class Input(BaseModel):
    # defer_build: each model builds its validator when it first validates, not when this module
    # is imported; a command validates one or two of them.
    model_config = ConfigDict(extra="forbid", frozen=True, str_max_length=10_000, defer_build=True)


class LicenceCount(Input):
    count: Annotated[int, BeforeValidator(_whole_number), Field(ge=1, le=MAX_LICENCES_PER_ADD)]


class DemoSize(Input):
    count: Annotated[int, BeforeValidator(_whole_number), Field(ge=1, le=MAX_ORGANISATION_LICENCES)]


class EmailRef(Input):
    email: Email


class IdleDays(Input):
    """`licences list --idle-days N`: holders not signed in for N days or more."""

    days: Annotated[int, BeforeValidator(_whole_number), Field(ge=1, le=3650)]


class OutboxId(Input):
    id: Annotated[int, BeforeValidator(_whole_number), Field(ge=1, le=2**62)]


class LicenceRef(Input):
    """An e-mail address of a holder, or a licence number."""

    ref: Annotated[str, BeforeValidator(_strip), Field(min_length=1, max_length=254)]

    @property
    def licence_id(self) -> int | None:
        # isascii: "²".isdigit() is True but int("²") fails
        return int(self.ref) if self.ref.isascii() and self.ref.isdigit() and len(self.ref) < 19 else None

    @property
    def email(self) -> str:
        return EmailRef(email=self.ref).email


class Switch(Input):
    on: bool

    @field_validator("on", mode="before")
    @classmethod
    def _on_off(cls, value: object) -> object:
        if isinstance(value, str):
            word = value.strip().lower()
            if word in ("on", "aan", "true", "yes", "ja", "1"):
                return True
            if word in ("off", "uit", "false", "no", "nee", "0"):
                return False
            raise PydanticCustomError("switch", "use on or off")
        return value


class Code(Input):
    code: Annotated[str, BeforeValidator(_strip), Field(min_length=1, max_length=32, pattern=r"^[a-z0-9-]+$")]


def _strict_date(value: object) -> object:
    """R11: YYYY-MM-DD and nothing else (pydantic would take a Unix timestamp or a midnight datetime)."""
    if value is None:
        return value
    try:
        return strict_date(value)
    except ValueError:
        raise PydanticCustomError("date_parsing", "not a date in the form YYYY-MM-DD") from None


# A date on the command line: strict YYYY-MM-DD within the range `--today` has (R11).
RulesDate = Annotated[date, BeforeValidator(_strict_date), Field(ge=EARLIEST_TODAY, le=LATEST_TODAY)]


class InitInput(Input):
    org_name: Annotated[PlainText, Field(min_length=1, max_length=200)]
    admin_email: Email
    admin_username: Username
    admin_name: Annotated[PlainText, Field(min_length=1, max_length=200)] | None = None
    edition: Literal["tribe", "creator"] = "tribe"
    licences: Annotated[int, BeforeValidator(_whole_number), Field(ge=1, le=MAX_ORGANISATION_LICENCES)] = 1
    start: RulesDate | None = None
    password: str | None = Field(default=None, max_length=1024)
    language: Literal["nl", "en"] = "nl"


def _iso_day(value: object) -> object:
    """A date typed as YYYY-MM-DD and nothing else (no timestamps, no times, no other digits)."""
    if isinstance(value, str):
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            raise PydanticCustomError("date_parsing", "a date is written YYYY-MM-DD")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError("date_parsing", "a date is written YYYY-MM-DD") from None
    return value


IsoDay = Annotated[date, BeforeValidator(_iso_day), Field(ge=date(2000, 1, 1), le=date(2099, 12, 31))]


class InvoiceExportInput(Input):
    date_from: IsoDay
    date_to: IsoDay
    format: Literal["csv", "ubl-zip"]

    @model_validator(mode="after")
    def _in_order(self) -> InvoiceExportInput:
        if self.date_to < self.date_from:
            raise PydanticCustomError("date_order", "--to lies before --from")
        return self


class CollectionDateInput(Input):
    """`payments collect --date YYYY-MM-DD`."""

    collection_date: IsoDay


class CancelInput(Input):
    reason: Annotated[PlainText, Field(min_length=1, max_length=1000)]


_TOKEN_IN_TEXT = re.compile(r"(?:[?&]token=|accept-invite\s+)([A-Za-z0-9_-]+)")


def token_from_link(value: object) -> object:
    """The token itself, also when the e-mail's link (…/invite?token=…) or its command line
    (`tribe-tui accept-invite …`) is pasted whole."""
    if not isinstance(value, str):
        return value
    value = value.strip()
    found = _TOKEN_IN_TEXT.search(value)
    return found.group(1) if found else value


class InviteToken(Input):
    """URL-safe base64 of at least 32 random bytes (43 characters or more)."""

    token: Annotated[
        str, BeforeValidator(token_from_link), Field(min_length=43, max_length=200, pattern=r"^[A-Za-z0-9_-]+$")
    ]


class AcceptInviteInput(Input):
    username: Username
    password: str = Field(min_length=1, max_length=1024)
    name: Annotated[PlainText, Field(min_length=1, max_length=200)] | None = None


class NewPasswordInput(Input):
    """A password someone chooses (their own, or with a reset link); the strength rules follow
    (services.auth.check_password_policy). `old`: the one it replaces, when that is asked."""

    password: str = Field(min_length=1, max_length=1024)
    old: str | None = Field(default=None, min_length=1, max_length=1024)


# --- billing details ---------------------------------------------------------------------


def _country(value: str) -> str:
    code = value.upper()
    if code not in country_codes():
        raise PydanticCustomError("country", "not an ISO 3166 country code")
    return code


def _ascii_only(value: str, error: str, message: str) -> None:
    """R11: numbers are written in ASCII. python-stdnum would quietly turn '１２３４' or 'NL００…' into
    ASCII; what the admin typed is refused instead of stored as something else."""
    if not value.isascii():
        raise PydanticCustomError(error, message)


def _vat_number(value: str) -> str:
    """A VAT number with its country prefix, stored compact ('NL004495445B01', 'CHE116281710MWST').

    An EU member state's number (EL for Greece, XI for Northern Ireland) must pass that state's
    rule; it decides reverse charge (R6). A number of a country outside the EU (GB, CH, NO, ...)
    identifies the customer on the invoice and changes no VAT (R6: 0%, outside the EU); it must
    pass python-stdnum's rule for that country. A country python-stdnum has no VAT rule for (the
    US has no VAT) is refused: nothing is printed on an invoice that nobody checked. R11: ASCII
    only; spaces, dots and hyphens between the characters are dropped."""
    if not value:
        return value
    _ascii_only(value, "vat_number", "not a valid VAT number (btw-id)")
    from stdnum import vatin
    from stdnum.eu import vat

    prefix = value.lstrip()[:2].upper()
    try:
        return vat.validate(value) if prefix in EU_COUNTRIES | {"EL", "XI"} else vatin.validate(value)
    except Exception:
        raise PydanticCustomError("vat_number", "not a valid VAT number (btw-id)") from None


def _iban(value: str) -> str:
    if not value:
        return value
    _ascii_only(value, "iban", "not a valid IBAN")
    from stdnum import iban

    try:
        return iban.validate(value)
    except Exception:
        raise PydanticCustomError("iban", "not a valid IBAN") from None


def _kvk(value: str) -> str:
    if value and not re.fullmatch(r"[0-9]{8}", value):  # not \d: that takes '１２３４５６７８' too
        raise PydanticCustomError("kvk_number", "a KvK number is 8 digits")
    return value


def _peppol_id(value: str) -> str:
    if not value:
        return value
    from tribe_tui.documents.eas import check_participant

    try:
        return check_participant(value)
    except ValueError:
        raise PydanticCustomError(
            "peppol_id", "a Peppol id is SCHEME:ID with a scheme of the Peppol EAS list"
        ) from None


# Postcodes python-stdnum has a rule for: the module and a postcode as it is written there. A
# country not named here takes its postcode as typed.
_STDNUM_POSTCODES = {
    "NL": ("stdnum.nl.postcode", "1234 AB"),
    "AT": ("stdnum.at.postleitzahl", "1010"),
    "ES": ("stdnum.es.postal_code", "28001"),
    "SE": ("stdnum.se.postnummer", "114 18"),
}


def _postcode_for(value: str, country: str) -> str:
    """The postcode checked by the rule of `country`, written the way its postal service writes it."""
    if country in _STDNUM_POSTCODES:
        name, example = _STDNUM_POSTCODES[country]
        module = importlib.import_module(name)
        try:
            compact = module.validate(value)
        except Exception:
            if country == "NL":
                raise PydanticCustomError("postcode", "a Dutch postcode looks like 1234 AB") from None
            raise PydanticCustomError(
                "postcode_country", "a postcode there looks like {example}", {"example": example}
            ) from None
        return str(module.format(compact) if hasattr(module, "format") else compact)
    return value  # no rule to check it by: kept as typed


def _optional_email(value: str) -> str:
    return _email(value) if value else value


Text200 = Annotated[PlainText, Field(max_length=200)]


class BillingDetailsInput(Input):
    """All fields; the service merges `set` changes over the stored details, then validates."""

    company_name: Text200 = ""
    attention: Text200 = ""
    address: Text200 = ""
    # country before postcode: the postcode check reads the (validated) country from info.data
    country: Annotated[PlainText, Field(min_length=2, max_length=2), AfterValidator(_country)] = "NL"
    postcode: Annotated[PlainText, Field(max_length=16)] = ""
    city: Annotated[PlainText, Field(max_length=100)] = ""
    invoice_email: Annotated[PlainText, Field(max_length=254), AfterValidator(_optional_email)] = ""
    vat_number: Annotated[PlainText, Field(max_length=20), AfterValidator(_vat_number)] = ""
    kvk_number: Annotated[PlainText, Field(max_length=8), AfterValidator(_kvk)] = ""
    iban: Annotated[PlainText, Field(max_length=34), AfterValidator(_iban)] = ""
    po_reference: Annotated[PlainText, Field(max_length=100)] = ""
    peppol_id: Annotated[PlainText, Field(max_length=110), AfterValidator(_peppol_id)] = ""

    @field_validator("postcode")
    @classmethod
    def _postcode(cls, value: str, info: ValidationInfo) -> str:
        # Digits of a postcode are ASCII in every country (R11); letters may be any (a postcode of
        # a country without a rule here is kept as typed).
        if any(ch.isdigit() and not ch.isascii() for ch in value):
            raise PydanticCustomError("postcode_digits", "digits 0-9 only")
        country = info.data.get("country")  # absent when the country itself is wrong: nothing to check against
        return _postcode_for(value, country) if value and country else value

    @field_validator("kvk_number")
    @classmethod
    def _kvk_only_dutch(cls, value: str, info: ValidationInfo) -> str:
        # The Handelsregister numbers Dutch organisations only; on a foreign customer's invoice a
        # KvK number would be a number of nobody (and would send the e-invoice to the wrong scheme).
        if value and info.data.get("country") not in (None, "NL"):
            raise PydanticCustomError("kvk_only_nl", "a KvK number only for an organisation in the Netherlands")
        return value

    @property
    def vat_country(self) -> str | None:
        return self.vat_number[:2] if self.vat_number else None


class CreditInput(Input):
    """`invoices credit NUMBER --reason TEXT`: which invoice, and why (printed on the credit note)."""

    number: Annotated[PlainText, Field(min_length=1, max_length=20)]
    reason: Annotated[PlainText, Field(min_length=1, max_length=500)]


def _required(value: str) -> str:
    if not value:
        raise PydanticCustomError("required", "required on an invoice")
    return value


class CompleteBillingDetails(BillingDetailsInput):
    """Billing details an invoice can be issued with: Dutch law (Wet OB art. 35a) and the NL CIUS
    (NL-R-004) ask for the customer's name and full address. `init` needs them, and once stored
    they cannot be emptied."""

    company_name: Annotated[Text200, AfterValidator(_required), Field(validate_default=True)] = ""
    address: Annotated[Text200, AfterValidator(_required), Field(validate_default=True)] = ""
    country: Annotated[
        PlainText, Field(max_length=2, validate_default=True), AfterValidator(_required), AfterValidator(_country)
    ] = ""
    postcode: Annotated[PlainText, Field(max_length=16, validate_default=True), AfterValidator(_required)] = ""
    city: Annotated[PlainText, Field(max_length=100, validate_default=True), AfterValidator(_required)] = ""


REQUIRED_BILLING_FIELDS = ("company_name", "address", "postcode", "city", "country")


# The order of the invoice's customer block (and of every form and listing), not the validation order above.
BILLING_FIELDS = (
    "company_name",
    "attention",
    "address",
    "postcode",
    "city",
    "country",
    "invoice_email",
    "vat_number",
    "kvk_number",
    "iban",
    "po_reference",
    "peppol_id",
)
assert set(BILLING_FIELDS) == set(BillingDetailsInput.model_fields)


# --- SSH keys --------------------------------------------------------------------------------

SSH_RSA_MIN_BITS = 3072
SSH_EC_CURVES = {"secp256r1", "secp384r1", "secp521r1"}


def is_private_key(value: str) -> bool:
    """Text that holds a private key (its PEM or OpenSSH armour): refused wherever a public key
    is asked, and a form does not keep it on screen."""
    return "PRIVATE KEY" in value


def _ssh_public_key(value: str) -> str:
    """One public key line as `ssh-keygen` writes it (`TYPE BASE64 [comment]`): ed25519, ECDSA on
    the NIST curves, or RSA of at least 3072 bits. Returns the key as cryptography writes it again
    (`TYPE BASE64`, no comment): what is stored and what sshd is given back. Refused: options in
    front (`command="…" ssh-ed25519 …`), more than one line, a private key, other key types."""
    from tribe_tui.authorized_keys import KEY_TYPES

    if is_private_key(value):
        raise PydanticCustomError("ssh_key_private", "a private key")
    if any(ch in value for ch in "\r\n\x0b\x0c\x85\u2028\u2029"):
        raise PydanticCustomError("ssh_key_lines", "more than one line")
    _no_control_characters(value)
    parts = value.split()
    if not parts:
        raise PydanticCustomError("ssh_key_invalid", "not an SSH public key")
    if parts[0] not in KEY_TYPES:
        if any(part in KEY_TYPES for part in parts[1:]):
            raise PydanticCustomError("ssh_key_options", "options in front of the key")
        if parts[0] in ("ssh-dss", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com") or parts[
            0
        ].endswith("-cert-v01@openssh.com"):
            raise PydanticCustomError("ssh_key_type", "not an ed25519, ECDSA or RSA key")
        raise PydanticCustomError("ssh_key_invalid", "not an SSH public key")
    if len(parts) < 2:
        raise PydanticCustomError("ssh_key_invalid", "not an SSH public key")
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_ssh_public_key

    try:
        key = load_ssh_public_key(f"{parts[0]} {parts[1]}".encode("ascii"))
    except (ValueError, UnsupportedAlgorithm, UnicodeEncodeError):
        raise PydanticCustomError("ssh_key_invalid", "not an SSH public key") from None
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < SSH_RSA_MIN_BITS:
            raise PydanticCustomError(
                "ssh_key_weak", "an RSA key needs {bits} bits or more", {"bits": SSH_RSA_MIN_BITS, "size": key.key_size}
            )
    elif isinstance(key, ec.EllipticCurvePublicKey):
        if key.curve.name not in SSH_EC_CURVES:
            raise PydanticCustomError("ssh_key_type", "not an ed25519, ECDSA or RSA key")
    elif not isinstance(key, ed25519.Ed25519PublicKey):
        raise PydanticCustomError("ssh_key_type", "not an ed25519, ECDSA or RSA key")
    canonical = key.public_bytes(Encoding.OpenSSH, PublicFormat.OpenSSH).decode("ascii")
    if canonical.split()[0] != parts[0]:  # the type said one thing, the key is another
        raise PydanticCustomError("ssh_key_invalid", "not an SSH public key")
    return canonical


class SshKeyInput(Input):
    name: Annotated[PlainText, Field(min_length=1, max_length=100)]
    public_key: Annotated[str, BeforeValidator(_strip), Field(min_length=1), AfterValidator(_ssh_public_key)]


class SshPublicKeyInput(Input):
    public_key: Annotated[str, BeforeValidator(_strip), Field(min_length=1), AfterValidator(_ssh_public_key)]


class SshPolicyInput(Input):
    policy: Literal["key", "key+password"]


class AuditFilter(Input):
    since: date | None = None
    who: Email | None = None


class LogDays(Input):
    """The Logboek's date filter as typed: from and through (both may be left empty)."""

    since: IsoDay | None = None
    through: IsoDay | None = None

    @model_validator(mode="after")
    def _in_order(self) -> LogDays:
        if self.since is not None and self.through is not None and self.through < self.since:
            raise PydanticCustomError("date_order", "through lies before from")
        return self


def one_line(exc: ValidationError, lang: str = "en", *, label: str | None = None) -> str:
    """The first error as one short line: 'Aantal: moet minstens 1 zijn' (the field's label in the
    admin's language; a name without a label, such as a setting's, as it is typed)."""

    error = exc.errors()[0]
    field = ".".join(str(part) for part in error.get("loc", ()) if part != "__root__")
    message = error_message(error["type"], error.get("msg", ""), error.get("ctx") or {}, lang)
    if label is None:
        label = field_label(field, lang)
    return f"{label}: {message}" if field or label else message


def field_errors(exc: ValidationError, lang: str = "en") -> dict[str, str]:
    """Every field's first error, for a form that marks fields one by one."""

    found: dict[str, str] = {}
    for error in exc.errors():
        field = str(error["loc"][0]) if error.get("loc") else ""
        found.setdefault(field, error_message(error["type"], error.get("msg", ""), error.get("ctx") or {}, lang))
    return found


InputModel = TypeVar("InputModel", bound=Input)


def parse(model: type[InputModel], lang: str = "en", *, label: str | None = None, **values: object) -> InputModel:
    """Validate or raise BadInput with one line, starting with `label` if given (say, the one address
    of several that is wrong) or else the field's label; the result has the model's own type."""
    try:
        return model(**values)
    except ValidationError as exc:
        raise BadInput(one_line(exc, lang, label=label)) from None
