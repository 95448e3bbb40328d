"""The account-settings sections (the nine of the README's TUI section): the one list the app, the CLI, the help and the
tests take them from. No Textual here, so the CLI can name them without loading the UI.

Adding a section is one entry here plus its screen (tribe_tui/screens/, with SECTION set to the
entry's name), its service and its stylesheet (styles/<name>.tcss), and the title and help
strings in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass

from tribe_tui.i18n import N_, t


@dataclass(frozen=True)
class Section:
    """One section: its CLI and --screen name, its key, the i18n keys of its title and help text,
    and its screen: class `cls` in tribe_tui.screens.<module>."""

    name: str
    key: str
    title_key: str
    help_key: str
    module: str
    cls: str

    def title(self, lang: str) -> str:
        return t(self.title_key, lang)

    @property
    def function_key(self) -> str:
        """The key that opens it from anywhere, a text field too: F2 for 0 ... F11 for 9 (F1 is help)."""
        return f"f{int(self.key) + 2}"


SECTIONS: tuple[Section, ...] = (
    Section("overview", "0", N_("section.overview"), N_("help.overview"), "overview", "OverviewScreen"),
    Section("edition", "1", N_("section.edition"), N_("edition.help"), "edition", "EditionScreen"),
    Section("add-licences", "2", N_("section.add_licences"), N_("add.help"), "add_licences", "AddLicencesScreen"),
    Section("modules", "3", N_("section.modules"), N_("modules.help"), "modules", "ModulesScreen"),
    Section("licences", "4", N_("section.licences"), N_("help.licences"), "licences", "LicencesScreen"),
    Section("invite", "5", N_("section.invite"), N_("help.invite"), "invite", "InviteScreen"),
    Section(
        "billing-details",
        "6",
        N_("section.billing_details"),
        N_("help.details"),
        "billing_details",
        "BillingDetailsScreen",
    ),
    Section("invoices", "7", N_("section.invoices"), N_("help.invoices"), "invoices", "InvoicesScreen"),
    Section("cancel", "8", N_("section.cancel"), N_("cancel.help"), "cancel", "CancelScreen"),
    # F11: some terminal emulators take it (full screen); 9 on the overview and the palette reach it too.
    Section("employees", "9", N_("section.employees"), N_("help.employees"), "employees", "EmployeesScreen"),
)
SECTION_BY_NAME = {s.name: s for s in SECTIONS}
NAMES = tuple(s.name for s in SECTIONS)


def sections_help(lang: str) -> str:
    """The help's line that lists every section with its key."""
    listed = " · ".join(f"{s.key} {s.title(lang)} ({s.function_key.upper()})" for s in SECTIONS)
    return t("help.sections", lang, sections=listed)
