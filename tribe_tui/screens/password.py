"""Wachtwoord wijzigen: the signed-in person changes their own password (the current one asked,
the same strength rules as choosing one). Reached with `w` from the overview, or from the "no
right" screen by someone without the admin role."""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from tribe_tui.i18n import N_
from tribe_tui.screens.base import ASKING, SectionScreen
from tribe_tui.widgets.inputs import TextInput

FIELDS = ("password-old", "password-new", "password-again")


class PasswordScreen(SectionScreen):
    HELP_KEY = N_("help.password")
    BINDINGS = [
        Binding("ctrl+s", "save", N_("key.password.save"), id="password.save", tooltip=N_("tip.password.save")),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static(self.tr("password.intro"), classes="hint", markup=False)
        yield Static(self.tr("password.old"), classes="label", markup=False)
        yield TextInput(id=FIELDS[0], password=True)
        yield Static(self.tr("password.new"), classes="label", markup=False)
        yield TextInput(id=FIELDS[1], password=True)
        yield Static(self.tr("password.again"), classes="label", markup=False)
        yield TextInput(id=FIELDS[2], password=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.tr("password.title")
        self.query_one("#password-old", Input).focus()

    def _fields(self) -> list[Input]:
        return [self.query_one(f"#{name}", Input) for name in FIELDS]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        fields = self._fields()
        if event.input is fields[-1]:
            self.action_save()
        elif event.input in fields:
            fields[fields.index(event.input) + 1].focus()

    def action_save(self) -> None:
        from tribe_tui.services.passwords import change_password

        old, new, again = (field.value for field in self._fields())
        if new != again:
            self.notify(self.tr("error.passwords_differ"), severity="error", markup=False)
            return
        ctx, settings = self.ctx, self.app.settings

        def done(_result: object) -> None:
            for field in self._fields():
                field.value = ""
            self._fields()[0].focus()
            self.notify(self.tr("shared.password_changed"), markup=False)

        self.run_action(lambda: change_password(ctx, old, new, settings=settings), done)

    def dirty(self) -> bool:
        """Something typed and not yet used to change the password."""
        return any(field.value for field in self._fields())

    def leave(self, then: Callable[[], object] | None = None) -> None:
        self._leave_asking_first(then)

    @work(group=ASKING)
    async def _leave_asking_first(self, then: Callable[[], object] | None) -> None:
        """Leaving with typed fields asks first, as a form with unsaved edits does; No (the
        default) stays. Escape from someone without the admin role goes back to the "no right"
        screen they came from; Ctrl+Q and Ctrl+O do what they say."""
        if self.dirty() and not await self.ask(
            self.tr("password.discard_title"), self.tr("password.discard_body"), self.tr("password.discard_yes")
        ):
            return
        if then is None and self.app.session is not None and not self.app.session.is_admin:
            self.app.pop_screen()
            return
        super().leave(then)
