"""Two sessions at once: while admin Sanne has the TUI open, another admin (here: the command line)
revokes her admin role, offboards her, marks her Voormalig or unlinks her licence. Her open session
then tries to buy licences, add a module, plan a downgrade, make herself admin again or read the
invoices. Every act re-checks who acts: nothing changes, the session ends with one line and goes
back to the sign-in screen (an audit event with the reason), or, when only the admin role went,
shows the "no right" screen."""

from __future__ import annotations

import pytest

from tests.conftest import TODAY
from tests.ui.conftest import demo_ctx, screen_text, settle, type_text, until


def _second_admin() -> str:
    """A colleague holding a licence becomes admin too, so that Sanne may be demoted or leave."""
    from tribe_tui.models import Employee, Licence
    from tribe_tui.services.employees import set_admin

    colleague = (
        Employee.select()
        .join(Licence, on=(Licence.holder == Employee.id))
        .where((Employee.role == "user") & ~Employee.former)
        .order_by(Employee.id)
        .get()
    )
    Employee.update(username="bram").where(Employee.id == colleague.id).execute()  # has signed up
    set_admin(demo_ctx(), colleague.email, True)
    return colleague.email


def _account() -> dict:
    """Every account table but the audit log (the session's end is recorded there)."""
    from tests.helpers import dump_account_tables

    tables = dump_account_tables()
    tables.pop("audit_event")
    return tables


def _cut_off(how: str) -> None:
    """What the other admin does to Sanne, from the command line (no person: an operator)."""
    from tribe_tui.services.demo import DEMO_ADMIN_EMAIL
    from tribe_tui.services.employees import set_admin, set_former
    from tribe_tui.services.licences import offboard, unlink

    {
        "admin off": lambda: set_admin(demo_ctx(), DEMO_ADMIN_EMAIL, False),
        "offboard": lambda: offboard(demo_ctx(), DEMO_ADMIN_EMAIL),
        "Voormalig": lambda: set_former(demo_ctx(), DEMO_ADMIN_EMAIL, True),
        "unlink": lambda: unlink(demo_ctx(), DEMO_ADMIN_EMAIL),
    }[how]()


async def _add_licence(pilot) -> None:
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("1")
    await settle(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)
    await pilot.press("y")


async def _add_module(pilot) -> None:
    await pilot.press("3")
    await settle(pilot)
    await pilot.press("down", "down")
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    await pilot.press("right", "enter")


async def _plan_downgrade(pilot) -> None:
    await pilot.press("1")
    await settle(pilot)
    await pilot.press("up")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("y")


async def _admin_again(pilot) -> None:
    await pilot.press("9")
    await settle(pilot)
    await pilot.press("slash")
    await type_text(pilot, "sanne")
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    await pilot.press("y")


async def _read_invoices(pilot) -> None:
    await pilot.press("7")


ACTS = {
    "add a licence": _add_licence,
    "add a module": _add_module,
    "plan a downgrade": _plan_downgrade,
    "make herself admin again": _admin_again,
    "read the invoices": _read_invoices,
}
CASES = [(how, act) for how in ("admin off", "offboard") for act in ACTS] + [
    ("Voormalig", "add a licence"),
    ("unlink", "add a licence"),
    ("Voormalig", "read the invoices"),
    ("unlink", "make herself admin again"),
]


