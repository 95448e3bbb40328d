"""The e-invoice as an access point judges it: the rules the official Peppol BIS Billing 3.0 and
EN 16931 artefacts flagged, kept as tests so they stay caught without those artefacts.

- PEPPOL-EN16931-CL008: an endpoint's scheme comes from Peppol's EAS list (not "EM", e-mail);
  a customer without such an id gets a PDF and no UBL, never an invalid one.
- NL-R-004 and Wet OB art. 35a: the customer's name and full address are on every invoice, so
  `init` needs them and they cannot be emptied.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.einvoice import NS, check_ubl, pdf_text
from tests.helpers import ok


def init(cli, *billing: str, lang: str = "nl"):
    argv = ["init", "--org", "Acme B.V.", "--admin-email", "admin@acme.nl", "--admin-username", "admin"]
    argv += ["--licences", "3", "--start", "2026-06-01", "--lang", lang]
    for item in billing:
        argv += ["--billing", item]
    return cli(*argv)


def ubl_of(cli, tmp_path: Path, number: str = "2026-0001") -> bytes:
    target = tmp_path / f"{number}.xml"
    ok(cli("invoices", "show", number, "--ubl", str(target), "--force"))
    return target.read_bytes()


ADDRESS = ("address=Grote Markt 1", "postcode=2000", "city=Antwerpen")
ENDPOINTS = {
    # name: (billing details, the customer's endpoint scheme and id)
    "NL with KvK": (("kvk_number=87654321",), ("0106", "87654321")),
    "NL, VAT id, no KvK": (("kvk_number=", "vat_number=NL123456782B01"), ("9944", "NL123456782B01")),
    "BE, VAT id": (("country=BE", "kvk_number=", "vat_number=BE0123456749", *ADDRESS), ("0208", "0123456749")),
    "DE, VAT id": (("country=DE", "kvk_number=", "vat_number=DE136695976", *ADDRESS), ("9930", "DE136695976")),
    "FR, VAT id": (("country=FR", "kvk_number=", "vat_number=FR40303265045", *ADDRESS), ("9957", "FR40303265045")),
    "GR, VAT id": (("country=GR", "kvk_number=", "vat_number=EL094259216", *ADDRESS), ("9933", "EL094259216")),
    "BE without VAT id, Peppol id": (
        ("country=BE", "kvk_number=", "peppol_id=0208:0123456749", *ADDRESS),
        ("0208", "0123456749"),
    ),
    "CH, GLN": (("country=CH", "kvk_number=", "peppol_id=0088:7610000000004", *ADDRESS), ("0088", "7610000000004")),
    "US, DUNS": (("country=US", "kvk_number=", "peppol_id=0060:123456789", *ADDRESS), ("0060", "123456789")),
}


@pytest.mark.parametrize("scenario", ENDPOINTS)
def test_the_customer_endpoint_comes_from_the_peppol_eas_list(cli, tmp_path, scenario):
    billing, expected = ENDPOINTS[scenario]
    ok(init(cli, *billing))
    root = check_ubl(ubl_of(cli, tmp_path))
    [endpoint] = root.xpath("cac:AccountingCustomerParty/cac:Party/cbc:EndpointID", namespaces=NS)
    assert (endpoint.get("schemeID"), endpoint.text) == expected
    assert ok(cli("billing-details", "show", "--json")).json["e_invoice"] == ":".join(expected)


@pytest.mark.parametrize(
    ("billing", "field", "label"),
    [
        (("kvk_number=",), "kvk_number", "KvK-nummer"),
        (("country=US", "kvk_number=", *ADDRESS), "peppol_id", "Peppol-id"),
        (("country=BE", "kvk_number=", *ADDRESS), "vat_number", "Btw-id"),
    ],
)
def test_without_a_peppol_endpoint_the_pdf_goes_and_no_ubl(cli, tmp_path, billing, field, label):
    """Never an e-invoice an access point refuses: the PDF alone, by mail too, and the billing
    details say which field would make e-invoicing possible."""
    from tribe_tui.db import open_database
    from tribe_tui.models import Invoice
    from tribe_tui.services.documents import invoice_mail

    ok(init(cli, *billing))
    target = tmp_path / "f.xml"
    refused = cli("invoices", "show", "2026-0001", "--ubl", str(target), "--pdf", str(tmp_path / "f.pdf"))
    assert refused.code == 1 and "2026-0001" in refused.err and len(refused.err.splitlines()) == 1
    assert not target.exists() and not (tmp_path / "f.pdf").exists()
    ok(cli("invoices", "show", "2026-0001", "--pdf", str(tmp_path / "f.pdf")))
    assert "2026-0001" in pdf_text((tmp_path / "f.pdf").read_bytes())

    open_database_url = os.environ["TRIBE_DATABASE_URL"]
    open_database(open_database_url)
    _body, attachments = invoice_mail(Invoice.get(Invoice.number == "2026-0001").id)
    assert [(name, kind) for name, kind, _ in attachments] == [("factuur-2026-0001.pdf", "application/pdf")]

    archive = tmp_path / "e.zip"
    done = ok(
        cli(
            "invoices",
            "export",
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--format",
            "ubl-zip",
            str(archive),
            "--json",
        )
    )
    assert done.json["invoices"] == 0

    shown = ok(cli("billing-details", "show", "--json")).json
    assert shown["e_invoice"] is None
    text = ok(cli("billing-details", "show")).out
    assert f"vul het veld {label} in" in text, text
    assert field in shown


@pytest.mark.parametrize(
    "value",
    [
        "EM:admin@acme.nl",  # e-mail: on EN 16931's list, not on Peppol's
        "0208:0123456748",  # Belgian enterprise number with a wrong check (PEPPOL-COMMON-R043)
        "9944:BE0123456749",  # the Dutch VAT scheme with a Belgian number
        "0106:1234",  # a KvK number is 8 digits
        "0088:7610000000000",  # GLN with a wrong check digit (PEPPOL-COMMON-R040)
        "1234:567",  # not a scheme of the list
        "no-scheme",
        "0106:",
    ],
)
def test_a_peppol_id_is_checked_against_the_eas_list(cli, dump, value):
    ok(init(cli))
    before = dump()
    bad = cli("billing-details", "set", f"peppol_id={value}")
    assert bad.code == 2 and "Peppol-id" in bad.err and len(bad.err.splitlines()) == 1, bad.err
    assert dump() == before


def test_the_official_rules_kept_as_tests_catch_what_they_caught(cli, tmp_path):
    """The suite's reading of CL008 and NL-R-004 fails an invoice the official rules fail."""
    ok(init(cli))
    good = ubl_of(cli, tmp_path)
    check_ubl(good)
    as_email = good.replace(b'<cbc:EndpointID schemeID="0106">12345678', b'<cbc:EndpointID schemeID="EM">a@acme.nl')
    assert as_email != good
    with pytest.raises(AssertionError, match="CL008"):
        check_ubl(as_email)
    no_street = good.replace(b"<cbc:StreetName>Kerkstraat 1</cbc:StreetName>", b"")
    assert no_street != good
    with pytest.raises(AssertionError, match="NL-R-004"):
        check_ubl(no_street)


