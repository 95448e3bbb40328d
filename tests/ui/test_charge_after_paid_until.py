"""After paid-until a charge first settles the renewal (R9): the preview and the question name the
renewal invoice first, then the change, and the sum of both; the yes writes exactly those two."""

from datetime import date
from decimal import Decimal

import pytest

from tests.ui.conftest import settle, until

AFTER = date(2027, 6, 10)  # the demo's paid-until is 31 May 2027


def shown(app) -> str:
    from tests.ui.conftest import screen_text

    return screen_text(app).replace("\xa0", " ").replace("\u202f", " ")


def _invoices(app):
    from tribe_tui.services.invoices import list_invoices

    return list_invoices(app.session.ctx)


async def test_add_licences_names_the_renewal_first_and_charges_both(demo, make_app):
    demo.today = AFTER
    app = make_app(screen="add-licences")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = _invoices(app)
        await pilot.press("1")
        await settle(pilot)
        text = shown(app)
        assert "Eerst de verlenging: € 14.520,00 incl. btw" in text
        assert "1 juni 2027 t/m 31 mei 2028" in text
        assert "Daarna deze wijziging:" in text
        assert "Samen 2 facturen:" in text
        await pilot.press("ctrl+s")
        await settle(pilot)
        question = shown(app)
        assert "Eerst de verlenging" in question
        # The amount asked is the sum of both invoices, not the licence's alone.
        title = next(line for line in question.splitlines() if "afrekenen?" in line)
        await pilot.press("right", "enter")  # yes
        await until(pilot, lambda: len(_invoices(app)) == len(before) + 2)
        written = _invoices(app)[len(before) :]
        assert [i.reason for i in written] == ["renewal", "licences"]
        from tribe_tui.formatting import money

        total = sum((i.total for i in written), Decimal(0))
        assert money(total, "nl").replace("\xa0", " ") + " incl. btw afrekenen?" in title
        # The message after it names the renewal invoice too, first.
        notices = [str(n.message).replace("\xa0", " ") for n in app._notifications]
        assert any(
            m.startswith(f"Verlengd t/m 31 mei 2028: factuur {written[0].number}, € 14.520,00 incl. btw\n")
            and written[1].number in m
            for m in notices
        ), notices


async def test_edition_upgrade_question_names_the_renewal_in_english(demo, make_app):
    demo.today = AFTER
    app = make_app(screen="edition", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down")  # Tribe Creator
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        text = shown(app)
        assert "First the renewal: €14,520.00 incl. VAT" in text
        assert "1 June 2027 to 31 May 2028" in text
        assert "Together 2 invoices:" in text


async def test_removing_a_module_names_the_renewal_it_settles_first(demo, make_app):
    demo.today = AFTER
    app = make_app(screen="modules")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "x")  # Projecten
        await settle(pilot)
        question = " ".join(shown(app).split())
        assert "Projecten verwijderen?" in question
        assert "Eerst de verlenging: € 14.520,00 incl. btw" in question
        # The module ends with the period that the renewal starts, not the one that has ended.
        assert "tot en met 31 mei 2028" in question


async def test_a_downgrade_names_the_renewal_it_settles_first(demo, make_app):
    from tests.ui.conftest import demo_ctx
    from tribe_tui.services.edition import set_edition

    set_edition(demo_ctx(), "creator")  # on the demo's today, before paid-until
    demo.today = AFTER
    app = make_app(screen="edition")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("up")  # Tribe: a downgrade
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        question = " ".join(shown(app).split())
        assert "Eerst de verlenging:" in question


async def test_cancelling_names_the_renewal_and_the_access_it_gives(demo, make_app):
    from tests.ui.conftest import type_text

    demo.today = AFTER
    app = make_app(screen="cancel")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "Te duur")
        await pilot.press("enter")
        await settle(pilot)
        question = " ".join(shown(app).split())
        assert "Account opzeggen?" in question
        # The renewal is settled first (R9): access lasts to the end of the period it starts.
        assert "met 31 mei 2028; daarna kan niemand meer inloggen" in question
        assert "Eerst de verlenging: € 14.520,00 incl. btw" in question


async def test_the_cancel_screen_says_access_lasts_to_the_end_of_the_period_the_renewal_starts(demo, make_app):
    demo.today = AFTER
    app = make_app(screen="cancel", lang="en")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = " ".join(shown(app).split())
        # What the question says too (R9): the renewal comes first, access lasts to its period's end.
        assert "keep access through 31 May 2028" in text, text
        assert "the renewal comes first" in text, text
        assert "31 May 2027" not in text, text


@pytest.mark.parametrize(
    "lang, period",
    [("nl", "1 december 2026 t/m 30 november 2027"), ("en", "1 December 2026 to 30 November 2027")],
)
async def test_the_renewal_line_fits_the_question_at_80x24_with_a_long_month(demo, make_app, lang, period):
    from tests.ui.conftest import demo_ctx
    from tribe_tui.models import Organisation

    # A period that ends on 30 November: the renewal names the longest months there are.
    Organisation.update(period_start=date(2025, 12, 1), paid_until=date(2026, 11, 30)).where(
        Organisation.id == demo_ctx().org_id
    ).execute()
    demo.today = date(2026, 12, 10)
    app = make_app(screen="add-licences", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        lines = shown(app).splitlines()
        # The period on one line of its own (not wrapped mid-date), and the buttons still on screen.
        assert any(period in line for line in lines), "\n".join(lines)
        from tribe_tui.i18n import t

        assert t("confirm.charge_yes", lang) in shown(app), "\n".join(lines)
