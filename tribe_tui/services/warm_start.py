"""Read what the first screen shows while the terminal UI is still being imported (issue #6).

Importing Textual and building the app takes a few hundred milliseconds of CPU; the overview's
database reads spend most of their time in SQLite, which releases the GIL. Started before
that import, the reads overlap with it, so the overview can show its facts in the very first
frame instead of "Loading…" followed by a second frame. The result is read once, by the first
overview; every later read (refresh, coming back to it) goes to the database as before.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from datetime import date


class WarmStart:
    """The overview of `username`'s organisation, being read in a background thread."""

    def __init__(self, username: str, today: date, lang: str) -> None:
        self._overview: Future | None = Future()
        self._args = (username, today, lang)
        threading.Thread(target=self._read, name="tribe-warm-start", daemon=True).start()

    def _read(self) -> None:
        future = self._overview
        try:
            from tribe_tui.services.account import overview
            from tribe_tui.services.session import start_session

            username, today, lang = self._args
            future.set_result(overview(start_session(username, today, lang).ctx))
        except BaseException as exc:  # handed to the screen, which then reads the usual way
            future.set_exception(exc)
        finally:
            from tribe_tui.models import database

            if database.obj is not None:
                database.obj.close()  # this thread's connection (peewee keeps one per thread)

    def take_overview(self, ctx) -> Future | None:
        """The read for this context, once; None when it was taken or is for someone else."""
        future, self._overview = self._overview, None
        if future is None or (ctx.actor, ctx.today, ctx.lang) != self._args:
            return None
        return future
