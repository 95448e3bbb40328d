"""The price list (R8) as loaded from the shipped catalogue: the newest version (R12), which a period
that starts now is charged by; a running period keeps its own (services._prices.priced_module)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tribe_tui import billing
from tribe_tui.models import Edition, Module


@dataclass(frozen=True)
class Catalogue:
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


def catalogue() -> Catalogue:
    editions = tuple((e.code, e.name, e.yearly_price) for e in Edition.select().order_by(Edition.rank))
    modules = tuple(
        (m.code, m.name, m.kind, m.per_user, m.yearly_price, m.requires_id)
        for m in Module.select().order_by(Module.kind.desc(), Module.name)
    )
    return Catalogue(editions, modules)
