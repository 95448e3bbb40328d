"""Uitnodiging accepteren, from the sign-in screen: paste the link (or the token) from the e-mail,
choose a username and password (the rules of `tribe-tui accept-invite`), and be signed in.

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
    from textual import events

    from tribe_tui.app import TribeApp

# (field id suffix, its name in services.invitations.accept_field_errors, masked)
FIELDS = (
    ("token", "token", False),
    ("username", "username", False),
    ("name", "name", False),
    ("password", "password", True),
    ("password-again", "password_again", True),
)


class AcceptInviteScreen(Screen[None]):
    """| Key | Does |
    | :- | :- |
    | escape | Back to the sign-in screen (at once, also from inside a field). |
    | tab, shift+tab | Next / previous field; a field is checked as it is left. |
    | enter | Next field; in the last one, accept and sign in. |
    """

    if TYPE_CHECKING:
        app = getters.app(TribeApp)

    CSS_PATH = stylesheet("accept_invite")
    # As on the sign-in screen: Tab and Enter move between the fields before the keys that follow
    # them are handled, so pasted text lands where the admin meant it. Escape too: a field's own
    # Escape (leave the field) would make it take two presses to leave a screen of fields only.
    BINDINGS = [
        Binding("escape", "back", N_("key.back"), id="accept.back", priority=True),
        Binding("tab", "move(1)", show=False, priority=True, id="accept.next"),
        Binding("shift+tab", "move(-1)", show=False, priority=True, id="accept.previous"),
        Binding("enter", "submit", show=False, priority=True, id="accept.submit"),
    ]
    AUTO_FOCUS = "#accept-token"

    def __init__(self) -> None:
        super().__init__()
        localise_bindings(self, self.app.lang)
        self.visited: set[str] = set()

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        yield Header(show_clock=False)
        with Vertical(id="accept"):
            yield Static(t("accept.title", lang), id="accept-title")
            yield Static(t("accept.intro", lang), classes="hint")
            labels = {
                "token": t("accept.token", lang),
                "username": t("signin.username", lang),
                "name": t("accept.name", lang),
                "password": t("signin.password", lang),
                "password-again": t("accept.password_again", lang),
            }
            for suffix, _rule, secret in FIELDS:
                with Horizontal(classes="accept-row"):
                    yield Static(labels[suffix], classes="accept-label", markup=False)
                    yield TextInput(id=f"accept-{suffix}", password=secret)
                if suffix == "username":  # the rule before anything is typed, not only after a refusal
                    yield Static(t("accept.username_rule", lang), classes="accept-rule hint", markup=False)
                yield Static("", id=f"accept-{suffix}-error", classes="accept-field-error", markup=False)
            yield Static("", id="accept-error", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("accept.title", self.app.lang)
        for suffix, *_rest in FIELDS:
            self.query_one(f"#accept-{suffix}-error", Static).display = False

    def _fields(self) -> list[Input]:
        return [self.query_one(f"#accept-{suffix}", Input) for suffix, *_rest in FIELDS]

    def _values(self) -> dict[str, str]:
        return {rule: self.query_one(f"#accept-{suffix}", Input).value for suffix, rule, *_rest in FIELDS}

    # --- checking as each field is left --------------------------------------------------

    def _set_error(self, suffix: str, message: str | None) -> None:
        error = self.query_one(f"#accept-{suffix}-error", Static)
        error.update(message or "")
        error.display = bool(message)
        self.query_one(f"#accept-{suffix}", Input).set_class(bool(message), "invalid-field")
        if suffix == "username":  # the message says the rule again: once on screen is enough
            self.query_one(".accept-rule", Static).display = not message

    def _tidy(self, field: Input) -> None:
        """What the field means, written the way it is used: the token out of a pasted link, the
        username in lower case."""
        from tribe_tui.schemas import tidy_username, token_from_link

        if field.id == "accept-token":
            tidy = token_from_link(field.value)
        elif field.id == "accept-username":
            tidy = tidy_username(field.value)
        else:
            return
        if isinstance(tidy, str) and tidy != field.value:
            field.value = tidy

    def _check(self) -> dict[str, str]:
        """Check the fields left so far; returns the errors of all of them by suffix."""
        from tribe_tui.services.invitations import accept_field_errors

        values = self._values()
        wanted = {rule: values[rule] for suffix, rule, *_rest in FIELDS if suffix in self.visited}
        if "password_again" in wanted:
            wanted["password"] = values["password"]  # compared with it
        errors = accept_field_errors(wanted, self.app.lang)
        found: dict[str, str] = {}
        for suffix, rule, *_rest in FIELDS:
            message = errors.get(rule) if suffix in self.visited else None
            self._set_error(suffix, message)
            if message:
                found[suffix] = message
        return found

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        widget = event.widget
        if isinstance(widget, Input) and widget.id in {f"accept-{suffix}" for suffix, *_rest in FIELDS}:
            if not widget.value and widget.id != "accept-token":
                return  # passing an empty field on the way to another is not leaving it wrong
            self._tidy(widget)
            self.visited.add(widget.id.removeprefix("accept-"))
            self._check()

    def on_input_changed(self, event: Input.Changed) -> None:
        suffix = (event.input.id or "").removeprefix("accept-")
        if suffix in self.visited and self.query_one(f"#accept-{suffix}-error", Static).display:
            self._check()  # the message goes as soon as the value is right

    # --- keys ------------------------------------------------------------------------------

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
        for field in self._fields():
            self._tidy(field)
        self.visited.update(suffix for suffix, *_rest in FIELDS)
        errors = self._check()
        if errors:
            self._focus_fault(next(suffix for suffix, *_rest in FIELDS if suffix in errors))
            return
        token, username, name, password, _again = self._values().values()
        self.query_one("#accept-error", Static).update(t("signin.busy", self.app.lang))
        self._accept(token, username, name.strip() or None, password)

    def _focus_fault(self, suffix: str) -> None:
        self.query_one("#accept-error", Static).update("")
        self.set_focus(self.query_one(f"#accept-{suffix}", Input))

    @work(thread=True, exclusive=True)
    def _accept(self, token: str, username: str, name: str | None, password: str) -> None:
        from tribe_tui.services.invitations import AcceptRefused, accept
        from tribe_tui.services.signin import sign_in

        app = self.app
        today = app.settings.effective_today()
        if app.ssh_key is not None:  # a key's session is its owner's: no one else joins through it
            app.call_from_thread(self._refused, t("error.sign_in_refused", app.lang))
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
        except AcceptRefused as exc:
            app.call_from_thread(self._refused, exc.message, exc.field)
            return
        except TribeError as exc:
            app.call_from_thread(self._refused, exc.message)
            return
        app.call_from_thread(app.begin, session)  # type: ignore[arg-type]  # as on the sign-in screen

    def _refused(self, message: str, field: str | None = None) -> None:
        """The message beside the field at fault, and the focus in it; else under the form."""
        if field is not None:
            self._set_error(field, message)
            self._focus_fault(field)
        else:
            self.query_one("#accept-error", Static).update(message)
        for suffix in ("password", "password-again"):
            self.query_one(f"#accept-{suffix}", Input).value = ""
        if field is None:
            self.set_focus(self.query_one("#accept-password", Input))
