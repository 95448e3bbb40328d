"""Section keys from anywhere (function keys, a text field too), sign-out, and keys typed in one
burst while a screen opens."""

from __future__ import annotations

import pytest

from tests.ui.conftest import screen_text, settle, until
from tribe_tui.sections import SECTIONS


@pytest.mark.parametrize("section", SECTIONS, ids=[s.name for s in SECTIONS])
async def test_a_function_key_opens_a_section_even_from_a_text_field(make_app, section):
    from textual.widgets import Input

    app = make_app("invite", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.focused, Input)
        await pilot.press("a", "4")  # typed into the field: a digit there is text
        assert app.focused.value == "a4" and app.screen.SECTION == "invite"
        await pilot.press(section.function_key)
        await settle(pilot)
        assert app.screen.SECTION == section.name
        assert app.screen.title == section.title("en")


async def test_the_footer_and_the_help_name_the_function_keys(make_app):
    app = make_app("overview", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "f2–f11 Section" in screen_text(app).splitlines()[-1]
        await pilot.press("f1")
        await settle(pilot)
        await pilot.press("end")  # the overview's help is longer than 24 lines: its end holds the sections
        await settle(pilot)
        shown = " ".join(screen_text(app).split())
        assert "4 Manage user licences (F6)" in shown or "Sections:" in shown  # scrolled: see the next line
        assert "4 Manage user licences (F6)" in " ".join(app.screen.query_one("#help-sections").render().plain.split())


async def test_sign_out_returns_to_the_sign_in_screen_and_is_audited(make_app):
    from tribe_tui.models import AuditEvent
    from tribe_tui.screens.sign_in import SignInScreen

    app = make_app("licences", lang="nl")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.session is None and len(app.screen_stack) == 2
        assert "Je bent afgemeld." in [n.message for n in app._notifications]
        # The session is over: no section key opens anything now.
        await pilot.press("f6", "escape")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
    events = [(e.actor, e.action) for e in AuditEvent.select().order_by(AuditEvent.id)]
    assert events[-1] == ("admin", "sign_out")


def burst(app, *keys: str) -> None:
    """Keys as a fast typist or a paste delivers them: all queued before the app handles the first."""
    from textual import events

    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_a_key_typed_right_after_a_section_key_acts_on_the_new_screen(make_app):
    from tribe_tui.screens.licences import LicencesScreen

    app = make_app("overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "4", "t")
        # Held keys are handed on as the new screen becomes ready: wait for that, not for workers.
        await until(pilot, lambda: app.keys.idle)
        assert isinstance(app.screen, LicencesScreen)
        assert app.screen.include_former, "t (show Voormalig) was lost"
        assert app.screen.query_one("#licences-filter").value == ""


async def test_text_typed_right_after_a_section_key_reaches_the_new_screens_field_whole(make_app):
    from textual.widgets import Input

    from tribe_tui.screens.invite import InviteScreen

    app = make_app("overview", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "5", "x", "y", "z")
        assert await until(pilot, lambda: app.keys.idle), app.keys.held
        assert isinstance(app.screen, InviteScreen)
        assert app.screen.query_one("#invite-emails", Input).value == "xyz"


async def test_keys_through_several_screens_in_one_burst_all_arrive_in_order(make_app):
    from tribe_tui.screens.licences import LicencesScreen
    from tribe_tui.widgets.paged_table import PagedTable

    app = make_app("overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst(app, "1", "3", "escape", "4", "down")
        # Four screens open one after the other, each reading its data: on a loaded machine that
        # takes longer than until's default, and a timeout must say so, not pass as a wrong screen.
        assert await until(pilot, lambda: app.keys.idle, timeout=60), (app.keys.held, app.screen)
        assert isinstance(app.screen, LicencesScreen)
        assert app.screen.query_one(PagedTable).cursor == 1
        assert len(app.screen_stack) == 3  # default, overview, licences: Escape went back before 4


@pytest.mark.parametrize("key", ["4", "7", None], ids=["licences", "invoices", "overview"])
async def test_signing_out_while_a_screen_still_reads_ends_nothing_but_the_session(make_app, key):
    from tribe_tui.screens.sign_in import SignInScreen

    app = make_app("overview", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        if key:
            await pilot.press(key)  # a section on top of the overview, which resumes as it is left
            await settle(pilot)
        burst(app, "ctrl+o")
        assert await until(pilot, lambda: isinstance(app.screen, SignInScreen))
        await settle(pilot)
        assert app.failure() is None and app.is_running
