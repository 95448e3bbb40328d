"""Dry runs while the admin is still choosing: the newest request wins, older answers are dropped.

Screens that show what a change would cost (add licences, upgrade, add module) ask the service
for a dry run on every change of the choice. The call runs in a worker thread after a short
pause and only if the choice is still current, so typing "12" asks once, not twice; an answer
for a choice that is no longer current is dropped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Generic, TypeVar

from textual import work
from textual.worker import get_current_worker

from tribe_tui.errors import NoRight, SessionEnded, TribeError

if TYPE_CHECKING:  # for the type checker a SectionScreen (what it is mixed into); at run time a plain mixin
    from tribe_tui.screens.base import SectionScreen as _Screen
else:
    _Screen = object

DEBOUNCE_SECONDS = 0.15

K = TypeVar("K", bound=Hashable)  # what a preview is asked about (a count as typed, a code and version)
R = TypeVar("R")  # the service's dry-run result


class PreviewMixin(Generic[K, R], _Screen):
    """Mix into a SectionScreen; implement `preview_ready(key, result, error)`. Generic first: at
    run time the other base is `object`, which must come last."""

    _preview_key: K | None = None

    def request_preview(self, key: K, fn: Callable[[], R]) -> None:
        self._preview_key = key
        self._preview_worker(key, fn)

    def forget_preview(self) -> None:
        self._preview_key = None

    # Not exclusive: a superseded request simply notices it is no longer wanted and stops, so
    # nobody waiting on workers (tests, shutdown) ever sees a cancelled one.
    @work(thread=True, group="preview")
    def _preview_worker(self, key: K, fn: Callable[[], R]) -> None:
        time.sleep(DEBOUNCE_SECONDS)
        if key != self._preview_key or get_current_worker().is_cancelled:
            return
        try:
            result, error = fn(), None
        except (SessionEnded, NoRight) as exc:  # the person may no longer do this at all
            self.app.call_from_thread(self.report, exc)
            return
        except TribeError as exc:
            result, error = None, exc.message
        if key == self._preview_key and not get_current_worker().is_cancelled:
            self.deliver(self._preview_arrived, key, result, error)

    def _preview_arrived(self, key: K, result: R | None, error: str | None) -> None:
        if key == self._preview_key:
            self.preview_ready(key, result, error)

    def preview_ready(self, key: K, result: R | None, error: str | None) -> None:
        raise NotImplementedError
