"""Accountinstellingen: the account at a glance, the next invoice, and every section one key away."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tribe_tui import formatting
from tribe_tui.i18n import N_, account_status
from tribe_tui.screens.base import SectionScreen
from tribe_tui.sections import SECTIONS
from tribe_tui.services.account import overview
from tribe_tui.widgets.charge_preview import ChargePreview
from tribe_tui.widgets.facts import edition_text, facts_grid, licence_counts_text
from tribe_tui.widgets.text import visible

if TYPE_CHECKING:
    from tribe_tui.service_types import AccountOverview


class OverviewScreen(SectionScreen):
    SECTION = "overview"
    BINDINGS = [
        Binding("r", "refresh", N_("key.refresh"), id="refresh", tooltip=N_("tip.refresh")),
        Binding("n", "idle", N_("key.overview.idle"), id="overview.idle", tooltip=N_("tip.overview.idle")),
        Binding("ctrl+q", "app.quit", N_("key.quit"), id="quit"),
        # Pages beside the numbered sections; in the help and the palette, not the footer.
        Binding("s", "app.page('ssh-keys')", N_("ssh.title"), show=False, id="overview.ssh_keys"),
        Binding("a", "app.page('audit')", N_("audit.title"), show=False, id="overview.audit"),
        Binding("w", "app.change_password", N_("password.title"), show=False, id="overview.password"),
        Binding("escape", "back", "", show=False, id="back"),
        # The page scrolls from wherever the focus is: the sections list is short and fully shown.
        Binding("pageup", "page('up')", show=False, priority=True, id="overview.page_up"),
        Binding("pagedown", "page('down')", show=False, priority=True, id="overview.page_down"),
    ]

    def compose_body(self) -> ComposeResult:
        # What the admin must see without scrolling at 80x24 comes first: the account's state
        # (banner when it is not active, facts with the next invoice's total), then the sections.
        yield Static("", id="status-banner", markup=False)
        yield Static(self.tr("overview.banner"), id="banner", markup=False)
        yield Static(self.tr("overview.loading"), id="facts")
        yield Static(self.tr("overview.sections"), classes="heading", markup=False)
        yield OptionList(id="sections")
        yield Static("", id="forecast-title", classes="heading", markup=False)
        yield ChargePreview(id="forecast")

    def on_mount(self) -> None:
        options = self.query_one("#sections", OptionList)
        options.add_options(
            Option(f"{s.key}  {s.title(self.lang)}", id=s.name) for s in SECTIONS if s.name != "overview"
        )
        super().on_mount()
        # Without scrolling to it: the body starts at the top, banner and facts in view.
        options.focus(scroll_visible=False)

    def load(self) -> AccountOverview:
        # The idle licences too: two sums over the tally the database keeps, cheap at any size, so
        # the first frame has them (no second read and repaint after it).
        return overview(self.ctx)

    def show(self, view: AccountOverview) -> None:
        lang = self.lang
        modules = [
            m.name + ("" if m.renews else " " + self.tr("overview.module_ends")) for m in view.modules if m.active
        ]
        grid = facts_grid(
            [
                (self.tr("label.organisation"), Text(visible(view.organisation))),
                (self.tr("label.edition"), Text(edition_text(view, lang))),
                (self.tr("label.licences"), licence_counts_text(view, lang)),
                (
                    self.tr("overview.paid_until"),
                    formatting.paid_until_text(view, lang),
                ),
                (self.tr("label.status"), account_status(view.status, lang)),
                (self.tr("overview.modules"), Text(", ".join(modules) or "—")),
                (self.tr("overview.next_invoice"), self._next_invoice(view)),
                (self.tr("label.open_balance"), self._owed(view)),
                *self._idle(view),
            ]
        )
        self.query_one("#facts", Static).update(grid)

        status = self.query_one("#status-banner", Static)
        status.remove_class("cancelled", "pending")
        if view.status == "cancelled":
            status.update(self.tr("shared.cancelled_banner", date=formatting.long_date(view.paid_until, lang)))
            status.add_class("cancelled")
        elif view.status == "ended":
            status.update(self.tr("overview.ended"))
            status.add_class("cancelled")
        elif view.renewal_pending:
            status.update(self.tr("error.renewal_pending", date=formatting.long_date(view.paid_until, lang)))
            status.add_class("pending")
        else:
            status.update("")
        status.display = bool(status.has_class("cancelled") or status.has_class("pending"))

        forecast = self.query_one("#forecast", ChargePreview)
        title = self.query_one("#forecast-title", Static)
        if view.next_invoice.lines:
            title.update(self.tr("shared.next_invoice", date=formatting.long_date(view.next_period_start, lang)))
            forecast.show_charge(view.next_invoice, lang)
        else:
            title.update(self.tr("overview.no_renewal"))
            forecast.show_charge(None, lang)

    def _owed(self, view: AccountOverview) -> Text:
        """'€ 1.306,80 — 2026-0001 achterstallig sinds 10 december 2026' (the oldest overdue one)."""
        text = Text(formatting.money(view.open_balance, self.lang))
        if view.oldest_overdue:
            text.append(" — ")
            text.append(
                self.tr(
                    "overview.oldest_overdue",
                    number=view.oldest_overdue.number,
                    date=formatting.long_date(view.oldest_overdue.due_date, self.lang),
                ),
                style="bold",
            )
        return text

    def _next_invoice(self, view: AccountOverview) -> str:
        if not view.next_invoice.lines:
            return self.tr("overview.no_next_invoice")
        return self.tr(
            "overview.next_invoice_value",
            amount=formatting.money(view.next_invoice.total, self.lang),
            date=formatting.long_date(view.next_period_start, self.lang),
        )

    def _idle(self, view: AccountOverview) -> list[tuple[str, str]]:
        """The advice, two short rows that fit 80 columns: 'Niet gebruikt  4 licenties, 60+ dagen,
        en 3 vrij (n)' and 'Bij verlenging  € 2.904,00 incl. btw voor de 6 die verlengen' (the idle
        ones that renew and the free ones that do). The count is the list `n` opens."""
        idle = view.idle
        active = view.status == "active"  # otherwise nothing renews: free licences are no advice
        free = idle.free_renewing if idle is not None and active else 0
        if idle is None or not (idle.licences or free):
            return []
        if not idle.licences:
            what = self.trn("overview.idle_free", free)
        elif free:
            what = self.trn(
                "overview.idle_held_free", idle.licences, days=idle.days, free=formatting.number(free, self.lang)
            )
        else:
            what = self.trn("overview.idle_held", idle.licences, days=idle.days)
        rows = [(self.tr("overview.idle"), what)]
        renewing = idle.renewing + free
        if active and renewing and idle.advice_cost is not None:
            amount = formatting.money(idle.advice_cost.total, self.lang)
            rows.append((self.tr("overview.idle_cost_label"), self.trn("overview.idle_cost", renewing, amount=amount)))
        return rows

    def action_idle(self) -> None:
        """The licence screen showing only the licences nobody used for 60 days or more."""
        from tribe_tui.screens.licences import LicencesScreen

        self.app.open_section("licences")
        if isinstance(self.app.screen, LicencesScreen):
            self.app.screen.idle_only = True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:  # every option is a section, its id the section's name
            self.app.open_section(event.option.id)

    def action_page(self, direction: str) -> None:
        body = self.query_one("#body")
        (body.scroll_page_up if direction == "up" else body.scroll_page_down)(animate=False)

    def action_refresh(self) -> None:
        self.reload()

    def leave(self, then: Callable[[], object] | None = None) -> None:
        """Escape: home has nowhere to go back to. A section key or sign-out goes on at once."""
        if then is not None:
            then()
