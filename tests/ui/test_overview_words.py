"""The overview says what is so in words a newcomer reads at 80x24, Dutch and English: an ended
period, where the company data lives, how to reach the forecast, an open balance on one line."""

from datetime import date

import pytest

from tests.ui.conftest import screen_text, settle

AFTER = date(2027, 6, 10)  # the demo's paid-until is 31 May 2027


def shown(app) -> str:
    return screen_text(app).replace("\xa0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(
    "lang, ended, left",
    [("nl", "31 mei 2027 (verlopen, verlenging volgt)", "nog 0"), ("en", "31 May 2027 (ended, renewal due)", "0 days")],
)
async def test_after_paid_until_the_period_has_ended(demo, make_app, lang, ended, left):
    demo.today = AFTER
    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = shown(app)
        assert ended in text
        assert left not in text


@pytest.mark.parametrize(
    "lang, kept, menu",
    [
        ("nl", "die beheer je in Tribe CRM zelf", "eigen organisaties"),
        ("en", "kept in Tribe CRM itself", "own organisations"),
    ],
)
async def test_the_note_says_company_data_is_kept_in_tribe_crm(make_app, lang, kept, menu):
    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = " ".join(shown(app).split())
        assert kept in text
        assert menu not in text  # a menu this app does not have


@pytest.mark.parametrize(
    "lang, title", [("nl", "Volgende factuur (verlenging per"), ("en", "Next invoice (renewal on")]
)
async def test_the_forecast_says_how_to_reach_it(make_app, lang, title):
    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "(details: PgDn)" in shown(app)
        assert title not in shown(app)  # below the first frame at 80x24
        await pilot.press("pagedown")
        await settle(pilot)
        assert title in shown(app)


@pytest.mark.parametrize(
    "lang, label, since", [("nl", "Openstaand", "15 september 2026"), ("en", "Open balance", "15 September 2026")]
)
async def test_the_open_balance_stays_on_one_line(make_app, lang, label, since):
    from tribe_tui.models import Invoice

    # The oldest overdue invoice due in the longest month name: the line is at its widest.
    Invoice.update(date=date(2026, 9, 1)).where(Invoice.number == "2026-0001").execute()
    app = make_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        [line] = [line for line in shown(app).splitlines() if line.strip().startswith(label)]
        assert line.rstrip().endswith(since), line
