"""One searchable index for the paged lists (Licenties, Medewerkers): every row's id in display
order with the text a filter searches, read once in a worker, filtered in memory per keystroke.

Below the licence and employee services, which both page with it; it reads only the two tables.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import compress
from typing import Any, Literal, overload

from peewee import JOIN, ModelSelect, fn

from tribe_tui.models import Employee, Licence
from tribe_tui.service_types import Context
from tribe_tui.services._person import account_read
from tribe_tui.services._queries import load_organisation, rows

Listing = Literal["licences", "employees"]


class Selection(Sequence[int]):
    """The row ids a filter selects, in display order: positions into the index, not a copy of
    the ids (at 100,000 licences a copy per keystroke cost more than the filtering itself)."""

    __slots__ = ("_positions", "_index")

    def __init__(self, positions: Sequence[int], index: SearchIndex) -> None:
        self._positions = positions  # ascending positions in index.ids (a range or an array)
        self._index = index

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, item: int) -> int: ...

    @overload
    def __getitem__(self, item: slice) -> list[int]: ...

    def __getitem__(self, item: int | slice) -> int | list[int]:
        ids = self._index.ids
        if isinstance(item, slice):
            return [ids[p] for p in self._positions[item]]
        return ids[self._positions[item]]

    def __iter__(self) -> Iterator[int]:
        ids = self._index.ids
        return (ids[p] for p in self._positions)

    def index(self, row_id: int, start: int = 0, stop: int | None = None) -> int:
        """Where row `row_id` is in this selection: a binary search, not a scan."""
        position = self._index.position_of(row_id)
        at = bisect_left(self._positions, position) if position is not None else len(self._positions)
        if (
            at < len(self._positions)
            and self._positions[at] == position
            and start <= at < (len(self._positions) if stop is None else stop)
        ):
            return at
        raise ValueError(f"{row_id} is not selected")

    def __contains__(self, row_id: object) -> bool:
        try:
            self.index(row_id)  # type: ignore[arg-type]
        except (ValueError, TypeError):
            return False
        return True


MEMO_POSITIONS = 2_000_000  # positions kept for earlier filters (4 bytes each)


@dataclass(frozen=True)
class SearchIndex:
    """The display order of every row of a list (licences or employees) with just enough to filter
    it, for a screen that pages.

    One ordered read (a few hundred ms at 100,000 licences, in a worker) replaces a scan plus
    sort per keystroke: filtering is then a substring test over short strings (a few ms per
    100,000) and each visible page is read by primary key (`licence_rows`, `employee_rows`). `version` is the
    organisation's version when it was read, for the optimistic check of the next change.
    """

    version: int
    ids: tuple[int, ...]
    haystacks: tuple[str, ...]  # lower-cased "name\0email"; "" for a free licence
    former: bytes  # 1 where the holder is Voormalig

    # (needle, include_former) -> positions, most recent last: typing narrows the last result,
    # backspace finds an earlier one here. Positions are arrays of 4-byte ints, not lists or
    # tuples of int objects: the cyclic GC does not walk them (a walk over lists of 100,000 ints
    # kept here made visible pauses in the middle of typing, see bench/RESULTS.md) and they take
    # a ninth of the memory.
    _memo: OrderedDict[tuple[str, bool], Sequence[int]] = field(default_factory=OrderedDict, compare=False, repr=False)
    _cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def _universe(self, include_former: bool, held: bool = False) -> tuple[Sequence[int], Sequence[str]]:
        """Positions (and their haystacks) a filter chooses from: all, or all but Voormalig
        holders; with `held`, only rows with a name (a free licence never matches text)."""
        key = ("universe", include_former, held)
        found = self._cache.get(key)
        if found is None:
            keep = [
                (include_former or not f) and (not held or bool(h))
                for h, f in zip(self.haystacks, self.former, strict=False)
            ]
            if all(keep):
                found = (range(len(self.ids)), self.haystacks)
            else:
                positions = array("I", compress(range(len(self.ids)), keep))
                found = (positions, tuple(compress(self.haystacks, keep)))
            self._cache[key] = found
        return found

    def prepare(self) -> SearchIndex:
        """Build the lookups filtering needs now, in the reading thread, not on the first keystroke."""
        for include_former in (True, False):
            for held in (True, False):
                self._universe(include_former, held)
        self.position_of(0)
        return self

    def position_of(self, row_id: int) -> int | None:
        where = self._cache.get("where")
        if where is None:
            where = self._cache["where"] = dict(zip(self.ids, range(len(self.ids)), strict=False))
        return where.get(row_id)

    def select(
        self, text: str | None = None, include_former: bool = True, only: frozenset[int] | None = None
    ) -> Selection:
        """Licence ids in display order that match `text` (name or e-mail, any case); with `only`,
        just those of these ids (e.g. the idle licences)."""
        if only is not None:
            ids = self.ids
            return Selection(
                array("I", [p for p in self.select(text, include_former)._positions if ids[p] in only]), self
            )
        needle = (text or "").strip().lower()
        key = (needle, include_former)
        positions = self._memo.get(key)
        if positions is None:
            positions = self._search(needle, include_former)
            self._memo[key] = positions
            kept = sum(len(p) for p in self._memo.values())
            while kept > MEMO_POSITIONS and len(self._memo) > 1:
                kept -= len(self._memo.popitem(last=False)[1])
        else:
            self._memo.move_to_end(key)
        return Selection(positions, self)

    def _search(self, needle: str, include_former: bool) -> Sequence[int]:
        if not needle:
            return self._universe(include_former)[0]
        universe, haystacks = self._universe(include_former, held=True)
        # A needle that contains an earlier one matches a subset of that one: search only the subset.
        base = None
        for (earlier, former_too), found in self._memo.items():
            if former_too == include_former and earlier in needle and (base is None or len(found) < len(base)):
                base = found
        # Iterating beats indexing in CPython: a subset more than half the size is searched by one
        # pass over everything (typing "vanderberg-installatie" narrows 90,000 matches to 90,000).
        if base is None or 2 * len(base) > len(universe):
            return array("I", compress(universe, [needle in h for h in haystacks]))
        everything = self.haystacks
        return array("I", [p for p in base if needle in everything[p]])


@account_read
def search_index(ctx: Context, listing: Listing) -> SearchIndex:
    """Every row of a list in its display order: licences as `list_licences` orders them (held by
    holder name, then free ones), or employees by name."""
    version = load_organisation(ctx).version
    query: ModelSelect[Any]
    if listing == "licences":
        query = (
            Licence.select(Licence.id, Employee.name, Employee.email, Employee.former)
            .join(Employee, JOIN.LEFT_OUTER, on=(Licence.holder == Employee.id))
            .where(Licence.organisation == ctx.org_id)
            .order_by(Employee.id.is_null(), fn.LOWER(Employee.name), Licence.id)
        )
    else:
        query = (
            Employee.select(Employee.id, Employee.name, Employee.email, Employee.former)
            .where(Employee.organisation == ctx.org_id)
            .order_by(fn.LOWER(Employee.name), Employee.id)
        )
    ids: list[int] = []
    haystacks: list[str] = []
    former = bytearray()
    for row_id, name, email, is_former in rows(query, stream=True):
        ids.append(row_id)
        haystacks.append(f"{name}\0{email}".lower() if name is not None else "")
        former.append(1 if is_former else 0)
    return SearchIndex(version, tuple(ids), tuple(haystacks), bytes(former)).prepare()
