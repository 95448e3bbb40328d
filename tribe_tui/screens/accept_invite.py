"""Uitnodiging accepteren, from the sign-in screen: paste the token from the e-mail, choose a
username and password (the rules of `tribe-tui accept-invite`), and be signed in.

An invitee who reaches tribe-tui over SSH (ForceCommand: every session is the TUI) has no shell
to run `accept-invite` in; this screen is their way in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import getters, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from tribe_tui.errors import TribeError
from tribe_tui.i18n import N_, t
from tribe_tui.screens.base import stylesheet
from tribe_tui.widgets.inputs import TextInput
from tribe_tui.widgets.keys import localise_bindings

if TYPE_CHECKING:
    from tribe_tui.app import TribeApp

FIELDS = ("accept-token", "accept-username", "accept-name", "accept-password", "accept-password-again")


class AcceptInviteScreen(Screen[None]):
    if TYPE_CHECKING:
        app = getters.app(TribeApp)

    CSS_PATH = stylesheet("accept_invite")
    # As on the sign-in screen: Tab and Enter move between the fields before the keys that follow
    # them are handled, so pasted text lands where the admin meant it.
    BINDINGS = [
        Binding("escape", "back", N_("key.back"), id="accept.back"),
        Binding("tab", "move(1)", show=False, priority=True, id="accept.next"),
        Binding("shift+tab", "move(-1)", show=False, priority=True, id="accept.previous"),
        Binding("enter", "submit", show=False, priority=True, id="accept.submit"),
    ]
    AUTO_FOCUS = "#accept-token"

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.app.lang)

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        yield Header(show_clock=False)
        with Vertical(id="accept"):
            yield Static(t("accept.title", lang), id="accept-title")
            yield Static(t("accept.intro", lang), classes="hint")
            for field, label, secret in (
                ("accept-token", t("accept.token", lang), False),
                ("accept-username", t("signin.username", lang), False),
                ("accept-name", t("accept.name", lang), False),
                ("accept-password", t("signin.password", lang), True),
                ("accept-password-again", t("accept.password_again", lang), True),
            ):
                with Horizontal(classes="accept-row"):
                    yield Static(label, classes="accept-label", markup=False)
                    yield TextInput(id=field, password=secret)
            yield Static("", id="accept-error")
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("accept.title", self.app.lang)

    def _fields(self) -> list[Input]:
        return [self.query_one(f"#{name}", Input) for name in FIELDS]

    def action_move(self, step: int) -> None:
        fields = self._fields()
        current = fields.index(self.focused) if self.focused in fields else -1
        self.set_focus(fields[(current + step) % len(fields)])

    def action_submit(self) -> None:
        """Enter moves to the next field; in the last one it accepts."""
        fields = self._fields()
        if self.focused in fields[:-1]:
            self.action_move(1)
            return
        (self.focused or self).call_later(self._submit)

    def action_back(self) -> None:
        self.app.pop_screen()

    def _submit(self) -> None:
        token, username, name, password, again = (field.value for field in self._fields())
        lang = self.app.lang
        if password != again:
            self._refused(t("err.passwords_differ", lang))
            return
        self.query_one("#accept-error", Static).update(t("signin.busy", lang))
        self._accept(token.strip(), username.strip(), name.strip() or None, password)

    @work(thread=True, exclusive=True)
    def _accept(self, token: str, username: str, name: str | None, password: str) -> None:
        from tribe_tui.services.invitations import accept
        from tribe_tui.services.signin import sign_in

        app = self.app
        today = app.settings.effective_today()
        if app.ssh_key is not None:  # a key's session is its owner's: no one else joins through it
            app.call_from_thread(self._refused, t("err.sign_in_refused", app.lang))
            return
        try:
            accepted = accept(
                token,
                username=username,
                password=password,
                name=name,
                today=today,
                settings=app.settings,
                lang=app.lang,
            )
            signed = sign_in(
                accepted.username, password, today=today, lang=app.lang, settings=app.settings, method="invitation"
            )
            session = app.session_for(signed.username)  # over SSH: refused, the key names its owner
        except TribeError as exc:
            app.call_from_thread(self._refused, exc.message)
            return
        app.call_from_thread(app.begin, session)  # type: ignore[arg-type]  # as on the sign-in screen

    def _refused(self, message: str) -> None:
        self.query_one("#accept-error", Static).update(message)
        for field in self._fields()[3:]:
            field.value = ""
