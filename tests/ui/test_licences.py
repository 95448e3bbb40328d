"""Gebruikerslicenties beheren: by keystrokes only, then the database is asserted through services."""

from __future__ import annotations

import pytest

from tests.conftest import TODAY
from tests.ui.conftest import demo_ctx, keys, screen_text, settle, type_text


def _person(name_part: str):
    from tribe_tui.services.employees import list_employees

    return next(e for e in list_employees(demo_ctx(), include_former=True) if name_part in e.name)


def _table(app):
    from tribe_tui.widgets.paged_table import PagedTable

    return app.screen.query_one(PagedTable)


# --- snapshots -------------------------------------------------------------------------------


def test_licences_snapshot_nl(make_app, snap_compare):
    assert snap_compare(make_app("licences"), terminal_size=(80, 24), run_before=keys())


def test_licences_snapshot_en(make_app, snap_compare):
    assert snap_compare(make_app("licences", lang="en"), terminal_size=(80, 24), run_before=keys())


def test_unlink_confirmation_snapshot(make_app, snap_compare):
    assert snap_compare(make_app("licences"), terminal_size=(80, 24), run_before=keys("down", "x"))


def test_offboard_confirmation_snapshot(make_app, snap_compare):
    assert snap_compare(make_app("licences"), terminal_size=(80, 24), run_before=keys("down", "o"))


def test_auto_renew_off_confirmation_snapshot(make_app, snap_compare):
    assert snap_compare(make_app("licences"), terminal_size=(80, 24), run_before=keys("down", "a"))


def test_offboard_confirmation_snapshot_en(make_app, snap_compare):
    assert snap_compare(make_app("licences", lang="en"), terminal_size=(80, 24), run_before=keys("down", "o"))


# --- actions by keystrokes -----------------------------------------------------------------------


@pytest.mark.both_engines
async def test_offboard_a_leaving_colleague(make_app):
    """Seed task 5: unlink + auto-renew off + Voormalig, one action, one confirmation."""
    from tribe_tui.services.licences import list_licences

    app = make_app("licences")
    leaving = _person("Bram de Groot")
    licence = next(r for r in list_licences(demo_ctx()) if r.email == leaving.email)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "bram")
        await pilot.press("enter")
        await settle(pilot)
        assert _table(app).current.email == leaving.email
        await pilot.press("o")
        await settle(pilot)
        assert app.screen.question == "Bram de Groot uit dienst melden?"
        assert "bruikbaar t/m 31 mei 2027" in app.screen.body and "Voormalig" in app.screen.body
        await pilot.press("j")
        await settle(pilot)
        assert "Bram de Groot" not in screen_text(app)

    after = next(r for r in list_licences(demo_ctx()) if r.id == licence.id)
    assert after.holder_id is None and after.auto_renew is False
    assert _person("Bram de Groot").former is True


async def test_unlink_keeps_the_person(make_app):
    from tribe_tui.services.licences import list_licences

    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        first = _table(app).current  # holders come first, by name
        assert first.holder_name == "Anna de Bruijn"
        await pilot.press("x")
        await settle(pilot)
        assert "kan vanaf nu (26 november 2026) niet meer inloggen" in app.screen.body
        await pilot.press("enter")  # the default answer is No
        await settle(pilot)
        assert any(r.email == first.email for r in list_licences(demo_ctx()))
        await pilot.press("x", "tab", "enter")  # move to "Loskoppelen" and choose it
        await settle(pilot)
        assert "Anna de Bruijn" not in screen_text(app)
        assert "28 in gebruik" not in screen_text(app) and "26 in gebruik" in screen_text(app)

    rows = list_licences(demo_ctx())
    assert not any(r.email == first.email for r in rows)
    assert next(r for r in rows if r.id == first.id).holder_id is None
    anna = _person("Anna de Bruijn")
    assert anna.former is False and anna.licence_id is None


async def test_auto_renew_off_then_on(make_app):
    from tribe_tui.services.licences import list_licences

    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        row = _table(app).current
        assert row.auto_renew
        await pilot.press("a")
        await settle(pilot)
        assert "blijft bruikbaar tot en met 31 mei 2027" in app.screen.body
        await pilot.press("j")
        await settle(pilot)
        assert next(r for r in list_licences(demo_ctx()) if r.id == row.id).auto_renew is False
        assert _table(app).current.id == row.id  # the cursor stays on the licence
        await pilot.press("a")  # switching it back on costs nothing: no question
        await settle(pilot)
    assert next(r for r in list_licences(demo_ctx()) if r.id == row.id).auto_renew is True


async def test_filter_as_you_type(make_app):
    from tribe_tui.services.licences import list_licences

    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "de")
        await settle(pilot)
        expected = [r.id for r in list_licences(demo_ctx(), "de", include_former=False)]
        assert list(_table(app).ids) == expected
        assert f"· {len(expected)} getoond" in screen_text(app)
        await type_text(pilot, " j")
        await settle(pilot)
        names = [_table(app).row_at(i).holder_name for i in range(len(_table(app).ids))]
        assert names == ["Daan de Jong"]
        assert "Daan de Jong" in screen_text(app) and "Anna de Bruijn" not in screen_text(app)
        await pilot.press("ctrl+u")  # empty filter: everything again
        await settle(pilot)
        assert len(_table(app).ids) == 30


