"""The Textual application: sign-in gate, sections, keys, palette, theme. Screens do the rest."""

from __future__ import annotations

import importlib
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.timer import Timer
from textual.widget import AwaitMount

from tribe_tui import garbage_collector
from tribe_tui.errors import Refused, SessionEnded, TribeError
from tribe_tui.i18n import N_, t
from tribe_tui.screens.base import SectionScreen, stylesheet
from tribe_tui.screens.no_access import NoAccessScreen
from tribe_tui.screens.overview import OverviewScreen
from tribe_tui.screens.sign_in import SignInScreen
from tribe_tui.sections import SECTION_BY_NAME, SECTIONS, Section
from tribe_tui.services._person import ended
from tribe_tui.services.session import end_session, record_session_end, start_session
from tribe_tui.widgets.help import HelpScreen
from tribe_tui.widgets.keys import localise_bindings
from tribe_tui.widgets.text import visible

if TYPE_CHECKING:
    from tribe_tui.config import Settings
    from tribe_tui.service_types import Session
    from tribe_tui.services.ssh_keys import KeySession


# Pages that are not numbered sections (the keys 0-9 are taken): reached from the overview by a
# letter and from the command palette. name: (module in tribe_tui.screens, class).
PAGES: dict[str, tuple[str, str]] = {
    "ssh-keys": ("ssh_keys", "SshKeysScreen"),
    "audit": ("audit", "AuditScreen"),
    "password": ("password", "PasswordScreen"),
}


def make_screen(section: Section) -> Screen:
    """A new screen for the section. Its module is imported on first use: each brings its own
    stylesheet, read only when the section first opens (see tribe_tui.deferred)."""
    return getattr(importlib.import_module(f"tribe_tui.screens.{section.module}"), section.cls)()


