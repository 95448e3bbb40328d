"""Where a Peppol network reaches a party: an endpoint id from the Peppol EAS code list
(Electronic Address Scheme, the list Peppol BIS Billing 3.0 checks as PEPPOL-EN16931-CL008).

EN 16931's own list also holds `EM` (e-mail), but Peppol's does not: an access point refuses an
invoice whose endpoint is an e-mail address. A customer's endpoint is, in this order:

    peppol_id   the Peppol participant id the customer gave us: SCHEME:ID
    kvk_number  0106, the Dutch Chamber of Commerce number
    vat_number  the VAT-number scheme of its country (NL 9944, BE 0208, DE 9930, FR 9957, ...)

A customer with none of these gets no e-invoice (its PDF still goes): never an invalid one.
No database, no UI toolkit: pure data and checks.
"""

from __future__ import annotations

import re

KVK = "0106"

# The Peppol EAS code list as Peppol BIS Billing 3.0.19 checks it (PEPPOL-EN16931-CL008).
EAS_CODES = frozenset(
    """
    0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0147 0151 0154 0158 0170 0177 0183
    0184 0188 0190 0191 0192 0193 0194 0195 0196 0198 0199 0200 0201 0202 0203 0204 0205 0208 0209
    0210 0211 0212 0213 0215 0216 0217 0218 0221 0225 0230 0235 0240 9910 9913 9914 9915 9918 9919
    9920 9922 9923 9924 9925 9926 9927 9928 9929 9930 9931 9932 9933 9934 9935 9936 9937 9938 9939
    9940 9941 9942 9943 9944 9945 9946 9947 9948 9949 9950 9951 9952 9953 9957 9959
    """.split()
)

# The scheme under which an EU VAT number is a Peppol endpoint, by the VAT number's prefix. The id
# is the VAT number with its prefix (9944:NL123456782B01), except Belgium's, where Peppol uses the
# enterprise number (0208: the VAT number's ten digits, the same mod-97 check). Sweden's and
# Finland's VAT numbers have no scheme of their own here: their customers give a peppol_id.
VAT_SCHEMES = {
    "AT": "9914",
    "BE": "0208",
    "BG": "9926",
    "CY": "9928",
    "CZ": "9929",
    "DE": "9930",
    "DK": "0198",
    "EE": "9931",
    "EL": "9933",
    "ES": "9920",
    "FR": "9957",
    "HR": "9934",
    "HU": "9910",
    "IE": "9935",
    "IT": "0211",
    "LT": "9937",
    "LU": "9938",
    "LV": "9939",
    "MT": "9943",
    "NL": "9944",
    "PL": "9945",
    "PT": "9946",
    "RO": "9947",
    "SI": "9949",
    "SK": "9950",
}

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.:_/+-]{0,99}")


def vat_endpoint(vat_number: str) -> tuple[str, str] | None:
    """The endpoint a (valid) EU VAT number gives, or None."""
    scheme = VAT_SCHEMES.get(vat_number[:2].upper()) if vat_number else None
    if scheme is None:
        return None
    return scheme, (vat_number[2:] if scheme == "0208" else vat_number)


def endpoint(peppol_id: str, kvk_number: str, vat_number: str) -> tuple[str, str] | None:
    """(scheme, id) where Peppol reaches the party, or None when nothing it gave is an endpoint."""
    if peppol_id:
        scheme, _, value = peppol_id.partition(":")
        return scheme, value
    if kvk_number:
        return KVK, kvk_number
    return vat_endpoint(vat_number)


def check_participant(text: str) -> str:
    """A Peppol participant id as the customer types it, `SCHEME:ID`, checked against the EAS list
    and, where Peppol checks one, the scheme's own format (PEPPOL-COMMON-R040..R050). Returns it
    normalised (scheme as given, id without spaces); raises ValueError saying what is wrong."""
    scheme, sep, value = text.strip().partition(":")
    value = value.replace(" ", "")
    if not sep or not scheme or not value:
        raise ValueError("format")
    if scheme not in EAS_CODES:
        raise ValueError("scheme")
    if not value.isascii() or not _ID.fullmatch(value) or not _valid_for_scheme(scheme, value):
        raise ValueError("id")
    return f"{scheme}:{value}"


def _valid_for_scheme(scheme: str, value: str) -> bool:
    from stdnum import ean
    from stdnum.au import abn
    from stdnum.be import vat as be_vat
    from stdnum.eu import vat
    from stdnum.no import orgnr as no_orgnr
    from stdnum.se import orgnr as se_orgnr

    if scheme == KVK:
        return bool(re.fullmatch(r"[0-9]{8}", value))
    if scheme == "0088":  # GLN (PEPPOL-COMMON-R040)
        return len(value) == 13 and value.isdigit() and ean.is_valid(value)
    if scheme == "0192":  # Norwegian organisation number (R041)
        return len(value) == 9 and value.isdigit() and no_orgnr.is_valid(value)
    if scheme == "0184":  # Danish CVR (R042)
        return bool(re.fullmatch(r"(DK)?[0-9]{8}", value))
    if scheme == "0208":  # Belgian enterprise number (R043)
        return len(value) == 10 and value.isdigit() and be_vat.is_valid(value)
    if scheme == "0007":  # Swedish organisation number (R049)
        return len(value) == 10 and value.isdigit() and se_orgnr.is_valid(value)
    if scheme == "0151":  # Australian Business Number (R050)
        return len(value) == 11 and value.isdigit() and abn.is_valid(value)
    country = next((c for c, s in VAT_SCHEMES.items() if s == scheme and s != "0208"), None)
    if country is not None:  # a VAT-number scheme: the VAT number of that country, with its prefix
        return value[:2].upper() == country and vat.is_valid(value)
    return True
