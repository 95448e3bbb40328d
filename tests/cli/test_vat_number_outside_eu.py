"""R6: a customer outside the EU may give the VAT number of its own country (GB after Brexit,
Switzerland, Norway). It is taken as the customer's identifier, checked by python-stdnum's rule
for that country, and printed on the invoice; the invoice has no VAT (category O, outside the
EU) and no reverse charge."""

from __future__ import annotations

import pytest

from tests.einvoice import NS, check_ubl, pdf_text
from tests.helpers import ok

# (country, as typed, as stored): valid numbers by each country's check digits
NUMBERS = [
    ("GB", "GB 980 7806 84", "GB980780684"),
    ("CH", "CHE-116.281.710 MWST", "CHE116281710MWST"),
    ("NO", "NO 995 525 828 MVA", "NO995525828MVA"),
]
# A postcode as it is written in each country (the postcode is checked for the country given).
POSTCODES = {"GB": "SW1A 1AA", "CH": "8001", "NO": "0150", "BE": "1000"}


def init(cli, *billing: str):
    args = ["init", "--org", "Overzee Ltd", "--admin-email", "a@overzee.nl", "--admin-username", "overzee"]
    args += [part for field in billing for part in ("--billing", field)]
    return cli(*args, "--lang", "en", "--json")


@pytest.mark.parametrize("country, typed, stored", NUMBERS)
def test_a_vat_number_from_outside_the_eu_is_the_customers_identifier_with_no_vat(
    cli, tmp_path, country, typed, stored
):
    made = ok(
        init(
            cli,
            f"country={country}",
            f"postcode={POSTCODES[country]}",
            "kvk_number=",  # a KvK number is for a Dutch organisation only
            "peppol_id=0088:7610000000004",  # the e-invoice's endpoint: a GLN
            f"vat_number={typed}",
            "company_name=Overzee Ltd",
        )
    ).json
    assert (made["vat_rate"], made["vat"], made["vat_reason"]) == ("0", "0.00", "outside_eu")  # no reverse charge
    shown = ok(cli("invoices", "show", made["invoice"], "--json")).json
    assert shown["customer_vat_number"] == stored and shown["customer"]["vat_number"] == stored
    assert ok(cli("billing-details", "show", "--json")).json["vat_number"] == stored

    pdf, ubl = tmp_path / "invoice.pdf", tmp_path / "invoice.xml"
    ok(cli("invoices", "show", made["invoice"], "--pdf", str(pdf), "--ubl", str(ubl), "--lang", "en"))
    text = pdf_text(pdf.read_bytes())
    assert stored in text and "outside the EU" in text, text
    assert "reverse" not in text.lower()
    root = check_ubl(ubl.read_bytes())
    assert root.xpath("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID/text()", namespaces=NS) == ["O"]
    # BR-O-02: with category O the e-invoice names no buyer VAT identifier (BT-48).
    assert not root.xpath("cac:AccountingCustomerParty//cac:PartyTaxScheme", namespaces=NS)

    # A later charge carries it too.
    added = ok(cli("licences", "add", "1", "--json")).json
    assert (added["vat"], added["vat_reason"]) == ("0.00", "outside_eu")
    assert ok(cli("invoices", "show", added["invoice"], "--json")).json["customer_vat_number"] == stored


@pytest.mark.parametrize(
    "typed",
    [
        "GB980780685",  # check digits wrong
        "CHE116281711MWST",
        "NO995525829MVA",
        "GB１２３４５６７８９",  # R11: ASCII only
        "ZZ12345",  # no such country
        "US123456789",  # no VAT, no rule to check it by
        "GB",
        "BE0203201341",  # an EU number keeps its own rule
    ],
)
def test_a_number_that_fails_its_countrys_rule_is_still_bad_input(cli, dump, typed):
    before = dump()
    refused = init(cli, "country=GB", f"vat_number={typed}")
    assert refused.code == 2 and len(refused.err.splitlines()) == 1, (refused.code, refused.err)
    assert "not a valid VAT number" in refused.err
    assert dump() == before


def test_an_eu_number_still_means_reverse_charge(cli):
    made = ok(init(cli, "country=BE", "postcode=1000", "kvk_number=", "vat_number=BE0203201340")).json
    assert (made["vat_rate"], made["vat_reason"]) == ("0", "reverse_charge")
