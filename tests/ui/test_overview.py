"""Accountinstellingen at 80x24: the essentials without scrolling, the page keys scroll from anywhere."""

import pytest

from tests.ui.conftest import demo_ctx, screen_text, settle, type_text


def shown(app) -> str:
    return screen_text(app).replace("\xa0", " ").replace("\u202f", " ")


def _essentials(lang: str) -> list[str]:
    from tribe_tui import formatting
    from tribe_tui.services.account import overview

    view = overview(demo_ctx())
    if view.next_invoice.lines:
        forecast = formatting.money(view.next_invoice.total, lang).replace("\xa0", " ") + " incl. btw"
    else:
        forecast = "geen: er wordt niet verlengd"
    return [view.edition_name, "27 in gebruik van 30 (3 vrij)", "31 mei 2027 (nog 187 dagen)", forecast]


@pytest.mark.parametrize("cancelled", [False, True])
async def test_the_essentials_show_without_scrolling(make_app, cancelled):
    from tribe_tui.services.cancellation import cancel

    if cancelled:
        cancel(demo_ctx(), "te duur")
    app = make_app("overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = shown(app)
        for expected in _essentials("nl"):
            assert expected in text, expected
        assert ("Het account is opgezegd" in text) == cancelled
        assert app.screen.query_one("#body").scroll_y == 0


async def test_page_keys_scroll_the_overview_from_the_sections_list(make_app):
    app = make_app("overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        body = app.screen.query_one("#body")
        assert app.focused.id == "sections" and body.scroll_y == 0
        await pilot.press("pagedown")
        await settle(pilot)
        assert body.scroll_y > 0 and app.focused.id == "sections"
        assert "Totaal" in shown(app)  # the next invoice in full, at the bottom
        await pilot.press("pageup")
        await settle(pilot)
        assert body.scroll_y == 0


async def test_after_sign_in_the_overview_starts_at_the_top(make_app):
    from tests.ui.test_shell import PASSWORD

    app = make_app(signed_in=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "admin")
        await pilot.press("tab")
        await type_text(pilot, PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#body").scroll_y == 0
        assert "Let op!" in shown(app)
