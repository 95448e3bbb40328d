"""The database a process opens on first use instead of at start (issue #6).

The TUI started by `tribe-tui demo` has its first screen's data read by a child process
(services.warm_start), so it need not import peewee and open the database before its first
frame. It registers the URL here (this module imports nothing heavy) and the models' database
opens it the first time anything uses it, from whichever thread that is (models.Database).
"""

from __future__ import annotations

import threading

lock = threading.Lock()
_url: str | None = None


def open_later(url: str) -> None:
    global _url
    _url = url


def pending() -> str | None:
    """The URL still to open (None when there is none or it was opened)."""
    return _url


def opened() -> None:
    global _url
    _url = None
