"""Messages in the admin's words: field labels, not internal names; no exception class names; the
one wrong address of several named."""

import re

import pytest

from tests.ui.conftest import screen_text, settle, type_text


def flat(app) -> str:
    text = screen_text(app).replace("\xa0", " ").replace("\u202f", " ")
    return " ".join(re.sub(r"[\u2500-\u259f]", " ", text).split())


def notices(app) -> str:
    return " ".join(str(n.message) for n in app._notifications)


@pytest.mark.parametrize(
    ("lang", "expected"), [("nl", "Aantal: moet minstens 1 zijn"), ("en", "Number: must be at least 1")]
)
async def test_a_bad_count_is_named_by_its_label(make_app, lang, expected):
    app = make_app("add-licences", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("0")
        await settle(pilot)
        text = flat(app)
        assert expected in text and "count:" not in text


async def test_the_wrong_address_of_several_is_named(make_app):
    app = make_app("invite")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "eva@example.com, piet@, kees@example.com")
        await pilot.press("enter")
        await settle(pilot)
        assert "piet@: geen geldig e-mailadres" in notices(app)


@pytest.mark.parametrize(
    ("lang", "words"), [("nl", "er is nog geen mailserver ingesteld"), ("en", "no mail server is set up yet")]
)
async def test_mail_that_cannot_go_out_is_explained_without_class_names(make_app, lang, words):
    app = make_app("invite", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "eva@example.com")
        await pilot.press("enter")
        await settle(pilot)
        text = flat(app)
        assert words in text
        assert "MailNotConfigured" not in text and "no SMTP server configured" not in text, text
