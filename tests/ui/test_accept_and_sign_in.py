"""The sign-in screen and the accept screen: help, errors that belong to the moment, fields
checked as they are left, and the link from the e-mail taken as it is pasted."""

from __future__ import annotations

import re

from tests.ui.conftest import demo_ctx, screen_text, settle, type_text

PASSWORD = "Collega-wachtwoord-2026"


def _token(app) -> str:
    from tribe_tui.models import OutboxMessage
    from tribe_tui.services.invitations import invite

    invite(demo_ctx(), ["eva@example.com"], app.settings)
    body = OutboxMessage.get(OutboxMessage.recipient == "eva@example.com").body
    return re.search(r"accept-invite (\S+)", body).group(1)


async def _open_accept(pilot):
    from tribe_tui.screens.accept_invite import AcceptInviteScreen

    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert isinstance(pilot.app.screen, AcceptInviteScreen)


def _field(app, name: str):
    from textual.widgets import Input

    return app.screen.query_one(f"#accept-{name}", Input)


def _error(app, name: str) -> str:
    from textual.widgets import Static

    error = app.screen.query_one(f"#accept-{name}-error", Static)
    return str(error.render()) if error.display else ""


async def test_f1_opens_the_help_on_the_sign_in_screen(make_app):
    from tribe_tui.widgets.help import HelpScreen

    app = make_app(signed_in=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "Log in met je gebruikersnaam" in screen_text(app)  # what this screen is for


async def test_coming_back_from_the_accept_screen_clears_the_old_error(make_app):
    from textual.widgets import Static

    from tribe_tui.screens.sign_in import SignInScreen

    app = make_app(signed_in=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "niemand")
        await pilot.press("tab")
        await type_text(pilot, "fout-wachtwoord")
        await pilot.press("enter")
        await settle(pilot)
        assert str(app.screen.query_one("#sign-in-error", Static).render()).strip()  # refused
        await _open_accept(pilot)
        await pilot.press("escape")  # once: out of the field and off the screen
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert str(app.screen.query_one("#sign-in-error", Static).render()).strip() == ""


async def test_escape_once_leaves_the_accept_screen_and_the_footer_says_so(make_app):
    from tribe_tui.screens.sign_in import SignInScreen

    app = make_app(signed_in=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_accept(pilot)
        footer = screen_text(app).splitlines()[-1]
        assert "esc" in footer.lower() and "Terug" in footer, footer
        await type_text(pilot, "abc")  # in the token field
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)


async def test_the_link_from_the_e_mail_is_taken_as_well_as_the_bare_token(make_app):
    app = make_app(signed_in=None)
    token = _token(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_accept(pilot)
        await type_text(pilot, f"https://crm.example.test/invite?token={token}")
        await pilot.press("tab")
        await settle(pilot)
        assert _field(app, "token").value == token  # what was recognised in the link
        assert _error(app, "token") == ""
        await type_text(pilot, "eva")
        for value in ("Eva", PASSWORD, PASSWORD):
            await pilot.press("tab")
            await type_text(pilot, value)
        await pilot.press("enter")
        await settle(pilot)
        assert app.session is not None and app.session.username == "eva"


async def test_the_username_rule_is_shown_up_front_and_capitals_are_lowered_not_refused(make_app):
    app = make_app(signed_in=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_accept(pilot)
        assert "a-z, 0-9" in screen_text(app)  # before anything was typed
        await pilot.press("tab")
        await type_text(pilot, "Eva.DeVries")
        await pilot.press("tab")  # leaving it
        await settle(pilot)
        assert _field(app, "username").value == "eva.devries"
        assert _error(app, "username") == ""
        await pilot.press("shift+tab")
        await pilot.press("end")
        await type_text(pilot, "!")
        await pilot.press("tab")
        await settle(pilot)
        assert "a-z" in _error(app, "username")


async def test_a_short_password_is_named_when_the_field_is_left(make_app):
    app = make_app(signed_in=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_accept(pilot)
        _field(app, "password").focus()
        await settle(pilot)
        await type_text(pilot, "kort")
        assert _error(app, "password") == ""  # not while typing
        await pilot.press("tab")
        await settle(pilot)
        assert "12" in _error(app, "password")


async def test_an_error_moves_the_focus_to_the_field_at_fault(make_app):
    from tribe_tui.models import Employee

    app = make_app(signed_in=None)
    token = _token(app)
    taken = Employee.select().where(Employee.username.is_null(False)).first().username
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_accept(pilot)
        await type_text(pilot, token)
        for value in (taken, "Eva", PASSWORD, PASSWORD):
            await pilot.press("tab")
            await type_text(pilot, value)
        await pilot.press("enter")
        await settle(pilot)
        assert app.session is None
        assert app.screen.focused is _field(app, "username")
        assert "al in gebruik" in _error(app, "username")
        # Passwords that differ: the second one is at fault.
        _field(app, "username").value = "eva"
        _field(app, "password").value = PASSWORD
        _field(app, "password-again").value = PASSWORD + "x"
        _field(app, "password-again").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.focused is _field(app, "password-again")
        assert _error(app, "password-again")


async def test_something_else_in_the_token_field_is_named_for_what_it_is_not(make_app):
    app = make_app(signed_in=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_accept(pilot)
        await type_text(pilot, "abc")
        await pilot.press("tab")
        await settle(pilot)
        assert "geen link of token" in _error(app, "token")
