"""Editie: upgrade with its pro-rata preview; downgrade confirmed in a modal (default No), withdrawable."""

from decimal import Decimal

from tests.ui.conftest import keys, screen_text, settle, until


def shown(app) -> str:
    """The screen as text, with babel's non-breaking spaces as plain ones."""
    return screen_text(app).replace("\xa0", " ").replace("\u202f", " ")


def _ctx(app):
    return app.session.ctx


def _on_creator_with_workflows(app):
    """Before the screen opens: the account is on Tribe Creator with a module that needs it."""
    from tribe_tui.services.edition import set_edition
    from tribe_tui.services.modules import add_module

    set_edition(app.session.ctx, "creator")
    add_module(app.session.ctx, "workflows")


async def test_upgrade_by_keys(make_app):
    from tribe_tui.services.account import overview
    from tribe_tui.services.invoices import list_invoices

    app = make_app(screen="edition")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Dit is je huidige editie." in shown(app)
        await pilot.press("enter")  # Enter on the current edition does nothing
        await settle(pilot)
        assert overview(_ctx(app)).edition_code == "tribe"
        await pilot.press("down")
        await settle(pilot)
        text = shown(app)
        assert "30 × € 180,00 × 187/365" in text and "€ 3.347,56" in text
        count = len(list_invoices(_ctx(app)))
        await pilot.press("enter")
        await settle(pilot)
        assert "€ 3.347,56 incl. btw afrekenen?" in shown(app)
        await pilot.press("right", "enter")
        await settle(pilot)
        view = overview(_ctx(app))
        assert view.edition_code == "creator"
        invoices = list_invoices(_ctx(app))
        assert len(invoices) == count + 1 and invoices[-1].total == Decimal("3347.56")
        assert "huidige editie" in shown(app).split("Tribe Creator", 2)[-1]


async def test_downgrade_asks_first_and_says_which_modules_end(make_app):
    from tribe_tui.services.account import overview

    app = make_app(screen="overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _on_creator_with_workflows(app)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("up")
        await settle(pilot)
        assert "Workflows" in shown(app)
        await pilot.press("enter")
        await settle(pilot)
        modal = shown(app)
        assert "Overstappen naar Tribe?" in modal
        assert "1 juni 2027" in modal and "Workflows" in modal
        await pilot.press("enter")  # the default answer: No
        await settle(pilot)
        assert overview(_ctx(app)).scheduled_edition_code is None
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("right", "enter")  # to Yes
        await settle(pilot)
        view = overview(_ctx(app))
        assert view.edition_code == "creator" and view.scheduled_edition_code == "tribe"
        assert [m.renews for m in view.modules if m.code == "workflows"] == [False]
        assert await until(pilot, lambda: "gepland per 1 juni 2027" in shown(app)), shown(app)
        assert "De overstap naar Tribe staat gepland per 1 juni 2027." in shown(app)
        await pilot.press("w")  # withdraw the scheduled switch
        await settle(pilot)
        view = overview(_ctx(app))
        assert view.scheduled_edition_code is None
        assert [m.renews for m in view.modules if m.code == "workflows"] == [True]


def test_snapshot_upgrade_preview_nl(make_app, snap_compare):
    assert snap_compare(make_app(screen="edition"), terminal_size=(80, 24), run_before=keys("down"))


def test_snapshot_upgrade_preview_en(make_app, snap_compare):
    assert snap_compare(make_app(screen="edition", lang="en"), terminal_size=(80, 24), run_before=keys("down"))


def _downgrade_modal():
    async def run(pilot):
        await settle(pilot)
        _on_creator_with_workflows(pilot.app)
        await keys("1", "up", "enter")(pilot)

    return run


def test_snapshot_downgrade_modal_nl(make_app, snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_downgrade_modal())


def test_snapshot_downgrade_modal_en(make_app, snap_compare):
    assert snap_compare(make_app(lang="en"), terminal_size=(80, 24), run_before=_downgrade_modal())
