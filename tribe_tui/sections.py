"""The account-settings sections (the nine of the README's TUI section) and the pages beside them:
the one registry the app, the CLI, the help and the tests take them from. No Textual here, so the
CLI can name them without loading the UI: each screen is named by the import string of its class.

Adding a section is one entry here plus its screen (tribe_tui/screens/, with SECTION set to the
entry's name), its service and its stylesheet (styles/<name>.tcss), and the title and help
strings in both languages.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, NamedTuple, NewType

from tribe_tui.i18n import N_, t

if TYPE_CHECKING:
    from tribe_tui.screens.base import SectionScreen

ScreenRef = NewType("ScreenRef", str)
"""Where a screen's class is defined: "tribe_tui.screens.<module>:<Class>" (tests/unit/test_sections.py
imports every one and checks it is a SectionScreen)."""


def screen_class(ref: ScreenRef) -> type[SectionScreen]:
    """The class `ref` names, its module imported on first use: each screen brings its own
    stylesheet, read only when it first opens (see tribe_tui.deferred)."""
    module, _, name = ref.partition(":")
    screen: type[SectionScreen] = getattr(importlib.import_module(module), name)  # tests/unit/test_sections.py
    return screen


class Page(NamedTuple):
    """A screen of the registry: its CLI and --screen name, its key, the i18n keys of its title and
    help text, and its screen. A plain page is not a numbered section (the keys 0-9 are taken): it is
    opened from the overview by its letter and from the command palette, on top of the overview like
    a section."""

    name: str
    key: str  # a page's letter on the overview; a section's digit
    title_key: str
    help_key: str
    screen: ScreenRef

    def title(self, lang: str) -> str:
        return t(self.title_key, lang)

    def screen_class(self) -> type[SectionScreen]:
        return screen_class(self.screen)


class Section(Page):
    """One numbered section: a page with a digit that also has a function key."""

    __slots__ = ()

    @property
    def function_key(self) -> str:
        """The key that opens it from anywhere, a text field too: F2 for 0 ... F11 for 9 (F1 is help)."""
        return f"f{int(self.key) + 2}"


SECTIONS: tuple[Section, ...] = (
    Section(
        "overview",
        "0",
        N_("section.overview"),
        N_("help.overview"),
        ScreenRef("tribe_tui.screens.overview:OverviewScreen"),
    ),
    Section(
        "edition", "1", N_("section.edition"), N_("help.edition"), ScreenRef("tribe_tui.screens.edition:EditionScreen")
    ),
    Section(
        "add-licences",
        "2",
        N_("section.add_licences"),
        N_("help.add_licences"),
        ScreenRef("tribe_tui.screens.add_licences:AddLicencesScreen"),
    ),
    Section(
        "modules", "3", N_("section.modules"), N_("help.modules"), ScreenRef("tribe_tui.screens.modules:ModulesScreen")
    ),
    Section(
        "licences",
        "4",
        N_("section.licences"),
        N_("help.licences"),
        ScreenRef("tribe_tui.screens.licences:LicencesScreen"),
    ),
    Section("invite", "5", N_("section.invite"), N_("help.invite"), ScreenRef("tribe_tui.screens.invite:InviteScreen")),
    Section(
        "billing-details",
        "6",
        N_("section.billing_details"),
        N_("help.billing_details"),
        ScreenRef("tribe_tui.screens.billing_details:BillingDetailsScreen"),
    ),
    Section(
        "invoices",
        "7",
        N_("section.invoices"),
        N_("help.invoices"),
        ScreenRef("tribe_tui.screens.invoices:InvoicesScreen"),
    ),
    Section("cancel", "8", N_("section.cancel"), N_("help.cancel"), ScreenRef("tribe_tui.screens.cancel:CancelScreen")),
    # F11: some terminal emulators take it (full screen); 9 on the overview and the palette reach it too.
    Section(
        "employees",
        "9",
        N_("section.employees"),
        N_("help.employees"),
        ScreenRef("tribe_tui.screens.employees:EmployeesScreen"),
    ),
)
SECTION_BY_NAME = {s.name: s for s in SECTIONS}
NAMES = tuple(s.name for s in SECTIONS)

PAGES: tuple[Page, ...] = (
    Page("ssh-keys", "s", N_("ssh.title"), N_("help.ssh"), ScreenRef("tribe_tui.screens.ssh_keys:SshKeysScreen")),
    Page("audit", "a", N_("audit.title"), N_("help.audit"), ScreenRef("tribe_tui.screens.audit:AuditScreen")),
    # Also for someone without the admin role, on top of the "no right" screen (TribeApp.action_change_password).
    Page(
        "password",
        "w",
        N_("password.title"),
        N_("help.password"),
        ScreenRef("tribe_tui.screens.password:PasswordScreen"),
    ),
)
PAGE_BY_NAME = {p.name: p for p in PAGES}


def sections_help(lang: str) -> str:
    """The help's line that lists every section with its key."""
    listed = " · ".join(f"{s.key} {s.title(lang)} ({s.function_key.upper()})" for s in SECTIONS)
    return t("help.sections", lang, sections=listed)
