"""R11: a count on the command line is ASCII digits and nothing else, exactly [0-9]+. A sign or
a space around the digits is bad input (exit 2, one line, nothing changed), not a charge."""

from __future__ import annotations

import pytest

NOT_A_COUNT = [" 1", "1 ", "+1", "-1", " +1 ", "1\n", "\t1", "0x1", "1_0", "٣", "３"]


def refused_as_bad_input(result) -> str:
    assert result.code == 2, (result.code, result.out, result.err)
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("tribe-tui: "), result.err
    return lines[0]


@pytest.mark.parametrize("text", NOT_A_COUNT)
def test_licences_add_takes_only_ascii_digits(cli, org, dump, text):
    before = dump()
    refused_as_bad_input(cli("licences", "add", text, "--json"))
    refused_as_bad_input(cli("licences", "add", text, "--dry-run", "--json"))
    assert dump() == before


def test_licences_add_with_plain_digits_still_charges(cli, org):
    result = cli("licences", "add", "2", "--json")
    assert result.code == 0, result.err
    assert result.json["licences_total"] == 5


@pytest.mark.parametrize("text", ["+2", " 2", "2 ", "-2"])
def test_init_licences_takes_only_ascii_digits(cli, dump, text):
    before = dump()
    refused_as_bad_input(
        cli("init", "--org", "Beta", "--admin-email", "b@beta.nl", "--admin-username", "beta", "--licences", text)
    )
    assert dump() == before


@pytest.mark.parametrize(
    "argv",
    [
        ("licences", "list", "--idle-days", "+30"),
        ("licences", "list", "--idle-days", " 30"),
        ("outbox", "list", "--show", "+1"),
        ("outbox", "list", "--show", "1 "),
        ("demo", "--licences", "+5", "--no-open"),
    ],
)
def test_every_other_count_takes_only_ascii_digits(cli, org, dump, argv):
    before = dump()
    refused_as_bad_input(cli(*argv))
    assert dump() == before
