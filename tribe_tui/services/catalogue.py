"""The price list (R8) as loaded from the shipped catalogue: the newest version (R12), which a period
that starts now is charged by; a running period keeps its own (services._prices.priced_module)."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple

from tribe_tui import billing
from tribe_tui.migrations import read_catalogue
from tribe_tui.models import Edition, Module


class Catalogue(NamedTuple):
    editions: tuple[tuple[str, str, Decimal], ...]
    modules: tuple[tuple[str, str, str, bool, Decimal, str | None], ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "editions": [{"code": c, "name": n, "yearly_price": billing.as_text(p)} for c, n, p in self.editions],
            "modules": [
                {"code": c, "name": n, "kind": k, "per_user": u, "yearly_price": billing.as_text(p), "requires": r}
                for c, n, k, u, p, r in self.modules
            ],
        }


def catalogue(lang: str = "nl") -> Catalogue:
    """The newest catalogue, its names in `lang` (shown_name)."""
    editions = tuple(
        (e.code, shown_name(e.code, e.name, lang), e.yearly_price) for e in Edition.select().order_by(Edition.rank)
    )
    modules = tuple(
        (m.code, shown_name(m.code, m.name, lang), m.kind, m.per_user, m.yearly_price, m.requires_id)
        for m in Module.select().order_by(Module.kind.desc(), Module.name)
    )
    return Catalogue(editions, modules)


def shown_name(code: str, printed: str, lang: str) -> str:
    """The name of an edition or module as an admin reads it in `lang`: the catalogue's
    `name_<lang>` where it has one, else `printed`, the name invoices print (each catalogue version
    keeps its own, R12; the Dutch one). Only the words of the screens change: an invoice line
    says what its version printed, whatever the language of the admin who caused it."""
    if lang == "nl":
        return printed
    return _names_in(lang).get(code, printed)


@cache
def _names_in(lang: str) -> dict[str, str]:
    data = read_catalogue()
    return {
        item["code"]: item[f"name_{lang}"] for item in (*data["editions"], *data["modules"]) if f"name_{lang}" in item
    }