async def test_former_toggle_and_switch(make_app):
    """v marks the holder Voormalig and the row stays under the cursor (the list shows Voormalig
    for it); t hides Voormalig people again, t shows them; v again undoes it."""
    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        row = _table(app).current
        await pilot.press("v")
        await settle(pilot)
        assert _person(row.holder_name).former is True
        assert _table(app).current.id == row.id
        assert "[x] Voormalig tonen (t)" in screen_text(app)
        assert "Voormalig" in screen_text(app).split(row.holder_name)[1].splitlines()[0]
        await pilot.press("t")
        await settle(pilot)
        assert row.id not in _table(app).ids
        assert "29 getoond" in screen_text(app)
        await pilot.press("t")
        await settle(pilot)
        assert row.id in _table(app).ids
        _table(app).cursor = list(_table(app).ids).index(row.id)
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert _person(row.holder_name).former is False


async def test_invite_key_opens_invite(make_app):
    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert type(app.screen).__name__ == "InviteScreen"
        await pilot.press("escape", "escape")  # the address field, then the screen
        await settle(pilot)
        assert type(app.screen).__name__ == "OverviewScreen"


async def test_free_licence_cannot_be_unlinked(make_app):
    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        assert _table(app).current.holder_id is None
        await pilot.press("x")
        await settle(pilot)
        assert type(app.screen).__name__ == "LicencesScreen"
        assert any("vrij" in n.message for n in app._notifications)


# --- literal text ------------------------------------------------------------------------------


async def test_markup_and_escapes_in_names_render_literally(make_app):
    from tribe_tui.models import Employee, Licence, Organisation

    org = Organisation.get(Organisation.slug == "demo")
    evil = Employee.create(
        organisation=org.id, name="[blink]Evil[/] [link=http://x]Co[/link]", email="evil@example.com"
    )
    red = Employee.create(organisation=org.id, name="\x1b[31mRed", email="red@example.com")
    free = [lic.id for lic in Licence.select().where((Licence.organisation == org.id) & Licence.holder.is_null())]
    Licence.update(holder=evil.id).where(Licence.id == free[0]).execute()
    Licence.update(holder=red.id).where(Licence.id == free[1]).execute()

    app = make_app("licences")
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "[blink]Evil[/] [link=http://x]Co[/link]" in text
        assert "\u241b[31mRed" in text  # ESC shown as its control picture, never sent to the terminal
        assert "\x1b" not in text
        await pilot.press("slash")
        await type_text(pilot, "[link")
        await settle(pilot)
        assert list(_table(app).ids) == [free[0]]


# --- a large organisation ----------------------------------------------------------------------


@pytest.fixture
def large(settings):
    from tribe_tui.db import open_database
    from tribe_tui.services.demo import ensure_demo

    open_database(settings.url)
    ensure_demo(TODAY, licences=5000)
    return settings


@pytest.mark.both_engines
async def test_large_organisation_rows_counts_and_order(large):
    """5,000 licences: the table pages through the same rows, in the same order, as the service."""
    from tribe_tui.app import create_app
    from tribe_tui.services.licences import count_licences, list_licences

    ctx = demo_ctx()
    expected = list_licences(ctx, include_former=False)
    assert len(expected) == 5000
    app = create_app(large, screen="licences", signed_in="admin", lang="nl", cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = _table(app)
        assert "5.000 licenties: 4.500 in gebruik, 500 vrij · 5.000 getoond" in screen_text(app)
        assert list(table.ids) == [r.id for r in expected]
        seen = []
        for _ in range(40):
            top = table.scroll_offset.y
            visible_rows = [table.row_at(top + i) for i in range(table._rows_visible)]
            seen.extend(r.id for r in visible_rows if r is not None)
            assert visible_rows[0] == expected[top]
            assert visible_rows[0].holder_name is None or visible_rows[0].holder_name in screen_text(app)
            await pilot.press("pagedown")
            await pilot.pause()
        assert seen == [r.id for r in expected[: len(seen)]]  # page after page, nothing skipped or repeated
        await pilot.press("end")
        await settle(pilot)
        assert table.current == expected[-1] and table.current.holder_id is None
        assert "vrije licentie" in screen_text(app)

        await pilot.press("slash")
        await type_text(pilot, "jong")
        await settle(pilot)
        want = list_licences(ctx, "jong", include_former=False)
        assert len(want) == count_licences(ctx, "jong", include_former=False) > 50
        assert list(table.ids) == [r.id for r in want]
        assert f"· {len(want)} getoond" in screen_text(app)
        await pilot.press("enter", "end")
        await settle(pilot)
        assert table.current == want[-1]
