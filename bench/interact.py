"""Headless interaction timings on the licences screen: filter-as-you-type and PageDown.

    python bench/interact.py --db sqlite:////tmp/x.db [--keystrokes 240] [--wait frame|pilot] [--json]

Runs the real app (create_app, as the CLI does) with Textual's run_test at 120x40, signed in
as the demo admin on the licences screen. One sample = one key: from handing the key to the app
(as the terminal driver does) until the terminal has been sent the frame that shows its effect:
the table's new rows after a filter keystroke, the moved cursor after PageDown. Headless, so only
the write to a real terminal is left out. Prints p50/p95/max per kind and this process's peak RSS.

--wait frame (the default) watches for exactly that: the table's update (set_ids for a filter key,
the cursor watcher for PageDown), then the table drawing its lines after it, then a composed
frame (App._display). --wait pilot is the earlier method: four rounds of Pilot._wait_for_screen
(which sends a callback through every widget of the screen and waits for all of them) and then
any new frame; that harness work lands inside every sample (about 3 ms here) and a frame
composed before the table was updated could end a sample early, so it is kept only to compare
with earlier results.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import sys
import time

# Typed queries, realistic for an admin looking someone up: first names, surnames, e-mail parts,
# a miss. Each is typed key by key, then erased key by key (erasing widens the filter again,
# which is the expensive direction).
QUERIES = (
    "anna",
    "de vries",
    "jansen",
    "sem.vos",
    "vanderberg-installatie",
    "lotte b",
    "xyz",
    "emma",
    "noor van",
    "tim.dekker2",
    "bakker",
    "zoë",
    "finn",
    "ruben",
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(samples: list[float]) -> dict:
    ms = [s * 1000 for s in samples]
    return {
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(percentile(ms, 0.95), 2),
        "max_ms": round(max(ms), 2),
    }


def send_key(app, key: str) -> None:
    """Deliver one key as the terminal driver would. Pilot.press is not used: it sleeps in 20 ms
    steps waiting for the process to look idle, which would be measured as latency."""
    from textual import events

    char = key if len(key) == 1 else {"space": " "}.get(key)
    event = events.Key(key, char)
    event.set_sender(app)
    app._driver.send_message(event)


class Shown:
    """Counts updates of the table (calls of `method`: one per key) and, of those, the last one a
    frame has shown: the table drew its lines after it, then App._display composed the frame."""

    def __init__(self, app, table, method: str) -> None:
        self.asked = self.shown = self._drawn = 0
        self._undo = []
        original = getattr(table, method)

        def counted(*args, **kwargs):
            self.asked += 1
            return original(*args, **kwargs)

        render_lines = table.render_lines

        def drawing(*args, **kwargs):
            self._drawn = self.asked
            return render_lines(*args, **kwargs)

        display = app._display

        def displayed(*args, **kwargs):
            result = display(*args, **kwargs)
            self.shown = self._drawn
            return result

        for obj, name, value in (
            (table, method, counted),
            (table, "render_lines", drawing),
            (app, "_display", displayed),
        ):
            setattr(obj, name, value)
            self._undo.append((obj, name))

    def remove(self) -> None:
        for obj, name in self._undo:
            delattr(obj, name)  # back to the class's method


async def press(pilot, key: str, shown: Shown | None, frames: list[int]) -> None:
    """Send one key and wait until its effect is on screen (see the module docstring)."""
    app = pilot.app
    deadline = time.perf_counter() + 5
    if shown is not None:  # --wait frame
        target = shown.asked + 1
        send_key(app, key)
        while shown.shown < target and time.perf_counter() < deadline:
            await asyncio.sleep(0)
        return
    before = frames[0]  # --wait pilot
    send_key(app, key)
    for _ in range(4):
        await pilot._wait_for_screen()
    while frames[0] == before and time.perf_counter() < deadline:
        await asyncio.sleep(0)


def count_frames(app) -> list[int]:
    """A counter of the frames the app composes (App._display gets each screen update)."""
    frames = [0]
    display = app._display

    def counting(*args, **kwargs):
        frames[0] += 1
        return display(*args, **kwargs)

    app._display = counting
    return frames


def draw(table) -> list[str]:
    """The table's visible lines as text (for the untimed checks)."""
    return [table.render_line(y).text for y in range(table.size.height)]


