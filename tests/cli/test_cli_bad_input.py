"""Bad input: one line on stderr, exit 2 (1 for a refusal), no traceback, and the
database exactly as it was (a full dump of the account tables before and after)."""

from __future__ import annotations

import pytest

BAD_INPUT = [
    # licence counts: non-numeric, zero, negative, absurd
    ("licences", "add", "abc"),
    ("licences", "add", "0"),
    ("licences", "add", "-3"),
    ("licences", "add", "--", "-3"),
    ("licences", "add", "10001"),
    ("licences", "add", "99999999999999"),
    ("licences", "add", "1.5"),
    ("licences", "add", "1e3"),
    ("licences", "add", ""),
    ("licences", "add", "2", "--dry-run", "--json", "--today", "2026-13-01"),
    ("licences", "add"),
    # unknown edition / module / e-mail
    ("edition", "set", "enterprise"),
    # a demo larger than any organisation may be (was an unexpected ValidationError, exit 1)
    ("demo", "--licences", "100001", "--no-open"),
    ("demo", "--licences", "0", "--no-open"),
    ("edition", "set", "enterprise", "--dry-run"),
    ("modules", "add", "telepathy"),
    ("modules", "add", "Projects"),
    ("modules", "remove", "telepathy"),
    ("licences", "unlink", "ghost@acme.nl"),
    ("licences", "unlink", "not-an-address"),
    ("licences", "link", "ghost@acme.nl"),
    ("licences", "offboard", "ghost@acme.nl"),
    ("licences", "renew", "ghost@acme.nl", "off"),
    ("licences", "renew", "daan@acme.nl", "maybe"),
    ("licences", "renew", "999999", "off"),
    ("licences", "renew", "²", "off"),
    ("employees", "former", "ghost@acme.nl", "on"),
    ("employees", "former", "daan@acme.nl", "perhaps"),
    # billing details: btw-id, IBAN, KvK, e-mail, unknown field, syntax
    ("billing-details", "set", "vat_number=NL123"),
    ("billing-details", "set", "vat_number=NL123456789B01"),
    ("billing-details", "set", "iban=NL91ABNA0417164301"),
    ("billing-details", "set", "kvk_number=1234"),
    ("billing-details", "set", "kvk_number=123456789"),
    ("billing-details", "set", "invoice_email=facturen@"),
    ("billing-details", "set", "country=ZZ"),
    ("billing-details", "set", "postcode=12345"),
    ("billing-details", "set", "company_name=Acme\x1b[31m"),
    ("billing-details", "set", "colour=red"),
    ("billing-details", "set", "city"),
    ("billing-details", "set"),
    ("billing-details", "set", "city=Utrecht", "iban=nope"),  # one bad field: none saved
    # dates that are no dates
    ("licences", "add", "1", "--today", "26-11-2026"),
    ("licences", "add", "1", "--today", "2026-11-26T10:00"),
    # everything else that is malformed
    ("invoices", "show", "1999-0001"),
    ("account", "show", "--org", "nope"),
    ("account", "show", "--lang", "fr"),
    ("cancel", "--yes"),
    ("cancel", "--reason", "te duur"),
    ("cancel", "--withdraw", "--yes"),
    ("cancel", "--reason", "", "--yes"),
    ("frobnicate",),
    ("init", "--org", "Beta", "--admin-email", "b@beta.nl", "--admin-username", "beta", "--licences", "0"),
    ("init", "--org", "Beta", "--admin-email", "b@beta.nl", "--admin-username", "beta", "--licences", "100001"),
    ("init", "--org", "Beta", "--admin-email", "b@beta.nl", "--admin-username", "beta", "--edition", "gold"),
    ("init", "--org", "Beta", "--admin-email", "b@", "--admin-username", "beta"),
    ("init", "--org", "Beta", "--admin-email", "b@beta.nl", "--admin-username", "B"),
    ("init", "--org", "Beta", "--admin-email", "b@beta.nl", "--admin-username", "beta", "--start", "2026-02-30"),
]

REFUSED = [
    ("modules", "remove", "mailchimp"),  # not active
    ("modules", "add", "workflows"),  # needs Tribe Creator
    ("modules", "add", "workflows", "--dry-run"),
    ("edition", "set", "tribe"),  # already
    ("licences", "unlink", "admin@acme.nl"),  # the last admin
    ("licences", "offboard", "admin@acme.nl"),
    ("employees", "former", "admin@acme.nl", "on"),
    ("employees", "former", "daan@acme.nl", "off"),  # not former
    ("licences", "renew", "daan@acme.nl", "on"),  # already on
    ("licences", "link", "daan@acme.nl"),  # already holds one
    ("cancel", "--withdraw"),  # not cancelled
    # R10: dated before the latest invoice (init issued the first on 2026-11-26)
    ("licences", "add", "1", "--today", "2026-05-31"),
    ("modules", "add", "projects", "--today", "2026-01-01"),
    ("edition", "set", "creator", "--today", "2026-05-31"),
    ("licences", "add", "1", "--dry-run", "--today", "2026-11-25"),
    ("init", "--org", "Acme B.V.", "--admin-email", "x@acme.nl", "--admin-username", "other"),  # name taken
    ("init", "--org", "Beta", "--admin-email", "b@beta.nl", "--admin-username", "admin"),  # username taken
]


