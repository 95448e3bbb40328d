"""The service's guards speak before the admin is asked: a refused action opens no dialog, and its
message says why at once (not after a yes)."""

import re

import pytest

from tests.ui.conftest import demo_ctx, screen_text, settle


def flat(app) -> str:
    text = screen_text(app).replace("\xa0", " ").replace("\u202f", " ")
    return " ".join(re.sub(r"[\u2500-\u259f]", " ", text).split())


def notices(app) -> str:
    return " ".join(str(n.message) for n in app._notifications)


@pytest.mark.both_engines
@pytest.mark.parametrize("key", ["x", "o"])
async def test_unlinking_or_offboarding_the_last_admin_is_refused_before_asking(make_app, key):
    from tribe_tui.services.licences import list_licences
    from tribe_tui.widgets.confirm import ConfirmDialog
    from tribe_tui.widgets.paged_table import PagedTable

    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PagedTable)
        await pilot.press("slash", *"sanne", "enter")
        await settle(pilot)
        assert table.current.holder_name == "Sanne van der Berg"  # the only admin
        await pilot.press(key)
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog), "asked a question whose yes would be refused"
        assert "de laatste beheerder die kan inloggen" in notices(app)  # demo colleagues have no username yet
        holders = {row.email for row in list_licences(demo_ctx())}
        assert table.current.email in holders  # nothing changed


@pytest.mark.both_engines
async def test_a_charge_on_an_account_cancelled_meanwhile_is_refused_before_asking(make_app):
    from tribe_tui.services.cancellation import cancel
    from tribe_tui.services.invoices import list_invoices
    from tribe_tui.widgets.confirm import ConfirmDialog

    app = make_app("edition")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        count = len(list_invoices(demo_ctx()))
        cancel(demo_ctx(), "another admin, meanwhile")
        await pilot.press("u")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert "trek de opzegging eerst in" in notices(app)
        assert len(list_invoices(demo_ctx())) == count


@pytest.mark.both_engines
async def test_cancelling_an_account_cancelled_meanwhile_is_refused_before_asking(make_app):
    from tribe_tui.services.cancellation import cancel
    from tribe_tui.widgets.confirm import ConfirmDialog

    app = make_app("cancel")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for char in "te duur":
            await pilot.press(char if char != " " else "space")
        cancel(demo_ctx(), "another admin, meanwhile")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert "al opgezegd" in notices(app)
