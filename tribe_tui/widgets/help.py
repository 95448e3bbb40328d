"""F1 / ?: what this screen is for and every key it answers to."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tribe_tui.i18n import N_, t
from tribe_tui.sections import sections_help
from tribe_tui.widgets.keys import localise_bindings

if TYPE_CHECKING:
    from tribe_tui.app import TribeApp


class HelpScreen(ModalScreen[None]):
    """What the screen beneath is for, its keys, and the sections, in a box over it.

    | Key | Does |
    | :- | :- |
    | escape, f1, ?, q | Close the help. |
    """

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen #help {
        width: 76;
        max-width: 98%;
        height: auto;
        max-height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen #help-title {
        text-style: bold;
    }
    HelpScreen #help-keys, HelpScreen #help-sections, HelpScreen #help-text {
        margin-top: 1;
    }
    HelpScreen #help-close {
        color: $text-muted;
    }
    """

    if TYPE_CHECKING:  # Textual's typed `self.app`; type-only, as the app imports this screen
        app = getters.app(TribeApp)

    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss", N_("key.help.close"), id="help.close")]

    def __init__(self, about: Screen[Any]) -> None:
        super().__init__()
        localise_bindings(self, self.app.lang)
        self.about = about

    def compose(self) -> ComposeResult:
        lang = self.app.lang
        help_key = getattr(self.about, "HELP_KEY", "") or N_("help.general")
        keys = []
        for binding in self.about.active_bindings.values():
            b = binding.binding
            # Only our own keys (they all have an id): a focused Input's cursor keys are not help.
            # Section digits are listed once, in words, under help.sections.
            if b.description and b.id and not b.id.startswith("section."):
                keys.append(f"  {binding.binding.key_display or self.app.get_key_display(b):<12} {b.description}")
        sections = sections_help(lang)
        with VerticalScroll(id="help"):
            yield Static(t("help.title", lang), id="help-title")
            yield Static(t("help.close", lang), id="help-close", markup=False)
            yield Static(t(help_key, lang), id="help-text", markup=False)
            yield Static(t("help.keys", lang) + "\n" + "\n".join(keys), id="help-keys", markup=False)
            yield Static(sections, id="help-sections", markup=False)
