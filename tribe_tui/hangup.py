"""The app ends when its terminal goes away, whatever became of SIGHUP.

Normally the kernel's SIGHUP ends the process when the terminal closes. Under `nohup`, a shell
that ran `trap '' HUP`, or a multiplexer that ignores it for its children, the signal never
arrives: Textual's input thread then reads end-of-file from the hung-up terminal in a loop (about a
third of a core) and nothing ends the app. So a thread waits, without polling, for the terminal
to hang up (poll() reports POLLHUP/POLLERR on a terminal whose other end closed) and ends the app
the ordinary way; if that has not finished within GRACE_S, the process ends at once: with nobody
left to see it, nothing is lost but a half-done transaction, which the database rolls back.
"""

from __future__ import annotations

import os
import select
import threading
from collections.abc import Callable

# The exit status of a process ended by SIGHUP, as the shell reports it (128 + 1).
HANGUP_STATUS = 129
GRACE_S = 1.5  # the terminal is gone: the app must end within 2 s of it


def watch(fd: int, end: Callable[[], object]) -> threading.Thread:
    """Call end() from a daemon thread once the terminal on `fd` hangs up (or is closed); exit the
    process GRACE_S later if it is still running."""

    def wait() -> None:
        poller = select.poll()
        poller.register(fd, 0)  # no events asked for: hang-up, error and a closed fd always report
        while not poller.poll():
            pass
        last_resort = threading.Timer(GRACE_S, os._exit, (HANGUP_STATUS,))
        last_resort.daemon = True
        last_resort.start()
        try:
            end()
        except Exception:  # the app had already stopped: the process is on its way out anyway
            pass

    thread = threading.Thread(target=wait, name="terminal-hangup", daemon=True)
    thread.start()
    return thread
