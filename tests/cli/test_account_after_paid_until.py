"""`account show` after paid-until: the period has ended and a renewal is due, said in words with
dates like every other date; an ended account shows no pending downgrade and no licences in use."""

from __future__ import annotations

import pytest

AFTER = "2027-06-10"  # paid-until of the `org` fixture is 2027-05-31


def ok(result):
    assert result.code == 0, result.err
    return result


@pytest.mark.parametrize(
    "lang, ended, date",
    [("nl", "verlopen, verlenging volgt", "31 mei 2027"), ("en", "ended, renewal due", "31 May 2027")],
)
def test_after_paid_until_the_period_has_ended(cli, org, lang, ended, date):
    out = ok(cli("account", "show", "--today", AFTER, "--lang", lang)).out
    assert f"{date} ({ended})" in out, out
    assert "2027-05-31" not in out  # no ISO date in a sentence
    assert "0 dagen" not in out and "0 days" not in out


def test_an_ended_account_has_no_downgrade_pending_and_no_licences_in_use(cli, org):
    ok(cli("edition", "set", "creator"))
    ok(cli("edition", "set", "tribe"))  # a downgrade, scheduled for 1 June 2027
    ok(cli("cancel", "--reason", "te duur", "--yes"))
    shown = ok(cli("account", "show", "--json", "--today", AFTER)).json
    assert shown["status"] == "ended"
    assert shown["scheduled_edition"] is None
    assert shown["licences"]["in_use"] == 0
    assert shown["renewal_pending"] is False
    out = ok(cli("account", "show", "--today", AFTER)).out
    assert "→" not in out  # no edition change shown
    assert "(verlopen)" in out
