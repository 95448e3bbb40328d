"""NO_COLOR=1 is the terminal's business: Textual honours it, and every screen opens under it."""

from __future__ import annotations

import pytest

from tests.ui.conftest import screen_text, settle
from tribe_tui.sections import NAMES

SECTIONS = NAMES


@pytest.mark.parametrize("terminal_env", ["colour", "NO_COLOR"])
@pytest.mark.parametrize("section", SECTIONS)
async def test_every_section_opens_with_and_without_no_color(make_app, monkeypatch, terminal_env, section):
    from tribe_tui.i18n import t

    if terminal_env == "NO_COLOR":
        monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(section, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color is (terminal_env == "NO_COLOR")
        title = t(f"section.{section.replace('-', '_')}", "en")
        shown = " ".join(screen_text(app).split())
        # With the organisation when title and name fit whole in the header at 80 columns, else the title.
        whole = f"{title} — Van der Berg Installatietechniek B.V."
        assert (whole if len(whole) <= 80 - 18 else title) in shown  # the header keeps 18 cells: icon, margins
        # Monochrome: no colour in any cell, only greys.
        if terminal_env == "NO_COLOR":
            colours = {
                seg.style.color.triplet
                for strip in app.screen._compositor.render_strips()
                for seg in strip
                if seg.style and seg.style.color and seg.style.color.triplet
            }
            assert all(r == g == b for r, g, b in colours), colours
