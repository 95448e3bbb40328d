"""Textual's command palette in the user's language: its placeholder, its keys and the line it
shows when nothing matches."""

from __future__ import annotations

from typing import Any

from rich.align import Align
from rich.text import Text
from textual.app import ComposeResult
from textual.command import CommandInput, CommandList, CommandPalette, SearchIcon
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, LoadingIndicator
from textual.widgets.option_list import Option

from tribe_tui.i18n import t
from tribe_tui.widgets.keys import localise_bindings


class _Results(CommandList):
    """The palette's list. The only disabled line the palette adds is its "No matches found":
    that line is said in the user's language."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def add_option(self, item: Any = None) -> Any:  # OptionList.add_option
        if isinstance(item, Option) and item.disabled:
            words = Align.center(Text(t("palette.no_matches", self.lang), style="not bold"))
            item = Option(words, disabled=True, id=item.id)
        return super().add_option(item)


class Palette(CommandPalette):
    """Textual's CommandPalette with its words in `lang`; composed as Textual composes it, with
    the results list above."""

    def __init__(self, lang: str, **kwargs: Any) -> None:
        super().__init__(placeholder=t("palette.placeholder", lang), **kwargs)
        self.lang = lang
        localise_bindings(self, lang)

    def compose(self) -> ComposeResult:
        with Vertical(id="--container"):
            with Horizontal(id="--input"):
                yield SearchIcon()
                yield CommandInput(placeholder=t("palette.placeholder", self.lang), select_on_focus=False)
                if not self.run_on_select:
                    yield Button("\u25b6")
            with Vertical(id="--results"):
                yield _Results(self.lang)
                yield LoadingIndicator()
