"""Gebruikerslicenties beheren: who holds which licence, and the keys to change that.

Built for 100,000 licences: the licence index (display order + filter text) is read once in a
worker; filtering narrows that list in memory and the table reads only the rows it draws.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, Static

from tribe_tui import formatting, garbage_collector
from tribe_tui.errors import TribeError
from tribe_tui.i18n import N_, on_off
from tribe_tui.screens.base import ASKING, SectionScreen, stylesheet
from tribe_tui.services.licences import (
    PAGE,
    licence_index,
    licence_rows,
    licences_view,
    offboard,
    set_auto_renew,
    unlink,
)
from tribe_tui.widgets.footer import KeysFooter
from tribe_tui.widgets.licence_table import FilterInput, LicenceTable, StatusLine
from tribe_tui.widgets.text import visible

if TYPE_CHECKING:
    from tribe_tui.service_types import AccountOverview
    from tribe_tui.services.filter_index import LicenceIndex


class LicencesScreen(SectionScreen):
    CSS_PATH = stylesheet("licences")
    SECTION = "licences"
    AUTO_FOCUS = "#licences-table"  # not the filter: a key typed as the screen opens is a command, not text
    # Most important first: the footer leaves out, from the end, what does not fit.
    BINDINGS = [
        Binding("x", "unlink", N_("key.licences.unlink"), id="licences.unlink", tooltip=N_("tip.licences.unlink")),
        Binding(
            "o", "offboard", N_("key.licences.offboard"), id="licences.offboard", tooltip=N_("tip.licences.offboard")
        ),
        Binding(
            "a",
            "auto_renew",
            N_("key.licences.auto_renew"),
            id="licences.auto_renew",
            tooltip=N_("tip.licences.auto_renew"),
        ),
        Binding("slash", "filter", N_("key.licences.filter"), id="licences.filter", tooltip=N_("tip.licences.filter")),
        Binding(
            "t",
            "show_former",
            N_("key.licences.show_former"),
            id="licences.show_former",
            tooltip=N_("tip.licences.show_former"),
        ),
        Binding("v", "former", N_("key.licences.former"), id="licences.former", tooltip=N_("tip.licences.former")),
        Binding("i", "invite", N_("key.licences.invite"), id="licences.invite", tooltip=N_("tip.licences.invite")),
        Binding("n", "idle", N_("key.licences.idle"), id="licences.idle", tooltip=N_("tip.licences.idle")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.index: LicenceIndex | None = None
        self.overview: AccountOverview | None = None
        self.include_former = False
        self.idle_only = False  # only licences whose holder has not signed in for 60 days or more
        self.idle_ids: frozenset[int] | None = None

    def compose(self) -> ComposeResult:
        # Not the scrolling body of other sections: the table scrolls itself and fills the screen.
        yield Header(show_clock=False)
        with Vertical(id="licences-body"):
            yield StatusLine(self.tr("licences.loading"), id="licences-counts")
            with Horizontal(id="licences-filter-row"):
                yield Static(self.tr("licences.filter"), id="licences-filter-label", markup=False)
                yield FilterInput(placeholder=self.tr("licences.filter_hint"), id="licences-filter")
                yield StatusLine(self.tr("licences.former_hidden"), id="licences-former-toggle")

            yield LicenceTable(self._fetch, self._labels, self._headings(), page=PAGE, id="licences-table")
            yield StatusLine(id="licences-detail")
        # Compact and without the palette hint, so that most keys of this screen fit in 80 columns.
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(LicenceTable).focus()

    def _headings(self) -> tuple[str, ...]:
        return (
            self.tr("licences.col_holder"),
            self.tr("licences.col_email"),
            self.tr("licences.col_status"),
            self.tr("licences.col_auto_renew"),
        )

    # --- data -----------------------------------------------------------------------------

    def load(self):
        # The first page is one indexed query; the whole index takes longer at 100,000 licences,
        # so the first frame shows real rows and the index follows in its own worker.
        return licences_view(self.ctx, first_page=self.index is None)

    def show(self, data) -> None:  # services.licences.LicencesView
        self.overview = data.overview
        if data.first_page is not None and self.index is None:
            table = self.query_one(LicenceTable)
            table.set_ids([row.id for row in data.first_page])
            table.prime(0, data.first_page)
            self._show_counts()
            # After the first frame: reading 100,000 licences in a thread competes with painting it.
            self.call_after_refresh(self._index_worker)
            return
        self._index_worker()

    @work(thread=True, exclusive=True, group="index")
    def _index_worker(self) -> None:
        try:
            index = licence_index(self.ctx)
            idle = None
            if self.idle_only:  # the employees' service (and the action outline it brings) only then
                from tribe_tui.services.employees import idle_licence_ids

                idle = frozenset(idle_licence_ids(self.ctx))
        except TribeError as exc:
            self.app.call_from_thread(self.report, exc)
            return
        self.deliver(self._show_index, index, idle)

    def _show_index(self, index, idle: frozenset[int] | None = None) -> None:
        current = self.query_one(LicenceTable).current
        self.index = index
        self.idle_ids = idle
        self._apply_filter(keep=current.id if current is not None else None)
        garbage_collector.freeze()  # the screen and its index are long-lived too: keep them out of full GC passes

    def _fetch(self, ids: list[int]) -> list:
        return licence_rows(self.ctx, ids)

    def _labels(self, row) -> tuple[str, ...]:
        if row.holder_id is None:
            holder, status = self.tr("licences.free_holder"), self.tr("licence.free")
        else:
            holder = row.holder_name or ""
            status = self.tr("former") if row.former else self.tr("licence.in_use")
        return holder, row.email or "", status, on_off(row.auto_renew, self.lang)

    def _apply_filter(self, keep: int | None = None) -> None:
        if self.index is None:
            return
        text = self.query_one("#licences-filter", Input).value
        table = self.query_one(LicenceTable)
        only = self.idle_ids if self.idle_only else None
        # The idle licences are the overview's count, Voormalig holders' included (theirs still renew).
        table.set_ids(self.index.select(text, self.include_former or self.idle_only, only), keep=keep)
        self._show_counts()

    def _show_counts(self) -> None:
        view = self.overview
        assert view is not None  # counts are shown once the overview was read
        shown = len(self.query_one(LicenceTable).ids)
        n = lambda value: formatting.number(value, self.lang)  # noqa: E731
        values = {
            "total": n(view.licences_total),
            "in_use": n(view.licences_in_use),
            "free": n(view.licences_free),
            "shown": n(shown),
        }
        total = view.licences_total
        text = (
            self.trn("licences.counts", total, **values)
            if self.index is not None
            else self.trn("licences.counts_reading", total, **values)
        )
        self.query_one("#licences-counts", StatusLine).update(text)
        toggle = self.tr("licences.former_shown") if self.include_former else self.tr("licences.former_hidden")
        if self.idle_only:
            toggle = self.tr("licences.idle_only")
        self.query_one("#licences-former-toggle", StatusLine).update(toggle)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "licences-filter":
            current = self.query_one(LicenceTable).current
            self._apply_filter(keep=current.id if current is not None else None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "licences-filter":
            self.query_one(LicenceTable).focus()

    def on_licence_table_cursor_moved(self, event: LicenceTable.CursorMoved) -> None:
        self._show_detail(event.row)

    def _show_detail(self, row) -> None:
        detail = self.query_one("#licences-detail", StatusLine)
        if row is None or self.overview is None:
            detail.update(self.tr("licences.none") if self.index is not None else "")
            return
        until = formatting.long_date(self.overview.paid_until, self.lang)
        renew = self.tr("licences.renews", date=until) if row.auto_renew else self.tr("licences.lapses", date=until)
        if row.former and row.auto_renew:  # nobody uses it, yet it is paid for again
            renew = self.tr("licences.former_renews", date=until)
        holder = self.tr("licences.free_detail") if row.holder_id is None else visible(row.holder_name)
        detail.update(self.tr("licences.detail", n=row.id, holder=holder, renew=renew))

    # --- actions --------------------------------------------------------------------------

    def _selected(self, *, holder: bool):
        row = self.query_one(LicenceTable).current
        if row is None:
            return None
        if holder and row.holder_id is None:
            self.notify(self.tr("licences.no_holder"), severity="warning", markup=False)
            return None
        return row

    def _expected(self) -> int | None:
        return self.index.version if self.index is not None else None

    def _done(self, message: str):
        def done(_result) -> None:
            self.notify(message, markup=False)
            self.reload()

        return done

    def _dates(self) -> dict[str, str]:
        assert self.overview is not None  # asked only from actions on rows that were shown
        return {
            "today": formatting.long_date(self.ctx.today, self.lang),
            "paid_until": formatting.long_date(self.overview.paid_until, self.lang),
        }

    @work(group=ASKING)
    async def action_unlink(self) -> None:
        row = self._selected(holder=True)
        if row is None:
            return
        ctx, name, email, version = self.ctx, visible(row.holder_name), row.email, self._expected()
        if await self.check(lambda: unlink(ctx, email, dry_run=True)) is None:
            return  # e.g. the last admin: said now, not after a yes
        if await self.ask(
            self.tr("licences.unlink_title", name=name),
            self.tr("licences.unlink_body", name=name, **self._dates()),
            self.tr("licences.unlink_yes"),
        ):
            await self.act(
                lambda: unlink(ctx, email, expected_version=version),
                self._done(self.tr("licences.unlinked", name=name)),
            )

    @work(group=ASKING)
    async def action_auto_renew(self) -> None:
        """Off asks first (the licence lapses at paid-until); on is harmless and happens at once."""

        row = self._selected(holder=False)
        if row is None:
            return
        ctx, ref, version, on = self.ctx, str(row.id), self._expected(), not row.auto_renew
        if await self.check(lambda: set_auto_renew(ctx, ref, on, dry_run=True)) is None:
            return
        if on:
            done = self._done(self.tr("licences.renew_now_on", n=row.id))
        else:
            who = visible(row.holder_name) if row.holder_id else self.tr("licences.free_detail")
            if not await self.ask(
                self.tr("licences.renew_off_title"),
                self.tr("licences.renew_off_body", n=row.id, holder=who, **self._dates()),
                self.tr("licences.renew_off_yes"),
            ):
                return
            done = self._done(self.tr("licences.renew_now_off", n=row.id, **self._dates()))
        await self.act(lambda: set_auto_renew(ctx, ref, on, expected_version=version), done)

    @work(group=ASKING)
    async def action_offboard(self) -> None:
        row = self._selected(holder=True)
        if row is None:
            return
        ctx, name, email, version = self.ctx, visible(row.holder_name), row.email, self._expected()
        if await self.check(lambda: offboard(ctx, email, dry_run=True)) is None:
            return
        if await self.ask(
            self.tr("licences.offboard_title", name=name),
            self.tr("licences.offboard_body", name=name, **self._dates()),
            self.tr("licences.offboard_yes"),
        ):
            await self.act(
                lambda: offboard(ctx, email, expected_version=version),
                self._done(self.tr("licences.offboarded", name=name)),
            )

    def action_former(self) -> None:
        row = self._selected(holder=True)
        if row is None:
            return
        from tribe_tui.services.employees import set_former

        ctx, name, email, on, version = self.ctx, visible(row.holder_name), row.email, not row.former, self._expected()
        self.run_action(
            lambda: set_former(ctx, email, on, expected_version=version),
            self._done(
                self.tr("licences.former_now_on", name=name) if on else self.tr("licences.former_now_off", name=name)
            ),
        )

    def action_show_former(self) -> None:
        self.include_former = not self.include_former
        current = self.query_one(LicenceTable).current
        self._apply_filter(keep=current.id if current is not None else None)

    def action_idle(self) -> None:
        """Only the licences nobody used for 60 days or more, or all again."""
        self.idle_only = not self.idle_only
        if self.idle_only and self.idle_ids is None:
            self._index_worker()  # reads which ones are idle with the index
            return
        current = self.query_one(LicenceTable).current
        self._apply_filter(keep=current.id if current is not None else None)

    def action_invite(self) -> None:
        self.app.open_section("invite")

    def action_filter(self) -> None:
        # At once (Widget.focus() is deferred): the letters typed right after / are filter text.
        self.set_focus(self.query_one("#licences-filter", Input))

    def reload(self) -> None:
        self.idle_ids = None  # read again with the index (an offboarded holder is no longer idle)
        self.query_one(LicenceTable).forget()
        super().reload()
