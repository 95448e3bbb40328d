"""Read what the first screen shows while the terminal UI is still being imported (issue #6).

Importing Textual and building the app takes a few hundred milliseconds of CPU. Started before
that import, the first screen's reads (the session, and the overview or the licences screen's
counts and first page) are ready when the screen mounts, so the first frame shows real data
instead of "Loading…" followed by a second frame.

Two ways, the same results:
- WarmStart reads in a thread of this process. Much of the time is SQLite's (it releases the
  GIL), the rest competes with the import for the one interpreter.
- ProcessWarmStart (where the OS can fork) reads in a child process on another CPU core, and
  also does the command's own preparation there (`demo` making sure the demo exists): this
  process then needs neither peewee nor the models nor the database before its first frame,
  ~50 ms less on its way there. It opens the database on first use afterwards
  (deferred_open). The child hands back plain dataclasses (tribe_tui.views), or the one-line
  refusal the command would have given; on anything else the command simply does the work
  itself, the usual way.

Each result is used once, by the first screen it is for; every later read (refresh, coming back
to a screen) goes to the database as before.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date


def _reader(section: str) -> Callable | None:
    """The read a section's screen starts with (its `load()`), for the sections that have one here."""
    if section == "overview":
        from tribe_tui.services.account import overview

        return overview
    if section == "licences":
        from tribe_tui.services.licences import licences_view

        return licences_view
    return None


def _close_connection() -> None:
    """This thread's connection, if it opened one (peewee keeps one per thread)."""
    from tribe_tui.models import database

    if database.obj is not None:
        database.obj.close()


class WarmStart:
    """`username`'s session and the data of the first section, being read in a background thread."""

    def __init__(self, username: str, today: date, lang: str, section: str = "overview") -> None:
        self._expect(username, today, lang, section)
        threading.Thread(target=self._read, name="tribe-warm-start", daemon=True).start()

    def _expect(self, username: str, today: date, lang: str, section: str) -> None:
        self._session: Future | None = Future()
        self._data: Future | None = Future()
        self._args = (username, today, lang)
        self.section = section

    def _first_screen(self) -> tuple:
        """(session, the first section's data): what both ways read; the connection used is closed."""
        try:
            from tribe_tui.services.session import start_session

            started = start_session(*self._args)
            reader = _reader(self.section)
            return started, reader(started.ctx) if reader is not None else None
        finally:
            _close_connection()

    def _read(self) -> None:
        futures = (self._session, self._data)  # now: take_session()/take() hand them out and forget them
        try:
            results = self._first_screen()
        except BaseException as exc:  # handed to the app/screen, which then read the usual way
            for future in futures:
                future.set_exception(exc)
        else:
            for future, result in zip(futures, results, strict=False):
                future.set_result(result)

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


class ChildFailed(Exception):
    """The child process could not do the work (not a refusal): do it here instead."""


class ProcessWarmStart(WarmStart):
    """WarmStart's reads, and `prepare()` before them, in a forked child process."""

    def __init__(self, username: str, today: date, lang: str, section: str = "overview",
                 prepare: Callable[[], None] | None = None) -> None:
        self._expect(username, today, lang, section)
        read_end, write_end = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:  # the child: never returns
            os.close(read_end)
            self._child(write_end, prepare)
        os.close(write_end)
        self._read_end = read_end
        self._outcome = None

    def _child(self, write_end: int, prepare: Callable[[], None] | None) -> None:
        code = 0
        try:
            from tribe_tui.errors import TribeError

            try:
                if prepare is not None:
                    prepare()
                outcome = ("ok", *self._first_screen())
            except TribeError as exc:
                outcome = ("refused", exc)
            except BaseException as exc:  # noqa: BLE001 - the parent does the work itself
                outcome = ("failed", f"{type(exc).__name__}: {exc}")
            _close_connection()  # also when prepare() failed: PostgreSQL would log a dropped connection
            blob = memoryview(pickle.dumps(outcome))
            while blob:
                blob = blob[os.write(write_end, blob):]
        except BaseException:  # noqa: BLE001 - nothing sent: the parent sees a failed child
            code = 1
        finally:
            os._exit(code)  # no atexit handlers, no flushing of buffers inherited from the parent

    def wait(self) -> None:
        """Wait for the child. Raises its refusal (a TribeError), or ChildFailed."""
        if self._outcome is None:
            chunks = []
            while chunk := os.read(self._read_end, 1 << 16):
                chunks.append(chunk)
            os.close(self._read_end)
            os.waitpid(self._pid, 0)
            try:
                self._outcome = pickle.loads(b"".join(chunks)) if chunks else ("failed", "no result")
            except Exception as exc:  # noqa: BLE001
                self._outcome = ("failed", f"unreadable result: {exc}")
            if self._outcome[0] == "ok":
                self._session.set_result(self._outcome[1])
                self._data.set_result(self._outcome[2])
        kind = self._outcome[0]
        if kind == "refused":
            raise self._outcome[1]
        if kind != "ok":
            raise ChildFailed(self._outcome[1])

    def take_session(self, username: str, today: date, lang: str):
        self.wait()
        return super().take_session(username, today, lang)


def can_fork() -> bool:
    return hasattr(os, "fork") and not os.environ.get("TRIBE_NO_FORK")
