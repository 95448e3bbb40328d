"""Medewerkers: every employee, admin role, unlock, link; invitations resent; accepting an invitation
from the sign-in screen. Each test drives the flow by keyboard and checks that the person can (or
cannot) sign in afterwards."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from tests.conftest import TODAY
from tests.ui.conftest import demo_ctx, screen_text, settle, type_text, until

PASSWORD = "Collega-wachtwoord-2026"


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch):
    """Real argon2id at its smallest cost: these tests hash a password per colleague."""
    from argon2 import PasswordHasher

    from tribe_tui.services import auth

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(auth, "_hasher", lambda: cheap)


def invite_token(settings, address: str) -> str:
    """Invite `address` (no mail server in tests: the mail stays queued) and read its token from it."""
    from tribe_tui.models import OutboxMessage
    from tribe_tui.services.invitations import invite

    invite(demo_ctx(), [address], settings)
    body = OutboxMessage.select().where(OutboxMessage.recipient == address).order_by(OutboxMessage.id.desc()).get().body
    return re.search(r"accept-invite (\S+)", body).group(1)


def join(settings, address: str, username: str, name: str) -> None:
    from tribe_tui.services.invitations import accept

    accept(
        invite_token(settings, address), username=username, password=PASSWORD, name=name, today=TODAY, settings=settings
    )


def can_sign_in(username: str) -> bool:
    from tribe_tui.errors import Refused
    from tribe_tui.services.signin import sign_in

    try:
        sign_in(username, PASSWORD, today=TODAY)
    except Refused:
        return False
    return True


async def _find(pilot, text: str) -> None:
    """Filter the employees table to `text` and go back to the table."""
    await pilot.press("slash")
    await type_text(pilot, text)
    await pilot.press("enter")
    await settle(pilot)


def _current(app):
    from tribe_tui.widgets.paged_table import PagedTable

    return app.screen.query_one(PagedTable).current


@pytest.mark.both_engines  # the acceptance flows: on both engines
async def test_grant_admin_then_the_former_last_admin_can_be_unlinked(make_app, demo):
    from tribe_tui.services.licences import unlink

    join(demo, "bram@example.com", "bram", "Bram de Vries")
    app = make_app("employees")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _find(pilot, "sanne")
        await pilot.press("b")  # revoke her own admin role: refused before asking, naming who could take over
        await settle(pilot)
        notices = " ".join(str(n.message) for n in app._notifications)
        assert "laatste beheerder" in notices and "Bram de Vries" in notices
        await pilot.press("escape")  # away with the refusal
        await pilot.press("slash", "ctrl+u")
        await type_text(pilot, "bram@example.com")
        await pilot.press("enter")
        await settle(pilot)
        assert _current(app).name == "Bram de Vries" and _current(app).role == "user"
        await pilot.press("b", "y")  # make Bram admin: asks first, yes
        assert await until(pilot, lambda: _current(app) is not None and _current(app).role == "admin")
        assert "beheerder" in screen_text(app)
    from tribe_tui.services.demo import DEMO_ADMIN_EMAIL

    unlink(demo_ctx(), DEMO_ADMIN_EMAIL)  # Sanne, once the last admin, may go now
    assert not can_sign_in("admin") and can_sign_in("bram")


@pytest.mark.both_engines  # the acceptance flows: on both engines
async def test_unlock_a_locked_colleague_then_their_next_sign_in_succeeds(make_app, demo):
    from tribe_tui.errors import Refused
    from tribe_tui.services.signin import sign_in

    join(demo, "lotte@example.com", "lotte", "Lotte Jansen")
    for _ in range(5):
        with pytest.raises(Refused):
            sign_in("lotte", "Fout-wachtwoord-2026", today=TODAY)
    assert not can_sign_in("lotte")  # locked
    app = make_app("employees")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _find(pilot, "lotte@example.com")
        row = _current(app)
        assert row.locked_until is not None and row.locked_until > datetime.utcnow()
        assert "vergrendeld tot" in screen_text(app)  # the admin sees until when
        await pilot.press("u")
        assert await until(pilot, lambda: _current(app) is not None and _current(app).locked_until is None)
    assert can_sign_in("lotte")


@pytest.mark.both_engines  # the acceptance flows: on both engines
async def test_link_a_former_employee_to_a_free_licence_then_they_sign_in_again(make_app, demo):
    from tribe_tui.services.licences import offboard

    join(demo, "kees@example.com", "kees", "Kees Bakker")
    offboard(demo_ctx(), "kees@example.com")
    assert not can_sign_in("kees")
    app = make_app("employees")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")  # show Voormalig too
        await _find(pilot, "kees@example.com")
        assert _current(app).former and _current(app).licence_id is None
        await pilot.press("l")  # a free licence exists in the demo: linked at once
        assert await until(pilot, lambda: _current(app) is not None and _current(app).licence_id is not None)
        assert not _current(app).former
    assert can_sign_in("kees")


async def test_link_without_a_free_licence_adds_one_after_showing_its_charge(make_app, demo):
    from tribe_tui.services.invitations import free_licences
    from tribe_tui.services.licences import add_licences, link
    from tribe_tui.widgets.confirm import ConfirmDialog

    ctx = demo_ctx()
    from tribe_tui.services.employees import list_employees

    formers = [e for e in list_employees(ctx, include_former=True) if e.former]
    for person in formers[1 : 1 + free_licences(ctx)]:
        link(ctx, person.email)
    assert free_licences(ctx) == 0
    before = add_licences(ctx, 1, dry_run=True).charge.total
    app = make_app("employees")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await _find(pilot, formers[0].email)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        from tribe_tui import formatting

        assert formatting.money(before, "nl").replace("\xa0", " ") in screen_text(app).replace("\xa0", " ")
        await pilot.press("y")
        assert await until(pilot, lambda: _current(app) is not None and _current(app).licence_id is not None)
    assert free_licences(ctx) == 0


@pytest.mark.both_engines  # the acceptance flows: on both engines
async def test_resend_an_invitation_then_the_first_token_is_refused_and_the_second_accepted(make_app, demo):
    from tribe_tui.errors import Refused
    from tribe_tui.models import OutboxMessage
    from tribe_tui.services.invitations import accept, list_invitations

    first = invite_token(demo, "noor@example.com")
    app = make_app("invite")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "noor@example.com" in screen_text(app)
        await pilot.press("tab")  # to the list of invitations
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("y")  # resending asks first: the first link stops working
        assert await until(
            pilot,
            lambda: (
                OutboxMessage.select().where(OutboxMessage.recipient == "noor@example.com").count() == 1
                and len(list_invitations(demo_ctx())) == 2
            ),
        )
    second = re.search(
        r"accept-invite (\S+)", OutboxMessage.get(OutboxMessage.recipient == "noor@example.com").body
    ).group(1)
    assert second != first
    with pytest.raises(Refused):
        accept(first, username="noor", password=PASSWORD, name=None, today=TODAY, settings=demo)
    accept(second, username="noor", password=PASSWORD, name=None, today=TODAY, settings=demo)
    assert can_sign_in("noor")


@pytest.mark.both_engines  # the acceptance flows: on both engines
async def test_accept_an_invitation_on_the_sign_in_screen_then_be_signed_in(make_app, demo):
    from tribe_tui.screens.no_access import NoAccessScreen

    token = invite_token(demo, "fleur@example.com")
    app = make_app(signed_in=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Uitnodiging accepteren" in screen_text(app)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_text(pilot, token)
        await pilot.press("tab")
        await type_text(pilot, "fleur")
        await pilot.press("tab")
        await type_text(pilot, "Fleur de Boer")
        await pilot.press("tab")
        await type_text(pilot, PASSWORD)
        await pilot.press("tab")
        await type_text(pilot, PASSWORD)
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, NoAccessScreen))  # signed in; not an admin
        assert app.session is not None and app.session.username == "fleur"
    assert can_sign_in("fleur")


async def test_overview_counts_idle_licences_and_opens_them(make_app, demo):
    from tribe_tui.screens.licences import LicencesScreen
    from tribe_tui.services.employees import idle_licence_ids
    from tribe_tui.widgets.paged_table import PagedTable

    idle = idle_licence_ids(demo_ctx())
    assert len(idle) == 4  # the demo: every seventh colleague
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "4 licenties, 60+ dagen" in screen_text(app)
        await pilot.press("n")
        assert await until(pilot, lambda: isinstance(app.screen, LicencesScreen) and app.screen.index is not None)
        assert sorted(app.screen.query_one(PagedTable).ids) == sorted(idle)
        await pilot.press("o", "tab", "enter")  # offboard the first of them: one more key, then confirm
        assert await until(pilot, lambda: len(idle_licence_ids(demo_ctx())) == 3)


def test_employees_snapshot_nl(make_app, snap_compare):
    from tests.ui.conftest import keys

    assert snap_compare(make_app("employees"), terminal_size=(80, 24), run_before=keys())


def test_employees_snapshot_en(make_app, snap_compare):
    from tests.ui.conftest import keys

    assert snap_compare(make_app("employees", lang="en"), terminal_size=(80, 24), run_before=keys())


async def test_the_admin_role_question_with_rows_marked_says_it_is_for_that_one_person(make_app, demo):
    from tribe_tui.widgets.confirm import ConfirmDialog

    join(demo, "bram@example.com", "bram", "Bram de Vries")
    app = make_app("employees", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("space", "space")  # two rows marked
        await settle(pilot)
        await _find(pilot, "bram@example.com")
        await pilot.press("b")
        assert await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "This is for Bram de Vries only: the 2 marked rows are left as they are." in app.screen.body
        await pilot.press("enter")  # No
        await settle(pilot)
        assert _current(app).role == "user"
