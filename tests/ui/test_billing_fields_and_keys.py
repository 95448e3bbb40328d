"""Billing details that an invoice needs, checked for the country chosen; SSH keys: a pasted
private key does not stay on screen, and removing a key names it."""

from __future__ import annotations

from tests.ui.conftest import demo_ctx, screen_text, settle, type_text, until
from tests.ui.test_billing_details import _set


def _error(app, name: str) -> str:
    from textual.widgets import Static

    error = app.screen.query_one(f"#error-{name}", Static)
    return str(error.render()) if error.display else ""


async def test_the_form_marks_what_every_invoice_needs(make_app):
    app = make_app("billing-details")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        labels = {
            (label.parent.query_one("Input").id or "").removeprefix("field-"): str(label.render())
            for label in app.screen.query(".details-label")
        }
        for name in ("company_name", "address", "postcode", "city", "country"):
            assert labels[name].endswith("*"), labels
        for name in ("attention", "invoice_email", "vat_number", "kvk_number", "iban", "po_reference"):
            assert not labels[name].endswith("*"), labels
        assert "* is verplicht" in " ".join(screen_text(app).split())


async def test_the_postcode_is_checked_for_the_country_chosen(make_app):
    app = make_app("billing-details")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _set(pilot, "postcode", "1000")  # a Belgian postcode: not a Dutch one
        await pilot.press("tab")
        await settle(pilot)
        assert _error(app, "postcode")
        await pilot.press("tab", "end", "ctrl+u")  # the country field
        await type_text(pilot, "BE")
        await pilot.press("tab")
        await settle(pilot)
        assert _error(app, "postcode") == ""  # right for Belgium
        await pilot.press("shift+tab", "end", "ctrl+u")
        await type_text(pilot, "ES")  # a Spanish one has five digits
        await pilot.press("tab")
        await settle(pilot)
        assert "28001" in _error(app, "postcode"), _error(app, "postcode")


async def test_a_kvk_number_only_for_a_dutch_organisation(make_app):
    app = make_app("billing-details")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _set(pilot, "kvk_number", "12345678")
        await pilot.press("tab")
        await settle(pilot)
        assert _error(app, "kvk_number") == ""
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab", "end", "ctrl+u")  # country
        await type_text(pilot, "BE")
        await pilot.press("tab")
        await settle(pilot)
        assert "Nederland" in _error(app, "kvk_number"), _error(app, "kvk_number")


def _private_key(tmp_path) -> str:
    from tests.ssh_keys import keygen

    return keygen(tmp_path, "geheim").private.read_text()


async def test_a_pasted_private_key_is_cleared_when_refused(make_app, tmp_path):
    from textual import events
    from textual.widgets import Input

    from tribe_tui.models import SshKey
    from tribe_tui.screens.ssh_keys import SshKeysScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(SshKeysScreen())
        await settle(pilot)
        await pilot.click("#ssh-key-name")
        await type_text(pilot, "laptop")
        await pilot.press("enter")
        app.focused.post_message(events.Paste(_private_key(tmp_path)))
        await settle(pilot)
        assert "PRIVATE KEY" in app.screen.query_one("#ssh-key-text", Input).value
        await pilot.press("enter")  # asks for the text to sign: refused
        assert await until(pilot, lambda: any("privésleutel" in n.message for n in app._notifications))
        assert app.screen.query_one("#ssh-key-text", Input).value == ""  # not left on screen
        assert app.screen.query_one("#ssh-key-name", Input).value == "laptop"
        assert "PRIVATE" not in screen_text(app)
    assert SshKey.select().count() == 0


async def test_the_delete_question_names_the_key(make_app, tmp_path):
    from tests.ssh_keys import keygen, proof
    from tribe_tui.models import Employee
    from tribe_tui.screens.ssh_keys import ColleagueKeysScreen
    from tribe_tui.widgets.confirm import ConfirmDialog

    colleague = Employee.select().where(Employee.role == "user").order_by(Employee.id).first()
    key = keygen(tmp_path, "colleague")
    from tribe_tui.services.ssh_keys import add_key

    add_key(demo_ctx(), "oude laptop", key.line, proof(demo_ctx(), key, colleague.email), email=colleague.email)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(ColleagueKeysScreen(colleague.email, colleague.name))
        await settle(pilot)
        await pilot.press("delete")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "oude laptop" in app.screen.question, app.screen.question


async def test_a_save_after_another_admin_changed_the_account_keeps_what_was_typed(make_app):
    """Another admin saves the city and the postcode meanwhile: the save is refused as stale, the
    form keeps the city typed here, shows the other admin's city under it, takes their postcode
    (not edited here), and saving again stores the typed city over theirs and nothing else."""
    from textual.widgets import Input

    from tribe_tui.services.billing_details import update

    app = make_app("billing-details")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _set(pilot, "city", "Amersfoort")
        update(demo_ctx(), {"city": "Zeist", "postcode": "3701 AA"})  # the other admin, meanwhile
        await pilot.press("ctrl+s")
        await settle(pilot)
        field = lambda name: app.screen.query_one(f"#field-{name}", Input).value  # noqa: E731
        assert field("city") == "Amersfoort"  # what was typed is still there
        assert field("postcode") == "3701 AA"  # not edited here: their value
        theirs = app.screen.query_one("#theirs-city")
        assert theirs.display and "Zeist" in str(theirs.render())
        assert any("Ctrl+S" in n.message for n in app._notifications)  # says how to go on
        assert _stored_city() == "Zeist"
        await pilot.press("ctrl+s")  # save again: mine over theirs
        await settle(pilot)
        assert not app.screen.query_one("#theirs-city").display
    from tribe_tui.services.billing_details import show

    stored = show(demo_ctx()).fields
    assert stored["city"] == "Amersfoort" and stored["postcode"] == "3701 AA"


async def test_after_a_stale_save_revert_takes_the_other_admins_details(make_app):
    from textual.widgets import Input

    from tribe_tui.services.billing_details import update

    app = make_app("billing-details")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _set(pilot, "city", "Amersfoort")
        update(demo_ctx(), {"city": "Zeist"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+r")  # discard mine
        await settle(pilot)
        assert app.screen.query_one("#field-city", Input).value == "Zeist"
        assert not app.screen.query_one("#theirs-city").display
        assert not app.screen.dirty()


def _stored_city() -> str:
    from tribe_tui.services.billing_details import show

    return show(demo_ctx()).fields["city"]
