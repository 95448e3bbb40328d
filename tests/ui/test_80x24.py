"""At 80x24, in Dutch and in English, the lists show every footer key whole and always the way
back and to the help, a title that is not cut, and column headings (and invoice cells) whole."""

from __future__ import annotations

import pytest

from tests.ui.conftest import screen_text, settle

LISTS = ["invoices", "employees", "licences"]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("section", LISTS)
async def test_nothing_is_cut_at_80x24(make_app, section, lang):
    from textual.widgets._footer import FooterKey

    app = make_app(section, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()
        assert "…" not in lines[0], lines[0]
        shown = {key.key for key in app.screen.query(FooterKey) if key.display}
        assert {"escape", "f1"} <= shown, lines[-1]
        back, help_ = {"nl": ("esc Terug", "f1 Help"), "en": ("esc Back", "f1 Help")}[lang]
        assert back in lines[-1] and help_ in lines[-1], lines[-1]
        if section == "invoices":
            table = [line for line in lines if "█" in line]
            assert table and not any("…" in line for line in table), table
        else:
            heading = next(line for line in lines if "E-mail" in line)
            assert "…" not in heading, heading


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("section", ["add-licences", "modules", "billing-details", "edition"])
async def test_a_long_title_leaves_out_the_organisation_rather_than_cutting_it(make_app, section, lang):
    """ "Aantal gebruikers uitbreiden — Van der Berg Installatietechni…": the organisation stays
    beside the title only when both fit whole, on every screen as on the lists."""
    app = make_app(section, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        title = screen_text(app).splitlines()[0]
        assert "…" not in title, title
        assert app.screen.title in title
