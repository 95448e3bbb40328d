"""Every action that charges asks once first: the dry run's lines and total, the amount named in the
question, No focused. One pattern for upgrade, add module and add licences."""

import re
from decimal import Decimal

import pytest

from tests.ui.conftest import screen_text, settle


def flat(app) -> str:
    """The screen's words in one line, babel's non-breaking spaces as plain ones, no box lines."""
    text = screen_text(app).replace("\xa0", " ").replace("\u202f", " ")
    return " ".join(re.sub(r"[\u2500-\u259f]", " ", text).split())


def _invoices(app):
    from tribe_tui.services.invoices import list_invoices

    return list_invoices(app.session.ctx)


# (section, keys that reach the charge, the key that asks, lines expected in the dialog, total)
CHARGES = {
    "upgrade": ("edition", ["down"], "u", "30 × € 180,00 × 187/365", "€ 3.347,56", Decimal("3347.56")),
    "upgrade-enter": ("edition", ["down"], "enter", "30 × € 180,00 × 187/365", "€ 3.347,56", Decimal("3347.56")),
    "module": ("modules", ["down", "down"], "a", "30 × € 48,00 × 187/365", "€ 892,68", Decimal("892.68")),
    "module-enter": ("modules", ["down", "down"], "enter", "30 × € 48,00 × 187/365", "€ 892,68", Decimal("892.68")),
    "licences": ("add-licences", ["2"], "ctrl+s", "2 × € 360,00 × 187/365", "€ 520,74", Decimal("520.74")),
    "licences-button": (
        "add-licences",
        ["2", "enter"],
        "enter",
        "2 × € 360,00 × 187/365",
        "€ 520,74",
        Decimal("520.74"),
    ),
}


@pytest.mark.both_engines
@pytest.mark.parametrize("case", list(CHARGES))
async def test_a_charge_is_asked_once_naming_the_amount_and_no_is_the_default(make_app, case):
    from textual.widgets import Button

    from tribe_tui.widgets.confirm import ConfirmDialog

    section, before, key, formula, amount, total = CHARGES[case]
    app = make_app(screen=section)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        count = len(_invoices(app))
        for press in before:
            await pilot.press(press)
            await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog), f"{key} charged without asking"
        text = flat(app)
        assert f"{amount} incl. btw afrekenen?" in text
        assert formula in text and "Totaal" in text and "btw" in text  # the lines and the total
        assert isinstance(app.focused, Button) and app.focused.id == "no"
        await pilot.press("enter")  # the default answer: No
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmDialog)
        assert len(_invoices(app)) == count  # nothing charged

        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("right", "enter")  # Yes
        await settle(pilot)
        invoices = _invoices(app)
        assert len(invoices) == count + 1 and invoices[-1].total == total


async def test_the_question_is_in_english_too(make_app):
    app = make_app(screen="add-licences", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = flat(app)
        assert "Charge €520.74 incl. VAT?" in text and "2 × €360.00 × 187/365" in text


def _another_admin_changes_the_account() -> None:
    """A change that bumps the organisation's version and charges nothing: another admin turns one
    licence's renewal off."""
    from tests.ui.conftest import demo_ctx
    from tribe_tui.services.licences import list_licences, set_auto_renew

    ctx = demo_ctx()
    free = next(row for row in list_licences(ctx) if row.email is None)
    set_auto_renew(ctx, str(free.id), False)


# (section, keys typed before the account changes underneath, the key that charges)
STALE = {
    "add-licences": ("add-licences", ["2"], "ctrl+s"),
    "upgrade": ("edition", ["down"], "u"),
    "module": ("modules", ["down", "down"], "a"),
    "invite": ("invite", [*"a@example.com b@example.com c@example.com d@example.com"], "enter"),
    "cancel": ("cancel", [*"te duur"], "ctrl+s"),  # settles what is due: asked about as a change too
}


@pytest.mark.parametrize("case", list(STALE))
async def test_a_charge_from_a_screen_whose_data_went_stale_is_refused(make_app, case):
    """The charge carries the version the screen showed: once someone else changed the account,
    nothing is charged (whatever the admin answers) and the screen reads the account again."""
    from textual.keys import _character_to_key

    from tests.ui.conftest import demo_ctx
    from tribe_tui.models import Organisation
    from tribe_tui.widgets.confirm import ConfirmDialog

    section, before, key = STALE[case]
    app = make_app(screen=section)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for press in before:
            await pilot.press(_character_to_key(press) if len(press) == 1 else press)
        await settle(pilot)
        count = len(_invoices(app))
        _another_admin_changes_the_account()
        version = Organisation.get_by_id(demo_ctx().org_id).version
        await pilot.press(key)
        await settle(pilot)
        for _ in range(3):  # say yes to whatever is asked
            if not isinstance(app.screen, ConfirmDialog):
                break
            await pilot.press("y")
            await settle(pilot)
        assert len(_invoices(app)) == count, "charged from a stale screen"
        assert Organisation.get_by_id(demo_ctx().org_id).version == version  # nothing else changed either
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert any("gewijzigd" in message or "changed" in message for message in warnings), warnings
