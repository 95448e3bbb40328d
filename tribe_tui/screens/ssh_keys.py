"""Mijn SSH-sleutels: the signed-in person's SSH public keys; add one by pasting its line, remove one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from tribe_tui import formatting
from tribe_tui.i18n import N_
from tribe_tui.screens.base import ASKING, SectionScreen, stylesheet
from tribe_tui.widgets.inputs import TextInput
from tribe_tui.widgets.text import visible

if TYPE_CHECKING:
    from tribe_tui.services.ssh_keys import KeyChallenge, KeyRow


class SignatureArea(TextArea):
    """The pasted `ssh-keygen -Y sign` output (several lines). A paste is taken here once: Textual's
    TextArea lets the event bubble on, and the screen would hand it to the focused widget again.
    (Textual runs TextArea's own handler too, as it does every class's in the MRO.)"""

    async def _on_paste(self, event: events.Paste) -> None:
        event.stop()


class SshKeysScreen(SectionScreen):
    """| Key | Does |
    | :- | :- |
    | enter in the key field | Show the text to sign with the key (proof that it is yours) |
    | ctrl+s | Add the pasted key under the name given, with the pasted signature |
    | delete | Remove the highlighted key (asks first) |
    """

    CSS_PATH = stylesheet("ssh_keys")
    HELP_KEY = N_("help.ssh")
    BINDINGS = [
        Binding("ctrl+s", "add", N_("key.ssh.add"), id="ssh.add", tooltip=N_("tip.ssh.add")),
        Binding(
            "delete", "remove", N_("key.ssh.remove"), id="ssh.remove", tooltip=N_("tip.ssh.remove"), key_display="Del"
        ),
    ]

    OWN_ONLY = True  # the signed-in person's own keys; an admin's view of a colleague's says False

    def compose_body(self) -> ComposeResult:
        yield Static(self.tr("ssh.intro"), classes="hint", markup=False)
        yield OptionList(id="ssh-keys")
        yield Static(self.tr("ssh.add_title"), classes="heading", markup=False)
        yield TextInput(placeholder=self.tr("ssh.name_placeholder"), id="ssh-key-name", max_length=100)
        yield TextInput(placeholder=self.tr("ssh.key_placeholder"), id="ssh-key-text")
        # Proof that the key is theirs: the text to sign and the command that signs it, then the
        # signature pasted (several lines: a text area, not an input).
        yield Static("", id="ssh-key-challenge", markup=False)
        yield SignatureArea(id="ssh-key-signature", soft_wrap=False, placeholder=self.tr("ssh.signature_placeholder"))

    def on_mount(self) -> None:
        super().on_mount()
        self.title = self.page_title()
        self.query_one("#ssh-keys", OptionList).focus()

    def page_title(self) -> str:
        return self.tr("ssh.title")

    def empty_text(self) -> str:
        return self.tr("ssh.none")

    def load(self) -> list[KeyRow]:
        from tribe_tui.services.ssh_keys import my_keys

        return my_keys(self.ctx)

    names: dict[str, str] = {}  # fingerprint -> the name its owner gave it, as listed

    def show(self, keys: list[KeyRow]) -> None:
        options = self.query_one("#ssh-keys", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        self.names = {key.fingerprint: key.name for key in keys}
        for key in keys:
            label = Text(visible(key.name), style="bold")
            label.append(f"  {key.key_type}\n  {key.fingerprint}\n  ", style="")
            used = (
                formatting.short_date(formatting.local_day(key.last_used_at), self.lang)
                if key.last_used_at
                else self.tr("ssh.never_used")
            )
            label.append(
                self.tr(
                    "ssh.added_used",
                    added=formatting.short_date(formatting.local_day(key.added_at), self.lang),
                    used=used,
                ),
                style="dim",
            )
            options.add_option(Option(label, id=key.fingerprint))
        if not keys:
            options.add_option(Option(self.empty_text(), disabled=True))
        else:
            options.highlighted = min(highlighted or 0, len(keys) - 1)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "ssh-key-text":
            self.show_challenge()
        elif event.input.id == "ssh-key-name":
            self.query_one("#ssh-key-text", Input).focus()

    def show_challenge(self) -> None:
        """The text to sign with the pasted key's private half, and the command that signs it; then
        the signature field, for its output."""
        from tribe_tui.services.ssh_keys import key_challenge

        shown = self.query_one("#ssh-key-challenge", Static)
        ctx, key = self.ctx, self._key_text()

        def ready(found: KeyChallenge) -> None:
            shown.update(self.tr("ssh.challenge", command=found.command_lines()))
            self.query_one("#ssh-key-signature", TextArea).focus()

        self.run_action(lambda: key_challenge(ctx, key), ready)

    def _key_text(self) -> str:
        """The pasted key's text. A private key is taken off the screen at once (the service still
        refuses it, with its reason): a secret must not stay in a field for anyone to read."""
        from tribe_tui.schemas import is_private_key

        field = self.query_one("#ssh-key-text", Input)
        text = field.value
        if is_private_key(text):
            field.value = ""
        return text

    def action_add(self) -> None:
        from tribe_tui.services.ssh_keys import add_key

        name_field, key_field = self.query_one("#ssh-key-name", Input), self.query_one("#ssh-key-text", Input)
        signature_field = self.query_one("#ssh-key-signature", TextArea)
        ctx, name, key, signature = self.ctx, name_field.value, self._key_text(), signature_field.text

        def added(row: KeyRow) -> None:
            name_field.value = key_field.value = ""
            signature_field.clear()
            self.query_one("#ssh-key-challenge", Static).update("")
            self.notify(self.tr("ssh.added", name=visible(row.name), fingerprint=row.fingerprint), markup=False)
            self.reload()

        self.run_action(lambda: add_key(ctx, name, key, signature), added)

    @work(group=ASKING)
    async def action_remove(self) -> None:
        from tribe_tui.services.ssh_keys import remove_key

        options = self.query_one("#ssh-keys", OptionList)
        option = options.get_option_at_index(options.highlighted) if options.highlighted is not None else None
        if option is None or option.id is None:
            self.notify(self.tr("ssh.pick_one"), severity="warning", markup=False)
            return
        ctx, fingerprint = self.ctx, option.id
        own_only = self.OWN_ONLY
        name = visible(self.names.get(fingerprint, ""))
        if await self.ask(
            self.tr("ssh.remove_title", name=name),
            self.tr("ssh.remove_body", fingerprint=fingerprint),
            self.tr("ssh.remove_yes"),
        ):
            await self.act(lambda: remove_key(ctx, fingerprint, own_only=own_only), self._removed)

    def _removed(self, row: KeyRow) -> None:
        self.notify(self.tr("ssh.removed", name=visible(row.name)), markup=False)
        self.reload()


class ColleagueKeysScreen(SshKeysScreen):
    """A colleague's SSH keys, opened by an admin from the employees screen: seen and removed
    there (a key that must go, say of a lost laptop), never added — a key is its owner's to give."""

    OWN_ONLY = False

    def __init__(self, email: str, name: str) -> None:
        super().__init__()
        self.owner_email, self.owner_name = email, name

    def compose_body(self) -> ComposeResult:
        yield Static(self.tr("ssh.colleague_intro", name=self.owner_name), classes="hint", markup=False)
        yield OptionList(id="ssh-keys")

    def page_title(self) -> str:  # Textual runs the base class's on_mount too: it sets the title from this
        return self.tr("ssh.colleague_title", name=self.owner_name)

    def empty_text(self) -> str:
        return self.tr("ssh.colleague_none", name=self.owner_name)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "add":
            return False
        return super().check_action(action, parameters)

    def load(self) -> list[KeyRow]:
        from tribe_tui.services.ssh_keys import list_keys

        return list_keys(self.ctx, self.owner_email)
