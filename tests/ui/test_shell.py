"""The app shell: sign-in gate, overview, help, palette, sections by key, literal text,
and the seed's tasks 1, 2 and 4 end to end by keystrokes (3, 5 and 6 live with their screens)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import TODAY
from tests.ui.conftest import demo_ctx, keys, screen_text, settle, type_text

PASSWORD = "Demo-wachtwoord-2026"


async def test_overview_shows_the_account(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "27 in gebruik van 30 (3 vrij)" in text
        assert "31 mei 2027" in text
        assert "Let op! Dit zijn de factuurgegevens, niet jouw eigen organisatiegegevens" in text


def test_overview_snapshot_nl(make_app, snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=keys())


def test_overview_snapshot_en(make_app, snap_compare):
    assert snap_compare(make_app(lang="en"), terminal_size=(80, 24), run_before=keys())


def test_overview_cancelled_banner_snapshot(make_app, snap_compare):
    from tribe_tui.services.cancellation import cancel

    app = make_app()
    cancel(demo_ctx(), "Te duur voor ons team")
    assert snap_compare(app, terminal_size=(80, 24), run_before=keys())


def test_overview_snapshot_en_wide(make_app, snap_compare):
    assert snap_compare(make_app(lang="en"), terminal_size=(120, 40), run_before=keys())


def test_sign_in_snapshot_nl(make_app, snap_compare):
    assert snap_compare(make_app(signed_in=None), terminal_size=(80, 24), run_before=keys())


def test_sign_in_snapshot_en(make_app, snap_compare):
    assert snap_compare(make_app(signed_in=None, lang="en"), terminal_size=(80, 24), run_before=keys())


def test_help_snapshot(make_app, snap_compare):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=keys("f1"))


@pytest.mark.both_engines
async def test_seed_tasks_1_and_2_sign_in_open_settings_and_see_the_data(make_app):
    """Task 1: open the account settings (sign in as an admin); task 2: see what is on them."""
    from tribe_tui.screens.overview import OverviewScreen
    from tribe_tui.screens.sign_in import SignInScreen

    app = make_app(signed_in=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.focused.id == "username"
        await type_text(pilot, "admin")
        await pilot.press("tab")
        assert app.focused.id == "password"
        await type_text(pilot, PASSWORD)
        assert PASSWORD not in screen_text(app)  # masked
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        text = screen_text(app)
        for expected in (
            "Van der Berg Installatietechniek B.V.",
            "Tribe",
            "27 in gebruik van 30 (3 vrij)",
            "31 mei 2027 (nog 187 dagen)",
            "Koppeling Exact Online, Projecten",
            "actief",
        ):
            assert expected in text
        assert app.session.username == "admin" and app.session.is_admin


async def test_keys_typed_right_after_tab_go_to_the_password_field(make_app):
    """Over a slow SSH link keys arrive in one burst: the password must never land in the username."""
    from textual import events
    from textual.keys import _character_to_key

    app = make_app(signed_in=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        burst = [*"admin", "tab", *"Geheim-wachtwoord-1"]
        for key in burst:  # posted at once, no pause between: as a terminal delivers a paste
            char = key if len(key) == 1 else None
            app.post_message(events.Key(_character_to_key(key) if char else key, char))
        await settle(pilot)
        assert app.screen.query_one("#username").value == "admin"
        assert app.screen.query_one("#password").value == "Geheim-wachtwoord-1"


async def test_a_whole_sign_in_typed_in_one_burst_signs_in(make_app):
    """Username, Tab, password and Enter arriving together (a paste, a slow link) sign in."""
    from textual import events
    from textual.keys import _character_to_key

    from tribe_tui.screens.overview import OverviewScreen

    app = make_app(signed_in=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in [*"admin", "tab", *PASSWORD, "enter"]:
            char = key if len(key) == 1 else None
            app.post_message(events.Key(_character_to_key(key) if char else key, char))
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)


async def test_wrong_password_is_refused_with_the_generic_message(make_app):
    from tribe_tui.i18n import t
    from tribe_tui.screens.sign_in import SignInScreen

    app = make_app(signed_in=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "admin")
        await pilot.press("enter")  # Enter in the username field moves on
        await type_text(pilot, "niet-het-wachtwoord")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        text = re.sub(r"\s+", " ", screen_text(app))
        assert t("error.sign_in_refused", "nl")[:40] in text
        assert app.screen.query_one("#password").value == ""
        assert app.session is None


async def test_a_user_without_the_admin_role_is_told_they_lack_the_right(make_app):
    from tribe_tui.models import Employee
    from tribe_tui.screens.no_access import NoAccessScreen
    from tribe_tui.services.auth import hash_password

    employee = Employee.get(Employee.email == "daan.dejong@vanderberg-installatie.nl")
    Employee.update(username="daan", password_hash=hash_password("Lange-zin-voor-daan-7")).where(
        Employee.id == employee.id
    ).execute()
    app = make_app(signed_in=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "daan")
        await pilot.press("tab")
        await type_text(pilot, "Lange-zin-voor-daan-7")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, NoAccessScreen)
        assert "niet het recht" in screen_text(app)
        await pilot.press("4")  # section keys do nothing without the right
        await settle(pilot)
        assert isinstance(app.screen, NoAccessScreen)


@pytest.mark.both_engines
async def test_every_section_opens_by_its_key_and_escape_goes_back(make_app):
    from textual.widgets import Input

    from tribe_tui.app import SECTIONS
    from tribe_tui.screens.overview import OverviewScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for section in SECTIONS[1:]:
            await pilot.press(section.key)
            await settle(pilot)
            assert type(app.screen) is section.screen_class()
            assert app.screen.title == section.title("nl")
            if isinstance(app.focused, Input):
                await pilot.press("escape")  # Escape leaves a field before it leaves the screen
                await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, OverviewScreen)


async def test_overview_sections_list_opens_with_enter(make_app):
    from tribe_tui.screens.invoices import InvoicesScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("home")  # 1 Editie
        for _ in range(6):  # ... 7 Facturen
            await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InvoicesScreen)


async def test_command_palette_opens_a_section(make_app):
    from tribe_tui.screens.billing_details import BillingDetailsScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await type_text(pilot, "Facturatiegegevens")
        await pilot.pause(0.3)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, BillingDetailsScreen)


async def test_f1_and_question_mark_show_help_and_escape_closes_it(make_app):
    from tribe_tui.screens.overview import OverviewScreen
    from tribe_tui.widgets.help import HelpScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("f1", "question_mark"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, HelpScreen)
            assert "Esc sluit deze hulp" in screen_text(app)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, OverviewScreen)


async def test_organisation_name_with_markup_and_escapes_renders_literally(settings):
    """An organisation named like markup, and an admin whose name holds an escape sequence."""
    from tribe_tui.app import create_app
    from tribe_tui.db import open_database
    from tribe_tui.schemas import InitInput
    from tribe_tui.services.organisations import create_organisation

    evil = "[blink]Evil[/] [link=http://x]Co[/link]"
    open_database(settings.url)
    from tests.conftest import BILLING

    create_organisation(
        InitInput(org_name=evil, admin_email="boss@evil.example", admin_username="boss", licences=3),
        TODAY,
        "test",
        billing_details={"company_name": evil, **BILLING},
    )
    app = create_app(settings, screen="overview", signed_in="boss", cursor_blink=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert evil in screen_text(app)


@pytest.mark.both_engines
async def test_seed_task_4_link_a_colleague_through_an_invitation(make_app):
    """Invite from the TUI; the colleague accepts the e-mailed token; they hold a free licence."""
    from tribe_tui.models import OutboxMessage
    from tribe_tui.services.invitations import accept
    from tribe_tui.services.licences import list_licences
    from tribe_tui.services.signin import sign_in

    app = make_app("invite")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "eva.nieuw@vanderberg-installatie.nl")
        await pilot.press("enter")
        await settle(pilot)
        assert "eva.nieuw@vanderberg-installatie.nl" in screen_text(app)
    # No mail server in this test: the e-mail waits in the outbox, token and all.
    body = OutboxMessage.get(OutboxMessage.recipient == "eva.nieuw@vanderberg-installatie.nl").body
    token = re.search(r"tribe-tui accept-invite (\S+)", body).group(1)
    before = [r for r in list_licences(demo_ctx()) if r.holder_id is None]
    accept(
        token,
        username="eva.nieuw",
        password="Een-lang-wachtwoord-9",
        name="Eva Nieuw",
        today=TODAY,
        settings=app.settings,
    )
    held = [r for r in list_licences(demo_ctx()) if r.email == "eva.nieuw@vanderberg-installatie.nl"]
    assert len(held) == 1 and held[0].holder_name == "Eva Nieuw"
    assert len([r for r in list_licences(demo_ctx()) if r.holder_id is None]) == len(before) - 1
    assert sign_in("eva.nieuw", "Een-lang-wachtwoord-9", today=TODAY).username == "eva.nieuw"


async def test_a_section_opened_from_the_command_line_goes_back_to_the_overview(make_app):
    from tribe_tui.screens.invoices import InvoicesScreen
    from tribe_tui.screens.licences import LicencesScreen
    from tribe_tui.screens.overview import OverviewScreen

    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LicencesScreen)
        assert not any(isinstance(s, OverviewScreen) for s in app.screen_stack)  # not built beneath
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert "27 in gebruik van 30" in screen_text(app)
        await pilot.press("7")
        await settle(pilot)
        assert isinstance(app.screen, InvoicesScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OverviewScreen) and len(app.screen_stack) == 2


async def test_confirm_dialog_keeps_line_breaks_and_shows_markup_literally(make_app):
    from tribe_tui.widgets.confirm import ConfirmDialog

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ConfirmDialog("[b]Titel[/b]", "Eerste regel [red]x[/red]\nTweede regel", "Ja", "Nee"))
        await settle(pilot)
        lines = screen_text(app).splitlines()
        assert any("[b]Titel[/b]" in line for line in lines)
        first = next(i for i, line in enumerate(lines) if "Eerste regel [red]x[/red]" in line)
        assert "Tweede regel" in lines[first + 1] and "␊" not in screen_text(app)
