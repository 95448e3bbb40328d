"""The whole-database check (`tribe-tui check`, and `backup` on its copy): SQLite's own checks of
every page and every foreign key, then the rules the data must keep, each as one query.

Opening a database reads only what it needs (a damaged page is refused when it is read, see
db.damage_refusal); this is the check that reads everything, so it belongs in a nightly cron job,
not in every start. It only reads: on a connection of its own, SQLite's opened read-only.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# At most this many problems are listed per check (a damaged file can have thousands); the count is exact.
LISTED = 20

Execute = Callable[[str], list[tuple[Any, ...]]]

# The checks, in the order they run and are reported in.
CHECKS: tuple[str, ...] = (
    "integrity",
    "foreign_keys",
    "licences_within_paid_seats",
    "one_invoice_per_period",
    "gapless_invoice_numbers",
    "licence_tally",
)


@dataclass
class Outcome:
    """One check: `problems` lists up to LISTED of them (plain data, for text and JSON), `count` all."""

    name: str
    problems: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0
    skipped: str | None = None  # why the check did not run (PostgreSQL has no page check)

    @property
    def ok(self) -> bool:
        return self.count == 0

    def add(self, **problem: Any) -> None:
        self.count += 1
        if len(self.problems) < LISTED:
            self.problems.append(problem)


def check_sqlite_file(path: Path) -> list[Outcome]:
    """Check the SQLite file at `path`, opened read-only (nothing is written, not even its log)."""

    connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        return check_connection(lambda sql: connection.execute(sql).fetchall(), sqlite=True)
    finally:
        connection.close()


def check_connection(execute: Execute, *, sqlite: bool) -> list[Outcome]:
    """Every check on one connection (`execute(sql)` returns all rows). A read that finds the file
    damaged is a problem of the check that made it; the checks after it still run."""
    outcomes = []
    for name in CHECKS:
        outcome = Outcome(name)
        if not sqlite and name == "integrity":
            outcome.skipped = "postgresql"  # the server checks its own pages (and foreign keys, below)
        else:
            try:
                _RUN[name](execute, outcome, sqlite)
            except Exception as exc:  # a damaged page met by an invariant's query: that is the finding
                outcome.add(error=" ".join(str(exc).split()) or type(exc).__name__)
        outcomes.append(outcome)
    return outcomes


def _integrity(execute: Execute, outcome: Outcome, sqlite: bool) -> None:
    rows = execute(f"PRAGMA integrity_check({LISTED + 1})")
    if [tuple(r) for r in rows] != [("ok",)]:
        for (message,) in rows:
            outcome.add(message=str(message))


def _foreign_keys(execute: Execute, outcome: Outcome, sqlite: bool) -> None:
    if not sqlite:
        return  # PostgreSQL enforces foreign keys itself; there is nothing to find
    for table, rowid, parent, _ in execute("PRAGMA foreign_key_check"):
        outcome.add(table=table, row=rowid, missing=parent)


def _licences_within_paid_seats(execute: Execute, outcome: Outcome, sqlite: bool) -> None:
    """No organisation holds more licences than it paid for in its current period: the licences of
    its first invoice or the renewal that began the period, plus those added since. The first line of
    each of those invoices is the edition's, one per licence (billing.period_charge, licence_add_charge)."""
    rows = execute(
        "SELECT o.slug, o.paid_until,"
        " (SELECT COUNT(*) FROM licence l WHERE l.organisation_id = o.id),"
        " (SELECT COALESCE(SUM(il.quantity), 0) FROM invoice i"
        "  JOIN invoice_line il ON il.invoice_id = i.id"
        "  WHERE i.organisation_id = o.id AND i.reason IN ('initial', 'renewal', 'licences')"
        "  AND il.position = 1 AND il.period_to = o.paid_until)"
        " FROM organisation o WHERE o.status <> 'ended' ORDER BY o.slug"
    )
    for slug, paid_until, licences, paid in rows:
        if licences > paid:
            outcome.add(organisation=slug, licences=int(licences), paid_seats=int(paid), paid_until=str(paid_until))


