"""Editie: Tribe or Tribe Creator. Upgrade at once (pro-rata preview first); downgrade scheduled, withdrawable."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tribe_tui import formatting
from tribe_tui.i18n import N_
from tribe_tui.screens.base import ASKING, SectionScreen, stylesheet
from tribe_tui.screens.preview import PreviewMixin
from tribe_tui.services.account import overview
from tribe_tui.services.catalogue import catalogue
from tribe_tui.widgets.charge_preview import ChargePreview
from tribe_tui.widgets.facts import edition_text, facts_grid

if TYPE_CHECKING:
    from tribe_tui.billing import Bill, Charge
    from tribe_tui.service_types import AccountOverview
    from tribe_tui.services.catalogue import Catalogue
    from tribe_tui.services.edition import EditionChange

UPGRADE, DOWNGRADE, WITHDRAW = "upgrade", "downgrade_scheduled", "downgrade_withdrawn"


class EditionScreen(PreviewMixin[tuple[str, int], "EditionChange"], SectionScreen):  # previews: (code, version)
    CSS_PATH = stylesheet("edition")
    SECTION = "edition"
    AUTO_FOCUS = "#editions"
    BINDINGS = [
        Binding("u", "upgrade", N_("key.edition.upgrade"), id="edition.upgrade", tooltip=N_("tip.edition.upgrade")),
        Binding(
            "d", "downgrade", N_("key.edition.downgrade"), id="edition.downgrade", tooltip=N_("tip.edition.downgrade")
        ),
        Binding("w", "withdraw", N_("key.edition.withdraw"), id="edition.withdraw", tooltip=N_("tip.edition.withdraw")),
    ]

    view: AccountOverview | None = None
    names: dict[str, str] = {}
    plan: EditionChange | None = None  # the dry run for the highlighted edition

    def compose_body(self) -> ComposeResult:
        yield Static(self.tr("overview.loading"), id="edition-facts")
        yield Static(self.tr("edition.choose"), classes="heading", markup=False)
        yield OptionList(id="editions")
        yield Static("", id="edition-plan", markup=False)
        yield ChargePreview(id="edition-preview")
        yield Static("", id="edition-hint", classes="hint", markup=False)

    def load(self) -> tuple[AccountOverview, Catalogue]:
        return overview(self.ctx), catalogue(self.ctx.lang)

    def show(self, data: tuple[AccountOverview, Catalogue]) -> None:
        view, catalogue = data
        self.view = view
        self.names = {code: name for code, name, _ in catalogue.editions}
        lang = self.lang
        grid = facts_grid(
            [
                (self.tr("edition.current"), Text(edition_text(view, lang))),
                (self.tr("label.licences"), formatting.number(view.licences_total, lang)),
                (self.tr("label.paid_until"), formatting.long_date(view.paid_until, lang)),
            ]
        )
        self.query_one("#edition-facts", Static).update(grid)

        options = self.query_one("#editions", OptionList)
        keep = options.highlighted_option.id if options.highlighted_option else view.edition_code
        assert keep is not None  # every option's id is an edition code
        options.clear_options()
        for code, name, price in catalogue.editions:
            label = f"{name}  —  " + self.tr("edition.price", price=formatting.money(price, lang))
            if code == view.edition_code:
                label += "  ·  " + self.tr("edition.is_current")
            elif code == view.scheduled_edition_code:
                label += "  ·  " + self.tr(
                    "edition.is_scheduled", date=formatting.long_date(view.next_period_start, lang)
                )
            options.add_option(Option(label, id=code))
        options.highlighted = options.get_option_index(keep)
        self._ask_preview()

    # --- preview of the highlighted edition ---------------------------------------------------

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._ask_preview()

    def _ask_preview(self) -> None:
        from tribe_tui.services.edition import set_edition

        option = self.query_one("#editions", OptionList).highlighted_option
        self.plan = None
        self.refresh_bindings()
        if option is None or option.id is None or self.view is None:
            return
        code, ctx, version = option.id, self.ctx, self.view.version
        self.request_preview((code, version), lambda: set_edition(ctx, code, dry_run=True))

    def preview_ready(self, key: tuple[str, int], plan: EditionChange | None, error: str | None) -> None:
        code, _ = key
        lang = self.lang
        assert self.view is not None  # shown before any preview was asked for
        preview = self.query_one("#edition-preview", ChargePreview)
        plan_text, hint = error or "", ""
        charge: Charge | Bill | None = None
        if plan is not None:
            new, old = self.names.get(plan.new, plan.new), self.names.get(plan.old, plan.old)
            if plan.kind == UPGRADE:
                plan_text = self.tr("edition.upgrade_plan", edition=new)
                charge = plan.bill
                hint = self.tr("edition.upgrade_hint", edition=new)
            elif plan.kind == DOWNGRADE:
                plan_text = self.tr(
                    "edition.downgrade_plan",
                    edition=new,
                    old=old,
                    date=formatting.long_date(plan.effective_on, lang),
                    paid_until=formatting.long_date(self.view.paid_until, lang),
                )
                plan_text += "\n" + self._ending_text(plan)
                hint = self.tr("edition.downgrade_hint")
            else:
                plan_text = self.tr(
                    "edition.withdraw_plan",
                    edition=self.view.edition_name,
                    scheduled=self.view.scheduled_edition_name or new,
                )
                hint = self.tr("edition.withdraw_hint")
        elif code == self.view.edition_code:
            plan_text = self.tr("edition.this_is_current")
        elif code == self.view.scheduled_edition_code:
            plan_text = self.tr(
                "edition.scheduled_plan",
                edition=self.names.get(code, code),
                date=formatting.long_date(self.view.next_period_start, lang),
            )
        if plan is not None and plan.kind != UPGRADE and plan.bill.settled:
            charge = plan.bill  # after paid-until: the renewal it settles first (R9)
        if plan is None and self.view.scheduled_edition_code:
            # The switch already planned can be withdrawn from anywhere in the list.
            hint = self.tr("edition.withdraw_hint")
        self.plan = plan
        self.query_one("#edition-plan", Static).update(plan_text)
        preview.show_charge(charge, lang)
        preview.display = charge is not None
        self.query_one("#edition-hint", Static).update(hint)
        self.refresh_bindings()

    def _ending_text(self, plan: EditionChange) -> str:
        if not plan.ending_modules:
            return self.tr("edition.no_modules_end")
        return self.tr(
            "edition.modules_end",
            modules=", ".join(plan.ending_modules),
            date=formatting.long_date(plan.effective_on, self.lang),
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "withdraw":
            return self.view is not None and self.view.scheduled_edition_code is not None
        kinds = {"upgrade": UPGRADE, "downgrade": DOWNGRADE}
        if action in kinds:
            return self.plan is not None and self.plan.kind == kinds[action]
        return True

    # --- acting -----------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter does what the preview below the list describes."""
        event.stop()
        if self.plan is None or self.plan.new != event.option.id:
            if self.view is not None and event.option.id == self.view.scheduled_edition_code:
                self.action_withdraw()
            return
        {UPGRADE: self.action_upgrade, DOWNGRADE: self.action_downgrade, WITHDRAW: self.action_withdraw}[
            self.plan.kind
        ]()

    def _change(self, code: str) -> partial[EditionChange]:
        """Choosing `code`, as the change preview_ask_charge previews, asks about and makes."""
        from tribe_tui.services.edition import set_edition

        return partial(set_edition, self.ctx, code)

    def _version(self) -> int | None:
        return self.view.version if self.view is not None else None

    @work(group=ASKING)
    async def action_upgrade(self) -> None:
        """Charged at once: the dry run's lines and total first, then one question naming the amount."""
        if self.plan is None or self.plan.kind != UPGRADE:
            return
        code = self.plan.new
        body = self.tr("edition.upgrade_plan", edition=self.names.get(code, code))

        async def question(plan: EditionChange) -> bool:  # the dry run as of now: guards and amount
            return plan.kind == UPGRADE and await self.ask_charge(plan.bill, body)

        await self.preview_ask_charge(self._change(code), version=self._version(), question=question, done=self._done)

    @work(group=ASKING)
    async def action_withdraw(self) -> None:
        """Withdrawing means choosing the current edition again (the service's own rule)."""
        if self.view is not None and self.view.scheduled_edition_code is not None:
            await self.act(
                partial(self._change(self.view.edition_code), expected_version=self.view.version), self._done
            )

    @work(group=ASKING)
    async def action_downgrade(self) -> None:
        if self.plan is None or self.plan.kind != DOWNGRADE:
            return
        await self.preview_ask_charge(
            self._change(self.plan.new), version=self._version(), question=self._ask_downgrade, done=self._done
        )

    async def _ask_downgrade(self, plan: EditionChange) -> bool:
        """Nothing is charged now: the question says when it takes effect and what ends with it."""
        if plan.kind != DOWNGRADE:
            return False
        lang = self.lang
        assert self.view is not None  # a plan exists only once the screen was shown
        new, old = self.names.get(plan.new, plan.new), self.names.get(plan.old, plan.old)
        body = self.tr(
            "edition.downgrade_body",
            edition=new,
            old=old,
            date=formatting.long_date(plan.effective_on, lang),
            paid_until=formatting.long_date(self.view.paid_until, lang),
        )
        body += " " + self._ending_text(plan)
        if plan.bill.settled:  # after paid-until the renewal is invoiced first (R9)
            body += "\n" + "\n".join(formatting.settled_text(s, lang) for s in plan.bill.settled)
        return await self.ask(self.tr("edition.downgrade_title", edition=new), body, self.tr("edition.downgrade_yes"))

    def _done(self, change: EditionChange) -> None:
        lang = self.lang
        name = self.names.get(change.new, change.new)
        if change.kind == UPGRADE:
            assert change.charge is not None  # an upgrade is charged at once
            text = self.tr(
                "edition.upgraded",
                edition=name,
                number=change.invoice_number,
                amount=formatting.money(change.charge.total, lang),
            )
        elif change.kind == DOWNGRADE:
            text = self.tr(
                "shared.downgrade_scheduled", edition=name, date=formatting.long_date(change.effective_on, lang)
            )
        else:
            text = self.tr("shared.downgrade_withdrawn", edition=name)
        # After paid-until the renewal was invoiced first (R9): the message names it too.
        self.notify("\n".join([*(formatting.settled_done_text(s, lang) for s in change.settled), text]))
        self.reload()