def _one_clean_line(result) -> None:
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("tribe-tui: ") and len(lines[0]) > len("tribe-tui: ") + 3
    assert "Traceback" not in result.err and "unexpected error" not in result.err
    assert "database error" not in result.err


@pytest.mark.parametrize("argv", BAD_INPUT, ids=lambda argv: " ".join(argv))
def test_bad_input_exits_2_with_one_line_and_changes_nothing(cli, staff, dump, argv):
    before = dump()
    result = cli(*argv)
    assert result.code == 2, (result.code, result.err)
    _one_clean_line(result)
    assert dump() == before


@pytest.mark.parametrize("argv", REFUSED, ids=lambda argv: " ".join(argv))
def test_refusals_exit_1_with_one_line_and_change_nothing(cli, staff, dump, argv):
    before = dump()
    result = cli(*argv)
    assert result.code == 1, (result.code, result.err)
    _one_clean_line(result)
    assert dump() == before


@pytest.mark.parametrize(
    "argv",
    [("licences", "add", "0"), ("modules", "remove", "mailchimp"), ("billing-details", "set", "iban=nope")],
    ids=" ".join,
)
def test_json_mode_errors_are_the_same_single_line(cli, staff, dump, argv):
    before = dump()
    result = cli(*argv, "--json")
    assert result.code in (1, 2)
    _one_clean_line(result)
    assert dump() == before


@pytest.mark.parametrize(
    "argv, nl, en",
    [
        (("licences", "add", "0"), "minstens 1", "at least 1"),
        (("licences", "add", "99999999999999"), "hoogstens 10000", "at most 10000"),
        (("billing-details", "set", "kvk_number=1234"), "8 cijfers", "8 digits"),
        (("billing-details", "set", "vat_number=NL123"), "btw-id", "VAT"),
        (("modules", "remove", "mailchimp"), "niet actief", "not active"),
        (("licences", "add", "1", "--today", "2026-11-25"), "26 november 2026", "26 November 2026"),
        # regression: pydantic's English "Datetimes provided to dates should have zero time" leaked through
        (("licences", "add", "1", "--today", "2026-11-26T10:00"), "JJJJ-MM-DD", "YYYY-MM-DD"),
        (
            ("init", "--org", "B", "--admin-email", "b@b.nl", "--admin-username", "bbb", "--start", "2026-11-26T10:00"),
            "JJJJ-MM-DD",
            "YYYY-MM-DD",
        ),
    ],
)
def test_messages_follow_the_language(cli, staff, argv, nl, en):
    assert nl in cli(*argv, "--lang", "nl").err
    assert en in cli(*argv, "--lang", "en").err


def test_an_absurd_count_is_too_large_not_unreadable(cli, org):
    err = cli("licences", "add", "99999999999999", "--lang", "en").err
    assert "10000" in err and "whole number" not in err


def test_without_any_organisation_commands_say_so(cli, backend):
    import os

    from tribe_tui.db import open_database

    argvs = (("account", "show"), ("licences", "add", "1"), ("invoices", "list", "--json"))
    # No database yet (SQLite: no file; the PostgreSQL pass starts from the worker's scratch
    # database): bad input, as only init and demo create one, naming init.
    for argv in argvs if backend == "sqlite" else ():
        result = cli(*argv)
        assert result.code == 2
        _one_clean_line(result)
        assert "init" in result.err
    open_database(os.environ["TRIBE_DATABASE_URL"]).close()  # a database with tribe-tui's tables, no organisation
    for argv in argvs:
        result = cli(*argv)
        assert result.code == 1
        _one_clean_line(result)
        assert "init" in result.err


def test_with_two_organisations_org_is_required(cli, org):
    assert cli("init", "--org", "Beta", "--admin-email", "b@beta.nl", "--admin-username", "beta").code == 0
    result = cli("account", "show")
    assert result.code == 2
    _one_clean_line(result)
    assert "acme-b-v" in result.err and "beta" in result.err
    assert cli("account", "show", "--org", "beta", "--json").json["organisation"] == "Beta"


def test_a_cancelled_account_is_not_charged(cli, org, dump):
    assert cli("cancel", "--reason", "te duur", "--yes").code == 0
    before = dump()
    for argv in (
        ("licences", "add", "1"),
        ("modules", "add", "projects"),
        ("edition", "set", "creator"),
        ("cancel", "--reason", "nog eens", "--yes"),
    ):
        result = cli(*argv)
        assert result.code == 1, argv
        _one_clean_line(result)
    assert dump() == before


@pytest.mark.parametrize(
    "argv",
    [
        ("sign-in-check", "admin", "--password-stdin"),
        ("init", "--org", "Acme", "--admin-email", "a@acme.nl", "--admin-username", "anna", "--password-stdin"),
        ("accept-invite", "A" * 43, "--username", "anna", "--password-stdin"),
    ],
    ids=lambda argv: argv[0],
)
def test_a_password_on_stdin_that_is_not_utf8_is_bad_input(argv, cli):
    """Real bytes through a real process: the decoding happens in the stream, not in our code."""
    import os
    import subprocess
    import sys

    assert cli("demo", "--no-open").code == 0
    from tribe_tui.models import database

    database.close()
    result = subprocess.run(
        [sys.executable, "-m", "tribe_tui", *argv],
        input=b"Geheim-\xff\xfe-wachtwoord\n",
        capture_output=True,
        env=os.environ.copy(),
        timeout=120,
    )
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert err.count("\n") == 1 and "UTF-8" in err and "Traceback" not in err
