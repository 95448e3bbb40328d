"""Catalogue names in the admin's language: the English UI names modules and integrations in
English, the Dutch UI in Dutch; an invoice keeps the name its catalogue version prints."""

from __future__ import annotations

from tests.ui.conftest import demo_ctx, screen_text, settle


async def test_the_english_modules_screen_names_modules_in_english(make_app):
    app = make_app("modules", lang="en")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
    assert "Projects" in shown and "Link to Exact Online" in shown and "Email marketing" in shown, shown
    assert "Projecten" not in shown and "Koppeling" not in shown and "Verkoopkansen" not in shown


async def test_the_dutch_modules_screen_keeps_the_dutch_names(make_app):
    app = make_app("modules", lang="nl")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        shown = screen_text(app)
    assert "Projecten" in shown and "Koppeling Exact Online" in shown and "Projects" not in shown


def test_services_name_modules_in_the_contexts_language_and_invoices_keep_the_printed_name(demo):

    from tribe_tui.models import InvoiceLine
    from tribe_tui.services.account import overview
    from tribe_tui.services.modules import add_module

    english = demo_ctx()._replace(lang="en")
    change = add_module(english, "sales")
    assert change.name == "Sales opportunities"
    assert "Sales opportunities" in {m.name for m in overview(english).modules}
    assert "Verkoopkansen" in {m.name for m in overview(demo_ctx()).modules}
    printed = [line.description for line in InvoiceLine.select().order_by(InvoiceLine.id.desc()).limit(1)]
    assert printed and "Verkoopkansen" in printed[0] and "Sales" not in printed[0]


def test_the_english_renewal_forecast_names_modules_in_english(demo):

    from tribe_tui.services.account import overview

    english = [line.description for line in overview(demo_ctx()._replace(lang="en")).next_invoice.lines]
    assert "Projects (per user)" in english and "Link to Exact Online" in english, english
    dutch = [line.description for line in overview(demo_ctx()).next_invoice.lines]
    assert "Projecten (per gebruiker)" in dutch and "Koppeling Exact Online" in dutch, dutch
