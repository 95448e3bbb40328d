"""Settings from the environment (TRIBE_*) and the command line.

The pydantic model `settings_model()` validates them. Importing pydantic and building that
model costs more than a whole `account show --json` may take (bench/RESULTS.md), so `Settings`
first tries a strict fast path that accepts only values whose meaning is beyond
doubt (a plain ISO date in range, "nl"/"en", a small positive whole number in range, any text
for the text fields). Anything else (an error, an odd spelling pydantic might still accept) goes
to the pydantic model, which decides and words the error. `tests/unit/test_settings.py` checks
with hypothesis that the fast path never accepts what the model would refuse and never yields a
different value.
"""

from __future__ import annotations

import locale
import os
import re
import zoneinfo
from datetime import UTC, date, datetime
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple
from urllib.parse import quote

from tribe_tui.errors import Refused

if TYPE_CHECKING:
    from pydantic import BaseModel

Language = Literal["nl", "en"]
ENV_PREFIX = "TRIBE_"
EARLIEST_TODAY = date(2000, 1, 1)  # a far-off date would make `billing run` renew up to the calendar's end
LATEST_TODAY = date(2099, 12, 31)


class Setting(NamedTuple):
    """One setting: the type of its value, its default (None: optional), the bounds of a number
    or date, and whether a blank value means unset. settings_model() is built from these."""

    type: Any
    default: Any = None
    low: Any = None
    high: Any = None
    blank_is_unset: bool = False


# Every setting, declared once: the fast path below, Settings and settings_model() use this.
SETTINGS: dict[str, Setting] = {
    "database_url": Setting(str, blank_is_unset=True),
    "today": Setting(date, low=EARLIEST_TODAY, high=LATEST_TODAY),
    "lang": Setting(Language),
    "org": Setting(str, blank_is_unset=True),
    "smtp_url": Setting(str, blank_is_unset=True),
    "mail_from": Setting(str, "Tribe CRM <no-reply@tribecrm.example>"),
    "public_url": Setting(str, "https://app.tribecrm.example"),
    "invite_valid_days": Setting(int, 7, low=1, high=365),
    "lockout_failures": Setting(int, 5, low=1),
    "lockout_minutes": Setting(int, 15, low=1),
    "session_idle_minutes": Setting(int, 30, low=1, high=1440),  # a TUI session idle this long ends
}
DEFAULTS: dict[str, object] = {name: setting.default for name, setting in SETTINGS.items()}
NUMBER_BOUNDS = {name: (setting.low, setting.high) for name, setting in SETTINGS.items() if setting.type is int}
BLANK_IS_UNSET = tuple(name for name, setting in SETTINGS.items() if setting.blank_is_unset)
OPTIONAL_TEXT = tuple(name for name, setting in SETTINGS.items() if setting.type is str and setting.default is None)
TEXT = tuple(name for name, setting in SETTINGS.items() if setting.type is str and setting.default is not None)

# The demo organisation's slug and its admin's username (services.demo creates them); here, not
# there, so that `tribe-tui demo` can name them without importing the database layer.
DEMO_SLUG = "demo"
DEMO_ADMIN = "admin"

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# R11: "today" is the date in Amsterdam, whatever zone the server runs in (a cron job at 00:30 UTC
# bills the Dutch date).
RULES_ZONE = "Europe/Amsterdam"
_NUMBER = re.compile(r"[1-9][0-9]{0,8}")
_REFUSED = object()


def strict_date(value: object) -> date:
    """R11: a date on the command line or in the environment is YYYY-MM-DD and nothing else (no
    timestamps, times, zones, or digits of other scripts); a date object passes. Raises ValueError."""
    if type(value) is date:
        return value
    if type(value) is str and _ISO_DATE.fullmatch(value):
        return date.fromisoformat(value)
    raise ValueError("not a date in the form YYYY-MM-DD")


def _now() -> datetime:
    """The wall clock, aware (one place, so a test can set it)."""
    return datetime.now(UTC)


def amsterdam_today() -> date:
    """R11: today's date in Europe/Amsterdam, whatever the server's own zone."""

    try:
        zone = zoneinfo.ZoneInfo(RULES_ZONE)
    except zoneinfo.ZoneInfoNotFoundError:  # a minimal container without the time zone database
        raise Refused(
            "the time zone database is missing (Europe/Amsterdam): install the system's tzdata "
            "package or `pip install tzdata`, or give --today"
        ) from None
    return _now().astimezone(zone).date()


def default_database_url() -> str:
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('tribe-tui', appauthor=False)) / 'tribe.db'}"


def demo_mail_url(database_url: str) -> str:
    """Where the demo delivers e-mail when no TRIBE_SMTP_URL is set: a Maildir beside its SQLite
    file (`demo-mail/`), or in the user's data directory for another database."""

    if database_url.startswith("sqlite:///"):
        folder = Path(database_url.removeprefix("sqlite:///")).parent
    else:
        from platformdirs import user_data_dir

        folder = Path(user_data_dir("tribe-tui", appauthor=False))
    return "maildir://" + quote(str(folder.resolve() / "demo-mail"))


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


