"""Collega's uitnodigen: addresses in, an outcome per address, revoke, and no free licence."""

from __future__ import annotations

from tests.ui.conftest import demo_ctx, keys, screen_text, settle, type_text


def _fill_free_licences() -> None:
    """Give the demo's free licences to people who left earlier, so none is free."""
    from tribe_tui.services.employees import list_employees
    from tribe_tui.services.invitations import free_licences
    from tribe_tui.services.licences import link

    ctx = demo_ctx()
    for person in [e for e in list_employees(ctx, include_former=True) if e.former][: free_licences(ctx)]:
        link(ctx, person.email)
    assert free_licences(ctx) == 0


def test_invite_snapshot_nl(make_app, snap_compare):
    assert snap_compare(make_app("invite"), terminal_size=(80, 24), run_before=keys())


def test_invite_snapshot_en(make_app, snap_compare):
    assert snap_compare(make_app("invite", lang="en"), terminal_size=(80, 24), run_before=keys())


def test_invite_no_free_licence_snapshot(make_app, snap_compare):
    app = make_app("invite")
    _fill_free_licences()
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys())


async def test_invite_two_colleagues_then_revoke_one(make_app):
    from tribe_tui.services.invitations import list_invitations

    app = make_app("invite")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "eva@example.com, Piet@Example.com")
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "eva@example.com" in text and "Piet@example.com" in text  # the local part as typed
        # No mail server in tests: each invitation is kept in the outbox and says so.
        assert text.count("in de wachtrij") >= 2
        assert {i.email: i.status for i in list_invitations(demo_ctx())} == {
            "eva@example.com": "open",
            "Piet@example.com": "open",
        }

        await pilot.press("tab")  # to the list of open invitations
        await settle(pilot)
        first = list_invitations(demo_ctx())[0].email
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("y")  # revoking asks first
        await settle(pilot)
    statuses = {i.email: i.status for i in list_invitations(demo_ctx())}
    assert statuses[first] == "revoked"
    assert list(statuses.values()).count("open") == 1


async def test_bad_address_is_refused_and_nothing_is_sent(make_app):
    from tribe_tui.services.invitations import list_invitations

    app = make_app("invite")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "eva@example.com geen-adres")
        await pilot.press("enter")
        await settle(pilot)
        assert any("geen geldig e-mailadres" in n.message for n in app._notifications)
    assert list_invitations(demo_ctx()) == []


async def test_no_free_licence_offers_add_licences(make_app):
    app = make_app("invite")
    _fill_free_licences()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Er is geen vrije licentie" in screen_text(app)
        assert "Aantal gebruikers uitbreiden" in screen_text(app)
        await pilot.press("shift+tab")  # from the address field back to the button above it
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "AddLicencesScreen"


async def test_add_licences_key_works_while_typing(make_app):
    app = make_app("invite")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "eva@")
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert type(app.screen).__name__ == "AddLicencesScreen"


def _invitations_in_every_state(demo, tmp_path, monkeypatch) -> None:
    """Sent (to a maildir), queued (no mail server), accepted, revoked: on a fixed wall clock, as
    the validity and the acceptance date are wall-clock dates."""
    import re
    from datetime import datetime

    from tests.conftest import TODAY
    from tribe_tui.models import OutboxMessage
    from tribe_tui.services import invitations

    monkeypatch.setattr(invitations, "utcnow", lambda: datetime(2026, 11, 26, 9, 30))
    ctx = demo_ctx()
    demo.smtp_url = f"maildir://{tmp_path / 'mail'}"
    invitations.invite(ctx, ["eva@example.com"], demo)
    demo.smtp_url = None  # from here on no mail server: the rest stays queued
    invitations.invite(ctx, ["sophie@example.com", "bram@example.com", "piet@example.com"], demo)
    invitations.revoke(ctx, "sophie@example.com")
    token = re.search(r"accept-invite (\S+)", OutboxMessage.get(OutboxMessage.recipient == "bram@example.com").body)
    invitations.accept(
        token.group(1),
        username="bram",
        password="Collega-wachtwoord-2026",
        name="Bram de Vries",
        today=TODAY,
        settings=demo,
    )


def test_invitations_list_snapshot_nl(make_app, demo, snap_compare, tmp_path, monkeypatch):
    app = make_app("invite")
    _invitations_in_every_state(demo, tmp_path, monkeypatch)
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys("tab"))


