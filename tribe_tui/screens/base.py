"""A section's frame: its title bar, keys and footer, and the ways out of it (Escape, another section,
the command palette). What it reads is screens/reading.py; what it does for the admin, asking first
where it should, is screens/asking.py."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Header, Static

from tribe_tui.i18n import N_
from tribe_tui.screens.asking import ASKING, AskingScreen, NotDone
from tribe_tui.screens.reading import ERROR_TIMEOUT, SUCCESS_TIMEOUT, WARNING_TIMEOUT
from tribe_tui.sections import SECTION_BY_NAME
from tribe_tui.widgets.footer import KeysFooter
from tribe_tui.widgets.keys import localise_bindings

__all__ = ["ASKING", "ERROR_TIMEOUT", "SUCCESS_TIMEOUT", "WARNING_TIMEOUT", "NotDone", "SectionScreen", "stylesheet"]


def stylesheet(name: str) -> str:
    """The path of styles/<name>.tcss. styles/ travels inside the wheel as tribe_tui/styles; in a
    checkout it sits beside the package."""
    inside = Path(__file__).parent.parent / "styles"
    return str((inside if inside.is_dir() else Path(__file__).parent.parent.parent / "styles") / f"{name}.tcss")


class SectionScreen(AskingScreen):
    """A section: header, a scrolling body (`compose_body`), a footer with this screen's keys.

    Subclasses set SECTION (the name in tribe_tui.sections, which gives the title and, unless the
    screen sets HELP_KEY, the help text) and implement `compose_body()`, `load()` (services only)
    and `show()` (puts what load() returned on screen).
    """

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
        self._mount_done = False
        # Before the footer is composed: localising after mounting makes it compose its keys twice.
        localise_bindings(self, self.lang)
        # The footer shows keys in this order and leaves out what does not fit: the screen's own
        # keys first, then Back and Help (every screen has those, and F1 lists them).
        shared = {"escape", "f1", "question_mark"}
        table = self._bindings.key_to_bindings
        self._bindings.key_to_bindings = dict(sorted(table.items(), key=lambda item: item[0] in shared))

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
        self.fit_title(self.app.size.width)
        # The first read runs on the UI thread, right after every on_mount handler (the subclasses'
        # too) and before any other event: the screen's first frame shows its data, and keys typed
        # while it opened act on that data. Each is one or two indexed queries (bench/RESULTS.md
        # has the first-frame figures); later reads go to a worker.
        self.call_next(self.first_read)

    @on(events.Resize)
    def _refit_title(self, event: events.Resize) -> None:
        self.fit_title(event.size.width)

    def watch_title(self) -> None:
        """Some screens name themselves after mounting (a page, an invoice's number)."""
        self.fit_title(self.app.size.width)

    def fit_title(self, width: int) -> None:
        """The organisation beside the title when both fit whole between the header's icon and its
        mirror on the right (8 cells each, and a cell of padding either side), else the title alone: a name is not cut."""
        organisation = self.app.session.organisation if self.app.session else ""
        fits = cell_len(f"{self.title} — {organisation}") <= width - 18
        self.sub_title = organisation if fits else ""

    # --- ways out -------------------------------------------------------------------------

    def action_back(self) -> None:
        """Escape: first away with a refusal still on screen, then leave."""
        if self.shows_refusal():
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
                yield b.description, b.tooltip or b.description, _runner(self, b.action, binding.node)


def _runner(screen: Screen[Any], action: str, node: DOMNode) -> Callable[[], object]:
    # In the namespace of the node that binds it: the app's own keys (Ctrl+Q) are the app's actions.
    return lambda: screen.call_later(screen.app.run_action, action, node)
