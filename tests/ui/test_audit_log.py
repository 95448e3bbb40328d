"""Logboek in words: each event one sentence in the admin's language, newest first, and filtered by
person, kind and date inside the TUI (an admin over SSH has no shell for `audit list`)."""

from __future__ import annotations

from datetime import datetime

from tests.ui.conftest import demo_ctx, screen_text, settle, type_text, until


def _arrange():
    """Three events by two people on three days: Sanne adds a licence, then switches renewal off,
    and `cli:ops` (no person) turns a module's renewal off."""

    from tribe_tui.models import AuditEvent, Employee
    from tribe_tui.services.demo import DEMO_ADMIN_EMAIL
    from tribe_tui.services.licences import add_licences, set_auto_renew
    from tribe_tui.services.modules import remove_module

    # Whatever the demo wrote happened before (its events carry the real clock's time).
    AuditEvent.update(at=datetime(2026, 6, 1, 9, 0)).execute()
    sanne = Employee.get(Employee.email == DEMO_ADMIN_EMAIL)
    ctx = demo_ctx()._replace(actor="admin", employee_id=sanne.id)
    add_licences(ctx, 1)
    set_auto_renew(ctx, "2", False)
    remove_module(demo_ctx()._replace(actor="cli:ops"), "exact-online")
    days = {"licences.add": 1, "licence.auto_renew": 2, "module.removal_scheduled": 3}
    for action, day in days.items():
        AuditEvent.update(at=datetime(2026, 11, day, 12, 0)).where(AuditEvent.action == action).execute()
    return sanne


def _events(app) -> list[str]:
    from textual.widgets import OptionList

    options = app.screen.query_one("#audit-events", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_events_read_as_sentences_newest_first_with_amsterdam_times(make_app, demo):
    _arrange()
    app = make_app("overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        events = _events(app)
        assert "Koppeling Exact Online stopgezet" in events[0] and "3 nov 2026 13:00 CET" in events[0], events[0]
        assert "automatisch verlengen van licentie 2 uitgezet" in events[1]
        assert "Sanne van der Berg heeft 1 licentie toegevoegd (factuur " in events[2], events[2]
        shown = screen_text(app)
        assert "licences.add" not in shown and "{" not in shown and "→" not in shown


async def test_english_sentences_and_names(make_app, demo):
    _arrange()
    app = make_app("overview", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        events = _events(app)
        assert "cli:ops stopped Link to Exact Online; it runs through 31 May 2027" in events[0], events[0]
        assert "Sanne van der Berg added 1 licence (invoice " in events[2], events[2]


async def test_filter_by_person_kind_and_date(make_app, demo):
    from textual.widgets import Select

    sanne = _arrange()
    app = make_app("overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        everything = len(_events(app))

        await pilot.press("slash")  # to the filters: the person first
        assert app.focused is app.screen.query_one("#audit-person", Select)
        app.screen.query_one("#audit-person", Select).value = sanne.id
        assert await until(pilot, lambda: len(_events(app)) < everything)
        assert all("Sanne van der Berg" in e for e in _events(app)), _events(app)
        assert not any("cli:ops" in e for e in _events(app))

        app.screen.query_one("#audit-kind", Select).value = "licences"
        assert await until(pilot, lambda: len(_events(app)) == 2), _events(app)

        await pilot.click("#audit-since")
        await type_text(pilot, "2026-11-02")
        assert await until(pilot, lambda: len(_events(app)) == 1), _events(app)
        assert "automatisch verlengen" in _events(app)[0]

        await pilot.click("#audit-through")
        await type_text(pilot, "2026-11-01")  # before "from": said under the filters, the list stays
        assert await until(pilot, lambda: "einddatum ligt vóór de begindatum" in screen_text(app))
        assert len(_events(app)) == 1

        app.screen.query_one("#audit-since").value = ""
        assert await until(pilot, lambda: len(_events(app)) == 1 and "licentie toegevoegd" in _events(app)[0])
        assert "einddatum" not in screen_text(app)

        app.screen.query_one("#audit-person", Select).clear()
        app.screen.query_one("#audit-kind", Select).value = "ssh"
        assert await until(pilot, lambda: "Geen gebeurtenissen die bij dit filter passen." in screen_text(app))


async def test_escape_from_a_filter_returns_to_the_list_then_leaves(make_app, demo):
    from textual.widgets import OptionList

    from tribe_tui.screens.audit import AuditScreen
    from tribe_tui.screens.overview import OverviewScreen

    app = make_app("overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("a", "slash")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AuditScreen)
        assert app.focused is app.screen.query_one("#audit-events", OptionList)
        await pilot.press("escape")
        assert await until(pilot, lambda: isinstance(app.screen, OverviewScreen))


async def test_a_chosen_person_stays_on_the_filters_line_at_60_columns(make_app, demo):
    """ "Sanne van der Berg <sanne.vanderberg@...>" in a narrow filter is cut with an ellipsis, not
    wrapped down the screen over the events."""
    from textual.widgets import Select

    sanne = _arrange()
    app = make_app("overview")
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        before = app.screen.query_one("#audit-filters").region.height
        app.screen.query_one("#audit-person", Select).value = sanne.id
        await settle(pilot)
        assert app.screen.query_one("#audit-filters").region.height == before == 1
        assert any(line.lstrip().startswith("Sanne") and "…" in line for line in screen_text(app).splitlines())
