"""The Textual application: sign-in gate, sections, keys, palette, theme. Screens do the rest."""

from __future__ import annotations

import io
import re
import sys
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Console
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widget import AwaitMount

from tribe_tui import garbage_collector, hangup
from tribe_tui.errors import Refused, SessionEnded, TribeError
from tribe_tui.i18n import N_, t
from tribe_tui.key_queue import KeyQueue
from tribe_tui.screens.base import SectionScreen, stylesheet
from tribe_tui.screens.overview import OverviewScreen
from tribe_tui.sections import PAGE_BY_NAME, PAGES, SECTION_BY_NAME, SECTIONS, Page, Section
from tribe_tui.services._person import ended
from tribe_tui.services.session import end_session, record_session_end, start_session
from tribe_tui.widgets.keys import localise_bindings
from tribe_tui.widgets.text import visible

if TYPE_CHECKING:
    from tribe_tui.config import Settings
    from tribe_tui.service_types import Session
    from tribe_tui.services.ssh_keys import KeySession


def make_screen(entry: Section | Page) -> SectionScreen:
    """A new screen for a section or page of tribe_tui.sections (its module imported on first use)."""
    return entry.screen_class()()


# What counts as the admin's doing for the idle timeout.
_INPUT = (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp, events.Paste)


class TribeApp(App[None]):
    """Signed in (or signing in) as one employee of one organisation."""

    TITLE = "Tribe CRM"
    # What every screen uses; each section brings its own stylesheet when first opened (Screen.CSS_PATH):
    # parsing and matching all of them before the first frame is measurable (bench/RESULTS.md).
    CSS_PATH = stylesheet("app")
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("ctrl+q", "quit", N_("key.quit"), id="quit", tooltip=N_("tip.quit"), priority=True),
        # Described by the section's title (translated), not its English CLI name.
        *[Binding(s.key, f"section('{s.name}')", s.title_key, show=False, id=f"section.{s.name}") for s in SECTIONS],
        # A function key opens a section from anywhere, a text field too (where a digit is text;
        # Alt+digit arrives from many terminals as a printable character): one footer entry for
        # all of them, after the screen's own keys.
        *[
            Binding(
                s.function_key,
                f"section('{s.name}')",
                N_("key.sections") if s is SECTIONS[0] else "",
                show=s is SECTIONS[0],
                priority=True,
                id="sections" if s is SECTIONS[0] else f"sections.{s.name}",
                key_display=f"{SECTIONS[0].function_key}–{SECTIONS[-1].function_key}" if s is SECTIONS[0] else None,
            )
            for s in SECTIONS
        ],
    ]

    def __init__(
        self,
        settings: Settings,
        *,
        screen: str | None = None,
        signed_in: str | None = None,
        lang: str | None = None,
        cursor_blink: bool = True,
        ssh_key: KeySession | None = None,
    ) -> None:
        super().__init__()
        self.ssh_key = ssh_key  # over SSH: the key the person came in with (`tribe-tui ssh session`)
        self.cursor_blink = cursor_blink
        self.settings = settings
        self.lang = lang or settings.language
        localise_bindings(self, self.lang)
        self.first_section = screen or "overview"
        self.signed_in_username = signed_in
        self.session: Session | None = None
        # Textual ends the app on an unexpected error and prints a traceback here once the terminal
        # is restored: kept instead, for run_app to hand to the CLI's one-line report.
        self.error_console = Console(file=io.StringIO(), color_system=None, width=100)
        # Typed while an earlier key or a new screen was busy: handed on in order, when it is done.
        self.keys = KeyQueue(self, super().on_event, self._screen_takes_keys)
        self._last_input = self.idle_clock()  # the last key, click or paste: an idle session ends (end_if_idle)

    # --- start-up and sign-in ------------------------------------------------------------

    def failure(self) -> TuiFailed | None:
        """What ended the app unexpectedly, read from the traceback Textual wrote (after its last
        frame box, the line `Type: message`); None when the app ended as asked."""
        report = self.error_console.file.getvalue().strip()  # type: ignore[attr-defined]
        if self.return_code != 1 or not report:
            return None
        lines = report.splitlines()
        last_box = max((i for i, line in enumerate(lines) if line.startswith("╰")), default=-1)
        for line in lines[last_box + 1 :]:
            said = re.fullmatch(r"([A-Za-z_][\w.]*)(?::\s*(.*))?", line.strip())
            if said:
                return TuiFailed(said.group(1).rpartition(".")[2], said.group(2) or "", report)
        return TuiFailed("Exception", "", report)

    # --- idle sessions ------------------------------------------------------------------------
    #
    # A session nobody touched for `session_idle_minutes` (TRIBE_SESSION_IDLE_MINUTES, default 30)
    # ends as one whose person may no longer sign in does: recorded with the reason, and the one
    # line saying so. Checked every IDLE_CHECK_S seconds against `idle_clock` (tests set both).

    IDLE_CHECK_S = 15.0

    @staticmethod
    def idle_clock() -> float:
        return time.monotonic()

    def end_if_idle(self) -> None:
        if self.session is None:
            return
        if self.idle_clock() - self._last_input >= self.settings.session_idle_minutes * 60:
            self.session_ended(ended(self.session.ctx, "idle"))

    def on_mount(self) -> None:
        self.set_interval(self.IDLE_CHECK_S, self.end_if_idle)
        self.title = t("app.title", self.lang)
        # The first screen comes once Textual's own start-up is done: pushed from here, it would be
        # built inside Textual's start-up batch, whose frame is thrown away and drawn again after
        # it (bench/RESULTS.md).
        self.call_later(self.first_screen)

    def first_screen(self) -> None:
        """What the start shows: the signed-in admin's first section, or the sign-in."""
        if self.ssh_key is not None and not self.ssh_key.needs_password:
            self.begin(self.session_for(self.ssh_key.username))  # the organisation's policy: the key alone
        elif self.signed_in_username:
            self.begin(self.session_for(self.signed_in_username))
        else:
            from tribe_tui.screens.sign_in import SignInScreen  # a signed-in start never shows it (tribe_tui.deferred)

            # With a key and policy key+password, only its owner's password is asked.
            self.push_screen(SignInScreen(fixed_username=self.ssh_key.username if self.ssh_key else None))
            self.call_after_refresh(
                garbage_collector.freeze
            )  # after its first frame (begin() does this once signed in)

    def session_for(self, username: str) -> Session:
        """The session of someone whose identity is established; over SSH it names their key."""
        if self.ssh_key is not None and username != self.ssh_key.username:
            raise Refused(t("error.sign_in_refused", self.lang))  # a key signs in its own owner only
        session = start_session(username, self.settings.effective_today(), self.lang)
        if self.ssh_key is None:
            return session
        # Over SSH only: the key's service brings the action outline, invoices and documents,
        # which the first frame of a local start does not need (tribe_tui.deferred).
        from tribe_tui.services.ssh_keys import with_key

        return with_key(session, self.ssh_key)

    def session_ended(self, exc: SessionEnded) -> None:
        """The person may no longer sign in (services/_person.py decided, at an act): the session
        ends at once, recorded with the reason, and the one line saying why is shown. Over SSH the
        connection is that person's: nothing else happens in it; otherwise the sign-in screen."""
        session = self.session
        if session is None:
            return
        self.session = None
        self.sub_title = ""
        try:
            record_session_end(session.ctx, exc.reason)
        except TribeError:
            pass  # the database refused the event: the session ends all the same
        if self.ssh_key is not None:
            from tribe_tui.screens.no_access import NoAccessScreen

            self.switch_screen_to(NoAccessScreen(exc.message))
        else:
            from tribe_tui.screens.sign_in import SignInScreen

            self.switch_screen_to(SignInScreen(notice=exc.message))

    def no_right(self) -> None:
        """The person lost the admin role but may still sign in: the "no right" screen, as at sign-in."""
        if self.session is None or not self.session.is_admin:
            return  # signed out meanwhile, or already told (several reads may be refused at once)
        self.session = self.session._replace(role="user")
        from tribe_tui.screens.no_access import NoAccessScreen

        self.switch_screen_to(NoAccessScreen())

    def format_title(self, title: str, sub_title: str) -> Content:
        """Every screen's header: the sub-title is the organisation's stored name, which may hold
        escape sequences that came another way than through our validation (the one sanitiser)."""
        return super().format_title(visible(title), visible(sub_title))

    def begin(self, session: Session) -> AwaitMount:
        """After sign-in: admins get the sections; everyone else is told they lack the right."""
        self.session = session
        self._last_input = self.idle_clock()
        self.sub_title = session.organisation
        if not session.is_admin:
            from tribe_tui.screens.no_access import NoAccessScreen  # an admin never sees it (tribe_tui.deferred)

            return self.switch_screen_to(NoAccessScreen())
        mounted = self.open_section(self.first_section)
        self.call_after_refresh(garbage_collector.freeze)
        return mounted

    def switch_screen_to(self, screen: Screen[Any]) -> AwaitMount:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        return self.push_screen(screen)

    # --- keys, one at a time (tribe_tui.key_queue) --------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, _INPUT):
            self._last_input = self.idle_clock()
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self.keys.receive(event)
            return
        await super().on_event(event)

    def _screen_takes_keys(self) -> bool:
        """The current screen has mounted and shows its first data (SectionScreen.ready)."""
        screen = self.screen
        return screen.is_mounted and getattr(screen, "ready", True)

    # --- sections ------------------------------------------------------------------------

    def open_section(self, name: str) -> AwaitMount:
        """Overview is home; any other section sits on top of it, so Escape goes back home.

        Opened straight from the command line (`--screen`), a section comes up alone, without
        first building the overview beneath it; Escape then builds the overview (see go_home).
        """
        section = SECTION_BY_NAME[name]
        self.clear_notifications()  # a toast is about the screen it came from: it does not come along
        starting = len(self.screen_stack) <= 1 or not isinstance(self.screen_stack[1], SectionScreen)
        if starting:
            return self.switch_screen_to(make_screen(section))
        if not isinstance(self.screen_stack[1], OverviewScreen):
            self.switch_screen_to(OverviewScreen())
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if name != "overview":
            return self.push_screen(make_screen(section))
        return AwaitMount(self.screen, [])  # already there: nothing to wait for

    def open_page(self, name: str) -> AwaitMount:
        """A page (tribe_tui.sections.PAGES) on top of the overview, like a section: Escape goes back home."""
        page = PAGE_BY_NAME[name]
        self.clear_notifications()
        if len(self.screen_stack) <= 1 or not isinstance(self.screen_stack[1], OverviewScreen):
            self.switch_screen_to(OverviewScreen())
        while len(self.screen_stack) > 2:
            self.pop_screen()
        return self.push_screen(make_screen(page))

    def action_page(self, name: str) -> None:
        if self.session is not None and self.session.is_admin and not isinstance(self.screen, ModalScreen):
            self._leave_then(lambda: self.open_page(name))

    def action_change_password(self) -> None:
        """Wachtwoord wijzigen, for anyone signed in: an admin from the overview (`w`) like a page,
        someone without the admin role on top of the "no right" screen."""
        if self.session is None or isinstance(self.screen, ModalScreen):
            return
        if self.session.is_admin:
            self.action_page("password")
        else:
            self.push_screen(make_screen(PAGE_BY_NAME["password"]))

    def go_home(self) -> None:
        """Back to the overview from a section (building it if the section was opened alone)."""
        self.clear_notifications()
        if len(self.screen_stack) > 2:
            self.pop_screen()
        elif not isinstance(self.screen, OverviewScreen):
            self.switch_screen_to(OverviewScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Section keys only for a signed-in admin (hidden in the footer before sign-in)."""
        if action == "section":
            return self.session is not None and self.session.is_admin
        return True

    def action_section(self, name: str) -> None:
        if self.session is not None and self.session.is_admin and not isinstance(self.screen, ModalScreen):
            self._leave_then(lambda: self.open_section(name))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette offers the sections and what the current screen can do."""
        if self.session is not None and self.session.is_admin:
            for section in SECTIONS:
                yield SystemCommand(
                    section.title(self.lang),
                    t("palette.open_section", self.lang),
                    # As a section key does: a screen with unsaved edits asks before it is left.
                    _bind(self.action_section, section.name),
                )
            for page in PAGES:
                if page.name != "password":  # below: for anyone signed in
                    yield SystemCommand(
                        page.title(self.lang), t("palette.open_page", self.lang), _bind(self.action_page, page.name)
                    )
        if self.session is not None:
            yield SystemCommand(
                PAGE_BY_NAME["password"].title(self.lang),
                t("palette.open_page", self.lang),
                self.action_change_password,
            )
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            for title, help_text, callback in commands():
                yield SystemCommand(title, help_text, callback)
        yield SystemCommand(t("palette.help", self.lang), t("palette.help_help", self.lang), self.action_help)
        yield SystemCommand(t("palette.quit", self.lang), t("palette.quit_help", self.lang), self.action_quit)

    def action_help_quit(self) -> None:
        """Ctrl+C (Textual's own binding) says how to quit, in the user's language."""
        self.notify(t("app.how_to_quit", self.lang), title=t("app.quit_title", self.lang), markup=False)

    def action_command_palette(self) -> None:
        """Textual's palette, with its search field's placeholder in the user's language."""
        # is_open asks for an App[object], which an App[None] is not (App is invariant in its result).
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            from tribe_tui.widgets.palette import Palette  # only once Ctrl+P is pressed (tribe_tui.deferred)

            self.push_screen(Palette(self.lang, id="--command-palette"))

    def _leave_then(self, then: Callable[[], object]) -> None:
        """Leave the current section the way it wants to be left (it may ask about unsaved
        edits first), then `then`."""
        if isinstance(self.screen, SectionScreen):
            self.screen.leave(then)
        else:
            then()

    async def action_quit(self) -> None:
        """Ctrl+Q: a section with unsaved edits asks first, as Escape and Ctrl+O do; from the help
        or the palette over it, that closes first so the question shows over the form it is about,
        and a question open over it is answered No first (its own Escape)."""
        from tribe_tui.widgets.confirm import ConfirmDialog
        from tribe_tui.widgets.help import HelpScreen

        over = self.screen_stack[-2] if len(self.screen_stack) > 1 else None
        if isinstance(self.screen, (HelpScreen, CommandPalette)) and isinstance(over, SectionScreen):
            await self.pop_screen()
        elif isinstance(self.screen, ConfirmDialog) and isinstance(over, SectionScreen):
            await self.screen.dismiss(False)
        self._leave_then(self.exit)

    def action_sign_out(self) -> None:
        """End the session (an audit event) and go back to the sign-in screen; a section with
        unsaved edits asks first."""
        if self.session is not None and not isinstance(self.screen, ModalScreen):
            self._leave_then(self._sign_out)

    def _sign_out(self) -> None:
        if self.session is None:
            return
        try:
            end_session(self.session.ctx)
        except TribeError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self.session = None
        self.sub_title = ""
        if self.ssh_key is not None:
            # The connection is this person's, by their key: signing out ends it (another sign-in
            # here would act under their key).
            self.exit()
            return
        from tribe_tui.screens.sign_in import SignInScreen

        self.switch_screen_to(SignInScreen())
        self.notify(t("signin.signed_out", self.lang), markup=False)

    def action_help(self) -> None:
        from tribe_tui.widgets.help import HelpScreen  # only once F1 is pressed (tribe_tui.deferred)

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))


