"""Marking rows in Licenties and Medewerkers (space) and acting on all of them after one question;
the cursor stays on the row just changed. By keystrokes; the database is asserted through services."""

from __future__ import annotations

from tests.ui.conftest import demo_ctx, screen_text, settle


def _table(app, section: str):
    return app.screen.query_one(f"#{section}-table")


async def _mark_two(pilot, app, section: str) -> list:
    """Mark the second and third rows (the first is the admin in the demo)."""
    await pilot.press("down")
    await settle(pilot)
    rows = [_table(app, section).current]
    await pilot.press("space")  # marks and moves on
    await settle(pilot)
    rows.append(_table(app, section).current)
    await pilot.press("space")
    await settle(pilot)
    assert "2 gemarkeerd" in screen_text(app)
    return rows


async def test_unlink_acts_on_every_marked_licence_after_one_question(make_app):
    from tribe_tui.services.licences import list_licences

    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        marked = await _mark_two(pilot, app, "licences")
        await pilot.press("x")
        await settle(pilot)
        assert app.screen.question == "2 gebruikers loskoppelen?"
        await pilot.press("tab", "enter")
        await settle(pilot)
        assert "gemarkeerd" not in screen_text(app)
    rows = {r.id: r for r in list_licences(demo_ctx())}
    assert [rows[r.id].holder_id for r in marked] == [None, None]


async def test_renewal_off_for_marked_licences_names_the_amount_the_renewal_drops(make_app):
    from tribe_tui import formatting
    from tribe_tui.services.account import overview
    from tribe_tui.services.licences import list_licences

    before = overview(demo_ctx()).next_invoice.total
    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        marked = await _mark_two(pilot, app, "licences")
        await pilot.press("a")
        await settle(pilot)
        question, body = app.screen.question, app.screen.body
        await pilot.press("tab", "enter")
        await settle(pilot)
    after = overview(demo_ctx()).next_invoice.total
    assert after < before
    assert question == f"2 licenties niet verlengen? (verlenging {formatting.money(before - after, 'nl')} lager)"
    assert formatting.money(after, "nl") in body
    rows = {r.id: r for r in list_licences(demo_ctx())}
    assert [rows[r.id].auto_renew for r in marked] == [False, False]


async def test_voormalig_acts_on_every_marked_employee_after_one_question(make_app):
    from tribe_tui.services.employees import list_employees

    app = make_app("employees")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        marked = await _mark_two(pilot, app, "employees")
        await pilot.press("v")
        await settle(pilot)
        assert app.screen.question == "2 medewerkers op Voormalig zetten?"
        await pilot.press("tab", "enter")
        await settle(pilot)
    people = {e.id: e for e in list_employees(demo_ctx(), include_former=True)}
    assert [people[r.id].former for r in marked] == [True, True]


async def test_space_again_unmarks_and_nothing_marked_acts_on_the_cursor_row(make_app):
    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "space", "up")
        await settle(pilot)
        assert "1 gemarkeerd" in screen_text(app) and "✓" in screen_text(app)
        await pilot.press("space", "up")
        await settle(pilot)
        assert "gemarkeerd" not in screen_text(app) and "✓" not in screen_text(app)
        row = _table(app, "licences").current
        await pilot.press("x")
        await settle(pilot)
        assert app.screen.question == f"{row.holder_name} loskoppelen?"


async def test_the_licence_list_keeps_the_cursor_on_the_holder_just_made_voormalig(make_app):
    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")
        await settle(pilot)
        row = _table(app, "licences").current
        await pilot.press("v")
        await settle(pilot)
        now = _table(app, "licences").current
        assert (now.id, now.former) == (row.id, True)
        assert "[x] Voormalig tonen" in screen_text(app)


async def test_at_60_columns_the_counts_line_still_says_how_many_are_marked(make_app):
    """A narrow terminal wraps the counts line rather than cutting off what the number means."""
    app = make_app("licences")
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("down", "space", "space")
        await settle(pilot)
        counts = " ".join(app.screen.query_one("#licences-counts").render().plain.split())
        shown = " ".join(screen_text(app).split())
        assert counts.endswith("2 gemarkeerd"), counts
        assert "2 gemarkeerd" in shown, screen_text(app)
