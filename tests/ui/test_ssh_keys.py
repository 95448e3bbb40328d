"""SSH keys as identity in the TUI: a key's session by the organisation's policy, Mijn
SSH-sleutels (add by pasting, remove), the audit log, and a session whose key was removed."""

from __future__ import annotations

import pytest

from tests.conftest import TODAY
from tests.ssh_keys import Key, keygen, proof
from tests.ui.conftest import demo_ctx, screen_text, settle, until


@pytest.fixture
def key_of(tmp_path, demo):
    """key_of(email, name) -> (Key, KeySession): a new ed25519 key stored for that person, and the
    session `tribe-tui ssh session KEY_UID FINGERPRINT` would open with it."""
    from tribe_tui.services.ssh_keys import add_key, open_key_session

    def make(email: str, name: str = "laptop") -> tuple[Key, object]:
        key = keygen(tmp_path, f"{email.split('@')[0]}-{name}")
        row = add_key(demo_ctx(), name, key.line, proof(demo_ctx(), key, email), email=email)
        return key, open_key_session(row.uid, row.fingerprint, TODAY, "nl")

    return make


def make_key_app(settings, session, lang: str = "nl"):
    from tribe_tui.app import create_app

    return create_app(settings, ssh_key=session, lang=lang, cursor_blink=False)


async def test_policy_key_lands_on_the_overview_and_the_admin_manages_their_keys(demo, key_of, tmp_path):
    from textual import events
    from textual.widgets import Input, TextArea

    from tribe_tui.models import AuditEvent, SshKey
    from tribe_tui.screens.overview import OverviewScreen
    from tribe_tui.screens.ssh_keys import SshKeysScreen
    from tribe_tui.services.demo import DEMO_ADMIN_EMAIL
    from tribe_tui.services.ssh_keys import key_challenge, set_policy

    set_policy(demo_ctx(), "key")
    key, session = key_of(DEMO_ADMIN_EMAIL, "werk")
    second = keygen(tmp_path, "second")
    app = make_key_app(demo, session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)  # no password asked
        assert app.session.ctx.key_fingerprint == key.fingerprint

        await pilot.press("s")  # Mijn SSH-sleutels, from the overview
        await settle(pilot)
        assert isinstance(app.screen, SshKeysScreen)
        shown = screen_text(app)
        assert "Mijn SSH-sleutels" in shown and key.fingerprint in shown and "werk" in shown

        # Add one: a name, then the .pub line pasted into the key field, Enter: the text to sign
        # and the command that signs it; the signature pasted, Ctrl+S.
        await pilot.click("#ssh-key-name")
        for char in "thuis":
            await pilot.press(char)
        await pilot.press("enter")  # on to the key field
        assert app.focused is app.screen.query_one("#ssh-key-text", Input)
        app.focused.post_message(events.Paste(second.line + "\n"))
        await settle(pilot)
        await pilot.press("ctrl+s")  # without the signature: refused, nothing stored
        assert await until(pilot, lambda: any("Handtekening" in n.message for n in app._notifications))
        assert SshKey.select().count() == 1
        await pilot.press("enter")
        challenge = key_challenge(app.session.ctx, second.line).text
        assert await until(pilot, lambda: challenge in " ".join(screen_text(app).split())), screen_text(app)
        assert app.focused is app.screen.query_one("#ssh-key-signature", TextArea)
        signature = second.sign(challenge)
        app.focused.post_message(events.Paste(signature))
        await settle(pilot)
        assert app.screen.query_one("#ssh-key-signature", TextArea).text == signature
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: SshKey.select().count() == 2), [n.message for n in app._notifications]
        assert await until(pilot, lambda: app.screen.query_one("#ssh-key-signature", TextArea).text == "")
        app.screen.query_one("#ssh-keys").focus()
        assert await until(pilot, lambda: second.fingerprint in screen_text(app)), screen_text(app)
        assert SshKey.select().where(SshKey.fingerprint == second.fingerprint).count() == 1
        event = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
        assert event.action == "ssh_key.added" and event.key_fingerprint == key.fingerprint  # from which key
        assert event.employee_id == session.employee_id

        # A pasted private key: one line on screen, nothing stored, the name kept, the key gone.
        app.screen.query_one("#ssh-key-name", Input).value = "fout"
        app.screen.query_one("#ssh-key-text", Input).value = key.private.read_text().replace("\n", " ")
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: any("privésleutel" in n.message for n in app._notifications))
        assert SshKey.select().count() == 2
        assert app.screen.query_one("#ssh-key-name", Input).value == "fout"
        assert app.screen.query_one("#ssh-key-text", Input).value == ""

        # Remove the highlighted (first) key: asked first, No is the default.
        await pilot.click("#ssh-keys")
        await pilot.press("home", "down", "delete")
        await settle(pilot)
        assert "verwijderen" in screen_text(app).lower()
        await pilot.press("enter")  # No
        await settle(pilot)
        assert SshKey.select().count() == 2
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("tab", "enter")  # Yes
        assert await until(pilot, lambda: SshKey.select().count() == 1)
        assert SshKey.get().fingerprint == key.fingerprint  # the second ("thuis") went, the session's stays

        # The audit log (read-only): who, which key, what.
        await pilot.press("escape", "escape", "a")  # the first clears the refusal still on screen
        await settle(pilot)
        shown = " ".join(screen_text(app).split())
        assert "Logboek" in shown and "Sanne van der Berg heeft SSH-sleutel thuis" in shown and "verwijderd" in shown
        assert key.fingerprint in shown


