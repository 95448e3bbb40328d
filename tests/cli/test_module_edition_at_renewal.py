"""R7/R8 through the command line: a module that needs the Creator edition never renews into a
Tribe period. Undoing its removal after a downgrade was scheduled is refused like adding it."""

from __future__ import annotations

from tests.helpers import ok


def test_undoing_a_removal_after_a_downgrade_was_scheduled_is_refused_and_the_renewal_is_tribe_only(cli, dump):
    ok(
        cli(
            "init",
            "--org",
            "Creo B.V.",
            "--admin-email",
            "admin@creo.nl",
            "--admin-username",
            "creo",
            "--edition",
            "creator",
            "--licences",
            "2",
            "--start",
            "2026-06-01",
        )
    )
    ok(cli("modules", "add", "marketing"))
    ok(cli("modules", "remove", "marketing"))  # ends at paid-until (2027-05-31)
    ok(cli("edition", "set", "tribe"))  # scheduled for 2027-06-01

    before = dump()
    for extra in ((), ("--dry-run",)):
        undo = cli("modules", "add", "marketing", *extra, "--lang", "en")
        assert undo.code == 1, (undo.code, undo.out, undo.err)
        assert undo.out == "" and len(undo.err.splitlines()) == 1
        assert "Email marketing requires the Tribe Creator edition" in undo.err, undo.err
        assert "Tribe." in undo.err  # what the account has from the next period on
    assert dump() == before

    said = ok(cli("billing", "run", "--today", "2027-06-01", "--lang", "en")).out
    assert "Ended with the period: Email marketing." in said, said  # the renewal says so, in English
    audit = ok(cli("audit", "list", "--json", "--today", "2027-06-01")).json
    [renewal] = [event for event in audit if event["action"] == "billing.renewal"]
    assert renewal["after"]["edition"] == "tribe" and renewal["after"]["modules_ended"] == ["E-mailmarketing"]
    number = ok(cli("invoices", "list", "--json", "--today", "2027-06-01")).json[-1]["number"]
    invoice = ok(cli("invoices", "show", number, "--json", "--today", "2027-06-01")).json
    assert invoice["reason"] == "renewal"
    assert [(line["description"], line["quantity"], line["amount"]) for line in invoice["lines"]] == [
        ("Licentie Tribe", 2, "720.00")
    ]
    assert (invoice["subtotal"], invoice["vat"], invoice["total"]) == ("720.00", "151.20", "871.20")  # not 958.32
    modules = {m["code"]: m for m in ok(cli("modules", "list", "--json", "--today", "2027-06-01")).json}
    assert not modules["marketing"]["active"]


def test_billing_run_names_the_ended_module_in_dutch_for_a_dutch_reader(cli, org):
    ok(cli("modules", "add", "projects"))
    ok(cli("modules", "remove", "projects"))  # ends at paid-until (2027-05-31)
    said = ok(cli("billing", "run", "--today", "2027-06-01")).out
    assert "Projecten" in said and "Projects" not in said, said
