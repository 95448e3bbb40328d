"""The app shell: sign-in gate, overview, help, sections by key."""

from tests.ui.conftest import keys, screen_text, settle


async def test_overview_shows_the_account(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "27 in gebruik van 30 (3 vrij)" in text
        assert "31 mei 2027" in text


def test_overview_snapshot_nl(make_app, snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=keys())


def test_overview_snapshot_en_wide(make_app, snap_compare):
    assert snap_compare(make_app(lang="en"), terminal_size=(120, 40), run_before=keys())
