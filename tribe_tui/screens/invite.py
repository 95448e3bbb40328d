"""Collega's uitnodigen: e-mail addresses in, an outcome per address, and the open invitations."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from tribe_tui import formatting
from tribe_tui.i18n import N_
from tribe_tui.screens.base import SectionScreen, stylesheet
from tribe_tui.widgets.inputs import TextInput
from tribe_tui.widgets.text import visible

_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class _Loaded:
    free: int
    invitations: list


class InviteScreen(SectionScreen):
    CSS_PATH = stylesheet("invite")
    SECTION = "invite"
    BINDINGS = [
        Binding("ctrl+s", "send", N_("key.invite.send"), id="invite.send", tooltip=N_("tip.invite.send")),
        Binding("r", "revoke", N_("key.invite.revoke"), id="invite.revoke", tooltip=N_("tip.invite.revoke")),
        Binding("ctrl+n", "add_licences", N_("key.invite.add_licences"), id="invite.add_licences", tooltip=N_("tip.invite.add_licences")),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="invite-free", markup=False)
        yield Button(self.tr("section.add_licences"), id="invite-add-licences", variant="warning")
        yield Static(self.tr("invite.addresses"), classes="heading", markup=False)
        yield TextInput(placeholder=self.tr("invite.placeholder"), id="invite-emails")
        yield Static(self.tr("invite.hint"), classes="hint", markup=False)
        yield Static("", id="invite-outcome")
        yield Static(self.tr("invite.open_title"), classes="heading", markup=False)
        yield OptionList(id="invite-open")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#invite-add-licences", Button).display = False
        self.query_one("#invite-emails", Input).focus()

    def load(self) -> _Loaded:
        from tribe_tui.services.invitations import free_licences, list_invitations

        return _Loaded(free_licences(self.ctx), [i for i in list_invitations(self.ctx) if i.status == "open"])

    def show(self, data: _Loaded) -> None:
        free = self.query_one("#invite-free", Static)
        free.set_class(data.free == 0, "warning")
        free.update(self.trn("invite.free", data.free, n=formatting.number(data.free, self.lang)) if data.free
                    else self.tr("invite.no_free"))
        self.query_one("#invite-add-licences", Button).display = data.free == 0
        options = self.query_one("#invite-open", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for row in data.invitations:
            label = Text(visible(row.email))
            label.append("  " + self.tr("invite.valid_until", date=formatting.long_date(row.valid_until, self.lang)),
                         style="dim")
            if row.mail_queued:
                label.append("  " + self.tr("invitation.mail_queued"), style="italic")
            options.add_option(Option(label, id=row.email))
        if not data.invitations:
            options.add_option(Option(self.tr("invite.none_open"), disabled=True))
        else:
            options.highlighted = min(highlighted or 0, len(data.invitations) - 1)

    # --- actions --------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "invite-emails":
            self.action_send()

    def action_send(self) -> None:
        field = self.query_one("#invite-emails", Input)
        emails = [part for part in _SEPARATORS.split(field.value) if part]
        if not emails:
            self.notify(self.tr("err.invite_no_address"), severity="warning", markup=False)
            return
        from tribe_tui.services.invitations import invite

        settings = self.app.settings

        def done(outcomes) -> None:
            field.value = ""
            self._show_outcomes(outcomes)
            self.reload()

        self.run_action(lambda: invite(self.ctx, emails, settings), done)

    def _show_outcomes(self, outcomes) -> None:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column()
        for outcome in outcomes:
            if outcome.status == "sent":
                status = Text(self.tr("invite.sent"), style="bold")
            else:
                status = Text(self.tr("invite.queued", error=visible(outcome.reason or "?")), style="italic")
            table.add_row(Text(visible(outcome.email)), status)
        self.query_one("#invite-outcome", Static).update(table)

    def action_revoke(self) -> None:
        options = self.query_one("#invite-open", OptionList)
        if options.highlighted is None:
            self.notify(self.tr("invite.pick_one"), severity="warning", markup=False)
            return
        option = options.get_option_at_index(options.highlighted)
        if option.id is None:
            return
        from tribe_tui.services.invitations import revoke

        email = option.id

        def revoked(_row: object) -> None:
            self.notify(self.tr("cli.invite_revoked", email=visible(email)), markup=False)
            self.reload()

        self.run_action(lambda: revoke(self.ctx, email), revoked)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "invite-add-licences":
            self.action_add_licences()

    def action_add_licences(self) -> None:
        self.app.open_section("add-licences")
