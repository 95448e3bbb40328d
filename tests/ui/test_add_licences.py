"""Aantal gebruikers uitbreiden: the live pro-rata preview, then 'Account uitbreiden' charges once."""

from decimal import Decimal

from tests.ui.conftest import keys, screen_text, settle


def shown(app) -> str:
    """The screen as text, with babel's non-breaking spaces as plain ones."""
    return screen_text(app).replace("\xa0", " ").replace("\u202f", " ")


def _state(app):
    from tribe_tui.services.account import overview
    from tribe_tui.services.invoices import list_invoices

    ctx = app.session.ctx
    return overview(ctx), list_invoices(ctx)


async def test_seed_task_3_add_licences_by_keys(make_app):
    """Type 2, see the charge, Enter to the button, Enter: two more licences and exactly one invoice."""
    app = make_app(screen="add-licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before, invoices_before = _state(app)
        await pilot.press("2")
        await settle(pilot)
        text = shown(app)
        assert "2 × € 360,00 × 187/365" in text
        assert "€ 520,74" in text
        assert _state(app)[0].licences_total == before.licences_total  # a preview changes nothing
        await pilot.press("enter")  # to the button, not a charge yet
        await settle(pilot)
        assert _state(app)[0].licences_total == before.licences_total
        await pilot.press("enter")  # asks, naming the amount
        await settle(pilot)
        assert "€ 520,74 incl. btw afrekenen?" in shown(app)
        assert _state(app)[0].licences_total == before.licences_total
        await pilot.press("right", "enter")  # yes
        await settle(pilot)
        after, invoices_after = _state(app)
        assert after.licences_total == before.licences_total + 2
        assert after.licences_in_use == before.licences_in_use
        assert len(invoices_after) == len(invoices_before) + 1
        assert invoices_after[-1].reason == "licences"
        assert invoices_after[-1].total == Decimal("520.74")
        assert "32" in shown(app)  # the screen read the account again


async def test_preview_follows_the_number(make_app):
    app = make_app(screen="add-licences", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1", "0")
        await settle(pilot)
        assert "10 × €360.00 × 187/365" in shown(app)
        await pilot.press("backspace")
        await settle(pilot)
        text = shown(app)
        assert "1 × €360.00 × 187/365" in text and "10 ×" not in text


async def test_bad_count_shows_why_and_ctrl_s_charges_nothing(make_app):
    app = make_app(screen="add-licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _, invoices_before = _state(app)
        await pilot.press("0")
        await settle(pilot)
        assert "moet minstens 1 zijn" in shown(app)
        await pilot.press("ctrl+s", "enter", "enter")
        await settle(pilot)
        view, invoices = _state(app)
        assert view.licences_total == 30 and len(invoices) == len(invoices_before)


async def test_ctrl_s_confirms_from_the_field(make_app):
    app = make_app(screen="add-licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert _state(app)[0].licences_total == 33


async def test_a_stale_screen_refuses_and_reloads(make_app):
    """Someone else changed the account after this screen read it: nothing is charged from the old view."""
    from tribe_tui.services.licences import add_licences

    app = make_app(screen="add-licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        add_licences(app.session.ctx, 1)  # another admin, while this one reads the question
        await pilot.press("y")
        await settle(pilot)
        view, _ = _state(app)
        assert view.licences_total == 31
        assert "31 (" in shown(app) or "van 31" in shown(app)


def test_snapshot_preview_nl(make_app, snap_compare):
    assert snap_compare(make_app(screen="add-licences"), terminal_size=(80, 24), run_before=keys("2"))


def test_snapshot_preview_en(make_app, snap_compare):
    assert snap_compare(make_app(screen="add-licences", lang="en"), terminal_size=(80, 24), run_before=keys("2"))


def test_snapshot_empty_nl(make_app, snap_compare):
    assert snap_compare(make_app(screen="add-licences"), terminal_size=(80, 24), run_before=keys())


async def test_a_number_and_two_enters_typed_at_once_ask_as_typed_slowly(make_app):
    """Typed slowly, `1⏎⏎` goes to the button and then asks; typed at once (before the charge is
    shown) the first Enter waits for the charge, and the second asks -- nothing charged yet."""
    from tests.ui.conftest import until
    from tests.ui.test_keys_and_session import burst
    from tribe_tui.widgets.confirm import ConfirmDialog

    app = make_app(screen="add-licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before, _ = _state(app)
        burst(app, "1", "enter", "enter")
        assert await until(pilot, lambda: isinstance(app.screen, ConfirmDialog)), shown(app)
        assert "€ 260,37 incl. btw afrekenen?" in shown(app)
        assert _state(app)[0].licences_total == before.licences_total
