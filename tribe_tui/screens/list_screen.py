"""What the paged list screens (Licenties, Medewerkers) share, written once.

A list screen shows a counts line, a filter row, a PagedTable over the list's search index
(services/search_index.py) and one detail line for the highlighted row. It is built for 100,000
licences: the first read brings the counts and the first page only, the whole index follows in a
worker after the first frame, and filtering narrows that index in memory while the table reads
only the rows it draws.

Rows can be marked (space); unlink, renewal off and Voormalig then act on every marked row after
one confirmation, in one transaction (services/bulk.py). Without marks they act on the
highlighted row.

A subclass says which list it shows (LISTING), its columns, its counts and detail line, how its
rows name a person and a licence, and its own actions; everything else is here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NamedTuple, Protocol, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, Static
from textual.worker import get_current_worker

from tribe_tui import formatting, garbage_collector
from tribe_tui.errors import TribeError
from tribe_tui.i18n import N_
from tribe_tui.screens.base import ASKING, SectionScreen, stylesheet
from tribe_tui.services.licences import offboard, set_auto_renew, unlink
from tribe_tui.services.search_index import Listing, SearchIndex, search_index
from tribe_tui.widgets.footer import KeysFooter
from tribe_tui.widgets.paged_table import FilterInput, PagedTable, StatusLine, TableRow
from tribe_tui.widgets.text import visible

if TYPE_CHECKING:
    from textual.worker import Worker

    from tribe_tui.services.bulk import BulkChange

RowT = TypeVar("RowT", bound=TableRow)  # the list's row (LicenceRow, EmployeeRow)


class Person(NamedTuple):
    name: str
    email: str
    former: bool


class Seat(NamedTuple):
    """A licence as a list row knows it."""

    id: int
    auto_renew: bool


class FirstRead(Protocol[RowT]):
    """What the first read brings (LicencesView, EmployeesView): on the first visit, the first page."""

    @property
    def first_page(self) -> list[RowT] | None: ...


class ListScreen(SectionScreen, Generic[RowT]):
    CSS_PATH = stylesheet("list")
    LISTING: ClassVar[Listing]  # the search index the screen pages over
    PAGE: ClassVar[int] = 64  # rows read at a time (one page of the table)
    # The footer's order (it leaves out, from the end, what does not fit; F1 and the palette list
    # every key): the screen's keys by the key they are bound to, most important first.
    KEY_ORDER: ClassVar[tuple[str, ...]] = ()
    COLUMNS: ClassVar[tuple[str, ...]] = ()  # the column headings' message ids, N_ where declared
    BINDINGS = [
        Binding("x", "unlink", N_("key.licences.unlink"), id="list.unlink", tooltip=N_("tip.licences.unlink")),
        Binding("o", "offboard", N_("key.licences.offboard"), id="list.offboard", tooltip=N_("tip.licences.offboard")),
        Binding(
            "a",
            "auto_renew",
            N_("key.licences.auto_renew"),
            id="list.auto_renew",
            tooltip=N_("tip.licences.auto_renew"),
        ),
        Binding("v", "former", N_("key.licences.former"), id="list.former", tooltip=N_("tip.licences.former")),
        Binding("space", "mark", N_("key.list.mark"), id="list.mark", tooltip=N_("tip.list.mark")),
        Binding("slash", "filter", N_("key.licences.filter"), id="list.filter", tooltip=N_("tip.licences.filter")),
        Binding(
            "t",
            "show_former",
            N_("key.licences.show_former"),
            id="list.show_former",
            tooltip=N_("tip.licences.show_former"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        order = {key: at for at, key in enumerate(self.KEY_ORDER)}
        table = self._bindings.key_to_bindings
        # Stable: keys outside KEY_ORDER keep the base screen's order (Back and Help last).
        self._bindings.key_to_bindings = dict(sorted(table.items(), key=lambda item: order.get(item[0], len(order))))
        self.index: SearchIndex | None = None
        self.include_former = False
        self.marked: set[int] = set()  # ids of the marked rows, whatever the filter shows
        self.paid_until: date | None = None  # for the dates the questions name
        self._follow: int | None = None  # the row just changed: the cursor goes there with the next index

    # --- what a subclass says ---------------------------------------------------------------

    def headings(self) -> tuple[str, ...]:
        return tuple(self.tr(heading) for heading in self.COLUMNS)

    def labels(self, row: RowT) -> tuple[str, ...]:
        raise NotImplementedError

    def widths(self, width: int) -> list[int]:
        raise NotImplementedError

    def fetch(self, ids: list[int]) -> list[RowT]:
        """The rows of these ids, in this order (a service's page read)."""
        raise NotImplementedError

    def take(self, data: Any) -> None:
        """Keep what the first read brought besides the first page (counts, paid-until)."""

    def reading(self) -> str:
        """The counts line while the first read runs."""
        raise NotImplementedError

    def counts(self, shown: int) -> str:
        raise NotImplementedError

    def nothing(self) -> str:
        """The detail line when the filter leaves no row."""
        raise NotImplementedError

    def detail(self, row: RowT) -> str:
        raise NotImplementedError

    def person(self, row: RowT) -> Person | None:
        """Who the row is about, if anyone (a free licence is nobody)."""
        raise NotImplementedError

    def seat(self, row: RowT) -> Seat | None:
        """The row's licence, if it has one."""
        raise NotImplementedError

    def only(self) -> frozenset[int] | None:
        """Show just these ids (a narrower view of the list), or None for all."""
        return None

    def toggle(self) -> str:
        return self.tr("licences.former_shown") if self.include_former else self.tr("licences.former_hidden")

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Not the scrolling body of other sections: the table scrolls itself and fills the screen.
        name = self.SECTION
        yield Header(show_clock=False)
        with Vertical(id=f"{name}-body", classes="list-body"):
            yield StatusLine(self.reading(), id=f"{name}-counts", classes="list-counts")
            with Horizontal(id=f"{name}-filter-row", classes="list-filter-row"):
                yield Static(self.tr("licences.filter"), id=f"{name}-filter-label", classes="list-filter-label")
                yield FilterInput(
                    placeholder=self.tr("licences.filter_hint"), id=f"{name}-filter", classes="list-filter"
                )
                yield StatusLine(self.toggle(), id=f"{name}-former-toggle", classes="list-toggle")
            table = PagedTable(self.fetch, self.labels, self.headings(), page=self.PAGE, widths=self.widths)
            table.id, table.marks = f"{name}-table", self.marked
            table.add_class("list-table")
            yield table
            yield StatusLine(id=f"{name}-detail", classes="list-detail")
        # Compact and without the palette hint, so that most keys of this screen fit in 80 columns.
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.table.focus()

    @property
    def table(self) -> PagedTable[RowT]:
        return self.query_one(PagedTable)

    # --- data -----------------------------------------------------------------------------

    def show(self, data: FirstRead[RowT]) -> None:
        self.take(data)
        if data.first_page is not None and self.index is None:
            self.table.set_ids([row.id for row in data.first_page])
            self.table.prime(0, data.first_page)
            self._show_counts()
            # After the first frame: reading 100,000 licences in a thread competes with painting it.
            self.call_after_refresh(self._index_worker)
            return
        self._index_worker()

    def read_index(self) -> tuple[Any, ...]:
        """In the index worker: the index and whatever `take_index` needs besides it."""
        return (search_index(self.ctx, self.LISTING),)

    def take_index(self, *extra: Any) -> None:
        """Keep what `read_index` read besides the index (UI thread)."""

    @work(thread=True, exclusive=True, group="index")
    def _index_worker(self) -> None:
        worker = get_current_worker()
        try:
            found = self.read_index()
        except TribeError as exc:
            self.app.call_from_thread(self.report, exc)
            return
        self.deliver(self._index_if_current, worker, *found)

    def _index_if_current(self, worker: Worker[None], *found: Any) -> None:
        """An index a newer read replaced (one started before an action committed, when the
        question closed) must not paint over the fresher one, nor take the row to follow."""
        if not worker.is_cancelled:
            self._show_index(*found)

    def _show_index(self, index: SearchIndex, *extra: Any) -> None:
        keep = self._current_id()
        self.index = index
        self.take_index(*extra)
        self._apply_filter(keep=keep)
        garbage_collector.freeze()  # the screen and its index are long-lived too: keep them out of full GC passes

    def _current_id(self) -> int | None:
        current = self.table.current
        return current.id if current is not None else None

    def _apply_filter(self, keep: int | None = None) -> None:
        if self.index is None:
            return
        text = self.query_one(f"#{self.SECTION}-filter", Input).value
        # A narrower view (the idle licences) shows Voormalig holders too: the overview counts them, theirs still renew.
        selection = self.index.select(text, self.include_former or self.only() is not None, self.only())
        follow, self._follow = self._follow, None
        if follow is not None:
            keep = follow
            if follow not in selection and not self.include_former:
                # Just made Voormalig: the list shows Voormalig too rather than lose the row from under the cursor.
                with_former = self.index.select(text, True, self.only())
                if follow in with_former:
                    self.include_former, selection = True, with_former
        self.table.set_ids(selection, keep=keep)
        self._show_counts()

    def _show_counts(self) -> None:
        text = self.counts(len(self.table.ids))
        if self.marked:
            text += " · " + self.trn("list.marked", len(self.marked), n=self.number(len(self.marked)))
        self.query_one(f"#{self.SECTION}-counts", StatusLine).update(text)
        self.query_one(f"#{self.SECTION}-former-toggle", StatusLine).update(self.toggle())

    def number(self, value: int) -> str:
        return formatting.number(value, self.lang)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == f"{self.SECTION}-filter":
            self._apply_filter(keep=self._current_id())

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == f"{self.SECTION}-filter":
            self.table.focus()

    def on_paged_table_cursor_moved(self, event: PagedTable.CursorMoved[RowT]) -> None:
        line = self.query_one(f"#{self.SECTION}-detail", StatusLine)
        if event.row is None:
            line.update(self.nothing() if self.index is not None else "")
        else:
            line.update(self.detail(event.row))

    def reload(self) -> None:
        self.workers.cancel_group(self, "index")  # an index read before now is out of date
        self.table.forget()
        super().reload()

    # --- keys on the list -------------------------------------------------------------------

    def action_mark(self) -> None:
        """Mark or unmark the highlighted row, then move to the next (space, space, space...)."""
        row_id = self._current_id()
        if row_id is None:
            return
        self.marked.symmetric_difference_update({row_id})
        self.table.refresh()
        self.table.action_move(1)
        self._show_counts()

    def action_show_former(self) -> None:
        self.include_former = not self.include_former
        self._apply_filter(keep=self._current_id())

    def action_filter(self) -> None:
        # At once (Widget.focus() is deferred): the letters typed right after / are filter text.
        self.set_focus(self.query_one(f"#{self.SECTION}-filter", Input))

    # --- acting on rows ---------------------------------------------------------------------

    def _expected(self) -> int | None:
        return self.index.version if self.index is not None else None

    def _done(self, message: str, *, keep: int | None = None) -> Callable[[object], None]:
        """After a change: say so, read again, and keep the cursor on row `keep` (the row just
        changed) wherever the new order puts it."""

        def done(result: object) -> None:
            # After paid-until the renewal was invoiced first (R9): its number and total come first.
            settled = [formatting.settled_done_text(s, self.lang) for s in getattr(result, "settled", ())]
            self.notify("\n".join([*settled, message]), markup=False)
            self._follow = keep
            self.reload()

        return done

    def _dates(self, preview: Any = None) -> dict[str, str]:
        """Today and paid-until for a question; after paid-until, the paid-until of the period the
        renewal that the preview settles first starts (R9), not the one that has ended."""
        dates = {"today": formatting.long_date(self.ctx.today, self.lang)}
        settled = getattr(preview, "settled", ())
        paid_until = settled[-1].paid_until if settled else self.paid_until
        if paid_until is not None:
            dates["paid_until"] = formatting.long_date(paid_until, self.lang)
        return dates

    def _first(self, preview: object, body: str) -> str:
        """A question's body, after what the click settles first (R9): the renewal's invoice with
        its total, or the end of a cancelled account, named before the change itself."""
        settled = [formatting.settled_text(s, self.lang) for s in getattr(preview, "settled", ())]
        return "\n".join(settled) + "\n\n" + body if settled else body

    def _person(self, row: RowT) -> Person | None:
        person = self.person(row)
        if person is None:
            self.notify(self.tr("licences.no_holder"), severity="warning", markup=False)
        return person

    async def _marked_rows(self) -> list[RowT]:
        """The marked rows as they are now (read off the UI thread: there may be many)."""
        return await asyncio.to_thread(self.fetch, sorted(self.marked))

    @work(group=ASKING)
    async def action_unlink(self) -> None:
        if self.marked:
            people = [p for p in map(self.person, await self._marked_rows()) if p is not None]
            await self._bulk(
                "unlink_all",
                [p.email for p in people],
                lambda n, count, preview: (
                    self.trn("list.unlink_title", n, count=count),
                    self.trn("list.unlink_body", n, **self._dates(preview)),
                    self.tr("licences.unlink_yes"),
                ),
                lambda n, count, _: self.trn("list.unlinked", n, count=count),
            )
            return
        row = self.table.current
        if row is None or (person := self._person(row)) is None:
            return
        ctx, name, email, version = self.ctx, visible(person.name), person.email, self._expected()
        preview = await self.check(lambda: unlink(ctx, email, dry_run=True))
        if preview is None:
            return  # e.g. the last admin: said now, not after a yes
        if await self.ask(
            self.tr("licences.unlink_title", name=name),
            self._first(preview, self.tr("licences.unlink_body", name=name, **self._dates(preview))),
            self.tr("licences.unlink_yes"),
        ):
            await self.act(
                lambda: unlink(ctx, email, expected_version=version),
                self._done(self.tr("licences.unlinked", name=name), keep=row.id),
            )

    @work(group=ASKING)
    async def action_auto_renew(self) -> None:
        """Off asks first (the licence lapses at paid-until); on is harmless and happens at once."""

        if self.marked:
            seats = [s for s in map(self.seat, await self._marked_rows()) if s is not None and s.auto_renew]
            await self._bulk(
                "renewal_off_all",
                [s.id for s in seats],
                lambda n, count, preview: (
                    self.trn("list.renew_off_title", n, count=count),
                    self.trn("list.renew_off_body", n, **self._dates(preview)),
                    self.tr("licences.renew_off_yes"),
                ),
                lambda n, count, result: self.trn("list.renewed_off", n, count=count, **self._dates(result)),
            )
            return
        row = self.table.current
        if row is None:
            return
        seat, person = self.seat(row), self.person(row)
        if seat is None:
            name = visible(person.name) if person else ""
            self.notify(self.tr("error.no_licence", name=name), severity="warning", markup=False)
            return
        ctx, ref, version, on = self.ctx, str(seat.id), self._expected(), not seat.auto_renew
        preview = await self.check(lambda: set_auto_renew(ctx, ref, on, dry_run=True))
        if preview is None:
            return
        if on:
            # Harmless, and never after paid-until: the renewal settled first drops a licence that
            # was not renewed (R7), so the dry run has already refused.
            done = self._done(self.tr("licences.renew_now_on", n=seat.id), keep=row.id)
        else:
            who = visible(person.name) if person else self.tr("licences.free_detail")
            if not await self.ask(
                self.tr("licences.renew_off_title"),
                self._first(preview, self.tr("licences.renew_off_body", n=seat.id, holder=who, **self._dates(preview))),
                self.tr("licences.renew_off_yes"),
            ):
                return
            done = self._done(self.tr("licences.renew_now_off", n=seat.id, **self._dates(preview)), keep=row.id)
        await self.act(lambda: set_auto_renew(ctx, ref, on, expected_version=version), done)

    @work(group=ASKING)
    async def action_former(self) -> None:
        """Voormalig on or off for the highlighted person; on for every marked one, asked first."""
        from tribe_tui.services.employees import set_former

        if self.marked:
            people = [p for p in map(self.person, await self._marked_rows()) if p is not None and not p.former]
            await self._bulk(
                "former_all",
                [p.email for p in people],
                lambda n, count, _: (
                    self.trn("list.former_title", n, count=count),
                    self.trn("list.former_body", n),
                    self.tr("list.former_yes"),
                ),
                lambda n, count, _: self.trn("list.formered", n, count=count),
            )
            return
        row = self.table.current
        if row is None or (person := self._person(row)) is None:
            return
        ctx, name, email, on, version = (
            self.ctx,
            visible(person.name),
            person.email,
            not person.former,
            self._expected(),
        )
        preview = await self.check(lambda: set_former(ctx, email, on, dry_run=True))
        if preview is None:
            return
        # Harmless in itself; after paid-until it also invoices the renewal (R9): asked then.
        if preview.settled and not await self.ask(
            self.tr("licences.former_on_title", name=name) if on else self.tr("licences.former_off_title", name=name),
            self._first(preview, ""),
            self.tr("list.former_yes") if on else self.tr("licences.former_off_yes"),
        ):
            return
        message = self.tr("licences.former_now_on", name=name) if on else self.tr("licences.former_now_off", name=name)
        await self.act(lambda: set_former(ctx, email, on, expected_version=version), self._done(message, keep=row.id))

    @work(group=ASKING)
    async def action_offboard(self) -> None:
        row = self.table.current
        if row is None or (person := self._person(row)) is None:
            return
        ctx, name, email, version = self.ctx, visible(person.name), person.email, self._expected()
        preview = await self.check(lambda: offboard(ctx, email, dry_run=True))
        if preview is None:
            return
        holds = self.seat(row) is not None and self.paid_until is not None
        body = (
            self.tr("licences.offboard_body", name=name, **self._dates(preview))
            if holds
            else self.tr("employees.offboard_body", name=name, **self._dates(preview))
        )
        body = self._first(preview, body)
        if await self.ask(self.tr("licences.offboard_title", name=name), body, self.tr("licences.offboard_yes")):
            await self.act(
                lambda: offboard(ctx, email, expected_version=version),
                self._done(self.tr("licences.offboarded", name=name), keep=row.id),
            )

    async def _bulk(
        self,
        name: str,
        refs: Sequence[Any],
        question: Callable[[int, str, Any], tuple[str, str, str]],
        said: Callable[[int, str, Any], str],
    ) -> None:
        """One question naming how many (and, where the renewal changes, by how much), then one
        transaction for all of them: services/bulk.py's `name`. `question(n, count)` gives the
        title, the body and the yes; `said(n, count)` the line after it was done (each also gets the
        dry run's or the change's result, for its dates)."""
        from tribe_tui.services import bulk  # the action outline: loaded with the first action

        service: Callable[..., BulkChange] = getattr(bulk, name)
        if not refs:
            self.notify(self.tr("list.none_apply"), severity="warning", markup=False)
            return
        ctx, version = self.ctx, self._expected()
        preview = await self.check(lambda: service(ctx, refs, dry_run=True))
        if preview is None:
            return
        title, body, yes = question(preview.count, self.number(preview.count), preview)
        if preview.renewal_before != preview.renewal_after:
            money: Callable[[Decimal], str] = lambda value: formatting.money(value, self.lang)  # noqa: E731
            title += " " + self.tr("list.renewal_less", less=money(preview.renewal_before - preview.renewal_after))
            body += "\n\n" + self.tr(
                "list.renewal_change",
                before=money(preview.renewal_before),
                after=money(preview.renewal_after),
            )
        if not await self.ask(title, self._first(preview, body), yes):
            return

        def done(result: BulkChange) -> None:
            self.marked.clear()
            self._done(said(result.count, self.number(result.count), result))(result)

        await self.act(lambda: service(ctx, refs, expected_version=version), done)
