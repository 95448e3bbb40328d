"""Payment method on the command line: `mandate show | sign --yes | withdraw --yes`, and the billing
details' payment method."""

from __future__ import annotations

import json
import os

import pytest

from tests.helpers import ok


def _events(action: str) -> list[dict]:
    from tribe_tui.db import open_database
    from tribe_tui.models import AuditEvent

    open_database(os.environ["TRIBE_DATABASE_URL"])
    return [
        {"before": json.loads(e.before or "null"), "after": json.loads(e.after or "null"), "actor": e.actor}
        for e in AuditEvent.select().where(AuditEvent.action == action).order_by(AuditEvent.id)
    ]


def test_sign_show_and_withdraw(cli, org, dump):
    assert ok(cli("billing-details", "show", "--json")).json["payment_method"] == "bank_transfer"
    ok(cli("billing-details", "set", "iban=nl91 abna 0417 1643 00"))
    shown = ok(cli("mandate", "show", "--json")).json
    assert shown["payment_method"] == "bank_transfer" and shown["reference"] == "TRIBE-000001-1"
    assert (shown["creditor_id"], shown["iban"], shown["bic"]) == (
        "NL69ZZZ123456780000",
        "NL91ABNA0417164300",
        "ABNANL2A",
    )
    text = ok(cli("mandate", "show", "--lang", "nl")).out
    assert "ID NL69ZZZ123456780000" in text and "binnen 8 weken" in text and "TRIBE-000001-1" in text

    before = dump()
    refused = cli("mandate", "sign")  # without --yes: bad input, nothing signed
    assert refused.code == 2 and refused.err.count("\n") == 1 and dump() == before

    signed = ok(cli("mandate", "sign", "--yes", "--json")).json
    assert (signed["payment_method"], signed["reference"], signed["signed_on"]) == (
        "direct_debit",
        "TRIBE-000001-1",
        "2026-11-26",
    )
    assert ok(cli("billing-details", "show", "--json")).json["payment_method"] == "direct_debit"
    assert "Automatische incasso" in ok(cli("billing-details", "show", "--lang", "nl")).out
    [event] = _events("mandate.signed")
    assert event["after"]["reference"] == "TRIBE-000001-1" and event["after"]["iban"] == "NL91ABNA0417164300"
    assert event["after"]["signed_on"] == "2026-11-26" and event["after"]["signed_by"].startswith("cli:")

    again = cli("mandate", "sign", "--yes")  # the same IBAN: nothing to sign
    assert again.code == 1 and "TRIBE-000001-1" in again.err

    ok(cli("billing-details", "set", "iban=DE89370400440532013000"))  # a new account: sign again
    assert "DE89370400440532013000" in ok(cli("mandate", "show", "--lang", "en")).out
    replaced = ok(cli("mandate", "sign", "--yes", "--json")).json
    assert (replaced["reference"], replaced["iban"], replaced["bic"]) == (
        "TRIBE-000001-2",
        "DE89370400440532013000",
        "COBADEFFXXX",
    )
    assert _events("mandate.signed")[1]["before"]["mandate"] == "TRIBE-000001-1"

    withdrawn = ok(cli("mandate", "withdraw", "--yes", "--json")).json
    assert withdrawn["payment_method"] == "bank_transfer"
    assert _events("mandate.withdrawn")[0]["before"]["mandate"] == "TRIBE-000001-2"
    assert cli("mandate", "withdraw", "--yes").code == 1  # nothing left to withdraw

    from tribe_tui.models import PaymentMandate

    assert [(m.reference, m.withdrawn_on is not None) for m in PaymentMandate.select().order_by(PaymentMandate.id)] == [
        ("TRIBE-000001-1", True),
        ("TRIBE-000001-2", True),
    ]


@pytest.mark.parametrize(("iban", "code", "word"), [("", 1, "IBAN"), ("NL91ABNA0417164300", 0, "")])
def test_sign_needs_the_billing_iban(cli, org, iban, code, word):
    if iban:
        ok(cli("billing-details", "set", f"iban={iban}"))
    result = cli("mandate", "sign", "--yes", "--lang", "en")
    assert result.code == code and word in result.err