def _one_invoice_per_period(execute: Execute, outcome: Outcome, sqlite: bool) -> None:
    """A period is invoiced once: by the first invoice or by its renewal, never twice."""
    rows = execute(
        "SELECT o.slug, i.period_start, COUNT(*) FROM invoice i JOIN organisation o ON o.id = i.organisation_id"
        " WHERE i.reason IN ('initial', 'renewal') GROUP BY o.slug, i.period_start HAVING COUNT(*) > 1"
        " ORDER BY o.slug, i.period_start"
    )
    for slug, period_start, count in rows:
        outcome.add(organisation=slug, period_start=str(period_start), invoices=int(count))


_NUMBER = re.compile(r"(\d{4})-(\d{4,})")


def _gapless_invoice_numbers(execute: Execute, outcome: Outcome, sqlite: bool) -> None:
    """Numbers are YYYY-NNNN, 1, 2, 3, ... within each year, the last one the year's counter."""
    by_year: dict[int, list[int]] = {}
    for (number,) in execute("SELECT number FROM invoice"):
        match = _NUMBER.fullmatch(str(number))
        if match is None:
            outcome.add(number=str(number), problem="malformed")
            continue
        by_year.setdefault(int(match[1]), []).append(int(match[2]))
    counters = {int(year): int(last) for year, last in execute("SELECT year, last FROM invoice_counter")}
    for year in sorted(set(by_year) | set(counters)):
        numbers = sorted(by_year.get(year, []))
        last = max(numbers[-1] if numbers else 0, counters.get(year, 0))
        missing = sorted(set(range(1, last + 1)) - set(numbers))
        for n in missing[:LISTED]:
            outcome.add(year=year, missing=f"{year}-{n:04d}")
        outcome.count += max(0, len(missing) - LISTED)
        if numbers and counters.get(year, 0) < numbers[-1]:  # the next invoice would take a used number
            outcome.add(year=year, counter=counters.get(year, 0), highest=f"{year}-{numbers[-1]:04d}")


def _licence_tally(execute: Execute, outcome: Outcome, sqlite: bool) -> None:
    """The tally the database's triggers keep (the account's counts come from it) agrees with the
    licences themselves, row for row (organisation, the holder's last day of use, auto-renew)."""
    activity = (
        "COALESCE(e.last_sign_in_on, substr(e.created_at, 1, 10), '1900-01-01')"
        if sqlite
        else "COALESCE(e.last_sign_in_on, e.created_at::date, DATE '1900-01-01')"
    )
    counted = {
        (int(org), str(day), bool(renews)): int(n)
        for org, day, renews, n in execute(
            f"SELECT l.organisation_id, {activity}, l.auto_renew, COUNT(*) FROM licence l"
            f" LEFT JOIN employee e ON e.id = l.holder_id GROUP BY l.organisation_id, {activity}, l.auto_renew"
        )
    }
    kept = {
        (int(org), str(day), bool(renews)): int(n)
        for org, day, renews, n in execute(
            "SELECT organisation_id, active_on, auto_renew, n FROM licence_tally WHERE n <> 0"
        )
    }
    for key in sorted(set(counted) | set(kept)):
        if counted.get(key, 0) != kept.get(key, 0):
            org, day, renews = key
            outcome.add(
                organisation_id=org,
                active_on=day,
                auto_renew=renews,
                licences=counted.get(key, 0),
                tally=kept.get(key, 0),
            )


_RUN: dict[str, Callable[[Execute, Outcome, bool], None]] = {
    "integrity": _integrity,
    "foreign_keys": _foreign_keys,
    "licences_within_paid_seats": _licences_within_paid_seats,
    "one_invoice_per_period": _one_invoice_per_period,
    "gapless_invoice_numbers": _gapless_invoice_numbers,
    "licence_tally": _licence_tally,
}


def as_json(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    return {
        "ok": all(o.ok for o in outcomes),
        "checks": [
            {"name": o.name, "ok": o.ok, "problems": o.count, "listed": o.problems, "skipped": o.skipped}
            for o in outcomes
        ],
    }
