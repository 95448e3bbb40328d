"""R12 through the command line: a period is charged by the catalogue version in force when it
started, for everything that decides an amount: the price, per licence or flat, the edition a
module requires, and the name an invoice line prints. A later catalogue applies from the next
period (the renewal and its forecast)."""

from __future__ import annotations

import pytest

from tests.helpers import ok

# With today 2026-11-26 (TRIBE_TODAY), 304 of this period's 365 days remain.
START = "2026-09-26"
RENEWAL = "2027-09-26"


@pytest.fixture
def new_catalogue(monkeypatch):
    """new_catalogue(code={field: value}, ...): the shipped catalogue as a release would edit it;
    every command after it loads it (a new catalogue version)."""
    from tribe_tui import migrations

    def change(**edits: dict) -> None:
        data = migrations.read_catalogue()
        edited = {
            **data,
            "editions": [{**e, **edits.get(e["code"], {})} for e in data["editions"]],
            "modules": [{**m, **edits.get(m["code"], {})} for m in data["modules"]],
        }
        monkeypatch.setattr(migrations, "read_catalogue", lambda: edited)

    return change


@pytest.fixture
def tribe(cli):
    """Tribe, 3 licences, period 2026-09-26 .. 2027-09-25."""
    made = cli(
        "init",
        "--org",
        "Versie B.V.",
        "--admin-email",
        "admin@versie.nl",
        "--admin-username",
        "versie",
        "--licences",
        "3",
        "--start",
        START,
        "--json",
    )
    assert made.code == 0, made.err
    return made.json


def lines(charge: dict) -> list[tuple]:
    return [(line["description"], line["quantity"], line["unit_price"], line["amount"]) for line in charge["lines"]]


def test_a_flat_integration_made_per_user_by_a_later_catalogue_stays_flat_in_the_running_period(
    cli, tribe, new_catalogue
):
    ok(cli("modules", "add", "exact-online"))  # flat, 240.00 a year
    new_catalogue(**{"exact-online": {"per_user": True, "name": "Exact Online"}})

    for extra in (("--dry-run",), ()):
        added = ok(cli("licences", "add", "2", *extra, "--json")).json
        # 2 x 360.00 x 304/365 = 599.67; the integration is flat in this period's catalogue: no line
        assert lines(added) == [("Licentie Tribe", 2, "360.00", "599.67")]
        assert added["subtotal"] == "599.67"  # not 999.45 (+ 2 x 240.00 x 304/365 per user)

    # The next period is charged by the new catalogue: per licence, under its new name.
    forecast = ok(cli("account", "show", "--json")).json["next_invoice"]
    assert lines(forecast) == [
        ("Licentie Tribe", 5, "360.00", "1800.00"),
        ("Exact Online (per gebruiker)", 5, "240.00", "1200.00"),
    ]
    ok(cli("billing", "run", "--today", RENEWAL))
    renewal = ok(cli("invoices", "list", "--json", "--today", RENEWAL)).json[-1]
    assert (renewal["reason"], renewal["subtotal"]) == ("renewal", "3000.00")


def test_the_running_period_prints_and_charges_its_own_names_and_prices(cli, tribe, new_catalogue):
    ok(cli("modules", "add", "projects"))  # per user, 60.00
    new_catalogue(
        tribe={"name": "Tribe Basis", "yearly_price": "420.00"},
        projects={"name": "Projectbeheer", "yearly_price": "72.00", "per_user": False},
    )
    added = ok(cli("licences", "add", "1", "--json")).json
    assert lines(added) == [
        ("Licentie Tribe", 1, "360.00", "299.84"),  # 360.00 x 304/365
        ("Projecten (per gebruiker)", 1, "60.00", "49.97"),  # 60.00 x 304/365
    ]
    number = added["invoice"]
    shown = ok(cli("invoices", "show", number, "--json")).json
    assert [line["description"] for line in shown["lines"]] == ["Licentie Tribe", "Projecten (per gebruiker)"]
    listed = {m["code"]: m for m in ok(cli("modules", "list", "--json")).json}
    assert (listed["projects"]["name"], listed["projects"]["per_user"]) == ("Projecten", True)
    assert listed["projects"]["yearly_price"] == "60.00"

    ok(cli("billing", "run", "--today", RENEWAL))
    renewal = ok(cli("invoices", "list", "--json", "--today", RENEWAL)).json[-1]["number"]
    renewed = ok(cli("invoices", "show", renewal, "--json", "--today", RENEWAL)).json
    assert lines(renewed) == [("Licentie Tribe Basis", 4, "420.00", "1680.00"), ("Projectbeheer", 1, "72.00", "72.00")]


def test_the_edition_a_module_requires_is_the_running_periods_too(cli, tribe, new_catalogue):
    new_catalogue(projects={"requires": "creator"}, marketing={"requires": None})
    # This period's catalogue: projects is open to Tribe, marketing is not.
    ok(cli("modules", "add", "projects"))
    refused = cli("modules", "add", "marketing", "--lang", "en")
    assert refused.code == 1 and "requires the Tribe Creator edition" in refused.err, refused.err
    # The renewal is by the new one: projects ends with the period (and says so), marketing may be added.
    said = ok(cli("billing", "run", "--today", RENEWAL, "--lang", "en")).out
    assert "Ended with the period: Projects." in said, said
    ok(cli("modules", "add", "marketing", "--today", RENEWAL))
    listed = {m["code"]: m for m in ok(cli("modules", "list", "--json", "--today", RENEWAL)).json}
    assert (listed["projects"]["active"], listed["marketing"]["active"]) == (False, True)