def test_init_needs_the_customer_name_and_full_address(cli, dump):
    """No invoice without the customer's company name, street address, postcode, city and country
    (Wet OB art. 35a, NL-R-004): init refuses without them, and nothing is made."""
    argv = ("init", "--org", "Acme B.V.", "--admin-email", "admin@acme.nl", "--admin-username", "admin")
    full = {
        "company_name": "Acme B.V.",
        "address": "Kerkstraat 1",
        "postcode": "1234 AB",
        "city": "Utrecht",
        "country": "NL",
    }
    labels = {"company_name": "Bedrijfsnaam", "address": "Adres", "postcode": "Postcode", "city": "Plaats"}
    for missing in full:
        billing = [arg for name, value in full.items() if name != missing for arg in ("--billing", f"{name}={value}")]
        refused = cli(*argv, *billing, bare=True)
        assert refused.code == 2 and len(refused.err.splitlines()) == 1, (missing, refused.err)
        assert labels.get(missing, "Land") in refused.err
    assert cli(*argv, bare=True).code == 2
    from tribe_tui.db import open_database
    from tribe_tui.models import Invoice, Organisation

    open_database(os.environ["TRIBE_DATABASE_URL"])
    assert Organisation.select().count() == 0 and Invoice.select().count() == 0

    billing = [arg for name, value in full.items() for arg in ("--billing", f"{name}={value}")]
    ok(cli(*argv, *billing, "--billing", "kvk_number=12345678", bare=True))
    before = dump()
    for name in full:
        emptied = cli("billing-details", "set", f"{name}=")
        assert emptied.code == 2 and len(emptied.err.splitlines()) == 1, (name, emptied.err)
    assert dump() == before


