"""Facturatiegegevens: every field on one form, checked as you leave it, saved only when valid."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Input, Static
from textual.worker import get_current_worker

from tribe_tui import formatting
from tribe_tui.countries import country_name
from tribe_tui.errors import StaleData, TribeError
from tribe_tui.i18n import N_, e_invoice_text, field_label, payment_method, vat_reason
from tribe_tui.schemas import BILLING_FIELDS, REQUIRED_BILLING_FIELDS
from tribe_tui.screens.base import ASKING, SectionScreen, stylesheet
from tribe_tui.services.account import overview
from tribe_tui.widgets.inputs import TextInput
from tribe_tui.widgets.text import visible

if TYPE_CHECKING:
    from textual import events
    from textual.worker import Worker

    from tribe_tui.services.billing_details import BillingDetailsView
    from tribe_tui.services.mandates import MandateView

FIELDS = BILLING_FIELDS  # the form's fields, in the invoice's order
E_INVOICE_FIELDS = ("country", "vat_number", "kvk_number", "peppol_id")  # what decides the e-invoice


@dataclass(frozen=True)
class _Loaded:
    details: BillingDetailsView
    version: int


class BillingDetailsScreen(SectionScreen):
    CSS_PATH = stylesheet("billing_details")
    SECTION = "billing-details"
    BINDINGS = [
        Binding("ctrl+s", "save", N_("key.details.save"), id="billing_details.save", tooltip=N_("tip.details.save")),
        Binding("ctrl+r", "revert", N_("key.details.revert"), id="details.revert", tooltip=N_("tip.details.revert")),
        Binding(
            "ctrl+b",
            "payment_method",
            N_("key.details.payment"),
            id="details.payment",
            tooltip=N_("tip.details.payment"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.stored: dict[str, str] = {}
        self.version: int | None = None
        self.visited: set[str] = set()
        self.payment = "bank_transfer"

    def compose_body(self) -> ComposeResult:
        intro = self.tr("billing_details.intro") + " " + self.tr("billing_details.required_hint")
        yield Static(intro, classes="hint", markup=False)
        for name in FIELDS:
            with Horizontal(classes="details-row"):
                # What every invoice must name (Wet OB art. 35a) is marked before anyone is refused.
                label = field_label(name, self.lang) + (" *" if name in REQUIRED_BILLING_FIELDS else "")
                yield Static(label, classes="details-label", markup=False)
                if name == "country":  # a code, with the country's name beside it
                    yield TextInput(id="field-country", classes="details-input details-country")
                    yield Static("", id="country-name", markup=False)
                else:
                    yield TextInput(id=f"field-{name}", classes="details-input")
            yield Static("", id=f"error-{name}", classes="details-error", markup=False)
            # What another admin stored in this field while this form was open (see `report`).
            yield Static("", id=f"theirs-{name}", classes="details-theirs", markup=False)
        yield Static("", id="details-vat", markup=False)
        yield Static("", id="details-payment", markup=False)
        yield Static("", id="details-e-invoice", markup=False)
        with Horizontal(id="details-buttons"):
            yield Button(self.tr("billing_details.save"), id="details-save", variant="primary")

    def on_mount(self) -> None:
        super().on_mount()
        for name in FIELDS:
            self.query_one(f"#error-{name}", Static).display = False
            self.query_one(f"#theirs-{name}", Static).display = False

    # --- data -----------------------------------------------------------------------------

    def load(self) -> _Loaded:
        from tribe_tui.services.billing_details import show

        return _Loaded(show(self.ctx), overview(self.ctx).version)

    def resumed(self) -> None:
        # Not on every resume: typing in progress would be overwritten by a reload after a modal.
        if self.version is None:
            self.reload()

    def show(self, data: _Loaded) -> None:
        # What the form shows of the stored details (`visible` may have replaced characters):
        # the form is dirty only when a field differs from that, not from the raw stored text.
        self.stored = {name: visible(value) for name, value in data.details.fields.items()}
        self.version = data.version
        self.visited.clear()
        for name in FIELDS:
            field = self.query_one(f"#field-{name}", Input)
            field.value = self.stored.get(name, "")  # visible(): stored another way, it may hold escapes
            self._set_error(name, None)
            self._set_theirs(name, None)
        self._show_country()
        self._show_vat()
        self.payment = data.details.payment_method
        self.query_one("#details-payment", Static).update(
            self.tr(
                "billing_details.payment_line",
                method=payment_method(self.payment, self.lang),
                keys="ctrl+b",
            )
        )
        self._show_e_invoice()
        if not isinstance(self.focused, (Input, Button)):
            # Only once the values are in, so the first field shows its value with the cursor in it.
            self.query_one("#field-company_name", Input).focus()

    def values(self) -> dict[str, str]:
        return {name: self.query_one(f"#field-{name}", Input).value for name in FIELDS}

    # --- validation -----------------------------------------------------------------------

    def _set_error(self, name: str, message: str | None) -> None:
        error = self.query_one(f"#error-{name}", Static)
        error.update(message or "")
        error.display = bool(message)
        self.query_one(f"#field-{name}", Input).set_class(bool(message), "invalid-field")

    def _check(self) -> dict[str, str]:
        from tribe_tui.services.billing_details import validate

        errors = validate(self.ctx, self.values())
        for name in FIELDS:
            if name in self.visited:
                self._set_error(name, errors.get(name))
        return errors

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        widget = event.widget
        if isinstance(widget, Input) and widget.id and widget.id.startswith("field-"):
            self.visited.add(widget.id.removeprefix("field-"))
            self._check()

    def on_input_changed(self, event: Input.Changed) -> None:
        name = (event.input.id or "").removeprefix("field-")
        if name == "country":
            self._show_country()
        if name in ("country", "vat_number"):
            self._show_vat()
        if name in E_INVOICE_FIELDS:
            self._show_e_invoice()
        if name in self.visited and self.query_one(f"#error-{name}", Static).display:
            self._check()  # clear a message as soon as the value is fixed
        elif name == "country" and self.visited & {"postcode", "kvk_number"}:
            self._check()  # the postcode and KvK rules follow the country

    def _show_country(self) -> None:
        self.query_one("#country-name", Static).update(country_name(self.values()["country"], self.lang) or "")

    def _show_vat(self) -> None:
        from tribe_tui.services.billing_details import preview, validate

        values = self.values()
        vat_only = {"country": values["country"], "vat_number": values["vat_number"]}
        line = self.query_one("#details-vat", Static)
        if validate(self.ctx, vat_only, complete=False):
            line.update(self.tr("billing_details.vat_unknown"))
            return
        view = preview(vat_only)
        rate = formatting.percent(view.vat_rate, self.lang)
        if view.vat_reason:
            line.update(self.tr("billing_details.vat_zero", rate=rate, reason=vat_reason(view.vat_reason, self.lang)))
        else:
            line.update(self.tr("billing_details.vat_standard", rate=rate))

    def _show_e_invoice(self) -> None:
        """Where the e-invoice goes, or which field would make e-invoicing possible."""
        from tribe_tui.services.billing_details import preview, validate

        values = self.values()
        wanted = {name: values[name] for name in E_INVOICE_FIELDS}
        line = self.query_one("#details-e-invoice", Static)
        if validate(self.ctx, wanted, complete=False):
            line.update("")
            return
        view = preview(wanted)
        line.update(f"{self.tr('label.e_invoice')}: {e_invoice_text(view.e_invoice, view.e_invoice_hint, self.lang)}")

    # --- actions --------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "details-save":
            self.action_save()

    def action_save(self) -> None:
        self.visited.update(FIELDS)
        errors = self._check()
        if errors:
            self.notify(self.trn("billing_details.invalid", len(errors)), severity="error", markup=False)
            self.query_one(f"#field-{next(n for n in FIELDS if n in errors)}", Input).focus()
            return
        values = self.values()
        changes = {name: value for name, value in values.items() if value != self.stored.get(name)}
        if not changes:
            self.notify(self.tr("billing_details.unchanged"), markup=False)
            return
        from tribe_tui.services.billing_details import update

        version = self.version

        def done(view: BillingDetailsView) -> None:
            self.notify(self.tr("billing_details.saved"), markup=False)
            self.reload()
            if "iban" in changes and view.payment_method == "direct_debit":
                self._sign_mandate(replacing=True)  # a new account is a new mandate: ask to sign it

        self.run_action(lambda: update(self.ctx, changes, expected_version=version), done)

    # --- someone else saved meanwhile -----------------------------------------------------

    def report(self, exc: TribeError) -> None:
        """A save refused because another admin changed the account since this form read it: what
        was typed here stays (a reload would throw it away). The form reads their details, takes
        them into the fields not edited here, shows them under the fields that were, and counts
        from their version: Ctrl+S saves what is typed over theirs, Ctrl+R takes theirs."""
        if isinstance(exc, StaleData):
            self.notify(self.tr("billing_details.stale"), severity="warning", markup=False)
            self._read_theirs()
        else:
            super().report(exc)

    @work(thread=True, exclusive=True, group="load")
    def _read_theirs(self) -> None:
        worker = get_current_worker()
        try:
            data = self.load()
        except TribeError as exc:
            self.app.call_from_thread(super().report, exc)
            return
        self.deliver(self._merge_theirs, worker, data)

    def _merge_theirs(self, worker: Worker[None], data: _Loaded) -> None:
        if worker.is_cancelled:
            return
        theirs = {name: visible(value) for name, value in data.details.fields.items()}
        for name in FIELDS:
            field = self.query_one(f"#field-{name}", Input)
            mine, before, now = field.value, self.stored.get(name, ""), theirs.get(name, "")
            if now == before:
                continue
            if mine == before:  # not edited here: nothing to weigh, their value it is
                field.value = now
                self._set_theirs(name, None)
            elif mine != now:
                self._set_theirs(name, now)
        self.stored = theirs
        self.version = data.version
        self.payment = data.details.payment_method

    def _set_theirs(self, name: str, value: str | None) -> None:
        note = self.query_one(f"#theirs-{name}", Static)
        note.update(self.tr("billing_details.theirs", value=value or "—") if value is not None else "")
        note.display = value is not None

    # --- payment method -------------------------------------------------------------------

    def action_payment_method(self) -> None:
        """Bank transfer -> direct debit (the mandate text, signed on yes); direct debit -> withdraw."""
        if self.dirty():
            self.notify(self.tr("billing_details.save_first"), severity="warning", markup=False)
            return
        if self.payment == "direct_debit":
            self._withdraw_mandate()
        else:
            self._sign_mandate(replacing=False)

    @work(group=ASKING)
    async def _sign_mandate(self, *, replacing: bool) -> None:
        from tribe_tui.services.mandates import mandate_text, proposal, sign

        view = await self.check(lambda: proposal(self.ctx))
        if view is None:
            return
        if not view.iban:
            self.notify(self.tr("error.mandate_no_iban"), severity="error", markup=False)
            return
        title = self.tr("mandate.replace_title") if replacing else self.tr("mandate.sign_title")
        if await self.ask(title, mandate_text(view, self.lang), self.tr("mandate.sign_yes")):

            def signed(result: MandateView) -> None:
                self.notify(self.tr("mandate.signed", reference=result.reference), markup=False)
                self.reload()

            await self.act(lambda: sign(self.ctx), signed)

    @work(group=ASKING)
    async def _withdraw_mandate(self) -> None:
        from tribe_tui.services.mandates import show, withdraw

        view = await self.check(lambda: show(self.ctx))
        if view is None or not view.active:
            return
        body = self.tr(
            "mandate.signed_line",
            reference=view.reference,
            iban=view.iban,
            date=formatting.long_date(view.signed_on, self.lang) if view.signed_on else "—",
            name=view.signer or "—",
        )
        if await self.ask(self.tr("mandate.withdraw_title"), body, self.tr("mandate.withdraw_yes")):

            def withdrawn(_result: MandateView) -> None:
                self.notify(self.tr("mandate.withdrawn"), markup=False)
                self.reload()

            await self.act(lambda: withdraw(self.ctx), withdrawn)

    def action_revert(self) -> None:
        self.reload()

    def dirty(self) -> bool:
        """Edits not saved yet (nothing is dirty before the stored details are on screen)."""
        return self.version is not None and any(
            value != self.stored.get(name, "") for name, value in self.values().items()
        )

    def leave(self, then: Callable[[], object] | None = None) -> None:
        self._leave_asking_first(then or self.app.go_home)

    @work(group=ASKING)
    async def _leave_asking_first(self, then: Callable[[], object]) -> None:
        """Leaving with unsaved edits asks first; No (the default) stays on the form."""
        if self.dirty() and not await self.ask(
            self.tr("billing_details.discard_title"),
            self.tr("billing_details.discard_body"),
            self.tr("billing_details.discard_yes"),
        ):
            return
        then()
