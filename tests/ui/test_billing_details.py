"""Facturatiegegevens: checked as you leave a field, saved only when valid, VAT shown as it changes."""

from __future__ import annotations

from tests.ui.conftest import demo_ctx, keys, screen_text, settle, type_text

# Tab order: company_name, attention, address, postcode, city, country, invoice_email, vat_number,
# kvk_number, iban, po_reference, peppol_id, save button.
ORDER = (
    "company_name",
    "attention",
    "address",
    "postcode",
    "city",
    "country",
    "invoice_email",
    "vat_number",
    "kvk_number",
    "iban",
    "po_reference",
    "peppol_id",
)


def _stored() -> dict:
    from tribe_tui.services.billing_details import show

    return show(demo_ctx()).fields


async def _set(pilot, field: str, value: str) -> None:
    """Tab from the first field to `field`, replace its text."""
    await pilot.press(*["tab"] * ORDER.index(field))
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, value)


def _to(field: str, value: str) -> tuple[str, ...]:
    from textual.keys import _character_to_key

    return ("tab",) * ORDER.index(field) + ("end", "ctrl+u") + tuple(_character_to_key(c) for c in value)


def test_billing_details_snapshot_nl(make_app, snap_compare):
    assert snap_compare(make_app("billing-details"), terminal_size=(80, 24), run_before=keys())


def test_billing_details_snapshot_en(make_app, snap_compare):
    assert snap_compare(make_app("billing-details", lang="en"), terminal_size=(80, 24), run_before=keys())


def test_billing_details_validation_errors_snapshot(make_app, snap_compare):
    # postcode "12", invoice e-mail "geen", KvK "12": three messages, each under its own field
    presses = (
        _to("postcode", "12")
        + ("tab", "tab", "tab", "end", "ctrl+u", "g", "e", "e", "n")
        + ("tab", "tab", "end", "ctrl+u", "1", "2", "tab")
    )
    assert snap_compare(make_app("billing-details"), terminal_size=(80, 24), run_before=keys(*presses))


async def test_save_valid_details(make_app):
    app = make_app("billing-details")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _set(pilot, "city", "Amersfoort")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("opgeslagen" in n.message for n in app._notifications)
        assert not app.screen.dirty()  # the form shows what is stored now: leaving asks nothing
    assert _stored()["city"] == "Amersfoort"


async def test_invalid_details_are_not_saved(make_app):
    before = _stored()
    app = make_app("billing-details")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _set(pilot, "kvk_number", "1234")
        await pilot.press("tab")  # leaving the field shows its message
        await settle(pilot)
        assert "een KvK-nummer bestaat uit 8 cijfers" in screen_text(app)
        await pilot.press("shift+tab", "end")
        await type_text(pilot, "5678")  # now 12345678, but the IBAN is broken too
        await pilot.press("tab", "end", "backspace", "tab")
        await settle(pilot)
        assert "een KvK-nummer bestaat uit 8 cijfers" not in screen_text(app)
        assert "geen geldig IBAN" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("Niet opgeslagen" in n.message for n in app._notifications)
        assert app.focused.id == "field-iban"
    assert _stored() == before


async def test_vat_follows_country_and_vat_number(make_app):
    app = make_app("billing-details")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert "Btw op je facturen: 21%" in screen_text(app)
        await _set(pilot, "postcode", "1000")  # a Belgian postcode for a Belgian address
        await pilot.press("tab", "tab", "end", "ctrl+u")
        await type_text(pilot, "BE")
        await pilot.press("tab", "tab", "ctrl+u")
        await type_text(pilot, "BE0403170701")
        await settle(pilot)
        assert "Btw op je facturen: 0% (btw verlegd)" in screen_text(app)
        await pilot.press("tab", "end", "ctrl+u")  # no KvK number outside the Netherlands
        await pilot.press("ctrl+s")
        await settle(pilot)
    stored = _stored()
    assert stored["country"] == "BE" and stored["vat_number"] == "BE0403170701"
    from tribe_tui.services.billing_details import show

    assert show(demo_ctx()).vat_reason == "reverse_charge"


async def test_stored_escapes_are_shown_not_executed_in_the_form(make_app):
    """Billing details stored another way than through this form (restored data) with a terminal
    escape sequence: the form shows it as characters."""
    from tribe_tui.models import BillingDetails

    BillingDetails.update(company_name="Evil\x1b[2J\x1b]0;owned\x07Corp", attention="A\u2028B\u202eC").execute()
    app = make_app("billing-details")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        company = app.screen.query_one("#field-company_name").value
        attention = app.screen.query_one("#field-attention").value
        assert company == "Evil␛[2J␛]0;owned␇Corp"
        assert attention == "A\ufffdB\ufffdC"
        assert not app.screen.dirty()  # shown differently is not edited: leaving asks nothing
        assert not any(ch in screen_text(app) for ch in "\x1b\x07\u2028\u202e")


async def test_full_width_kvk_is_refused_and_the_form_is_clean_again_after_revert(make_app):
    """Seen by hand: '１２３４５６７８' was accepted as a KvK number, and the form
    then asked to discard edits on every leave."""
    before = _stored()
    app = make_app("billing-details")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _set(pilot, "kvk_number", "１２３４５６７８")
        await pilot.press("tab")
        await settle(pilot)
        assert "een KvK-nummer bestaat uit 8 cijfers" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("Niet opgeslagen" in n.message for n in app._notifications)
        assert app.screen.dirty()  # the edit is still there, not saved
        await pilot.press("ctrl+r")  # revert
        await settle(pilot)
        assert not app.screen.dirty()
        app.clear_notifications()  # (Escape would close the "not saved" message first)
        await pilot.press("escape")  # leave the field
        await settle(pilot)
        await pilot.press("escape")  # then the screen: nothing to ask
        await settle(pilot)
        assert app.screen.SECTION == "overview"
    assert _stored() == before


async def test_the_form_says_which_field_makes_e_invoicing_possible(make_app):
    """Without a KvK number, VAT id or Peppol id there is no e-invoice: the form names the field."""
    app = make_app("billing-details")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = lambda: str(app.screen.query_one("#details-e-invoice").render())  # noqa: E731
        assert "0106:30123456" in line()
        await _set(pilot, "vat_number", "")
        await pilot.press("tab", "end", "ctrl+u")
        await settle(pilot)
        assert "KvK-nummer" in line() and "0106" not in line()
        await pilot.press("tab", "tab", "tab")  # to the Peppol id
        await type_text(pilot, "0208:0123456749")
        await settle(pilot)
        assert "0208:0123456749" in line()
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert _stored()["peppol_id"] == "0208:0123456749" and _stored()["kvk_number"] == ""
