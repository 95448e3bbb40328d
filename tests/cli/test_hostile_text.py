"""A hostile script: arbitrary text (digits of other scripts, whitespace, signs,
exponents, control characters) for --today, --start, counts and every billing-detail field. Each
is either taken with its plain meaning or refused as bad input (exit 2, one line, nothing
changed): never exit 0 with another meaning, never an unexpected error."""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tribe_tui.schemas import BILLING_FIELDS

pytestmark = pytest.mark.slow  # generated text through every command (hypothesis)

# Text that looks like what a script might pass by mistake, and text that is anything at all.
TRICKY = st.sampled_from(
    [
        "",
        " ",
        "1",
        "+1",
        "-1",
        "1e3",
        "1.0",
        "0x10",
        "٣",
        "３",
        "²",
        "1_000",
        "2026-11-26",
        "2026-11-26T00:00",
        "1748736000",
        "\x00",
        "\x1b[31m",
        "2026-02-29",
        "1999-12-31",
        "2100-01-01",
        " 2026-11-26",
        "NL000099998B57",
        "12345678",
        "1234 AB",
        "BE",
        "NL",
    ]
)
ARBITRARY = st.text(st.characters(codec="utf-8"), max_size=24)
TEXT = st.one_of(TRICKY, ARBITRARY, st.builds(lambda a, b: a + b, TRICKY, ARBITRARY))
ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FIELD = st.sampled_from(("today", "start", "count") + BILLING_FIELDS)
_names = itertools.count()

TODAY = date(2026, 11, 26)


def _is_plain_date(text: str, low: date, high: date) -> bool:
    if not ISO.fullmatch(text):
        return False
    try:
        return low <= date.fromisoformat(text) <= high
    except ValueError:
        return False


def _digits(text: str) -> list[str]:
    return [ch for ch in text if ch.isdigit()]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=FIELD, text=TEXT)
@example(field="start", text="2026-01-01")  # a second organisation, then the first one's commands:
@example(field="count", text="1")  # these must still reach the organisation under test
def test_arbitrary_text_is_its_plain_meaning_or_bad_input(cli, org, dump, field, text):
    if "\x00" in text and field in ("today", "start", "count"):
        text = text.replace("\x00", "")  # an argv cannot hold NUL (the kernel cuts it there)
    before = dump()
    # The organisation under test by name: a "start" example may have made others (hypothesis runs
    # its examples on one database), and without --org a command would be refused for that alone.
    mine = ("--org", org["organisation"])
    if field == "today":
        result = cli("account", "show", "--json", "--today", text, *mine)
        if result.code == 0:
            assert _is_plain_date(text, date(2000, 1, 1), date(2099, 12, 31)), text
    elif field == "start":
        n = next(_names)
        result = cli(
            "init",
            "--org",
            f"Org {n}",
            "--admin-email",
            f"a{n}@x.nl",
            "--admin-username",
            f"user{n}",
            "--start",
            text,
            "--json",
        )
        if result.code == 0:
            assert _is_plain_date(text, date(2000, 1, 1), TODAY), text
            shown = cli("invoices", "show", result.json["invoice"], "--json", "--org", result.json["organisation"])
            assert shown.json["lines"][0]["period_from"] == text
    elif field == "count":
        total = cli("account", "show", "--json", *mine).json["licences"]["total"]
        result = cli("licences", "add", text, "--json", *mine)
        if result.code == 0:
            assert re.fullmatch(r"[0-9]+", text), text  # R11: ASCII digits and nothing else
            assert result.json["licences_total"] == total + int(text)
    else:
        result = cli("billing-details", "set", f"{field}={text}", "--json", *mine)
        if result.code == 0:
            stored = result.json[field]
            assert "\x1b" not in stored and "\x00" not in stored
            if field in ("kvk_number", "postcode", "vat_number", "iban"):
                # Plain meaning: the same ASCII digits in the same order, nothing converted or invented.
                assert _digits(stored) == _digits(text) and all(ch.isascii() for ch in _digits(text)), (
                    field,
                    text,
                    stored,
                )
            elif field == "country":
                assert stored == text.strip().upper(), (text, stored)
            elif field != "invoice_email":
                assert stored == text.strip(), (field, text, stored)  # text is kept as typed
    assert result.code in (0, 2) or (result.code == 1 and "unexpected" not in result.err), (field, text, result)
    if result.code != 0:
        assert result.out == "" and len(result.err.splitlines()) == 1, (field, text, result.err)
        assert dump() == before, (field, text)
