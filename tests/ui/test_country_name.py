"""The billing-details form names the country whose code is typed, in the admin's language."""

from __future__ import annotations

import pytest

from tests.ui.conftest import settle
from tests.ui.test_billing_details import _set


@pytest.mark.parametrize(
    "lang, code, name", [("nl", "DE", "Duitsland"), ("en", "DE", "Germany"), ("nl", "be", "België"), ("en", "IC", "")]
)
async def test_the_country_field_shows_the_name_of_its_code(make_app, lang, code, name):
    from textual.widgets import Static

    app = make_app("billing-details", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert str(app.screen.query_one("#country-name", Static).render()) == (
            "Nederland" if lang == "nl" else "Netherlands"
        )
        await _set(pilot, "country", code)
        await settle(pilot)
        assert str(app.screen.query_one("#country-name", Static).render()) == name
