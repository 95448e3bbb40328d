"""Modules uitbreiden: catalogue with state; add with a pro-rata preview, remove after a modal, undo."""

import re
from decimal import Decimal

from tests.ui.conftest import keys, screen_text, settle


def shown(app) -> str:
    """The screen as text, with babel's non-breaking spaces as plain ones."""
    return screen_text(app).replace("\xa0", " ").replace("\u202f", " ")


def flat(app) -> str:
    """The screen's words in one line: wrapped sentences and dialog borders do not split a phrase."""
    return " ".join(re.sub(r"[\u2500-\u259f]", " ", shown(app)).split())


def _module(app, code):
    from tribe_tui.services.modules import catalogue_for

    return next(m for m in catalogue_for(app.session.ctx) if m.code == code)


# Rows, catalogue order: E-mailmarketing, Projecten, Verkoopkansen, Workflows, Exact Online, Mailchimp.


async def test_catalogue_shows_price_kind_requirement_and_state(make_app):
    app = make_app(screen="modules")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        rows = {line.replace("█", " ").split("  ")[1].strip(): line for line in shown(app).splitlines() if "€" in line}
        assert "Tribe Creator" in rows["Workflows"] and "account" in rows["Workflows"]
        assert "niet in editie" in rows["Workflows"]
        assert "gebruiker" in rows["Projecten"] and "actief" in rows["Projecten"]
        assert "€ 120,00" in rows["Koppeling Mailchimp"]
        # The first row needs Tribe Creator: the service's refusal shows, and there is no add key.
        assert "E-mailmarketing vereist de editie Tribe Creator." in shown(app)
        await pilot.press("a")
        await settle(pilot)
        assert not _module(app, "marketing").active


async def test_add_module_by_keys(make_app):
    from tribe_tui.services.invoices import list_invoices

    app = make_app(screen="modules")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)
        text = shown(app)
        assert "30 × € 48,00 × 187/365" in text and "€ 892,68" in text
        count = len(list_invoices(app.session.ctx))
        await pilot.press("a")
        await settle(pilot)
        assert "€ 892,68 incl. btw afrekenen?" in flat(app)
        await pilot.press("right", "enter")
        await settle(pilot)
        module = _module(app, "sales")
        assert module.active and module.renews
        invoices = list_invoices(app.session.ctx)
        assert len(invoices) == count + 1 and invoices[-1].total == Decimal("892.68")
        assert invoices[-1].reason == "module"


async def test_remove_asks_first_then_undo(make_app):
    app = make_app(screen="modules")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "x")
        await settle(pilot)
        modal = flat(app)
        assert "Projecten verwijderen?" in modal and "tot en met 31 mei 2027" in modal
        await pilot.press("enter")  # default: No
        await settle(pilot)
        assert _module(app, "projects").renews
        await pilot.press("enter")  # Enter on an active row offers removal again
        await settle(pilot)
        await pilot.press("right", "enter")
        await settle(pilot)
        module = _module(app, "projects")
        assert module.active and not module.renews
        assert "stopt na 31 mei 2027" in shown(app)
        assert "loopt af" in next(line for line in shown(app).splitlines() if "Projecten  " in line)
        await pilot.press("u")
        await settle(pilot)
        assert _module(app, "projects").renews


def test_snapshot_add_preview_nl(make_app, snap_compare):
    assert snap_compare(make_app(screen="modules"), terminal_size=(80, 24), run_before=keys("down", "down"))


def test_snapshot_add_preview_en(make_app, snap_compare):
    assert snap_compare(make_app(screen="modules", lang="en"), terminal_size=(80, 24), run_before=keys("down", "down"))


def test_snapshot_remove_modal_nl(make_app, snap_compare):
    assert snap_compare(make_app(screen="modules"), terminal_size=(80, 24), run_before=keys("down", "x"))


def test_snapshot_remove_modal_en(make_app, snap_compare):
    assert snap_compare(make_app(screen="modules", lang="en"), terminal_size=(80, 24), run_before=keys("down", "x"))
