"""config.Settings takes a fast path for plainly valid values and asks the pydantic model
(config.settings_model()) about everything else. The fast path must never accept what the model
refuses, nor produce a different value."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tribe_tui import config

TEXTS = st.one_of(st.just(""), st.text(max_size=12), st.sampled_from(["sqlite:///x.db", "acme", " ", "\x00"]))
DATES = st.one_of(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2110, 12, 31)).map(date.isoformat),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2110, 12, 31)),
    st.datetimes(min_value=datetime(1999, 1, 1), max_value=datetime(2101, 1, 1)),
    st.sampled_from(
        [
            "2026-02-30",
            "2026-1-5",
            "20261126",
            "2026-11-26 ",
            "２０２６-11-26",
            "2026-11-26T00:00",
            "1999-12-31",
            "2000-01-01",
            "2099-12-31",
            "2100-01-01",
        ]
    ),
    st.text(max_size=12),
)
NUMBERS = st.one_of(
    st.integers(min_value=-5, max_value=1_000_000_000_000),
    st.integers(min_value=-5, max_value=2_000).map(str),
    st.sampled_from(["007", " 7", "7 ", "+7", "7.0", "1_0", "٣", "", "365", "366", "1e2", "0"]),
    st.booleans(),
    st.floats(allow_nan=True),
    st.none(),
)
VALUE = {
    "database_url": st.one_of(TEXTS, st.none(), st.integers()),
    "org": st.one_of(TEXTS, st.none()),
    "smtp_url": st.one_of(TEXTS, st.none()),
    "mail_from": st.one_of(TEXTS, st.none()),
    "public_url": TEXTS,
    "today": st.one_of(DATES, st.none()),
    "lang": st.one_of(st.sampled_from(["nl", "en", "NL", "de", "", " nl"]), st.none(), st.text(max_size=3)),
    "invite_valid_days": NUMBERS,
    "lockout_failures": NUMBERS,
    "lockout_minutes": NUMBERS,
    "session_idle_minutes": NUMBERS,
    "not_a_setting": st.text(max_size=3),
}
SETTINGS = st.fixed_dictionaries({}, optional=VALUE)


def pydantic_verdict(values: dict) -> dict | None:
    try:
        return config.settings_model()(**values).model_dump()
    except ValidationError:
        return None


@pytest.mark.slow
@hypothesis_settings(max_examples=3000, deadline=None)
@given(SETTINGS)
def test_the_fast_path_agrees_with_the_pydantic_model(values):
    fast = config.fast_path(values)
    if fast is not None:  # it may decline anything; what it accepts, pydantic accepts the same way
        assert fast == pydantic_verdict(values)
        assert {k: type(v) for k, v in fast.items()} == {k: type(v) for k, v in pydantic_verdict(values).items()}


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"database_url": "sqlite:////tmp/x.db", "today": "2026-11-26", "lang": "nl"},
        {"today": date(2026, 11, 26), "lang": "en", "org": "", "invite_valid_days": "9"},
        {"lockout_failures": 3, "lockout_minutes": "20", "mail_from": "X <x@example.nl>", "smtp_url": ""},
    ],
)
def test_everyday_settings_take_the_fast_path(values):
    assert config.fast_path(values) == pydantic_verdict(values) is not None


@pytest.mark.parametrize(
    "values",
    [
        {"today": "2100-01-01"},
        {"today": "2026-02-30"},
        {"lang": "de"},
        {"invite_valid_days": "0"},
        {"invite_valid_days": "366"},
        {"lockout_minutes": "soon"},
        {"mail_from": None},
    ],
)
def test_bad_settings_are_refused_by_the_model_with_its_message(values, monkeypatch: pytest.MonkeyPatch):
    for key in list(config.from_environment()):
        monkeypatch.delenv(f"TRIBE_{key.upper()}", raising=False)
    assert config.fast_path(values) is None
    with pytest.raises(ValidationError):
        config.Settings(**values)


def test_settings_repr_hides_the_smtp_url():
    shown = repr(config.Settings(smtp_url="smtp://user:secret@mail.example:25"))
    assert "secret" not in shown and "smtp_url=set" in shown


def test_every_setting_is_declared_once_and_the_rest_follows():
    """config.SETTINGS is the declaration; Settings' annotations (for type checkers) and the
    pydantic model (built from it) name the same settings with the same defaults."""
    from tribe_tui.config import DEFAULTS, SETTINGS, Settings, settings_model

    assert list(Settings.__annotations__) == list(SETTINGS)
    assert {name: field.default for name, field in settings_model().model_fields.items()} == DEFAULTS
