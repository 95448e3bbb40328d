"""What every section screen shares: its title bar, keys, language, and calling services off the UI thread."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from tribe_tui import formatting
from tribe_tui.errors import NoRight, SessionEnded, StaleData, TribeError
from tribe_tui.i18n import N_, t, tn
from tribe_tui.sections import SECTION_BY_NAME
from tribe_tui.widgets.confirm import ConfirmDialog
from tribe_tui.widgets.footer import KeysFooter
from tribe_tui.widgets.keys import localise_bindings

if TYPE_CHECKING:
    from tribe_tui.app import TribeApp

ASKING = "asking"  # the worker group of confirm-then-act methods: they wait for the admin, not for work

# How long a toast stays over the table or form: a refusal until the admin dismisses it (Escape
# or a click), a warning long enough to read, news of success only briefly.
ERROR_TIMEOUT = 24 * 3600
WARNING_TIMEOUT = 8
SUCCESS_TIMEOUT = 4


def stylesheet(name: str) -> str:
    """The path of styles/<name>.tcss. styles/ travels inside the wheel as tribe_tui/styles; in a
    checkout it sits beside the package."""
    inside = Path(__file__).parent.parent / "styles"
    return str((inside if inside.is_dir() else Path(__file__).parent.parent.parent / "styles") / f"{name}.tcss")


class SectionScreen(Screen[None]):
    """A section: header, a scrolling body (`compose_body`), a footer with this screen's keys.

    Subclasses set SECTION (the name in tribe_tui.sections, which gives the title and, unless the
    screen sets HELP_KEY, the help text) and implement `compose_body()`, `load()` (services only)
    and `show()` (puts what load() returned on screen).
    """

    if TYPE_CHECKING:  # Textual's typed `self.app`; type-only, as the app imports the screens
        app = getters.app(TribeApp)

    SECTION: ClassVar[str] = ""
    HELP_KEY: ClassVar[str] = ""
    BINDINGS = [
        Binding("escape", "back", N_("key.back"), id="back", tooltip=N_("tip.back")),
        Binding("f1", "app.help", N_("key.help"), id="help", tooltip=N_("tip.help")),
        Binding("question_mark", "app.help", N_("key.help"), show=False, id="help_alt"),
        # In the help and the palette; the footer at 80 columns keeps its room for the screen's keys.
        Binding("ctrl+o", "app.sign_out", N_("key.sign_out"), id="sign_out", tooltip=N_("tip.sign_out"), show=False),
    ]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.SECTION and "HELP_KEY" not in cls.__dict__:
            cls.HELP_KEY = SECTION_BY_NAME[cls.SECTION].help_key

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown_on_mount = False
        self._mount_done = False
        self.ready = False  # mounted and showing its first data
        self._ctx = None
        # Before the footer is composed: localising after mounting makes it compose its keys twice.
        localise_bindings(self, self.lang)
        # The footer shows keys in this order and leaves out what does not fit: the screen's own
        # keys first, then Back and Help (every screen has those, and F1 lists them).
        shared = {"escape", "f1", "question_mark"}
        table = self._bindings.key_to_bindings
        self._bindings.key_to_bindings = dict(sorted(table.items(), key=lambda item: item[0] in shared))

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

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with VerticalScroll(id="body"):
            yield from self.compose_body()
        yield KeysFooter()

    def compose_body(self) -> ComposeResult:
        yield Static("")

    def on_mount(self) -> None:
        # Textual calls every class's on_mount, and subclasses also call this one first: once is enough.
        if self._mount_done:
            return
        self._mount_done = True
        if self.SECTION:
            self.title = SECTION_BY_NAME[self.SECTION].title(self.lang)
        self.sub_title = self.app.session.organisation if self.app.session else ""
        # The first read runs on the UI thread, right after every on_mount handler (the subclasses'
        # too) and before any other event: the screen's first frame shows its data, and keys typed
        # while it opened act on that data. Each is one or two indexed queries (bench/RESULTS.md
        # has the first-frame figures); later reads go to a worker.
        self.call_next(self._first_read)

    def _first_read(self) -> None:
        try:
            try:
                data = self.load()
            except TribeError as exc:
                self.report(exc)
                return
            self.show(data)
            self._shown_on_mount = True
        finally:
            self.ready = True  # keys typed while it opened are handed on now (TribeApp.on_event)

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

    # --- data -----------------------------------------------------------------------------

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

    # --- actions --------------------------------------------------------------------------

    # Shadows Textual's Widget.run_action(action string), which nothing calls on a screen; a rename
    # (run_service) would end the clash and is left for when the screens stop moving.
    def run_action(  # type: ignore[override]
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
    ) -> None:
        """Run a service action off the UI thread; report a refusal as a notification."""
        self._action_worker(fn, done)

    @work(thread=True, exclusive=True, group="action")
    def _action_worker(self, fn: Callable[[], Any], done: Callable[[Any], None] | None) -> None:
        try:
            result = fn()
        except TribeError as exc:
            self.app.call_from_thread(self.report, exc)
            return
        if done is not None:
            self.app.call_from_thread(done, result)
        self.app.call_from_thread(self.send_queued_mail)

    # --- asking first ---------------------------------------------------------------------
    #
    # Confirm-then-act reads as straight-line code in a `@work(group=ASKING)` method:
    #
    #     if not await self.check(lambda: service(ctx, ..., dry_run=True)):
    #         return                      # the service's guard refused: said before asking
    #     if await self.ask(title, body, yes):
    #         await self.act(lambda: service(ctx, ...), self._done)

    async def ask(self, title: str, body: str, yes: str, *, charge=None) -> bool:
        """Ask first (default answer: No); True only on an explicit yes. Call from a worker."""
        dialog = ConfirmDialog(title, body, yes, self.tr("confirm.no"), charge=charge, lang=self.lang)
        answer: bool = await self.app.push_screen_wait(dialog)
        return bool(answer)

    async def ask_charge(self, charge, body: str = "") -> bool:
        """The one question before money moves: the dry run's lines and total, the amount named."""

        amount = formatting.money(charge.total, self.lang)
        return await self.ask(
            self.tr("confirm.charge_title", amount=amount), body, self.tr("confirm.charge_yes"), charge=charge
        )

    async def check(self, fn: Callable[[], Any]) -> Any:
        """Run a service's dry run off the UI thread; on a refusal, say why and return None."""
        return await self._call(fn, lambda result: None)

    async def act(self, fn: Callable[[], Any], done: Callable[[Any], None] | None = None) -> None:
        """Do what the admin said yes to, off the UI thread; report a refusal as a notification."""
        await self._call(fn, done or (lambda result: None))

    async def _call(self, fn: Callable[[], Any], done: Callable[[Any], None]) -> Any:
        try:
            result = await asyncio.to_thread(fn)
        except TribeError as exc:
            self.report(exc)
            return None
        done(result)
        self.send_queued_mail()
        return result

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

    def send_queued_mail(self) -> None:
        """After an action (which may have issued an invoice, and so queued its e-mail): what waits
        in the outbox goes now, off the UI thread, when a mail server is configured. A server that
        is down leaves it queued with its reason."""
        if self.app.settings.smtp_url:
            self.app.run_worker(_flush_outbox(self.app.settings), thread=True, group="mail", exit_on_error=False)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """A toast whose time on screen follows its severity (see ERROR_TIMEOUT)."""
        if timeout is None:
            timeout = {"error": ERROR_TIMEOUT, "warning": WARNING_TIMEOUT}.get(severity, SUCCESS_TIMEOUT)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def action_back(self) -> None:
        """Escape: first away with a refusal still on screen, then leave."""
        if any(notice.severity == "error" for notice in self.app._notifications):
            self.app.clear_notifications()
            return
        self.leave()

    def leave(self, then: Callable[[], object] | None = None) -> None:
        """Leave this screen for `then` (default: the overview): Escape, a section key, sign-out.
        A screen holding unsaved edits overrides this to ask first."""
        (then or self.app.go_home)()

    def palette_commands(self) -> Iterable[tuple[str, str, Callable[[], object]]]:
        """This screen's shown key bindings, for the command palette."""
        for binding in self.active_bindings.values():
            b = binding.binding
            if b.show and b.description and b.action not in ("back", "app.help"):
                yield b.description, b.tooltip or b.description, _runner(self, b.action)


def _runner(screen: Screen[Any], action: str) -> Callable[[], object]:
    return lambda: screen.call_later(screen.app.run_action, action, screen)


def _flush_outbox(settings) -> Callable[[], object]:
    def flush() -> object:
        from tribe_tui.services.outbox import flush  # smtplib and the documents: only once mail goes

        return flush(settings)

    return flush