def test_invitations_list_snapshot_en(make_app, demo, snap_compare, tmp_path, monkeypatch):
    app = make_app("invite", lang="en")
    _invitations_in_every_state(demo, tmp_path, monkeypatch)
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys("tab"))


async def test_more_addresses_than_free_licences_offers_to_add_them_first(make_app):
    from tribe_tui.services.invitations import free_licences, list_invitations
    from tribe_tui.widgets.confirm import ConfirmDialog

    ctx = demo_ctx()
    assert free_licences(ctx) == 3
    app = make_app("invite")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "a@example.com b@example.com c@example.com d@example.com")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)  # before anything is sent: the charge of one licence
        assert "1 licentie te weinig" in screen_text(app)
        assert list_invitations(ctx) == []
        await pilot.press("y")
        await settle(pilot)
    assert len(list_invitations(ctx)) == 4 and free_licences(ctx) == 4  # added, then invited (none accepted yet)


async def test_the_inviter_chooses_the_role_not_admin_unless_asked(make_app):
    """The invitation carries the role chosen on the screen: not admin by default; Ctrl+B ticks
    "invite as administrator" (for one sending: the box is clear again afterwards)."""
    from textual.widgets import Checkbox

    from tribe_tui.models import Invitation

    app = make_app("invite")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#invite-admin", Checkbox).value is False
        await type_text(pilot, "eva@example.com")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.click("#invite-emails")
        await type_text(pilot, "bram@example.com")
        await pilot.press("ctrl+b")
        assert app.screen.query_one("#invite-admin", Checkbox).value is True
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#invite-admin", Checkbox).value is False
    assert {i.email: i.role for i in Invitation.select()} == {"eva@example.com": "user", "bram@example.com": "admin"}


async def test_revoke_asks_first_with_no_focused_and_says_the_link_stops_working(make_app):
    from textual.widgets import Button

    from tribe_tui.services.invitations import invite, list_invitations
    from tribe_tui.widgets.confirm import ConfirmDialog

    ctx = demo_ctx()
    app = make_app("invite")
    invite(ctx, ["eva@example.com"], app.settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab")  # to the list of open invitations
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        text = f"{app.screen.question} {app.screen.body}"
        assert "eva@example.com" in text and "werkt daarna niet meer" in text, text
        focused = app.screen.focused
        assert isinstance(focused, Button) and focused.id == "no"  # the safe choice
        await pilot.press("enter")  # No: nothing happens
        await settle(pilot)
        assert [i.status for i in list_invitations(ctx)] == ["open"]
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert [i.status for i in list_invitations(ctx)] == ["revoked"]


async def test_resend_asks_first_and_says_the_earlier_link_stops_working(make_app):
    from textual.widgets import Button

    from tribe_tui.models import Invitation
    from tribe_tui.services.invitations import invite
    from tribe_tui.widgets.confirm import ConfirmDialog

    ctx = demo_ctx()
    app = make_app("invite", lang="en")
    invite(ctx, ["eva@example.com"], app.settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        text = f"{app.screen.question} {app.screen.body}"
        assert "eva@example.com" in text and "earlier link stops working" in text, text
        focused = app.screen.focused
        assert isinstance(focused, Button) and focused.id == "no"
        await pilot.press("escape")
        await settle(pilot)
        assert Invitation.select().count() == 1  # nothing sent
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert Invitation.select().count() == 2


async def test_an_old_link_on_the_accept_screen_says_a_newer_invitation_was_sent(make_app):
    import re

    from tribe_tui.models import OutboxMessage
    from tribe_tui.services.invitations import invite, resend

    ctx = demo_ctx()
    app = make_app(signed_in=None)
    invite(ctx, ["eva@example.com"], app.settings)
    old = re.search(r"accept-invite (\S+)", OutboxMessage.get(OutboxMessage.recipient == "eva@example.com").body)
    resend(ctx, "eva@example.com", app.settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_text(pilot, old.group(1))
        for value in ("\t", "eva", "\t", "Eva", "\t", "Collega-wachtwoord-2026", "\t", "Collega-wachtwoord-2026"):
            if value == "\t":
                await pilot.press("tab")
            else:
                await type_text(pilot, value)
        await pilot.press("enter")
        await settle(pilot)
        assert "nieuwere uitnodiging" in " ".join(screen_text(app).split()), screen_text(app)
