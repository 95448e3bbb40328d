"""Logboek: the organisation's audit events in words, newest first: when (Amsterdam's clock, the
zone named), who (and the SSH key they came in with), and what happened, as one sentence. Filtered
by person, kind and date right here: an admin who came in over SSH has no shell for `audit list`.
Read-only."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from tribe_tui.errors import BadInput
from tribe_tui.formatting import moment
from tribe_tui.i18n import N_
from tribe_tui.screens.base import SectionScreen, stylesheet
from tribe_tui.widgets.inputs import TextInput
from tribe_tui.widgets.keys import localise_bindings
from tribe_tui.widgets.text import visible

if TYPE_CHECKING:
    from tribe_tui.services.audit_log import AuditLog, LogPerson

ALL = "all"  # the filters' "everyone" / "every kind"


class AuditScreen(SectionScreen):
    """| Key | Does |
    | :- | :- |
    | / | To the filters: person, kind, from and through (YYYY-MM-DD); Tab moves on, Escape back to the list |
    """

    CSS_PATH = stylesheet("audit")
    HELP_KEY = N_("help.audit")
    BINDINGS = [
        Binding("slash", "filters", N_("key.licences.filter"), id="audit.filter", tooltip=N_("tip.audit_filter"))
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person: int | None = None
        self.group: str | None = None
        self.since: date | None = None
        self.through: date | None = None
        self._people: tuple[LogPerson, ...] = ()

    def compose_body(self) -> ComposeResult:
        from tribe_tui.services.audit_log import GROUPS, group_label

        yield Static(self.tr("audit.intro"), classes="hint", markup=False)
        with Horizontal(id="audit-filters"):
            yield Select([], prompt=self.tr("audit.filter.everyone"), id="audit-person", compact=True)
            yield Select(
                [(group_label(group, self.lang), group) for group in GROUPS],
                prompt=self.tr("audit.filter.every_kind"),
                id="audit-kind",
                compact=True,
            )
            yield TextInput(placeholder=self.tr("audit.filter.since"), id="audit-since", compact=True)
            yield TextInput(placeholder=self.tr("audit.filter.through"), id="audit-through", compact=True)
        yield Static("", id="audit-error", markup=False)
        yield OptionList(id="audit-events")

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.tr("audit.title")
        # A drop-down's open list has Textual's own key ("Dismiss menu" in the footer).
        for overlay in self.query("SelectOverlay"):
            localise_bindings(overlay, self.lang)
        self.query_one("#audit-events", OptionList).focus()

    def action_filters(self) -> None:
        self.query_one("#audit-person", Select).focus()

    def action_back(self) -> None:
        """From a filter, Escape goes back to the list; from the list it leaves the Logboek."""
        if isinstance(self.focused, Select):
            self.query_one("#audit-events", OptionList).focus()
            return
        super().action_back()

    # --- filters --------------------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        value = None if event.value is Select.NULL else event.value
        if event.select.id == "audit-person":
            if value == self.person:
                return
            self.person = value if isinstance(value, int) else None
        elif event.select.id == "audit-kind":
            if value == self.group:
                return
            self.group = value if isinstance(value, str) else None
        self.reload()

    def on_input_changed(self, event: Input.Changed) -> None:
        """A date applies once it is whole (or cleared); a wrong one is said under the filters."""
        since = self.query_one("#audit-since", Input).value
        through = self.query_one("#audit-through", Input).value
        if any(len(text.strip()) not in (0, 10) for text in (since, through)):
            return
        from tribe_tui.services.audit_log import log_days

        error = self.query_one("#audit-error", Static)
        try:
            days = log_days(since, through, self.lang)
        except BadInput as exc:
            error.update(str(exc))
            error.add_class("-shown")
            return
        error.update("")
        error.remove_class("-shown")
        if days != (self.since, self.through):
            self.since, self.through = days
            self.reload()

    # --- data -----------------------------------------------------------------------------

    def load(self) -> AuditLog:
        from tribe_tui.services.audit_log import read_log

        return read_log(self.ctx, person=self.person, group=self.group, since=self.since, through=self.through)

    def show(self, log: AuditLog) -> None:
        self._show_people(log.people)
        options = self.query_one("#audit-events", OptionList)
        options.clear_options()
        key_label = self.tr("audit.key")
        for entry in log.entries:
            label = Text(moment(entry.at, self.lang), style="dim")
            label.append("  ")
            label.append(visible(entry.who), style="bold")
            if entry.key_fingerprint:
                label.append(f"  {key_label} {entry.key_fingerprint}", style="dim")
            label.append("\n  ")
            label.append(visible(entry.text))
            options.add_option(Option(label))
        if not log.entries:
            if (self.person, self.group, self.since, self.through) != (None, None, None, None):
                options.add_option(Option(self.tr("audit.none_match"), disabled=True))
            else:
                options.add_option(Option(self.tr("audit.none"), disabled=True))

    def _show_people(self, people: tuple[LogPerson, ...]) -> None:
        """The person filter offers everyone the log names; it keeps the chosen one."""
        if people == self._people:
            return
        self._people = people
        select = self.query_one("#audit-person", Select)
        with select.prevent(Select.Changed):
            select.set_options((Text(visible(f"{p.name} <{p.email}>")), p.employee_id) for p in people)
            if self.person is not None and any(p.employee_id == self.person for p in people):
                select.value = self.person
