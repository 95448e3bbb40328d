"""A paged list table (licences, employees): only the visible rows exist, read page by page when
they come into view.

The table holds the ordered row ids that match the filter (a sequence of ints, cheap even at
100,000 licences) and asks `fetch(ids)` for the rows of a page when a line of it is first drawn; an
LRU cache keeps the last rows by id, so scrolling back and forth, or a filter that shows rows
seen before, reads nothing twice. A DataTable would build a row object per licence and needs
about 30 times the start-up time at that size.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import getters
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from tribe_tui.i18n import N_
from tribe_tui.widgets.inputs import TextInput
from tribe_tui.widgets.keys import localise_bindings
from tribe_tui.widgets.text import visible

if TYPE_CHECKING:
    from textual import events

    from tribe_tui.app import TribeApp

CACHED_PAGES = 32


class TableRow(Protocol):
    """What the table needs of a row (services' LicenceRow, EmployeeRow); rows are hashable:
    a row's drawn text is cached by the row itself."""

    @property
    def id(self) -> int: ...
    @property
    def holder_id(self) -> int | None: ...
    @property
    def former(self) -> bool: ...


RowT = TypeVar("RowT", bound=TableRow)
MovedT = TypeVar("MovedT", bound=TableRow)  # the same, for the nested message (a class of its own)


class PagedTable(ScrollView, Generic[RowT], can_focus=True):
    """Header line plus one line per row (a licence, an employee); a cursor row; keys to move it.

    | Key | Does |
    | :- | :- |
    | up, down | Move the cursor one row. |
    | pageup, pagedown | Move the cursor one screenful. |
    | home, end | First, last row. |

    | Class | Description |
    | :- | :- |
    | `paged-table--header` | The line of column headings. |
    | `paged-table--cursor` | The cursor row (brighter while the table has the focus). |
    | `paged-table--free` | A licence nobody holds. |
    | `paged-table--former` | A licence held by someone marked Voormalig. |
    | `paged-table--off` | A licence that does not renew (reserved; drawn as its row). |
    | `paged-table--marked` | A marked row (also drawn with a check mark). |

    The table marks its focus with a bar on the left (see styles/app.tcss, shared by every list).
    """

    DEFAULT_CSS = """
    PagedTable {
        overflow-x: hidden;
    }
    PagedTable > .paged-table--header {
        text-style: bold;
        color: $accent;
    }
    PagedTable > .paged-table--free {
        color: $text-muted;
    }
    PagedTable > .paged-table--former {
        color: $warning;
    }
    PagedTable > .paged-table--marked {
        text-style: bold;
    }
    PagedTable > .paged-table--cursor {
        background: $primary 30%;
    }
    PagedTable:focus > .paged-table--cursor {
        background: $primary;
        color: $text;
    }
    """

    if TYPE_CHECKING:  # Textual's typed `self.app`; type-only: the app imports the UI, not back
        app = getters.app(TribeApp)

    COMPONENT_CLASSES = {
        "paged-table--header",
        "paged-table--cursor",
        "paged-table--free",
        "paged-table--former",
        "paged-table--off",
        "paged-table--marked",
    }
    BINDINGS = [
        Binding("up", "move(-1)", N_("key.table.up"), show=False, id="table.up"),
        Binding("down", "move(1)", N_("key.table.down"), show=False, id="table.down"),
        Binding("pageup", "page(-1)", N_("key.table.page_up"), show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", N_("key.table.page_down"), show=False, id="table.page_down"),
        Binding("home", "jump(0)", N_("key.table.home"), show=False, id="table.home"),
        Binding("end", "jump(-1)", N_("key.table.end"), show=False, id="table.end"),
    ]

    cursor = reactive(0, always_update=True, init=False)

    class CursorMoved(Message, Generic[MovedT]):
        def __init__(self, table: PagedTable[MovedT], row: MovedT | None) -> None:
            super().__init__()
            self.table = table
            self.row = row

    def __init__(
        self,
        fetch: Callable[[list[int]], list[RowT]],
        labels: Callable[[RowT], tuple[str, ...]],
        headings: tuple[str, ...],
        *,
        page: int,
        id: str | None = None,
        widths: Callable[[int], list[int]] | None = None,
    ) -> None:
        """`widths(width)` gives the column widths for a line of `width` cells (default: the
        licence screen's four columns). Rows need `id`, `holder_id` (None: drawn muted) and `former`."""
        super().__init__(id=id)
        if widths is not None:
            self._widths = widths  # type: ignore[method-assign,assignment]
        localise_bindings(self, self.app.lang)
        self.page_size = page  # rows per `fetch` (the service's page, also what `prime` is given)
        self._fetch = fetch
        self._labels = labels
        self.headings = headings
        self.ids: Sequence[int] = ()
        self._rows: OrderedDict[int, RowT] = OrderedDict()  # licence id -> row, least recently used first
        self._style_cache: dict[str, Style] = {}
        self._text_cache: dict[RowT, str] = {}  # row -> its drawn text at the current width
        self._text_width: tuple[int, int] = (0, 0)
        # Ids of the rows the screen has marked (its own set, shared): drawn with a check mark in
        # a gutter that exists while anything is marked.
        self.marks: set[int] | frozenset[int] = frozenset()

    # --- data -----------------------------------------------------------------------------

    def set_ids(self, ids: Sequence[int], *, keep: int | None = None) -> None:
        """Show these licences (in this order); the cursor stays on licence `keep` if it is there.
        Rows already read stay cached by licence id: a new filter mostly shows rows read before."""
        self.ids = ids
        self._set_height(len(ids) + 1)
        index = 0
        if keep is not None:
            try:
                index = ids.index(keep)
            except ValueError:
                index = min(self.cursor, max(len(ids) - 1, 0))
        self.cursor = index
        self.refresh()

    def prime(self, number: int, rows: list[RowT]) -> None:
        """Rows already read elsewhere (the first page, read with the counts)."""
        self._keep(rows)
        self.refresh()

    def forget(self) -> None:
        """Read every row again when it is next drawn (after a change)."""
        self._rows.clear()
        self._text_cache.clear()
        self.refresh()

    def _keep(self, rows: list[RowT]) -> None:
        for row in rows:
            self._rows[row.id] = row
        while len(self._rows) > self.page_size * CACHED_PAGES:
            self._rows.popitem(last=False)

    def row_at(self, index: int) -> RowT | None:
        if not 0 <= index < len(self.ids):
            return None
        licence_id = self.ids[index]
        row = self._rows.get(licence_id)
        if row is None:
            # Read the page around it (its rows that are not cached yet), by primary key.
            start = index - index % self.page_size
            missing = [i for i in self.ids[start : start + self.page_size] if i not in self._rows]
            self._keep(self._fetch(missing))
            row = self._rows.get(licence_id)  # None when the licence is gone since the index was read
        else:
            self._rows.move_to_end(licence_id)
        return row

    @property
    def current(self) -> RowT | None:
        return self.row_at(self.cursor)

    # --- drawing ----------------------------------------------------------------------------

    def _widths(self, width: int) -> list[int]:
        status, renew = 11, 10
        rest = max(width - status - renew - 3, 20)
        name = rest * 2 // 5
        return [name, rest - name, status, renew]

    def _line_text(self, texts: Sequence[str], widths: list[int]) -> str:
        cells = []
        for text, width in zip(texts, widths, strict=False):
            text = visible(text)
            if cell_len(text) > width:
                text = set_cell_size(text, width - 1) + "…"
            cells.append(set_cell_size(text, width))
        return " ".join(cells)

    def _style(self, name: str) -> Style:
        # Looked up once per theme/style change, not once per line drawn.
        style = self._style_cache.get(name)
        if style is None:
            style = self._style_cache[name] = self.rich_style if name == "base" else self.get_component_rich_style(name)
        return style

    def notify_style_update(self) -> None:
        self._style_cache.clear()
        self._text_cache.clear()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        gutter = 2 if self.marks else 0
        if (width, gutter) != self._text_width:
            self._text_cache.clear()
            self._text_width = (width, gutter)
        widths = self._widths(width - gutter)
        base = self._style("base")
        if y == 0:
            style = base + self._style("paged-table--header")
            line = " " * gutter + self._line_text(self.headings, widths)
            return Strip([Segment(line, style)]).adjust_cell_length(width, style)
        index = self.scroll_offset.y + y - 1
        row = self.row_at(index)
        if row is None:
            return Strip.blank(width, base)
        style = base
        if row.holder_id is None:
            style += self._style("paged-table--free")
        elif row.former:
            style += self._style("paged-table--former")
        marked = gutter and row.id in self.marks
        if marked:
            style += self._style("paged-table--marked")
        if index == self.cursor:
            style += self._style("paged-table--cursor")
        text = self._text_cache.get(row)
        if text is None:
            if len(self._text_cache) > self.page_size * CACHED_PAGES:
                self._text_cache.clear()
            text = self._text_cache[row] = self._line_text(self._labels(row), widths)
        if gutter:
            text = ("✓ " if marked else "  ") + text
        return Strip([Segment(text, style)]).adjust_cell_length(width, style)

    def on_resize(self) -> None:
        self._set_height(len(self.ids) + 1)

    def _set_height(self, lines: int) -> None:
        """A new row count only moves the scrollbar: skip the screen-wide layout pass that assigning
        `virtual_size` would cost on every keystroke of the filter."""
        size = Size(0, lines)
        if size != self.virtual_size:
            self.set_reactive(ScrollView.virtual_size, size)
            self._scroll_update(size)
            self.scroll_to(
                y=min(self.scroll_offset.y, max(lines - self.scrollable_content_region.height, 0)),
                animate=False,
                immediate=True,
            )
        self.refresh()

    # --- cursor -----------------------------------------------------------------------------

    @property
    def _rows_visible(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def watch_cursor(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + self._rows_visible:
            self.scroll_to(y=new - self._rows_visible + 1, animate=False, immediate=True)
        self.refresh()
        self.post_message(self.CursorMoved(self, self.current))

    def _clamp(self, index: int) -> int:
        return max(0, min(index, len(self.ids) - 1))

    def action_move(self, delta: int) -> None:
        self.cursor = self._clamp(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        step = self._rows_visible
        self.scroll_to(y=self.scroll_offset.y + direction * step, animate=False, immediate=True)
        self.cursor = self._clamp(self.cursor + direction * step)

    def action_jump(self, index: int) -> None:
        self.cursor = self._clamp(index if index >= 0 else len(self.ids) - 1)

    async def _on_click(self, event: events.Click) -> None:
        index = self.scroll_offset.y + event.y - 1
        if event.y >= 1 and 0 <= index < len(self.ids):
            self.cursor = index


class StatusLine(Widget):
    """One line of plain text that changes often (per keystroke, per cursor move).

    Unlike Static.update, changing it repaints only itself: no layout pass of the whole screen.
    """

    DEFAULT_CSS = "StatusLine { height: 1; }"

    text = reactive("", layout=False)

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.set_reactive(StatusLine.text, text)

    def render(self) -> Content:
        return Content(visible(self.text))

    def watch_text(self, old: str, new: str) -> None:
        """A line styled `height: auto` wraps in a narrow terminal; it asks for a layout pass only
        when the new text needs another number of lines, so most changes still repaint only itself."""
        height = self.styles.height
        if height is None or not height.is_auto or self.size.width <= 0:
            return
        width = self.size.width
        if len(Content(visible(old)).wrap(width)) != len(Content(visible(new)).wrap(width)):
            self.refresh(layout=True)

    def update(self, text: str) -> None:
        self.text = text


class FilterInput(TextInput):
    """The filter field. Input re-measures its text on every keystroke by setting `virtual_size`,
    which by default lays out the whole screen; a one-line field never changes the layout.

    | Key | Does |
    | :- | :- |
    | escape | Clear the filter; when it is empty, go back to the table (the next Escape leaves the screen). |
    """

    def action_leave(self) -> None:
        if self.value:
            self.clear()
        else:
            self.screen.query_one(PagedTable).focus()

    virtual_size = Reactive(Size(0, 0), layout=False)
