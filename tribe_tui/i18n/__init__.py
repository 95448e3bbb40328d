"""User-facing strings in Dutch and English.

`t(key, lang, **values)` looks a string up; a key missing from one language falls back to the
other so nothing ever shows a bare key. Dutch wording follows the original help article.
"""

from __future__ import annotations

from tribe_tui.i18n import en, lifecycle, nl, ops, tui

# Each area keeps its strings in its own module (NL and EN side by side); merged here.
NL: dict[str, str] = {**nl.MESSAGES, **lifecycle.NL, **tui.NL, **ops.NL}
EN: dict[str, str] = {**en.MESSAGES, **lifecycle.EN, **tui.EN, **ops.EN}
CATALOGUES = {"nl": NL, "en": EN}
LANGUAGES = ("nl", "en")


def t(key: str, lang: str = "nl", /, **values: object) -> str:
    catalogue = CATALOGUES.get(lang, NL)
    template = catalogue.get(key) or EN.get(key) or NL.get(key) or key
    return template.format(**values) if values else template


def error_message(error_type: str, default: str, ctx: dict, lang: str) -> str:
    """A pydantic error type as a short message in `lang`."""
    key = f"error.{error_type}"
    if key in CATALOGUES.get(lang, NL) or key in EN:
        try:
            return t(key, lang, **{k: v for k, v in ctx.items() if isinstance(v, (int, str, float))})
        except (KeyError, IndexError):
            return t(key, lang)
    return default


def labels(lang: str):
    """Invoice line descriptions for billing.py, in `lang`."""
    from tribe_tui.billing import Labels

    return Labels(
        licence=t("line.licence", lang),
        module_per_user=t("line.module_per_user", lang),
        module_flat=t("line.module_flat", lang),
        upgrade=t("line.upgrade", lang),
    )
