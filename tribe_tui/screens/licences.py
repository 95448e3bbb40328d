"""Gebruikerslicenties beheren: who holds which licence, and the keys to change that.

The list itself (filter, counts, paging over 100,000 licences, marking, unlink, renewal,
Voormalig, offboarding) is screens/list_screen.py; here is what only licences have: their columns,
the idle view and inviting a colleague.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding

from tribe_tui import formatting
from tribe_tui.i18n import N_, on_off
from tribe_tui.screens.list_screen import ListScreen, Person, Seat
from tribe_tui.services.licences import licence_rows, licences_view
from tribe_tui.widgets.text import visible

if TYPE_CHECKING:
    from tribe_tui.list_types import LicenceRow, LicencesView
    from tribe_tui.service_types import AccountOverview


class LicencesScreen(ListScreen["LicenceRow"]):
    SECTION = "licences"
    LISTING = "licences"
    AUTO_FOCUS = "#licences-table"  # not the filter: a key typed as the screen opens is a command, not text
    KEY_ORDER = ("x", "o", "a", "slash", "t", "v", "i", "n", "space")
    COLUMNS: ClassVar[tuple[str, ...]] = (N_("licences.col_holder"), N_("licences.col_email"))
    COLUMNS += (N_("licences.col_status"), N_("licences.col_auto_renew"))
    BINDINGS = [
        Binding("i", "invite", N_("key.licences.invite"), id="licences.invite", tooltip=N_("tip.licences.invite")),
        Binding("n", "idle", N_("key.licences.idle"), id="licences.idle", tooltip=N_("tip.licences.idle")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.overview: AccountOverview | None = None
        self.idle_only = False  # only licences whose holder has not signed in for 60 days or more
        self.idle_ids: frozenset[int] | None = None

    def widths(self, width: int) -> list[int]:
        status, renew = 11, 10
        rest = max(width - status - renew - 3, 20)
        name = rest * 2 // 5
        return [name, rest - name, status, renew]

    def labels(self, row: LicenceRow) -> tuple[str, ...]:
        if row.holder_id is None:
            holder, status = self.tr("licences.free_holder"), self.tr("licence.free")
        else:
            holder = row.holder_name or ""
            status = self.tr("label.former") if row.former else self.tr("licence.in_use")
        return holder, row.email or "", status, on_off(row.auto_renew, self.lang)

    def person(self, row: LicenceRow) -> Person | None:
        if row.holder_id is None:
            return None
        assert row.holder_name is not None and row.email is not None  # a held licence's row names its holder
        return Person(row.holder_name, row.email, row.former)

    def seat(self, row: LicenceRow) -> Seat | None:
        return Seat(row.id, row.auto_renew)

    # --- data -----------------------------------------------------------------------------

    def load(self) -> LicencesView:
        # The first page is one indexed query; the whole index takes longer at 100,000 licences,
        # so the first frame shows real rows and the index follows in its own worker.
        return licences_view(self.ctx, first_page=self.index is None)

    def take(self, data: LicencesView) -> None:
        self.overview = data.overview
        self.paid_until = data.overview.paid_until

    def fetch(self, ids: list[int]) -> list[LicenceRow]:
        return licence_rows(self.ctx, ids)

    def read_index(self) -> tuple[Any, ...]:
        index = super().read_index()
        idle = None
        if self.idle_only:  # the employees' service (and the action outline it brings) only then
            from tribe_tui.services.employees import idle_licence_ids

            idle = frozenset(idle_licence_ids(self.ctx))
        return (*index, idle)

    def take_index(self, idle: frozenset[int] | None = None) -> None:
        self.idle_ids = idle

    def only(self) -> frozenset[int] | None:
        return self.idle_ids if self.idle_only else None

    def reading(self) -> str:
        return self.tr("licences.loading")

    def nothing(self) -> str:
        return self.tr("licences.none")

    def counts(self, shown: int) -> str:
        view = self.overview
        assert view is not None  # counts are shown once the overview was read
        values = {
            "total": self.number(view.licences_total),
            "in_use": self.number(view.licences_in_use),
            "free": self.number(view.licences_free),
            "shown": self.number(shown),
        }
        total = view.licences_total
        if self.index is not None:
            return self.trn("licences.counts", total, **values)
        return self.trn("licences.counts_reading", total, **values)

    def toggle(self) -> str:
        return self.tr("licences.idle_only") if self.idle_only else super().toggle()

    def detail(self, row: LicenceRow) -> str:
        if self.overview is None:
            return ""
        until = formatting.long_date(self.overview.paid_until, self.lang)
        renew = self.tr("licences.renews", date=until) if row.auto_renew else self.tr("licences.lapses", date=until)
        if row.former and row.auto_renew:  # nobody uses it, yet it is paid for again
            renew = self.tr("licences.former_renews", date=until)
        holder = self.tr("licences.free_detail") if row.holder_id is None else visible(row.holder_name)
        return self.tr("licences.detail", n=row.id, holder=holder, renew=renew)

    # --- keys of this list alone --------------------------------------------------------------

    def action_idle(self) -> None:
        """Only the licences nobody used for 60 days or more, or all again."""
        self.idle_only = not self.idle_only
        if self.idle_only and self.idle_ids is None:
            self._index_worker()  # reads which ones are idle with the index
            return
        self._apply_filter(keep=self._current_id())

    def action_invite(self) -> None:
        self.app.open_section("invite")

    def reload(self) -> None:
        self.idle_ids = None  # read again with the index (an offboarded holder is no longer idle)
        super().reload()
