"""Settings from the environment (TRIBE_*) and the command line, validated by pydantic."""

from __future__ import annotations

import locale
import os
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Language = Literal["nl", "en"]
ENV_PREFIX = "TRIBE_"


def default_database_url() -> str:
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('tribe-tui', appauthor=False)) / 'tribe.db'}"


def language_from_locale() -> Language:
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "en" if value.lower().startswith("en") else "nl"
    try:
        found = locale.getlocale()[0] or ""
    except ValueError:
        found = ""
    return "en" if found.lower().startswith("en") else "nl"


class Settings(BaseModel):
    """TRIBE_<FIELD> environment variables (any case), overridden by keyword arguments.

    A plain pydantic model that reads the environment itself, not pydantic-settings: the same
    validation, without the ~40 ms that importing pydantic-settings adds to every command and to
    the TUI's first frame (issue #6).
    """

    model_config = ConfigDict(extra="ignore")

    database_url: str | None = None
    # Bounded: a far-off date would make `billing run` renew period after period up to the calendar's end.
    today: date | None = Field(default=None, ge=date(2000, 1, 1), le=date(2099, 12, 31))
    lang: Language | None = None
    org: str | None = None
    smtp_url: str | None = None
    mail_from: str = "Tribe CRM <no-reply@tribecrm.example>"
    public_url: str = "https://app.tribecrm.example"
    invite_valid_days: int = Field(default=7, ge=1, le=365)
    lockout_failures: int = Field(default=5, ge=1)
    lockout_minutes: int = Field(default=15, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _from_environment(cls, data: object) -> object:
        if not isinstance(data, dict):
            return data
        found = {}
        for key, value in os.environ.items():
            upper = key.upper()
            if upper.startswith(ENV_PREFIX) and upper[len(ENV_PREFIX):].lower() in cls.model_fields:
                found[upper[len(ENV_PREFIX):].lower()] = value
        return {**found, **data}

    @field_validator("database_url", "smtp_url", "org", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @cached_property
    def url(self) -> str:
        return self.database_url or default_database_url()

    @cached_property
    def language(self) -> Language:
        return self.lang or language_from_locale()

    def effective_today(self) -> date:
        """The date every rule uses: --today / TRIBE_TODAY, else the calendar."""
        return self.today or date.today()