class TribeApp(App):
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
        self.failure: BaseException | None = None  # what ended the app unexpectedly (see run_app)
        self._held_keys: deque[events.Key] = deque()  # typed while an earlier key or a new screen was busy
        self._key_in_flight: events.Key | None = None
        self._key_since = 0.0
        self._pump_timer: Timer | None = None
        self._last_input = self.idle_clock()  # the last key, click or paste: an idle session ends (end_if_idle)

    # --- start-up and sign-in ------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """Textual ends the app on an unexpected error and prints a Rich traceback; here the error is
        kept for run_app instead, which hands it to the CLI's one-line report once the terminal is
        restored (Textual's own test harness still re-raises it)."""
        if self.failure is None:
            self.failure = error
        super()._handle_exception(error)
        self._exit_renderables.clear()

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
        if self.ssh_key is not None and not self.ssh_key.needs_password:
            self.begin(self.session_for(self.ssh_key.username))  # the organisation's policy: the key alone
        elif self.signed_in_username:
            self.begin(self.session_for(self.signed_in_username))
        else:
            # With a key and policy key+password, only its owner's password is asked.
            self.push_screen(SignInScreen(fixed_username=self.ssh_key.username if self.ssh_key else None))
            self.call_after_refresh(
                garbage_collector.freeze
            )  # after its first frame (begin() does this once signed in)

    def session_for(self, username: str) -> Session:
        """The session of someone whose identity is established; over SSH it names their key."""
        if self.ssh_key is not None and username != self.ssh_key.username:
            raise Refused(t("err.sign_in_refused", self.lang))  # a key signs in its own owner only
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
            self.switch_screen_to(NoAccessScreen(exc.message))
        else:
            self.switch_screen_to(SignInScreen(notice=exc.message))

    def no_right(self) -> None:
        """The person lost the admin role but may still sign in: the "no right" screen, as at sign-in."""
        if self.session is None or not self.session.is_admin:
            return  # signed out meanwhile, or already told (several reads may be refused at once)
        self.session = replace(self.session, role="user")
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
            return self.switch_screen_to(NoAccessScreen())
        mounted = self.open_section(self.first_section)
        self.call_after_refresh(garbage_collector.freeze)
        return mounted

    def switch_screen_to(self, screen: Screen) -> AwaitMount:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        return self.push_screen(screen)

    # --- keys, one at a time ---------------------------------------------------------------
    #
    # Textual hands a key to the focused widget and resolves most bindings only when the key has
    # bubbled back to the app; meanwhile it hands on the next key. A key that opens a screen
    # therefore lost the keys typed right after it (they went to the old screen, or to the new
    # one before it had its data). Here each key is handled to the end, and a screen it opened
    # has mounted and read its data, before the next key is handed on; the keys in between wait
    # in order. A key that somehow never comes back releases the queue after KEY_PATIENCE_S.

    KEY_PATIENCE_S = 2.0

    async def on_event(self, event: events.Event) -> None:
        if isinstance(
            event, (events.Key, events.MouseDown, events.MouseScrollDown, events.MouseScrollUp, events.Paste)
        ):
            self._last_input = self.idle_clock()
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._held_keys or not self._ready_for_key():
                self._held_keys.append(event)
                self._schedule_pump()
                return
            await self._handle_key(event)
            return
        await super().on_event(event)

    async def _handle_key(self, key: events.Key) -> None:
        self._key_in_flight, self._key_since = key, time.monotonic()
        target = self.focused or self.screen
        await super().on_event(key)
        if not key.is_forwarded or not target.call_later(self._follow_key, key, target):
            self._key_done(key)  # a priority binding handled it here (or there was no one to hand it to)

    def _follow_key(self, key: events.Key, node) -> None:
        """Runs in `node`'s queue after `node` handled the key; follows it up as it bubbles."""
        parent = node._parent
        if key._stop_propagation or parent is None:
            self._key_done(key)
        elif parent is self:
            self.call_later(self._key_done, key)  # after the app has run the key's bindings
        elif not parent.call_later(self._follow_key, key, parent):
            self._key_done(key)

    def _key_done(self, key: events.Key) -> None:
        if self._key_in_flight is key:
            self._key_in_flight = None
        self._pump_keys()

    def _ready_for_key(self) -> bool:
        if self._key_in_flight is not None and time.monotonic() - self._key_since < self.KEY_PATIENCE_S:
            return False
        screen = self.screen
        opening = not screen.is_mounted or not getattr(screen, "ready", True)
        return not opening or time.monotonic() - self._key_since >= self.KEY_PATIENCE_S

    def _schedule_pump(self) -> None:
        if self._pump_timer is None:
            self._pump_timer = self.set_timer(0.01, self._pump_keys)

    def _pump_keys(self) -> None:
        self._pump_timer = None
        if not self._held_keys:
            return
        if not self._ready_for_key():
            self._schedule_pump()
            return
        key = self._held_keys.popleft()
        self._key_in_flight, self._key_since = key, time.monotonic()
        self.call_later(self._handle_key, key)

    # --- sections ------------------------------------------------------------------------

    def open_section(self, name: str) -> AwaitMount:
        """Overview is home; any other section sits on top of it, so Escape goes back home.

        Opened straight from the command line (`--screen`), a section comes up alone, without
        first building the overview beneath it; Escape then builds the overview (see go_home).
        """
        section = SECTION_BY_NAME[name]
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
        """A page (PAGES) on top of the overview, like a section: Escape goes back home."""
        module, cls = PAGES[name]
        if len(self.screen_stack) <= 1 or not isinstance(self.screen_stack[1], OverviewScreen):
            self.switch_screen_to(OverviewScreen())
        while len(self.screen_stack) > 2:
            self.pop_screen()
        return self.push_screen(getattr(importlib.import_module(f"tribe_tui.screens.{module}"), cls)())

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
            module, cls = PAGES["password"]
            self.push_screen(getattr(importlib.import_module(f"tribe_tui.screens.{module}"), cls)())

    def go_home(self) -> None:
        """Back to the overview from a section (building it if the section was opened alone)."""
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

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers the sections and what the current screen can do."""
        if self.session is not None and self.session.is_admin:
            for section in SECTIONS:
                yield SystemCommand(
                    section.title(self.lang),
                    t("palette.open_section", self.lang),
                    _bind(self.open_section, section.name),
                )
            yield SystemCommand(
                t("ssh.title", self.lang), t("palette.open_page", self.lang), _bind(self.action_page, "ssh-keys")
            )
            yield SystemCommand(
                t("audit.title", self.lang), t("palette.open_page", self.lang), _bind(self.action_page, "audit")
            )
        if self.session is not None:
            yield SystemCommand(
                t("password.title", self.lang), t("palette.open_page", self.lang), self.action_change_password
            )
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            for title, help_text, callback in commands():
                yield SystemCommand(title, help_text, callback)
        yield SystemCommand(t("palette.help", self.lang), t("palette.help_help", self.lang), self.action_help)
        yield SystemCommand(t("palette.quit", self.lang), t("palette.quit_help", self.lang), self.exit)

    def action_command_palette(self) -> None:
        """Textual's palette, with its search field's placeholder in the user's language."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=t("palette.placeholder", self.lang)))

    def _leave_then(self, then: Callable[[], object]) -> None:
        """Leave the current section the way it wants to be left (it may ask about unsaved
        edits first), then `then`."""
        if isinstance(self.screen, SectionScreen):
            self.screen.leave(then)
        else:
            then()

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
        self.switch_screen_to(SignInScreen())
        self.notify(t("signin.signed_out", self.lang), markup=False)

    def action_help(self) -> None:
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
    app.run()
    if app.failure is not None:
        raise app.failure
    return app.return_code or 0
