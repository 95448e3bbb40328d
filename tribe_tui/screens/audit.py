"""Logboek: the organisation's audit events, newest first: who (the person and the SSH key they
came in with), what, when, before -> after. Read-only."""

from __future__ import annotations

import json

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tribe_tui.formatting import clock
from tribe_tui.i18n import N_
from tribe_tui.screens.base import SectionScreen, stylesheet
from tribe_tui.widgets.text import visible

SHOWN = 200  # the newest events; `tribe-tui audit list` has them all, with filters


class AuditScreen(SectionScreen):
    CSS_PATH = stylesheet("ssh_keys")
    HELP_KEY = N_("audit.help")

    def compose_body(self) -> ComposeResult:
        yield Static(self.tr("audit.intro"), classes="hint", markup=False)
        yield OptionList(id="audit-events")

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.tr("audit.title")
        self.query_one("#audit-events", OptionList).focus()

    def load(self) -> list:
        from tribe_tui.services.ssh_keys import list_audit

        return list_audit(self.ctx, limit=SHOWN)

    def show(self, events: list) -> None:
        options = self.query_one("#audit-events", OptionList)
        options.clear_options()
        key_label = self.tr("audit.key")
        for event in events:
            who = f"{event.who_name} <{event.who_email}>" if event.who_email else event.actor
            label = Text(f"{clock(event.at)}  ", style="dim")
            label.append(visible(who), style="bold")
            label.append(f"  {event.action}")
            if event.key_fingerprint:
                label.append(f"\n  {key_label} {event.key_fingerprint}", style="dim")
            label.append(f"\n  {visible(_brief(event.before))} → {visible(_brief(event.after))}")
            options.add_option(Option(label))
        if not events:
            options.add_option(Option(self.tr("audit.none"), disabled=True))


def _brief(value: object) -> str:
    return "—" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
