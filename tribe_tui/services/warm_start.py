"""Read what the first screen shows while the terminal UI is still being imported (issue #6).

Importing Textual and building the app takes a few hundred milliseconds of CPU; the first
screen's database reads spend much of their time in SQLite, which releases the GIL (sorting
100,000 licences for the first page, say). Started before that import, the reads overlap with
it, so the first frame shows real data instead of "Loading…" followed by a second frame.

Each result is used once, by the first screen it is for; every later read (refresh, coming back
to a screen) goes to the database as before.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from datetime import date
from typing import Callable


def _reader(section: str) -> Callable | None:
    """The read a section's screen starts with (its `load()`), for the sections that have one here."""
    if section == "overview":
        from tribe_tui.services.account import overview

        return overview
    if section == "licences":
        from tribe_tui.services.licences import licences_view

        return licences_view
    return None


class WarmStart:
    """`username`'s session and the data of the first section, being read in a background thread."""

    def __init__(self, username: str, today: date, lang: str, section: str = "overview") -> None:
        self._session: Future | None = Future()
        self._data: Future | None = Future()
        self._args = (username, today, lang)
        self.section = section
        threading.Thread(target=self._read, name="tribe-warm-start", daemon=True).start()

    def _read(self) -> None:
        session, data = self._session, self._data
        try:
            from tribe_tui.services.session import start_session

            username, today, lang = self._args
            started = start_session(username, today, lang)
            session.set_result(started)
            reader = _reader(self.section)
            data.set_result(reader(started.ctx) if reader is not None else None)
        except BaseException as exc:  # handed to the app/screen, which then read the usual way
            for future in (session, data):
                if not future.done():
                    future.set_exception(exc)
        finally:
            from tribe_tui.models import database

            if database.obj is not None:
                database.obj.close()  # this thread's connection (peewee keeps one per thread)

    def take_session(self, username: str, today: date, lang: str):
        """The session read at start-up (waiting for it), once; None when it is not for these."""
        future, self._session = self._session, None
        if future is None or (username, today, lang) != self._args:
            return None
        try:
            return future.result()
        except Exception:  # noqa: BLE001 - the app starts the session itself, which reports properly
            return None

    def take(self, section: str, ctx) -> Future | None:
        """The read for this section and context, once; None when it was taken or is for another."""
        future, self._data = self._data, None
        if future is None or section != self.section or (ctx.actor, ctx.today, ctx.lang) != self._args:
            return None
        return future
