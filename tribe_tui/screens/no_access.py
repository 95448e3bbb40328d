"""A signed-in user without the admin role: told so, nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tribe_tui.i18n import N_, t
from tribe_tui.widgets.keys import localise_bindings

if TYPE_CHECKING:
    from tribe_tui.app import TribeApp


class NoAccessScreen(Screen[None]):
    if TYPE_CHECKING:  # Textual's typed `self.app`; type-only, as the app imports the screens
        app = getters.app(TribeApp)

    BINDINGS = [
        Binding("ctrl+q,q,escape", "app.quit", N_("key.quit"), id="quit"),
        Binding("ctrl+o", "app.sign_out", N_("key.sign_out"), id="sign_out"),
        Binding("w", "app.change_password", N_("password.title"), id="password"),
    ]

    def __init__(self, message: str | None = None) -> None:
        super().__init__()
        self.message = message  # why the session ended; by default: not an admin
        localise_bindings(self, self.app.lang)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Changing one's password needs a session: not once it has ended."""
        if action == "app.change_password" or action == "change_password":
            return self.app.session is not None
        return True

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Center():
            yield Static(self.message or t("error.no_access", self.app.lang), id="no-access", markup=False)
        yield Footer()