async def test_policy_key_and_password_asks_only_the_owners_password(demo, key_of):
    from textual.widgets import Input

    from tribe_tui.errors import Refused
    from tribe_tui.models import AuditEvent
    from tribe_tui.screens.overview import OverviewScreen
    from tribe_tui.screens.sign_in import SignInScreen
    from tribe_tui.services.demo import DEMO_ADMIN, DEMO_ADMIN_EMAIL, DEMO_PASSWORD

    key, session = key_of(DEMO_ADMIN_EMAIL)  # the default policy: key+password
    app = make_key_app(demo, session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        username = app.screen.query_one("#username", Input)
        assert username.value == DEMO_ADMIN and username.disabled
        assert app.focused is app.screen.query_one("#password", Input)
        await pilot.press("tab", "tab")  # the username cannot be reached, let alone changed
        assert app.focused is app.screen.query_one("#password", Input)
        for char in DEMO_PASSWORD:
            await pilot.press(char)
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, OverviewScreen))
        assert app.session.username == DEMO_ADMIN and app.session.ctx.key_fingerprint == key.fingerprint
        # A key signs in its own owner only; signing out ends the connection (no one else signs in
        # here under this key).
        with pytest.raises(Refused):
            app.session_for("someone-else")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert app._exit
    event = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    assert (event.action, event.key_fingerprint) == ("sign_out", key.fingerprint)


async def test_a_non_admins_key_gets_the_no_right_screen(demo, key_of):
    from tribe_tui.models import Employee
    from tribe_tui.screens.no_access import NoAccessScreen
    from tribe_tui.services.ssh_keys import set_policy

    set_policy(demo_ctx(), "key")
    colleague = Employee.select().where(Employee.role == "user").order_by(Employee.id).get()
    Employee.update(username="collega").where(Employee.id == colleague.id).execute()
    _key, session = key_of(colleague.email)
    app = make_key_app(demo, session)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, NoAccessScreen)
        assert "niet het recht" in screen_text(app)


async def test_removing_the_key_ends_its_open_session_at_the_next_action(demo, key_of, tmp_path):
    from textual.widgets import Input

    from tribe_tui.models import AuditEvent, SshKey
    from tribe_tui.screens.no_access import NoAccessScreen
    from tribe_tui.services.demo import DEMO_ADMIN_EMAIL
    from tribe_tui.services.ssh_keys import remove_key, set_policy

    set_policy(demo_ctx(), "key")
    key, session = key_of(DEMO_ADMIN_EMAIL)
    app = make_key_app(demo, session, lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        remove_key(demo_ctx(), key.fingerprint)  # another admin, from the CLI
        events = AuditEvent.select().count()
        app.screen.query_one("#ssh-key-name", Input).value = "x"
        app.screen.query_one("#ssh-key-text", Input).value = keygen(tmp_path, "new").line
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: isinstance(app.screen, NoAccessScreen))
        assert "Your session has ended" in screen_text(app)
        assert app.session is None and SshKey.select().count() == 0
        # Nothing the action did was kept; the one event is the session's end, with its reason.
        assert AuditEvent.select().count() == events + 1
        last = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
        assert (last.action, last.key_fingerprint) == ("session.ended", key.fingerprint) and '"key"' in last.after
        await pilot.press("f4")  # no section opens any more
        await settle(pilot)
        assert isinstance(app.screen, NoAccessScreen)


async def test_an_admin_sees_and_removes_a_colleagues_key_but_cannot_add_one(make_app, demo, tmp_path):
    from tribe_tui.models import AuditEvent, Employee, SshKey
    from tribe_tui.screens.employees import EmployeesScreen
    from tribe_tui.screens.ssh_keys import ColleagueKeysScreen
    from tribe_tui.services.ssh_keys import add_key

    colleague = Employee.select().where(Employee.role == "user").order_by(Employee.id).first()
    key = keygen(tmp_path, "colleague")
    add_key(demo_ctx(), "oude laptop", key.line, proof(demo_ctx(), key, colleague.email), email=colleague.email)
    app = make_app("employees")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *colleague.email.split("@")[0], "enter")
        await settle(pilot)
        await pilot.press("k")
        assert await until(pilot, lambda: isinstance(app.screen, ColleagueKeysScreen))
        shown = screen_text(app)
        assert f"SSH-sleutels van {colleague.name}" in shown and key.fingerprint in shown
        await pilot.press("ctrl+s")  # adding is the owner's own: the key does nothing here
        await settle(pilot)
        assert SshKey.select().count() == 1
        await pilot.press("delete", "escape")  # asked first; No leaves it
        await settle(pilot)
        assert SshKey.select().count() == 1
        await pilot.press("delete", "j")
        assert await until(pilot, lambda: SshKey.select().count() == 0)
        assert await until(pilot, lambda: f"{colleague.name} heeft geen SSH-sleutels." in screen_text(app))
        assert "Je hebt" not in screen_text(app)  # not the admin's own empty list
        await pilot.press("escape")
        assert await until(pilot, lambda: isinstance(app.screen, EmployeesScreen))
    removed = AuditEvent.select().where(AuditEvent.action == "ssh_key.removed").get()
    assert key.fingerprint in removed.before
