"""After paid-until a charging command first renews (R9): its --dry-run names both invoices, the
renewal first, each with its total, and their sum; the real command then writes exactly those."""

from __future__ import annotations

from decimal import Decimal

import pytest

AFTER = "2027-06-10"  # paid-until of the `org` fixture is 2027-05-31


def ok(result):
    assert result.code == 0, result.err
    return result


def new_invoices(cli, before: list[dict]) -> list[dict]:
    seen = {i["number"] for i in before}
    return [i for i in ok(cli("invoices", "list", "--json", "--today", AFTER)).json if i["number"] not in seen]


@pytest.mark.parametrize(
    "argv",
    [
        ("licences", "add", "1"),
        ("edition", "set", "creator"),
        ("modules", "add", "projects"),
    ],
)
def test_dry_run_json_names_the_renewal_then_the_change_and_the_sum(cli, org, dump, argv):
    before = dump()
    preview = ok(cli(*argv, "--dry-run", "--json", "--today", AFTER)).json
    assert dump() == before  # the renewal shown was not kept either
    [renewal] = preview["settled"]
    # The renewal: the organisation's 3 Tribe licences for the period that started on 1 June.
    assert (renewal["kind"], renewal["period_start"], renewal["paid_until"]) == ("renewal", "2027-06-01", "2028-05-31")
    assert renewal["invoice"] is None  # a dry run takes no number
    assert renewal["charge"]["lines"][0]["quantity"] == 3
    assert renewal["charge"]["total"] == "1306.80"
    assert Decimal(preview["invoices_total"]) == Decimal(renewal["charge"]["total"]) + Decimal(preview["total"])

    invoices_before = ok(cli("invoices", "list", "--json", "--today", AFTER)).json
    done = ok(cli(*argv, "--json", "--today", AFTER)).json
    written = new_invoices(cli, invoices_before)
    # What the preview named is what was written: the renewal, then the change, same totals.
    assert [i["total"] for i in written] == [renewal["charge"]["total"], preview["total"]]
    assert [s["invoice"] for s in done["settled"]] == [written[0]["number"]]
    assert done["invoice"] == written[1]["number"]
    assert done["invoices_total"] == preview["invoices_total"]


def test_dry_run_before_paid_until_settles_nothing(cli, org):
    preview = ok(cli("licences", "add", "1", "--dry-run", "--json")).json
    assert preview["settled"] == []
    assert preview["invoices_total"] == preview["total"]


@pytest.mark.parametrize(
    "lang, words",
    [
        ("nl", ["Eerst de verlenging:", "1 juni 2027 t/m 31 mei 2028", "€\xa01.306,80", "Samen 2 facturen"]),
        ("en", ["First the renewal:", "1 June 2027 to 31 May 2028", "€1,306.80", "Together 2 invoices"]),
    ],
)
def test_dry_run_text_names_the_renewal_first_and_the_sum(cli, org, lang, words):
    out = ok(cli("licences", "add", "1", "--dry-run", "--today", AFTER, "--lang", lang)).out
    for word in words:
        assert word in out, out
    preview = ok(cli("licences", "add", "1", "--dry-run", "--json", "--today", AFTER)).json
    # The renewal's table comes before the licences' own lines; the sum after both.
    renewal_at = out.index(words[0])
    change_at = out.index("Daarna deze wijziging" if lang == "nl" else "Then this change")
    assert renewal_at < change_at < out.index(words[3])
    from tribe_tui.formatting import money

    assert money(Decimal(preview["invoices_total"]), lang) in out[out.index(words[3]) :]


def test_the_real_command_names_the_renewal_invoice_it_wrote(cli, org):
    out = ok(cli("licences", "add", "1", "--today", AFTER)).out
    written = ok(cli("invoices", "list", "--json", "--today", AFTER)).json[-2:]
    assert [i["reason"] for i in written] == ["renewal", "licences"]
    assert f"Verlengd t/m 31 mei 2028: factuur {written[0]['number']}, €\xa01.306,80 incl. btw" in out, out
    assert out.index(written[0]["number"]) < out.index("Daarna deze wijziging")


def test_cancelling_after_paid_until_names_the_renewal_it_settles(cli, org):
    out = ok(cli("cancel", "--reason", "te duur", "--yes", "--today", AFTER)).out
    [renewal] = [i for i in ok(cli("invoices", "list", "--json", "--today", AFTER)).json if i["reason"] == "renewal"]
    assert f"Verlengd t/m 31 mei 2028: factuur {renewal['number']}, €\xa01.306,80 incl. btw" in out
    assert out.index(renewal["number"]) < out.index("31 mei 2028", out.index("opgezegd"))