async def measure(db: str, keystrokes: int, today: str, fps: int = 1000, wait: str = "frame") -> dict:
    os.environ["TRIBE_DATABASE_URL"] = db
    os.environ["TRIBE_TODAY"] = today
    os.environ["TEXTUAL_ANIMATIONS"] = "none"
    # Textual composes a frame on a 60 Hz timer, so "until the next frame" alone would add up to
    # 16.7 ms of waiting for the tick to every sample; the work itself is what is measured, so
    # the tick runs at 1 kHz here (--fps 60 to include the pacing).
    os.environ["TEXTUAL_FPS"] = str(fps)
    from textual.widgets import Input

    from tribe_tui.app import create_app
    from tribe_tui.config import Settings
    from tribe_tui.db import open_database
    from tribe_tui.services.demo import DEMO_ADMIN
    from tribe_tui.widgets.paged_table import PagedTable

    settings = Settings(lang="en")
    open_database(settings.url)
    app = create_app(settings, screen="licences", signed_in=DEMO_ADMIN, lang="en", cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        t0 = time.perf_counter()
        table = None
        while time.perf_counter() - t0 < 60:
            await pilot.pause(0.01)
            found = app.screen.query(PagedTable)
            if found and len(found.first().ids) > 0:
                table = found.first()
                break
        if table is None:
            raise SystemExit("the licences table did not fill within 60 s")
        first_rows_s = time.perf_counter() - t0
        # The screen may show a first page before the whole list is read: wait for every worker.
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        loaded_s = time.perf_counter() - t0
        total = len(table.ids)
        frames = count_frames(app) if wait == "pilot" else [0]

        # Filter as you type.
        await pilot.press("slash")
        shown = Shown(app, table, "set_ids") if wait == "frame" else None
        field = app.screen.query_one("#licences-filter", Input)
        typing: list[float] = []
        while len(typing) < keystrokes:
            for query in QUERIES:
                for n, key in enumerate([*query, *["backspace"] * len(query)]):
                    start = time.perf_counter()
                    await press(pilot, "space" if key == " " else key, shown, frames)
                    typing.append(time.perf_counter() - start)
                    lines = draw(table)
                    # Not timed: the sample only counts if the table really shows the filter.
                    typed = query[: n + 1] if n < len(query) else query[: 2 * len(query) - n - 1]
                    assert field.value == typed, (field.value, typed)
                    if typed.strip() and table.ids:
                        assert typed.strip().lower() in lines[1].lower(), (typed, lines[1])
        assert field.value == ""
        assert len(table.ids) == total, "the cleared filter must show every licence again"

        # PageDown from the top to the bottom of the whole table.
        if shown is not None:
            shown.remove()
        table.focus()
        await pilot.press("home")
        await pilot.pause()
        shown = Shown(app, table, "watch_cursor") if wait == "frame" else None
        paging: list[float] = []
        pages = 0
        while table.cursor < total - 1:
            start = time.perf_counter()
            await press(pilot, "pagedown", shown, frames)
            paging.append(time.perf_counter() - start)
            pages += 1
            if pages > total:  # never, unless PageDown stopped moving
                raise SystemExit("PageDown did not reach the end")
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "licences": total,
        "first_rows_s": round(first_rows_s, 3),
        "load_s": round(loaded_s, 3),
        "filter": summary(typing),
        "pagedown": summary(paging),
        "pages": pages,
        "fps": fps,
        "wait": wait,
        "peak_rss_mb": round(peak_kb / 1024, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--today", default="2026-11-26")
    ap.add_argument("--keystrokes", type=int, default=240)
    ap.add_argument("--fps", type=int, default=1000, help="Textual's frame rate (its MAX_FPS)")
    ap.add_argument(
        "--wait",
        choices=("frame", "pilot"),
        default="frame",
        help="what ends a sample (see above); 'pilot' only to compare with earlier results",
    )
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    result = asyncio.run(measure(a.db, a.keystrokes, a.today, a.fps, a.wait))
    print(json.dumps(result) if a.json else json.dumps(result, indent=2))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
