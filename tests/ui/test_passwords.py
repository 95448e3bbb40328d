"""Passwords in the TUI: the signed-in person changes their own (`w`; the "no right" screen has it
too), and on the employees screen an admin sends a colleague a reset link (`w`) without seeing it."""

from __future__ import annotations

import pytest

from tests.conftest import TODAY
from tests.ui.conftest import screen_text, settle, type_text, until

NEW = "Nieuw-wachtwoord-2027"


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch):
    from argon2 import PasswordHasher

    from tribe_tui.services import auth

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(auth, "_hasher", lambda: cheap)


def _signs_in(username: str, password: str) -> bool:
    from tribe_tui.errors import Refused
    from tribe_tui.services.signin import sign_in

    try:
        sign_in(username, password, today=TODAY)
    except Refused:
        return False
    return True


async def _fill(pilot, old: str, new: str, again: str) -> None:
    for text in (old, new, again):
        await type_text(pilot, text)
        await pilot.press("enter")
    await settle(pilot)


async def test_an_admin_changes_their_own_password_the_old_one_asked(make_app):
    from tribe_tui.screens.password import PasswordScreen
    from tribe_tui.services.demo import DEMO_ADMIN, DEMO_PASSWORD

    app = make_app("overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, PasswordScreen) and "Huidig wachtwoord" in screen_text(app)
        await _fill(pilot, "niet-het-oude-ww", NEW, NEW)
        assert await until(pilot, lambda: any("klopt niet" in str(n.message) for n in app._notifications))
        assert _signs_in(DEMO_ADMIN, DEMO_PASSWORD)
        for field in app.screen._fields():
            field.value = ""
        app.screen._fields()[0].focus()
        await _fill(pilot, DEMO_PASSWORD, NEW, NEW)
        assert await until(pilot, lambda: any("gewijzigd" in str(n.message) for n in app._notifications))
    assert _signs_in(DEMO_ADMIN, NEW) and not _signs_in(DEMO_ADMIN, DEMO_PASSWORD)


async def test_someone_without_the_admin_role_changes_theirs_from_the_no_right_screen(make_app):
    from tribe_tui.models import Employee
    from tribe_tui.screens.no_access import NoAccessScreen
    from tribe_tui.screens.password import PasswordScreen
    from tribe_tui.services.auth import hash_password

    colleague = Employee.select().where(Employee.role == "user").order_by(Employee.id).get()
    old = "Oud-collega-wachtwoord-1"
    Employee.update(username="collega", password_hash=hash_password(old)).where(Employee.id == colleague.id).execute()
    app = make_app("overview", signed_in="collega")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NoAccessScreen)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, PasswordScreen)
        await _fill(pilot, old, NEW, NEW)
        assert await until(pilot, lambda: any("gewijzigd" in str(n.message) for n in app._notifications))
        await pilot.press("escape", "escape")  # out of the field, then back
        await settle(pilot)
        assert isinstance(app.screen, NoAccessScreen)
    assert _signs_in("collega", NEW)


@pytest.mark.both_engines  # the acceptance flows: on both engines
async def test_an_admin_sends_a_reset_link_and_sees_no_token(make_app):
    from tribe_tui.models import Employee, Invitation, OutboxMessage
    from tribe_tui.services.auth import hash_password

    colleague = Employee.select().where(Employee.role == "user").order_by(Employee.id).get()
    Employee.update(username="collega", password_hash=hash_password("Oud-collega-wachtwoord-1")).where(
        Employee.id == colleague.id
    ).execute()
    app = make_app("employees")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, colleague.email)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert "nieuw wachtwoord sturen" in screen_text(app)
        await pilot.press("y")
        assert await until(pilot, lambda: Invitation.select().where(Invitation.purpose == "password_reset").exists())
        await settle(pilot)
        [reset] = Invitation.select().where(Invitation.purpose == "password_reset")
        assert reset.employee_id == colleague.id
        body = OutboxMessage.select().where(OutboxMessage.recipient == colleague.email).get().body
        token = body.split("reset-password ")[1].split()[0]
        assert token not in screen_text(app)


async def test_a_password_change_typed_in_one_burst_fills_each_field_with_its_own_text(make_app):
    from textual import events

    from tribe_tui.screens.password import PasswordScreen
    from tribe_tui.services.demo import DEMO_ADMIN, DEMO_PASSWORD

    app = make_app("overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, PasswordScreen)
        # All queued before the app handles the first: the keys after each Enter belong to the
        # field that Enter moved to.
        for text in (DEMO_PASSWORD, NEW, NEW):
            for char in text:
                app.post_message(events.Key(char if char.isalnum() else "minus" if char == "-" else char, char))
            app.post_message(events.Key("enter", "\r"))
        assert await until(pilot, lambda: any("gewijzigd" in str(n.message) for n in app._notifications)), [
            n.message for n in app._notifications
        ]
    assert _signs_in(DEMO_ADMIN, NEW)


@pytest.mark.parametrize("way_out", ["ctrl+q", "escape", "ctrl+o", "palette:Invoices", "palette:Quit"])
async def test_leaving_the_password_screen_with_typed_fields_asks_first(make_app, way_out):
    from tribe_tui.screens.password import PasswordScreen
    from tribe_tui.widgets.confirm import ConfirmDialog

    app = make_app("overview", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await type_text(pilot, "half-typed")
        await pilot.press("escape")  # out of the field: the next keys reach the screen
        await settle(pilot)
        if way_out.startswith("palette:"):
            await pilot.press("ctrl+p")
            await settle(pilot)
            await type_text(pilot, way_out.removeprefix("palette:"))
            await pilot.pause(0.3)  # the palette searches in its own time before it offers a match
            await settle(pilot)
            await pilot.press("enter")
        else:
            await pilot.press(way_out)
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, ConfirmDialog), "typed passwords dropped unasked"
        assert "Discard the passwords you typed?" in screen_text(app)
        await pilot.press("enter")  # No: back on the form, the text kept
        await settle(pilot)
        assert isinstance(app.screen, PasswordScreen)
        assert app.screen._fields()[0].value == "half-typed"