@pytest.mark.both_engines  # the acceptance flows: on both engines
@pytest.mark.parametrize(("how", "act"), CASES)
async def test_an_open_session_acts_only_while_its_person_still_may(make_app, demo, how, act):
    from tribe_tui.models import AuditEvent
    from tribe_tui.screens.no_access import NoAccessScreen
    from tribe_tui.screens.sign_in import SignInScreen
    from tribe_tui.services.edition import set_edition

    _second_admin()
    if act == "plan a downgrade":
        set_edition(demo_ctx(), "creator")  # up from Creator to Tribe... and back down is the plan
    app = make_app("overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.session is not None and app.session.is_admin
        _cut_off(how)
        before = _account()
        events = AuditEvent.select().count()
        await ACTS[act](pilot)
        await settle(pilot)
        assert _account() == before, f"{how}, then '{act}': the session changed the account"
        if how == "admin off":
            # Still someone who may sign in: told they lack the right, nothing else.
            assert await until(pilot, lambda: "niet het recht" in screen_text(app)), screen_text(app)
            assert isinstance(app.screen, NoAccessScreen)
            assert app.session is not None and not app.session.is_admin
            await pilot.press("9")  # no section opens any more
            await settle(pilot)
            assert isinstance(app.screen, NoAccessScreen)
            assert AuditEvent.select().count() == events
        else:
            assert await until(pilot, lambda: "Je sessie is beëindigd" in screen_text(app)), screen_text(app)
            assert isinstance(app.screen, SignInScreen)
            assert app.session is None
            ended = AuditEvent.select().where(AuditEvent.id > 0).order_by(AuditEvent.id.desc()).get()
            assert ended.action == "session.ended" and ended.actor == "admin"
            assert AuditEvent.select().count() == events + 1


@pytest.mark.both_engines  # the acceptance flows: on both engines
async def test_a_password_session_ends_at_its_next_read_and_the_person_cannot_sign_in_again(make_app, demo):
    """Signed in with the password on the sign-in screen; made Voormalig meanwhile; the next read
    (the licences section) ends the session with the reason, in English too."""
    from tribe_tui.models import AuditEvent
    from tribe_tui.screens.overview import OverviewScreen
    from tribe_tui.screens.sign_in import SignInScreen
    from tribe_tui.services.demo import DEMO_ADMIN, DEMO_PASSWORD

    _second_admin()
    app = make_app(signed_in=None, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, DEMO_ADMIN)
        await pilot.press("tab")
        await type_text(pilot, DEMO_PASSWORD)
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, OverviewScreen))
        _cut_off("Voormalig")
        await pilot.press("4")
        assert await until(pilot, lambda: isinstance(app.screen, SignInScreen)), screen_text(app)
        shown = " ".join(screen_text(app).split())
        assert "Your session has ended: you are now marked as former" in shown
        last = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
        assert last.action == "session.ended" and '"former"' in last.after
        await type_text(pilot, DEMO_ADMIN)
        await pilot.press("tab")
        await type_text(pilot, DEMO_PASSWORD)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen) and app.session is None


@pytest.mark.both_engines  # the acceptance flows: on both engines
def test_services_check_the_person_in_every_read_and_act(make_app, demo):
    """Below the screens: a person's context is refused by the reads and acts themselves, and an
    operator's context (no person) is not a session and is not refused."""

    from tribe_tui.errors import NoRight, SessionEnded
    from tribe_tui.services.demo import DEMO_ADMIN
    from tribe_tui.services.invoices import list_invoices, send_invoice
    from tribe_tui.services.licences import add_licences
    from tribe_tui.services.session import start_session

    _second_admin()
    sanne = start_session(DEMO_ADMIN, TODAY, "nl").ctx
    number = list_invoices(sanne)[0].number
    _cut_off("admin off")
    with pytest.raises(NoRight):
        list_invoices(sanne)
    with pytest.raises(NoRight):
        send_invoice(sanne, number, None, demo, to_me=True)
    _cut_off("offboard")
    with pytest.raises(SessionEnded) as ended:
        add_licences(sanne, 1)
    assert ended.value.reason == "former"
    with pytest.raises(SessionEnded):
        list_invoices(sanne._replace(org_id=sanne.org_id))
    assert list_invoices(demo_ctx())  # the operator's command line is no session


@pytest.mark.both_engines  # the acceptance flows: on both engines
async def test_a_key_session_never_becomes_someone_else_through_an_invitation(demo, tmp_path):
    """Policy key+password: the sign-in screen asks the key owner's password only. Ctrl+N (accept
    an invitation, which signs in whoever it names) is neither offered nor done, and the accept
    screen, were it reached, refuses: in a key session the person is the key's owner."""
    import re

    from tests.ssh_keys import keygen, proof
    from tribe_tui.app import create_app
    from tribe_tui.models import Employee, OutboxMessage
    from tribe_tui.screens.accept_invite import AcceptInviteScreen
    from tribe_tui.screens.sign_in import SignInScreen
    from tribe_tui.services.demo import DEMO_ADMIN_EMAIL
    from tribe_tui.services.invitations import invite
    from tribe_tui.services.ssh_keys import add_key, open_key_session

    key = keygen(tmp_path, "sanne")
    row = add_key(demo_ctx(), "laptop", key.line, proof(demo_ctx(), key, DEMO_ADMIN_EMAIL), email=DEMO_ADMIN_EMAIL)
    invite(demo_ctx(), ["eva@example.com"], demo)
    body = OutboxMessage.select().where(OutboxMessage.recipient == "eva@example.com").get().body
    token = re.search(r"accept-invite (\S+)", body).group(1)
    app = create_app(demo, ssh_key=open_key_session(row.uid, row.fingerprint, TODAY, "nl"), cursor_blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert "Ctrl+N" not in screen_text(app) and "Uitnodiging" not in screen_text(app)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)  # no accept screen
        # Even on the accept screen itself (no key leads there): refused, and no one joined.
        screen = AcceptInviteScreen()
        await app.push_screen(screen)
        await settle(pilot)
        screen._accept(token, "eva", "Eva", "Eva-wachtwoord-2026")
        await settle(pilot)
        assert app.session is None
        assert "Inloggen is niet gelukt" in screen_text(app)
    assert not Employee.select().where(Employee.username == "eva").exists()
