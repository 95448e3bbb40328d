"""After paid-until every admin action first invoices the renewal (R9), also the ones that charge
nothing themselves: their question names the renewal with its total first, an action that asks
nothing before paid-until asks then, and the message after it names the renewal invoice."""

from datetime import date

from tests.ui.conftest import demo_ctx, settle, until

AFTER = date(2027, 6, 10)  # the demo's paid-until is 31 May 2027
RENEWAL = "Eerst de verlenging: € 14.520,00 incl. btw voor de periode 1 juni 2027 t/m 31 mei 2028"


def plain(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def _renewals(app):
    from tribe_tui.services.invoices import list_invoices

    return [i for i in list_invoices(app.session.ctx) if i.reason == "renewal"]


def _notices(app) -> list[str]:
    return [plain(str(n.message)) for n in app._notifications]


async def test_unlinking_names_the_renewal_first_and_its_invoice_after(demo, make_app):
    demo.today = AFTER
    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "x")  # the second row: not the admin
        await settle(pilot)
        assert plain(app.screen.body).startswith(RENEWAL), app.screen.body
        await pilot.press("tab", "enter")  # yes
        await until(pilot, lambda: len(_renewals(app)) == 1)
        await settle(pilot)
        [renewal] = _renewals(app)
        said = f"Verlengd t/m 31 mei 2028: factuur {renewal.number}, € 14.520,00 incl. btw"
        assert any(n.startswith(said) for n in _notices(app)), _notices(app)


async def test_renewal_off_for_marked_rows_names_the_renewal_first(demo, make_app):
    demo.today = AFTER
    app = make_app("licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "space", "space", "a")
        await settle(pilot)
        body = plain(app.screen.body)
        assert body.startswith(RENEWAL), body
        # They stay usable to the end of the period the renewal starts, not the one that ended.
        assert "31 mei 2028" in body.removeprefix(RENEWAL)


async def test_voormalig_asks_first_when_a_renewal_will_be_invoiced(demo, make_app):
    from tribe_tui.services.employees import list_employees

    demo.today = AFTER
    app = make_app("employees")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        row = app.screen.query_one("#employees-table").current
        await pilot.press("v")
        await settle(pilot)
        assert app.screen.question == f"{row.name} op Voormalig zetten?"
        assert plain(app.screen.body).startswith(RENEWAL)
        await pilot.press("escape")  # no: nothing happens, nothing is invoiced
        await settle(pilot)
        assert _renewals(app) == []
    assert not {e.id: e for e in list_employees(demo_ctx(), include_former=True)}[row.id].former


async def test_the_admin_role_question_names_the_renewal_first(demo, make_app):
    demo.today = AFTER
    app = make_app("employees", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "b")
        await settle(pilot)
        assert plain(app.screen.body).startswith("First the renewal: €14,520.00 incl. VAT"), app.screen.body


async def test_before_paid_until_voormalig_still_acts_at_once(demo, make_app):
    app = make_app("employees")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "v")
        await settle(pilot)
        assert not hasattr(app.screen, "question")
        assert any("staat nu op Voormalig" in n for n in _notices(app))


async def test_inviting_asks_first_when_a_renewal_will_be_invoiced(demo, make_app):
    from tests.ui.conftest import type_text
    from tribe_tui.services.invitations import list_invitations

    demo.today = AFTER
    app = make_app("invite")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "eva@example.com")  # a licence is free: nothing to add
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.question == "1 uitnodiging versturen?"
        assert plain(app.screen.body).startswith(RENEWAL)
        await pilot.press("right", "enter")  # yes
        await until(pilot, lambda: len(_renewals(app)) == 1)
        await settle(pilot)
        [renewal] = _renewals(app)
        said = f"Verlengd t/m 31 mei 2028: factuur {renewal.number}, € 14.520,00 incl. btw"
        assert any(n.startswith(said) for n in _notices(app)), _notices(app)
    assert [i.email for i in list_invitations(demo_ctx())] == ["eva@example.com"]


async def test_linking_asks_first_when_a_renewal_will_be_invoiced(demo, make_app):
    from tests.ui.conftest import type_text
    from tribe_tui.services.employees import list_employees
    from tribe_tui.services.licences import unlink

    person = list_employees(demo_ctx())[1]
    unlink(demo_ctx(), person.email)  # before paid-until: a free licence, and nothing settled
    demo.today = AFTER
    app = make_app("employees", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, person.email)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one("#employees-table").current.id == person.id
        await pilot.press("l")
        await settle(pilot)
        assert app.screen.question == f"Give {person.name} a licence?"
        assert plain(app.screen.body).startswith("First the renewal: €14,520.00 incl. VAT")
        await pilot.press("right", "enter")  # yes
        await until(pilot, lambda: len(_renewals(app)) == 1)
        await settle(pilot)
    assert {e.id: e for e in list_employees(demo_ctx())}[person.id].licence_id is not None
