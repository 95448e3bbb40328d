"""After paid-until every admin action first renews (R9), not only the ones that charge: unlinking,
linking, offboarding, renewal on/off, Voormalig and the admin role each write the renewal invoice
first, and their text and JSON name it (number and total) before what the action itself did."""

from __future__ import annotations

import pytest

AFTER = "2027-06-10"  # paid-until of the `org` fixture is 2027-05-31

ACTIONS = [
    ("licences", "unlink", "daan@acme.nl"),
    ("licences", "offboard", "daan@acme.nl"),
    ("licences", "renew", "daan@acme.nl", "off"),
    ("employees", "former", "daan@acme.nl", "on"),
    ("employees", "admin", "daan@acme.nl", "on"),
]


def ok(result):
    assert result.code == 0, result.err
    return result


def renewals(cli) -> list[dict]:
    return [i for i in ok(cli("invoices", "list", "--json", "--today", AFTER)).json if i["reason"] == "renewal"]


@pytest.mark.parametrize("argv", ACTIONS)
def test_json_names_the_renewal_invoice_the_action_wrote(cli, org, staff, argv):
    done = ok(cli(*argv, "--json", "--today", AFTER)).json
    [renewal] = renewals(cli)
    [settled] = done["settled"]
    assert (settled["kind"], settled["period_start"], settled["paid_until"]) == ("renewal", "2027-06-01", "2028-05-31")
    assert settled["invoice"] == renewal["number"]
    assert settled["charge"]["total"] == renewal["total"] == "1306.80"
    assert done["invoices_total"] == "1306.80"


@pytest.mark.parametrize("argv", ACTIONS)
def test_text_names_the_renewal_invoice_before_the_change(cli, org, staff, argv):
    out = ok(cli(*argv, "--today", AFTER)).out
    [renewal] = renewals(cli)
    line = f"Verlengd t/m 31 mei 2028: factuur {renewal['number']}, €\xa01.306,80 incl. btw"
    # First the renewal, last what the action did.
    assert out.splitlines()[0] == line, out
    assert "Samen" not in out  # one invoice: no sum to make


def test_linking_after_paid_until_names_the_renewal_in_english(cli, org, staff):
    ok(cli("licences", "unlink", "daan@acme.nl"))  # before paid-until: nothing settled
    out = ok(cli("licences", "link", "daan@acme.nl", "--today", AFTER, "--lang", "en")).out
    [renewal] = renewals(cli)
    line = f"Renewed up to and including 31 May 2028: invoice {renewal['number']}, €1,306.80 incl. VAT"
    assert line in out, out
    assert out.index(line) < out.index("Daan de Jong"), out


def test_before_paid_until_nothing_is_settled(cli, org, staff):
    done = ok(cli("licences", "unlink", "daan@acme.nl", "--json")).json
    assert done["settled"] == []
    assert done["invoices_total"] == "0.00"


def test_inviting_names_the_renewal_invoice_first(cli, org):
    out = ok(cli("invite", "eva@example.com", "--today", AFTER)).out
    [renewal] = renewals(cli)
    line = f"Verlengd t/m 31 mei 2028: factuur {renewal['number']}, €\xa01.306,80 incl. btw"
    assert out.splitlines()[0] == line, out
    assert "eva@example.com" in out.split(line, 1)[1]
