"""Inloggen: username, password (masked), Enter signs in; one generic message on refusal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from tribe_tui.errors import TribeError
from tribe_tui.i18n import N_, t
from tribe_tui.widgets.inputs import TextInput
from tribe_tui.widgets.keys import localise_bindings

if TYPE_CHECKING:
    from tribe_tui.app import TribeApp


class SignInScreen(Screen[None]):
    if TYPE_CHECKING:  # Textual's typed `self.app`; type-only, as the app imports the screens
        app = getters.app(TribeApp)

    # Tab and Enter are priority bindings: the app moves focus *before* it forwards the keys that
    # follow, so a password typed (or pasted) right after Tab never lands in the username field.
    BINDINGS = [
        Binding("ctrl+q", "app.quit", N_("key.quit"), id="quit"),
        # Help works before signing in too: what this screen is for and how an invitee gets in.
        Binding("f1", "app.help", N_("key.help"), id="help", tooltip=N_("tip.help")),
        Binding("tab", "move(1)", show=False, priority=True, id="signin.next"),
        Binding("shift+tab", "move(-1)", show=False, priority=True, id="signin.previous"),
        Binding("enter", "submit", show=False, priority=True, id="signin.submit"),
        Binding(
            "ctrl+n",
            "accept_invite",
            N_("key.signin.accept_invite"),
            id="signin.accept_invite",
            tooltip=N_("tip.signin.accept_invite"),
        ),
    ]
    AUTO_FOCUS = "#username"
    HELP_KEY = N_("help.signin")  # read by the help screen (widgets/help.py)

    def __init__(self, fixed_username: str | None = None, notice: str = "") -> None:
        super().__init__()
        self.notice = notice  # why the last session ended, shown where a refusal would be
        # Over SSH with policy key+password the key names the person: only the password is asked.
        self.fixed_username = fixed_username
        localise_bindings(self, self.app.lang)

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        yield Header(show_clock=False)
        with Vertical(id="sign-in"):
            yield Static(t("signin.title", lang), id="sign-in-title")
            yield Static(t("signin.username", lang), classes="label")
            yield TextInput(
                self.fixed_username or "",
                id="username",
                placeholder=t("signin.username", lang),
                disabled=bool(self.fixed_username),
            )
            yield Static(t("signin.password", lang), classes="label")
            yield TextInput(id="password", password=True, placeholder=t("signin.password", lang))
            yield Static(self.notice, id="sign-in-error", markup=False)
            yield Static(t("signin.hint", lang), id="sign-in-hint")
            if self.app.ssh_key is None:  # over SSH the person is the key's owner: no one else signs in here
                yield Static(t("signin.accept_hint", lang), classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("app.title", self.app.lang)
        if self.fixed_username:  # the username field is disabled: AUTO_FOCUS cannot land there
            self.set_focus(self.query_one("#password", Input))

    def on_screen_resume(self) -> None:
        """Back from the accept screen (or the help): a refusal shown before belongs to an attempt
        that is over; the notice of why a session ended stays until someone signs in again."""
        error = self.query_one("#sign-in-error", Static)
        if str(error.render()) != self.notice:
            error.update(self.notice)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """In a key session the person is the key's owner: accepting an invitation (someone else
        signing in) is not offered, in the footer, the palette or by its key."""
        if action == "accept_invite":
            return self.app.ssh_key is None
        return True

    def action_accept_invite(self) -> None:
        """Uitnodiging accepteren: its own screen (screens/accept_invite.py); Escape comes back here."""
        from tribe_tui.screens.accept_invite import AcceptInviteScreen

        if self.app.ssh_key is not None:
            return

        self.app.push_screen(AcceptInviteScreen())

    def action_move(self, step: int) -> None:
        fields = [field for field in self.query(TextInput) if not field.disabled]
        current = fields.index(self.focused) if self.focused in fields else -1
        self.set_focus(fields[(current + step) % len(fields)])  # at once: Widget.focus() is deferred

    def action_submit(self) -> None:
        """Enter in the username field moves on; in the password field it signs in."""
        if self.focused is self.query_one("#username", Input) and not self.fixed_username:
            self.set_focus(self.query_one("#password", Input))
            return
        # Keys typed just before Enter may still wait in the field's queue (Enter, a priority
        # binding, overtook them): read the fields only after the field has handled them.
        (self.focused or self).call_later(self._submit)

    def _submit(self) -> None:
        username = self.query_one("#username", Input).value.strip()
        password = self.query_one("#password", Input).value
        self.query_one("#sign-in-error", Static).update(t("signin.busy", self.app.lang))
        self._sign_in(username, password)

    @work(thread=True, exclusive=True)
    def _sign_in(self, username: str, password: str) -> None:
        from tribe_tui.services.signin import sign_in

        today = self.app.settings.effective_today()
        try:
            key = self.app.ssh_key
            signed = sign_in(
                username,
                password,
                today=today,
                lang=self.app.lang,
                settings=self.app.settings,
                method="key+password" if key is not None else "password",
                key_fingerprint=key.fingerprint if key is not None else None,
            )
            session = self.app.session_for(signed.username)
        except TribeError as exc:
            self.app.call_from_thread(self._refused, exc.message)
            return
        # begin() returns the mount, which call_from_thread awaits; mypy cannot solve Textual's
        # `Callable[..., T | Awaitable[T]]` for an awaitable of None.
        self.app.call_from_thread(self.app.begin, session)  # type: ignore[arg-type]

    def _refused(self, message: str) -> None:
        self.query_one("#sign-in-error", Static).update(message)
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()
