"""The overview's idle advice: the count is the list `n` opens (a Voormalig holder included), free
licences that renew are part of the amount, the amount says incl. btw, and a Voormalig holder's
licence says it still renews."""

from decimal import Decimal

import pytest

from tests.ui.conftest import demo_ctx, screen_text, settle, until


def shown(app) -> str:
    return screen_text(app).replace("\xa0", " ").replace("\u202f", " ")


def _daan_former() -> int:
    """An idle holder made Voormalig without giving up the licence (it still renews): its id."""
    from tribe_tui.models import Employee, Licence

    daan = Employee.get(Employee.email.startswith("daan"))
    Employee.update(former=True).where(Employee.id == daan.id).execute()
    return Licence.get(Licence.holder == daan.id).id


def _line(app, *labels: str) -> str:
    [line] = [line for line in shown(app).splitlines() if line.strip().startswith(labels)]
    return line


def _idle_line(app) -> str:
    return _line(app, "Niet gebruikt", "Unused")


async def test_the_count_is_the_list_n_opens_with_a_voormalig_holder(make_app):
    from tribe_tui.screens.licences import LicencesScreen
    from tribe_tui.services.employees import idle_licence_ids
    from tribe_tui.widgets.paged_table import PagedTable as LicenceTable

    former = _daan_former()
    idle = idle_licence_ids(demo_ctx())
    assert former in idle and len(idle) == 4
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "4 licenties" in _idle_line(app)
        await pilot.press("n")
        assert await until(pilot, lambda: isinstance(app.screen, LicencesScreen) and app.screen.index is not None)
        assert sorted(app.screen.query_one(LicenceTable).ids) == sorted(idle)


async def test_a_voormalig_holders_licence_says_it_still_renews(make_app):
    from tribe_tui.screens.licences import LicencesScreen
    from tribe_tui.widgets.paged_table import PagedTable as LicenceTable

    former = _daan_former()
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        assert await until(pilot, lambda: isinstance(app.screen, LicencesScreen) and app.screen.index is not None)
        table = app.screen.query_one(LicenceTable)
        table.focus()
        for _ in range(list(table.ids).index(former)):
            await pilot.press("down")
        await settle(pilot)
        assert table.current is not None and table.current.id == former
        assert "Voormalig, maar wordt nog verlengd na 31 mei 2027" in " ".join(shown(app).split())


@pytest.mark.parametrize(
    "lang, vat, free",
    [("nl", "incl. btw voor de 6 die verlengen", "en 3 vrij"), ("en", "incl. VAT for the 6 that renew", "and 3 free")],
)
async def test_free_licences_that_renew_are_part_of_the_advice(make_app, lang, vat, free):
    from tribe_tui import formatting
    from tribe_tui.models import Licence
    from tribe_tui.services.account import overview

    view = overview(demo_ctx())
    free_renewing = Licence.select().where(Licence.holder.is_null() & Licence.auto_renew).count()
    assert free_renewing == 3
    advice = view.idle.advice_cost
    # Every line of the advice is for the idle licences that renew and the free ones that do.
    assert {line.quantity for line in advice.lines} == {view.idle.renewing + free_renewing}
    assert advice.total > view.idle.renewal_cost.total > Decimal(0)
    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        line = _idle_line(app)
        assert free in line
        cost = _line(app, "Bij verlenging", "At renewal")
        assert formatting.money(advice.total, lang).replace("\xa0", " ") + " " + vat in cost


@pytest.mark.parametrize(
    ("lang", "held", "free", "renewing"), [("nl", "12.857", "9.411", "21.511"), ("en", "12,857", "9,411", "21,511")]
)
async def test_large_counts_are_grouped_as_the_language_writes_them(make_app, monkeypatch, lang, held, free, renewing):
    # At 100,000 licences the advice counts run into the thousands: written like every other count
    # on the page ("90.000 in gebruik"), not as bare digits.
    import tribe_tui.screens.overview as overview_screen

    real = overview_screen.overview

    def big(ctx):
        view = real(ctx)
        assert view.idle is not None and view.status == "active"
        return view._replace(idle=view.idle._replace(licences=12857, renewing=12100, free_renewing=9411))

    monkeypatch.setattr(overview_screen, "overview", big)
    app = make_app(lang=lang)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        idle = _idle_line(app)
        assert f"{held} " in idle and f"{free} " in idle, idle
        assert f" {renewing} " in _line(app, "Bij verlenging", "At renewal"), shown(app)
