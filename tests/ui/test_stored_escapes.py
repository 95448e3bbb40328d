"""Stored text that came another way than through our validation (restored data, a shared
database) reaches the terminal as characters: the organisation's name in every screen's header."""

from __future__ import annotations

from tests.ui.conftest import screen_text, settle

HOSTILE = "Evil\x1b]0;pwned\x07\x1b[2J\u202eB.V."


async def test_the_organisation_name_in_the_header_is_shown_not_obeyed(make_app):
    from textual.widgets._header import HeaderTitle

    from tribe_tui.models import Organisation

    Organisation.update(name=HOSTILE).where(Organisation.slug == "demo").execute()
    app = make_app(screen="overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        header = app.screen.query_one(HeaderTitle)
        shown = str(header.render())
        assert "Evil␛]0;pwned␇␛[2J\ufffdB.V." in shown, shown
        assert not any(ch in shown for ch in "\x1b\x07\u202e")
        # And on the terminal: what the compositor paints carries none of them either.
        painted = screen_text(app)
        assert "Evil␛]0;pwned" in painted and not any(ch in painted for ch in "\x1b\x07\u202e"), painted
