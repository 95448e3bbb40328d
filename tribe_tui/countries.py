"""Countries for the billing details: ISO 3166-1 alpha-2 codes and their Dutch and English names,
from babel's CLDR territory data."""

from __future__ import annotations

from functools import cache

# CLDR also names two-letter codes that ISO 3166-1 does not assign to a country: exceptionally
# reserved ones (AC Ascension, CP Clipperton, DG Diego Garcia, EA Ceuta and Melilla, IC Canary
# Islands, TA Tristan da Cunha, EU, EZ, UN), CQ (Sark) and user-assigned ones (QO, XA, XB, XK, ZZ).
NOT_ISO_3166_1 = frozenset("AC CP CQ DG EA EU EZ IC QO TA UN XA XB XK ZZ".split())


@cache
def country_codes() -> frozenset[str]:
    from babel import Locale

    return frozenset(
        code
        for code in Locale("en").territories
        if isinstance(code, str) and len(code) == 2 and code.isalpha() and code not in NOT_ISO_3166_1
    )


def country_name(code: str, lang: str) -> str | None:
    """'Nederland' / 'Netherlands' for NL; None for a code that is not a country."""
    from babel import Locale

    code = code.upper()
    return (
        Locale.parse(lang if lang in ("nl", "en") else "nl").territories.get(code) if code in country_codes() else None
    )
