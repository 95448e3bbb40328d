"""What the licences and employees services hand to their screens: plain frozen dataclasses.

Apart from service_types because only those sections use them: the overview's first frame does not
create these classes (each dataclass costs its own generated code at import).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from tribe_tui.service_types import AccountOverview

if TYPE_CHECKING:  # the row holds what only the employees' service reads; the view just names it
    from tribe_tui.services.employees import EmployeeRow


@dataclass(frozen=True)
class LicenceRow:
    id: int
    holder_id: int | None
    holder_name: str | None
    email: str | None
    role: str | None
    former: bool
    auto_renew: bool

    @property
    def status(self) -> str:
        return "in_use" if self.holder_id else "free"

    def to_json(self, paid_until: date) -> dict[str, Any]:
        return {
            "id": self.id,
            "holder": self.holder_name,
            "email": self.email,
            "status": self.status,
            "auto_renew": self.auto_renew,
            "former": self.former,
            "ends_on": None if self.auto_renew else paid_until.isoformat(),
        }


@dataclass(frozen=True)
class LicencesView:
    """What the licences screen shows first: the counts (from the account overview) and, on its
    first visit, the first page of rows, so real rows are on screen while the index is read."""

    overview: AccountOverview
    first_page: list[LicenceRow] | None


@dataclass(frozen=True)
class EmployeesView:
    """What the employees screen shows first: how many there are, free licences, the first page."""

    total: int
    free_licences: int
    first_page: list[EmployeeRow] | None
    paid_until: date | None = None  # the end of the period, for the dates the screen's questions name

    @property
    def free(self) -> int:
        return self.free_licences
