"""Account opzeggen: reason required, a modal (default No) saying until when access remains, withdraw."""

import re

from tests.ui.conftest import keys, screen_text, settle


def shown(app) -> str:
    return screen_text(app).replace("\xa0", " ")


def flat(app) -> str:
    """The screen's words in one line: wrapped sentences and dialog borders do not split a phrase."""
    return " ".join(re.sub(r"[\u2500-\u259f]", " ", shown(app)).split())


def typing(text: str) -> list[str]:
    return ["space" if ch == " " else ch for ch in text]


def _account(app):
    from tribe_tui.services.account import overview

    return overview(app.session.ctx)


async def test_seed_task_6_cancel_and_see_until_when(make_app):
    app = make_app(screen="cancel")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "31 mei 2027" in shown(app)
        await pilot.press(*typing("Te duur"), "enter")
        await settle(pilot)
        modal = flat(app)
        assert "Account opzeggen?" in modal
        assert "Je hebt nog toegang tot en met 31 mei 2027" in modal
        await pilot.press("enter")  # default: No
        await settle(pilot)
        assert _account(app).status == "active"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("right", "enter")
        await settle(pilot)
        view = _account(app)
        assert view.status == "cancelled" and view.cancel_reason == "Te duur"
        text = flat(app)
        assert "Het account is opgezegd. Je hebt nog toegang tot en met 31 mei 2027." in text
        assert "Reden: Te duur" in text


async def test_withdraw_by_key(make_app):
    from tribe_tui.services.cancellation import cancel

    app = make_app(screen="overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        cancel(app.session.ctx, "Overstap naar ander pakket")
        await pilot.press("8")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert _account(app).status == "active"
        assert "Waarom zeg je op?" in shown(app)


async def test_reason_is_required(make_app):
    app = make_app(screen="cancel", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "enter")
        await settle(pilot)
        assert "Please give a reason." in shown(app)
        assert "Cancel the account?" not in shown(app)  # no modal without a reason
        assert _account(app).status == "active"


async def test_reason_is_shown_literally(make_app):
    from tribe_tui.services.cancellation import cancel

    app = make_app(screen="overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        cancel(app.session.ctx, "[bold]weg[/bold] [link=http://x]hier[/link]")
        await pilot.press("8")
        await settle(pilot)
        assert "Reden: [bold]weg[/bold] [link=http://x]hier[/link]" in shown(app)


def test_snapshot_form_nl(make_app, snap_compare):
    assert snap_compare(make_app(screen="cancel"), terminal_size=(80, 24), run_before=keys())


def test_snapshot_form_en(make_app, snap_compare):
    assert snap_compare(make_app(screen="cancel", lang="en"), terminal_size=(80, 24), run_before=keys())


def test_snapshot_confirm_modal_nl(make_app, snap_compare):
    assert snap_compare(make_app(screen="cancel"), terminal_size=(80, 24), run_before=keys(*typing("Te duur"), "enter"))


def test_snapshot_confirm_modal_en(make_app, snap_compare):
    assert snap_compare(
        make_app(screen="cancel", lang="en"), terminal_size=(80, 24), run_before=keys(*typing("Too expensive"), "enter")
    )


def _cancelled_first(*presses):
    async def run(pilot):
        from tribe_tui.services.cancellation import cancel

        await settle(pilot)
        cancel(pilot.app.session.ctx, "Te duur")
        await keys(*presses)(pilot)

    return run


def test_snapshot_cancelled_nl(make_app, snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_cancelled_first("8"))


def test_snapshot_cancelled_en(make_app, snap_compare):
    assert snap_compare(make_app(lang="en"), terminal_size=(80, 24), run_before=_cancelled_first("8"))