def test_the_first_invoice_of_init_names_the_customer_with_its_address(cli, tmp_path):
    ok(init(cli, "company_name=Zoë & Zonen B.V.", "address=Kerkstraat 1", "postcode=1234AB", "city=Utrecht"))
    root = check_ubl(ubl_of(cli, tmp_path))
    party = root.xpath("cac:AccountingCustomerParty/cac:Party", namespaces=NS)[0]
    x = lambda path: party.xpath(path, namespaces=NS)  # noqa: E731
    assert x("cac:PartyName/cbc:Name/text()") == ["Zoë & Zonen B.V."]
    assert x("cac:PostalAddress/cbc:StreetName/text()") == ["Kerkstraat 1"]
    assert x("cac:PostalAddress/cbc:PostalZone/text()") == ["1234 AB"]
    assert x("cac:PostalAddress/cbc:CityName/text()") == ["Utrecht"]


def test_the_english_reverse_charge_mention_is_the_vat_directives(cli, tmp_path):
    """Art. 226 (11a) of the VAT directive: "Reverse charge", on the PDF and in the e-invoice."""
    ok(init(cli, "country=BE", "kvk_number=", "vat_number=BE0123456749", *ADDRESS, lang="en"))
    pdf = tmp_path / "f.pdf"
    ok(cli("invoices", "show", "2026-0001", "--pdf", str(pdf)))
    text = pdf_text(pdf.read_bytes())
    assert "Reverse charge: customer VAT number BE0123456749" in text and "reverse-charged" not in text
    root = check_ubl(ubl_of(cli, tmp_path))
    assert root.xpath("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReason/text()", namespaces=NS) == [
        "Reverse charge: customer VAT number BE0123456749"
    ]


def test_every_package_books_each_line_to_the_cent(cli, tmp_path):
    """quantity x net price = line amount exactly, the price in whole cents: 2 licences for 187 of
    365 days split into cents per licence; 7 do not, and are booked as one unit at the amount."""
    ok(init(cli))
    ok(cli("licences", "add", "2"))
    ok(cli("licences", "add", "7"))
    for number, quantity, price, amount in (
        ("2026-0002", "2", "184.44", "368.88"),
        ("2026-0003", "1", "1291.07", "1291.07"),
    ):
        root = check_ubl(ubl_of(cli, tmp_path, number))
        [line] = root.xpath("cac:InvoiceLine", namespaces=NS)
        assert line.xpath("cbc:InvoicedQuantity/text()", namespaces=NS) == [quantity]
        assert line.xpath("cac:Price/cbc:PriceAmount/text()", namespaces=NS) == [price]
        assert line.xpath("cbc:LineExtensionAmount/text()", namespaces=NS) == [amount]
    assert line.xpath("cbc:Note/text()", namespaces=NS) == ["7 × €\xa0360,00 per jaar × 187/365 dagen"]


def test_the_ubl_carries_its_pdf(cli, tmp_path):
    """Dutch packages show the PDF beside the booked lines: the e-invoice embeds the very PDF
    (`cac:AdditionalDocumentReference`, mime code application/pdf), and still passes every rule."""
    import base64

    ok(init(cli, lang="en"))
    pdf, ubl = tmp_path / "f.pdf", tmp_path / "f.xml"
    ok(cli("invoices", "show", "2026-0001", "--pdf", str(pdf), "--ubl", str(ubl)))
    root = check_ubl(ubl.read_bytes())
    [reference] = root.xpath("cac:AdditionalDocumentReference", namespaces=NS)
    assert reference.xpath("cbc:ID/text()", namespaces=NS) == ["2026-0001"]
    [embedded] = reference.xpath("cac:Attachment/cbc:EmbeddedDocumentBinaryObject", namespaces=NS)
    assert (embedded.get("mimeCode"), embedded.get("filename")) == ("application/pdf", "invoice-2026-0001.pdf")
    assert base64.b64decode(embedded.text) == pdf.read_bytes()
    assert "2026-0001" in pdf_text(base64.b64decode(embedded.text))


def test_text_in_any_script_prints_and_nothing_vanishes_from_the_pdf(cli, tmp_path):
    """Arabic is shaped (joined, right to left: it reads back in its own order), and a character
    no shipped font has prints as a visible replacement mark, one per emoji sequence."""
    name = "Coöperatie 👩\u200d💻 🚀 😀 🏙 مرحبا بالعالم B.V."
    ok(init(cli, f"company_name={name}"))
    pdf = tmp_path / "f.pdf"
    ok(cli("invoices", "show", "2026-0001", "--pdf", str(pdf)))
    text = pdf_text(pdf.read_bytes())
    assert "مرحبا بالعالم" in text  # unshaped, it reads back reversed
    assert "Coöperatie \ufffd \ufffd 😀 \ufffd" in text  # 👩‍💻, 🚀 and 🏙 have no glyph; 😀 has
    assert len(pdf.read_bytes()) < 60_000
