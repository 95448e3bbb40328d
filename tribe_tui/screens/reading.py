"""What a section reads and how it says so: the session it reads in, its language, the first read on
the UI thread and later ones in a worker (painted only on a screen still shown), a refusal reported,
and the toasts that report it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import getters, work
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import get_current_worker

from tribe_tui.errors import NoRight, SessionEnded, StaleData, TribeError
from tribe_tui.i18n import t, tn

if TYPE_CHECKING:
    from tribe_tui.app import TribeApp

# How long a toast stays over the table or form: a refusal long enough to read it twice (Escape
# dismisses it sooner), a warning long enough to read, news of success only briefly. A toast is
# about the screen it came from: the next one replaces it, and it does not go along to another.
ERROR_TIMEOUT = 12
WARNING_TIMEOUT = 8
SUCCESS_TIMEOUT = 4


class ReadingScreen(Screen[None]):
    """Subclasses implement `load()` (services only) and `show()` (puts what load() returned on screen)."""

    if TYPE_CHECKING:  # Textual's typed `self.app`; type-only, as the app imports the screens
        app = getters.app(TribeApp)

    _shown_on_mount = False
    ready = False  # mounted and showing its first data (TribeApp hands on keys typed meanwhile)
    _ctx = None

    @property
    def lang(self) -> str:
        return self.app.lang

    @property
    def ctx(self):
        """The service context of the signed-in admin (organisation, actor, date, language): the
        session the screen was opened in, also for a read still under way after signing out."""
        if self._ctx is None:
            self._ctx = self.app.session.ctx
        return self._ctx

    def tr(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def trn(self, key: str, n: int, /, **values: object) -> str:
        """`key` in the plural form the count `n` needs (i18n.tn)."""
        return tn(key, n, self.lang, **values)

    # --- the first read and the later ones -------------------------------------------------

    def first_read(self) -> None:
        """Right after mounting, on the UI thread (SectionScreen.on_mount queues it): the first
        frame shows the data, and keys typed while the screen opened act on that data."""
        try:
            try:
                data = self.load()
            except TribeError as exc:
                self.report(exc)
                return
            self.show(data)
            self._shown_on_mount = True
        finally:
            self.ready = True

    def on_screen_resume(self) -> None:
        if self._shown_on_mount:
            # The resume that follows mounting: the first read has just shown the data. (Skipped
            # here, not in reload(): the first explicit reload -- after a save, a revert -- was
            # swallowed there, and the billing-details form stayed "unsaved" for good.)
            self._shown_on_mount = False
            return
        self.resumed()

    def resumed(self) -> None:
        """The screen came (back) into view: read again, it shows what others changed. A subclass
        overrides this, not on_screen_resume: Textual calls that handler on every class of the MRO."""
        self.reload()

    def reload(self) -> None:
        self._load_worker()

    @work(thread=True, exclusive=True, group="load")
    def _load_worker(self) -> None:
        worker = get_current_worker()
        try:
            data = self.load()
        except TribeError as exc:
            self.app.call_from_thread(self.report, exc)
            return
        self.deliver(self._show_if_current, worker, data)

    def deliver(self, paint: Callable[..., None], *args: Any) -> None:
        """From a worker thread: paint(*args) on the UI thread, if this screen is still on the
        stack by then. An admin may leave while the thread works (Escape, or keys typed on in one
        burst); the screen's widgets are then being removed and paint would find them gone."""
        self.app.call_from_thread(self._paint_if_shown, paint, *args)

    def _paint_if_shown(self, paint: Callable[..., None], *args: Any) -> None:
        if self in self.app.screen_stack:
            paint(*args)

    def _show_if_current(self, worker, data: Any) -> None:
        """A read that a newer one replaced (say, one started before an action committed) must
        not paint over the newer, fresher data: cancellation happens on this thread, so the
        check here is exact."""
        if not worker.is_cancelled:
            self.show(data)

    def load(self) -> Any:
        """Read what the screen shows (services only): on mount on the UI thread, later in a worker."""
        return None

    def show(self, data: Any) -> None:
        """Put loaded data on screen (UI thread)."""

    # --- refusals and toasts ------------------------------------------------------------------

    def report(self, exc: TribeError) -> None:
        """A refused read or action, on the UI thread: a session whose person may no longer sign in
        ends, one who lost the admin role gets the "no right" screen (both decided by the service,
        services/_person.py); stale data is read again; anything else is one line on screen."""
        # Queued behind what the app already has queued: a screen refused while still opening (its
        # first read) has its header's title callbacks there, which must run before it is removed.
        if isinstance(exc, SessionEnded):
            self.app.call_next(self.app.session_ended, exc)
        elif isinstance(exc, NoRight):
            self.app.call_next(self.app.no_right)
        elif isinstance(exc, StaleData):
            self.notify(exc.message, severity="warning", markup=False)
            self.reload()
        else:
            self.notify(exc.message, severity="error", markup=False)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A toast that replaces the one before (a refusal repeated does not pile up, and news of
        success clears the refusal it answers), on screen as long as its severity says (see
        ERROR_TIMEOUT)."""
        if timeout is None:
            timeout = {"error": ERROR_TIMEOUT, "warning": WARNING_TIMEOUT}.get(severity, SUCCESS_TIMEOUT)
        self.app.clear_notifications()
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def succeeded(self) -> None:
        """An action went through: a refusal still on screen no longer holds."""
        if self.shows_refusal():
            self.app.clear_notifications()

    def shows_refusal(self) -> bool:
        return any(notice.severity == "error" for notice in self.app._notifications)
