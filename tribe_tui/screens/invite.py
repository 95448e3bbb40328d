"""Collega's uitnodigen: e-mail addresses in, an outcome per address, and the open invitations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from tribe_tui import formatting
from tribe_tui.i18n import N_, invitation_status, mail_reason
from tribe_tui.screens.base import ASKING, NotDone, SectionScreen, stylesheet
from tribe_tui.services.account import organisation_version
from tribe_tui.services.licences import add_licences
from tribe_tui.widgets.inputs import TextInput
from tribe_tui.widgets.text import visible

if TYPE_CHECKING:
    from tribe_tui.services.invitations import InvitationRow, InviteOutcome, InviteOutcomes

_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class _Loaded:
    free: int
    invitations: list[InvitationRow]
    version: int  # the organisation's, when read: adding licences from here expects it


class InviteScreen(SectionScreen):
    CSS_PATH = stylesheet("invite")
    SECTION = "invite"
    BINDINGS = [
        Binding("ctrl+s", "send", N_("key.invite.send"), id="invite.send", tooltip=N_("tip.invite.send")),
        Binding("r", "revoke", N_("key.invite.revoke"), id="invite.revoke", tooltip=N_("tip.invite.revoke")),
        Binding("o", "resend", N_("key.invite.resend"), id="invite.resend", tooltip=N_("tip.invite.resend")),
        Binding(
            "ctrl+b", "toggle_admin", N_("key.invite.as_admin"), id="invite.as_admin", tooltip=N_("invite.as_admin")
        ),
        Binding(
            "ctrl+n",
            "add_licences",
            N_("key.invite.add_licences"),
            id="invite.add_licences",
            tooltip=N_("tip.invite.add_licences"),
        ),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="invite-free", markup=False)
        yield Button(self.tr("section.add_licences"), id="invite-add-licences", variant="warning")
        yield Static(self.tr("invite.addresses"), classes="heading", markup=False)
        yield TextInput(placeholder=self.tr("invite.placeholder"), id="invite-emails")
        # The role they join with: not admin unless chosen here (also for a former admin invited back).
        # Ctrl+B toggles it (Tab still goes from the addresses to the invitations below).
        admin = Checkbox(self.tr("invite.as_admin"), False, id="invite-admin")
        admin.can_focus = False
        yield admin
        yield Static(self.tr("invite.hint"), classes="hint", markup=False)
        yield Static("", id="invite-outcome")
        yield Static(self.tr("invite.list_title"), classes="heading", markup=False)
        yield OptionList(id="invite-open")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#invite-add-licences", Button).display = False
        self.query_one("#invite-emails", Input).focus()

    def load(self) -> _Loaded:
        from tribe_tui.services.invitations import free_licences, list_invitations

        return _Loaded(free_licences(self.ctx), list_invitations(self.ctx), organisation_version(self.ctx))

    def show(self, data: _Loaded) -> None:
        free = self.query_one("#invite-free", Static)
        free.set_class(data.free == 0, "warning")
        free.update(
            self.trn("invite.free", data.free, n=formatting.number(data.free, self.lang))
            if data.free
            else self.tr("invite.no_free")
        )
        self.query_one("#invite-add-licences", Button).display = data.free == 0
        options = self.query_one("#invite-open", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        self.free, self.version = data.free, data.version
        seen: set[str] = set()
        for row in data.invitations:
            if row.email in seen:
                continue  # an older invitation for the same address: the newest one says it all
            seen.add(row.email)
            options.add_option(Option(self._invitation_label(row), id=row.email))
        if not data.invitations:
            options.add_option(Option(self.tr("invite.none"), disabled=True))
        else:
            options.highlighted = min(highlighted or 0, options.option_count - 1)

    def _invitation_label(self, row: InvitationRow) -> Text:
        """'eva@example.com  verstuurd  geldig t/m 8 december 2026', with the reason when queued
        or failed and who accepted it, when."""
        lang = self.lang
        state = row.state
        parts = [(invitation_status(state, lang), "bold" if state in ("sent", "accepted") else "italic")]
        if state == "accepted" and row.accepted_at is not None:
            parts.append(
                (
                    self.tr(
                        "invite.accepted_by",
                        who=visible(row.accepted_by or "?"),
                        date=formatting.long_date(formatting.local_day(row.accepted_at), lang),
                    ),
                    "dim",
                )
            )
        elif state in ("sent", "queued", "failed"):
            parts.append((self.tr("invite.valid_until", date=formatting.long_date(row.valid_until, lang)), "dim"))
        label = Text(visible(row.email))
        for text, style in parts:
            label.append("  ")  # unstyled: the gap is not part of the word
            label.append(text, style=style)
        if row.mail_error_kind:
            label.append("\n    ")
            label.append(mail_reason(row.mail_error_kind, lang), style="italic")
        return label

    # --- actions --------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "invite-emails":
            self.action_send()

    free = 0  # free licences when last read
    version: int | None = None  # the organisation's version when last read

    @work(group=ASKING)
    async def action_send(self) -> None:
        """More addresses than free licences: say so first and offer to add the licences they
        need (charge preview), or to send anyway; then send."""
        field = self.query_one("#invite-emails", Input)
        emails = list(dict.fromkeys(part for part in _SEPARATORS.split(field.value) if part))
        if not emails:
            self.notify(self.tr("error.invite_no_address"), severity="warning", markup=False)
            return
        from tribe_tui.services.invitations import invite

        ctx, settings = self.ctx, self.app.settings
        admin = self.query_one("#invite-admin", Checkbox).value
        short = len(emails) - self.free
        if short <= 0:
            preview = await self.check(lambda: invite(ctx, emails, settings, admin=admin, dry_run=True))
            if preview is None:
                return
            # Nothing to add; after paid-until sending also invoices the renewal (R9): asked then.
            if preview.settled and not await self.ask(
                self.trn("invite.send_title", len(emails)),
                "\n".join(formatting.settled_text(s, self.lang) for s in preview.settled),
                self.tr("invite.send_yes"),
            ):
                return
        else:
            body = self.trn("invite.short_body", short, n=len(emails), free=self.free, short=short)
            added = await self.preview_ask_charge(partial(add_licences, ctx, short), version=self.version, body=body)
            if added is NotDone.STALE:
                return  # the free licences were read again: the admin sends again on what is there now
            if isinstance(added, NotDone):
                # Sent without them; after paid-until that too invoices the renewal first (R9).
                preview = await self.check(lambda: invite(ctx, emails, settings, admin=admin, dry_run=True))
                if preview is None:
                    return
                body = self.trn("invite.anyway_body", short, short=short)
                if preview.settled:
                    first = "\n".join(formatting.settled_text(s, self.lang) for s in preview.settled)
                    body = first + "\n\n" + body
                if not await self.ask(self.tr("invite.anyway_title"), body, self.tr("invite.anyway_yes")):
                    return

        def done(outcomes: InviteOutcomes) -> None:
            field.value = ""
            self.query_one("#invite-admin", Checkbox).value = False  # each time chosen anew
            self._show_outcomes(outcomes)
            if outcomes.settled:  # the renewal invoiced first (R9): its number and total
                self.notify("\n".join(formatting.settled_done_text(s, self.lang) for s in outcomes.settled))
            self.reload()

        await self.act(lambda: invite(ctx, emails, settings, admin=admin), done)

    def _show_outcomes(self, outcomes: list[InviteOutcome]) -> None:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column()
        for outcome in outcomes:
            if outcome.status == "sent":
                status = Text(self.tr("invite.sent"), style="bold")
                if outcome.sent_via:  # a maildir file's path: folded, never cut off
                    status.append("\n" + self.tr("invite.sent_via", via=outcome.sent_via), style="dim")
                    status.overflow = "fold"
            else:
                status = Text(self.tr("invite.queued", error=visible(outcome.reason or "?")), style="italic")
            table.add_row(Text(visible(outcome.email)), status)
        self.query_one("#invite-outcome", Static).update(table)

    def _picked(self) -> str | None:
        options = self.query_one("#invite-open", OptionList)
        if options.highlighted is None:
            self.notify(self.tr("invite.pick_one"), severity="warning", markup=False)
            return None
        return options.get_option_at_index(options.highlighted).id

    @work(group=ASKING)
    async def action_resend(self) -> None:
        """A new link for the highlighted address, after asking: the one sent before stops working."""
        email = self._picked()
        if email is None:
            return
        from tribe_tui.services.invitations import resend

        ctx, settings = self.ctx, self.app.settings
        shown = visible(email)
        if not await self.ask(
            self.tr("invite.resend_title", email=shown), self.tr("invite.resend_body"), self.tr("invite.resend_yes")
        ):
            return

        def done(outcome: InviteOutcome) -> None:
            self._show_outcomes([outcome])
            self.reload()

        await self.act(lambda: resend(ctx, email, settings), done)

    @work(group=ASKING)
    async def action_revoke(self) -> None:
        """The highlighted invitation stops working, after asking."""
        email = self._picked()
        if email is None:
            return
        from tribe_tui.services.invitations import revoke

        ctx = self.ctx
        shown = visible(email)
        if not await self.ask(
            self.tr("invite.revoke_title", email=shown), self.tr("invite.revoke_body"), self.tr("invite.revoke_yes")
        ):
            return

        def revoked(_row: object) -> None:
            self.notify(self.tr("shared.invite_revoked", email=shown), markup=False)
            self.reload()

        await self.act(lambda: revoke(ctx, email), revoked)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "invite-add-licences":
            self.action_add_licences()

    def action_toggle_admin(self) -> None:
        self.query_one("#invite-admin", Checkbox).toggle()

    def action_add_licences(self) -> None:
        self.app.open_section("add-licences")