def from_environment() -> dict[str, object]:
    """TRIBE_<SETTING> variables, in any case; unknown ones are ignored."""
    found: dict[str, object] = {}
    for key, value in os.environ.items():
        upper = key.upper()
        if upper.startswith(ENV_PREFIX) and upper[len(ENV_PREFIX) :].lower() in DEFAULTS:
            found[upper[len(ENV_PREFIX) :].lower()] = value
    return found


def _fast_value(name: str, value: object) -> object:
    """The value pydantic would produce, or _REFUSED when that is not beyond doubt."""
    if value is None:
        return None if DEFAULTS[name] is None else _REFUSED
    if name in BLANK_IS_UNSET and value == "":
        return None
    if name in OPTIONAL_TEXT or name in TEXT:
        return value if type(value) is str else _REFUSED
    if name == "lang":
        return value if value in ("nl", "en") and type(value) is str else _REFUSED
    if name == "today":
        if type(value) is str and _ISO_DATE.fullmatch(value):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return _REFUSED
        if type(value) is date and EARLIEST_TODAY <= value <= LATEST_TODAY:
            return value
        return _REFUSED
    if name in NUMBER_BOUNDS:
        if type(value) is str and _NUMBER.fullmatch(value):
            value = int(value)
        low, high = NUMBER_BOUNDS[name]
        if type(value) is int and value >= low and (high is None or value <= high):
            return value
    return _REFUSED


def fast_path(values: dict[str, object]) -> dict[str, object] | None:
    """All settings when every given value is plainly valid, else None (ask pydantic)."""
    result = dict(DEFAULTS)
    for name, value in values.items():
        if name in DEFAULTS:
            checked = _fast_value(name, value)
            if checked is _REFUSED:
                return None
            result[name] = checked
    return result


@cache
def settings_model() -> type[BaseModel]:
    """The pydantic model of the settings: TRIBE_* variables and the global command-line options.

    Built here, on first use, rather than in tribe_tui.schemas: schemas is input validation above
    this module, and config must not reach up into it; pydantic is imported only when the fast
    path declines a value.
    """
    from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator
    from pydantic_core import PydanticCustomError

    class Base(BaseModel):
        model_config = ConfigDict(extra="ignore")

        @field_validator(*BLANK_IS_UNSET, mode="before", check_fields=False)
        @classmethod
        def _blank_is_unset(cls, value: object) -> object:
            return None if value == "" else value

        @field_validator("today", mode="before", check_fields=False)
        @classmethod
        def _strict_today(cls, value: object) -> object:
            # pydantic's own date parsing is lax (a Unix timestamp, a datetime at midnight): R11.
            if value is None:
                return value
            try:
                return strict_date(value)
            except ValueError:
                raise PydanticCustomError("date_parsing", "not a date in the form YYYY-MM-DD") from None

    def field(setting: Setting) -> Any:
        annotation = setting.type if setting.default is not None else setting.type | None
        return (annotation, Field(default=setting.default, ge=setting.low, le=setting.high))

    return create_model("SettingsInput", __base__=Base, **{name: field(s) for name, s in SETTINGS.items()})


def validate(values: dict[str, object]) -> dict[str, object]:
    """All settings, validated: the fast path, else the pydantic model (raises ValidationError)."""
    checked = fast_path(values)
    if checked is None:
        checked = settings_model()(**values).model_dump()
    return checked


class Settings:
    """TRIBE_<FIELD> environment variables (any case), overridden by keyword arguments.

    Raises pydantic's ValidationError (a ValueError) for a value that is not valid. The
    annotations are for type checkers; SETTINGS decides (tests/unit/test_settings.py holds them equal).
    """

    database_url: str | None
    today: date | None
    lang: Language | None
    org: str | None
    smtp_url: str | None
    mail_from: str
    public_url: str
    invite_valid_days: int
    lockout_failures: int
    lockout_minutes: int
    session_idle_minutes: int

    def __init__(self, **overrides: object) -> None:
        for name, value in validate({**from_environment(), **overrides}).items():
            setattr(self, name, value)

    @cached_property
    def url(self) -> str:
        return self.database_url or default_database_url()

    @property
    def language(self) -> Language:
        return self.lang or language_from_locale()

    def effective_today(self) -> date:
        """The date every rule uses: --today / TRIBE_TODAY, else the date in Amsterdam (R11)."""
        return self.today or amsterdam_today()

    def __repr__(self) -> str:  # no secrets: the SMTP URL may carry a password
        shown = {name: getattr(self, name) for name in DEFAULTS if name != "smtp_url"}
        return f"Settings({shown}, smtp_url={'set' if self.smtp_url else None})"
