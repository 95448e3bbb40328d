"""The footer fits whole keys also after the focus moved and the keys changed (seen in tmux: the
licences footer cut "v Voormalig…" in half after leaving the filter with Escape)."""

from __future__ import annotations

import pytest

from tests.ui.conftest import settle, type_text


def _last_line(app) -> str:
    from tests.ui.conftest import screen_text

    return screen_text(app).splitlines()[-1]


@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_licences_footer_keys_stay_whole_after_the_filter(make_app, lang):
    from textual.widgets._footer import FooterKey

    app = make_app("licences", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "bram")
        await settle(pilot)
        await pilot.press("escape", "escape")
        await settle(pilot)
        footer = app.screen.query_one("KeysFooter")
        shown = [key for key in app.screen.query(FooterKey) if key.display]
        assert shown
        for key in shown:
            assert key.region.right <= footer.content_region.right, (key.key, key.region, _last_line(app))
        line = _last_line(app).rstrip()
        assert line.endswith(shown[-1].description), line
        await pilot.press("x")  # the confirmation opens over the screen; its footer stays in view
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmDialog"
        below = app.screen_stack[-2]
        footer = below.query_one("KeysFooter")
        shown = [key for key in below.query(FooterKey) if key.display]
        for key in shown:
            assert key.region.right <= footer.content_region.right, (key.key, key.region, _last_line(app))