def _bind(fn: Callable[[str], object], arg: str) -> Callable[[], object]:
    return lambda: fn(arg)


def create_app(
    settings: Settings,
    *,
    screen: str | None = None,
    signed_in: str | None = None,
    lang: str | None = None,
    cursor_blink: bool = True,
    ssh_key: KeySession | None = None,
) -> TribeApp:
    """The one factory the CLI and the tests use (tests switch blinking off)."""
    return TribeApp(settings, screen=screen, signed_in=signed_in, lang=lang, cursor_blink=cursor_blink, ssh_key=ssh_key)


def run_app(
    settings: Settings,
    screen: str | None = None,
    signed_in_username: str | None = None,
    ssh_key: KeySession | None = None,
) -> int:
    """Run the TUI until it quits. An unexpected error is raised again once the terminal is restored,
    so the CLI reports it as it reports every other: one line and exit 1 (TRIBE_DEBUG=1: traceback)."""

    app = create_app(settings, screen=screen, signed_in=signed_in_username, ssh_key=ssh_key)
    # Ends the app when the terminal goes away, also where SIGHUP is ignored (nohup).
    hangup.watch(sys.stdin.fileno(), lambda: app.call_from_thread(app.exit, None, hangup.HANGUP_STATUS))
    app.run()
    failure = app.failure()
    if failure is not None:
        raise failure
    return app.return_code or 0


class TuiFailed(Exception):
    """The TUI ended on an unexpected error: `kind` is its type's name, the message its first line,
    `report` the traceback Textual wrote."""

    def __init__(self, kind: str, message: str, report: str) -> None:
        super().__init__(message)
        self.kind, self.report = kind, report
