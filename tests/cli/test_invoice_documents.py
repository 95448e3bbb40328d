"""Invoices as documents, the way a user gets them: `invoices show N --pdf/--ubl`, `invoices export`.

Every UBL document is validated against the OASIS UBL 2.1 schema and the EN 16931 / Peppol rules
that apply (tests/einvoice.py); every PDF is read back with pypdf and must state what Dutch law
asks, as formatted in the invoice's language.
"""

from __future__ import annotations

import io
import stat
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from tests.einvoice import NS, check_ubl, pdf_text
from tests.helpers import ok
from tribe_tui.formatting import long_date, money


def show(cli, tmp_path: Path, number: str, *extra: str) -> tuple[bytes, bytes]:
    pdf, ubl = tmp_path / f"{number}.pdf", tmp_path / f"{number}.xml"
    ok(cli("invoices", "show", number, "--pdf", str(pdf), "--ubl", str(ubl), "--force", *extra))
    return pdf.read_bytes(), ubl.read_bytes()


SCENARIOS = {
    # name: (init language, billing details, expected VAT category, VAT line in the PDF)
    "21% (NL)": (
        "nl",
        [
            "company_name=Installatiebedrijf Zoë & Zonen B.V.",
            "address=Kerkstraat 1",
            "postcode=1234 AB",
            "city=Utrecht",
            "vat_number=NL123456782B01",
            "po_reference=PO-2026-17",
        ],
        "S",
        "Btw 21%",
    ),
    "reverse charge (BE)": (
        "nl",
        [
            "company_name=Brouwerij Dé Kroon BV",
            "country=BE",
            "kvk_number=",
            "city=Antwerpen",
            "attention=T.a.v. de crediteurenadministratie",
            "vat_number=BE0123456749",
        ],
        "AE",
        "Btw verlegd: btw-id afnemer BE0123456749",
    ),
    "outside the EU (US)": (
        "en",
        ["company_name=Acme Corp.", "country=US", "kvk_number=", "peppol_id=0060:123456789", "city=Springfield"],
        "O",
        "Customer outside the EU: 0% VAT",
    ),
}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_a_charge_as_pdf_and_ubl(cli, tmp_path, scenario):
    lang, details, code, vat_line = SCENARIOS[scenario]
    ok(
        cli(
            "init",
            "--org",
            "Acme B.V.",
            "--admin-email",
            "admin@acme.nl",
            "--admin-username",
            "admin",
            "--licences",
            "3",
            "--start",
            "2026-06-01",
            "--lang",
            lang,
        )
    )
    ok(cli("billing-details", "set", *details))
    ok(cli("modules", "add", "projects"))
    invoice = ok(cli("licences", "add", "2", "--json")).json
    number = ok(cli("invoices", "list", "--json")).json[-1]["number"]
    stored = ok(cli("invoices", "show", number, "--json")).json
    assert invoice["total"] == stored["total"]

    pdf, ubl = show(cli, tmp_path, number)
    root = check_ubl(ubl)
    assert root.xpath("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID/text()", namespaces=NS) == [code]
    assert root.xpath("cbc:ID/text()", namespaces=NS) == [number]
    assert [Decimal(a) for a in root.xpath("cac:InvoiceLine/cbc:LineExtensionAmount/text()", namespaces=NS)] == [
        Decimal(line["amount"]) for line in stored["lines"]
    ]
    assert root.xpath("cac:LegalMonetaryTotal/cbc:PayableAmount/text()", namespaces=NS) == [stored["total"]]

    text = pdf_text(pdf)
    from datetime import date

    issued = date.fromisoformat(stored["date"])
    for expected in (
        number,
        long_date(issued, lang),
        stored["seller"]["vat_number"],
        stored["seller"]["kvk_number"],
        vat_line,
        money(Decimal(stored["vat"]), lang),
        money(Decimal(stored["total"]), lang),
        *(line["description"] for line in stored["lines"]),
        *(money(Decimal(line["amount"]), lang) for line in stored["lines"]),
    ):
        assert expected.replace("\xa0", " ") in text, (expected, text)
    customer_vat = stored["customer"].get("vat_number")
    if customer_vat:
        assert customer_vat in text
    if scenario == "reverse charge (BE)":  # typed with its own "t.a.v.": not printed twice
        assert "T.a.v. de crediteurenadministratie" in text and "t.a.v. T.a.v." not in text
    if scenario == "21% (NL)":
        assert "PO-2026-17" in text and "Zoë & Zonen" in text

    # The same invoice gives the same documents: UBL byte for byte, and the PDF too.
    again_pdf, again_ubl = show(cli, tmp_path, number)
    assert again_ubl == ubl and again_pdf == pdf


def test_a_catch_up_renewal_gives_one_valid_document_per_period(cli, tmp_path):
    """Two missed periods: two renewal invoices, each with the service period it covers."""
    ok(
        cli(
            "init",
            "--org",
            "Acme B.V.",
            "--admin-email",
            "admin@acme.nl",
            "--admin-username",
            "admin",
            "--licences",
            "2",
            "--start",
            "2024-06-01",
            "--today",
            "2024-06-01",
        )
    )
    ok(cli("billing", "run"))
    renewals = [i for i in ok(cli("invoices", "list", "--json")).json if i["reason"] == "renewal"]
    assert len(renewals) == 2
    periods = []
    for summary in renewals:
        stored = ok(cli("invoices", "show", summary["number"], "--json")).json
        pdf, ubl = show(cli, tmp_path, summary["number"])
        root = check_ubl(ubl)
        starts = root.xpath("cac:InvoiceLine/cac:InvoicePeriod/cbc:StartDate/text()", namespaces=NS)
        ends = root.xpath("cac:InvoiceLine/cac:InvoicePeriod/cbc:EndDate/text()", namespaces=NS)
        # Each line's stored service period (R10), which for a renewal is the whole period it starts.
        assert starts == [line["period_from"] for line in stored["lines"]]
        assert ends == [line["period_to"] for line in stored["lines"]]
        periods.append((starts[0], ends[0]))
        text = pdf_text(pdf)
        assert summary["number"] in text and money(Decimal(stored["total"]), "nl").replace("\xa0", " ") in text
        assert "Licentie Tribe" in text and "365/365" in text
    assert periods == [("2025-06-01", "2026-05-31"), ("2026-06-01", "2027-05-31")]


def test_files_are_private_and_never_overwritten_without_force(cli, org, tmp_path, dump):
    target = tmp_path / "factuur.pdf"
    ok(cli("invoices", "show", "2026-0001", "--pdf", str(target)))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes().startswith(b"%PDF-")

    target.write_bytes(b"mine")
    before = dump()
    refused = cli("invoices", "show", "2026-0001", "--pdf", str(target))
    assert refused.code == 1 and "--force" in refused.err and len(refused.err.strip().splitlines()) == 1
    assert target.read_bytes() == b"mine" and dump() == before
    assert list(tmp_path.glob(".*partial")) == []

    ok(cli("invoices", "show", "2026-0001", "--pdf", str(target), "--force"))
    assert target.read_bytes().startswith(b"%PDF-") and stat.S_IMODE(target.stat().st_mode) == 0o600

    for argv in (("--pdf", "-", "--ubl", "-"), ("--ubl", str(tmp_path / "x.xml"), "--csv")):
        bad = cli("invoices", "show", "2026-0001", *argv)
        assert bad.code == 2 and bad.err.count("\n") == 1
    assert not (tmp_path / "x.xml").exists()


def test_a_document_on_stdout(org):
    from tribe_tui.cli import run

    for option, start in (("--ubl", b"<?xml"), ("--pdf", b"%PDF-")):
        raw = io.BytesIO()
        out = io.TextIOWrapper(raw, encoding="utf-8")
        assert run(["invoices", "show", "2026-0001", option, "-"], stdout=out) == 0
        out.flush()
        assert raw.getvalue().startswith(start)
        if option == "--ubl":
            check_ubl(raw.getvalue())


def test_export_for_the_bookkeeper(cli, org, tmp_path):
    # init issued 2026-0001 today (R10: dated the day it is issued); the next two a day later, so a
    # one-day export shows that the range picks invoices by their issue date.
    ok(cli("licences", "add", "1", "--today", "2026-11-27"))
    ok(cli("billing-details", "set", "country=BE", "kvk_number=", "vat_number=BE0123456749"))
    ok(cli("licences", "add", "1", "--today", "2026-11-27"))
    archive = tmp_path / "facturen.zip"
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
    ).json
    assert done["invoices"] == 3 and stat.S_IMODE(archive.stat().st_mode) == 0o600
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        assert names == ["factuur-2026-0001.xml", "factuur-2026-0002.xml", "factuur-2026-0003.xml"]
        codes = [
            check_ubl(z.read(name)).xpath("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:ID/text()", namespaces=NS)[
                0
            ]
            for name in names
        ]
    assert codes == ["S", "S", "AE"]
    again = tmp_path / "again.zip"
    ok(cli("invoices", "export", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "ubl-zip", str(again)))
    assert again.read_bytes() == archive.read_bytes()

    sheet = tmp_path / "facturen.csv"
    ok(cli("invoices", "export", "--from", "2026-11-27", "--to", "2026-11-27", "--format", "csv", str(sheet)))
    rows = sheet.read_text().splitlines()
    assert rows[0].startswith("number,date,") and [r.split(",")[0] for r in rows[1:]] == ["2026-0002", "2026-0003"]

    assert (
        cli("invoices", "export", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv", str(sheet)).code == 1
    )  # exists
    for argv in (
        ("--from", "2026-12-31", "--to", "2026-01-01", "--format", "csv"),
        ("--from", "1748736000", "--to", "2026-01-01", "--format", "csv"),
        ("--from", "2026-01-01", "--to", "2026-12-31", "--format", "pdf"),
    ):
        bad = cli("invoices", "export", *argv, str(tmp_path / "new.csv"))
        assert bad.code == 2 and bad.err.count("\n") == 1, bad.err
    assert not (tmp_path / "new.csv").exists()


SNAPSHOTS = Path(__file__).parent / "__snapshots__"
LONG_NAME = (
    "Coöperatie [bold]Één[/bold] **Zuid** & Søn Installatie- en Onderhoudsbedrijf voor Duurzame "
    "Warmtepompen, Zonnepanelen en Klimaatbeheersing Regio Groot-Rotterdam U.A."
)


def test_the_pdf_embeds_its_font_wraps_long_names_and_matches_its_snapshot(cli, tmp_path):
    """One invoice with what a customer may type: a 150-character name with markup-like text and
    diacritics. Its text is the committed snapshot's (the PNG beside it, rendered with pdftoppm, is
    what it looks like); the name wraps onto lines of its own instead of running off the page."""
    from pypdf import PdfReader

    ok(
        cli(
            "init",
            "--org",
            "Acme B.V.",
            "--admin-email",
            "admin@acme.nl",
            "--admin-username",
            "admin",
            "--licences",
            "3",
            "--start",
            "2026-06-01",
        )
    )
    ok(
        cli(
            "billing-details",
            "set",
            f"company_name={LONG_NAME}",
            "attention=Zoë Çelik",
            "address=Kerkstraat 1",
            "postcode=1234 AB",
            "city=Utrecht",
            "vat_number=NL123456782B01",
            "po_reference=PO-2026-17",
        )
    )
    ok(cli("modules", "add", "projects"))
    ok(cli("licences", "add", "2"))
    pdf, _ = show(cli, tmp_path, "2026-0003")

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    fonts = [font.get_object() for page in reader.pages for font in page["/Resources"]["/Font"].values()]
    assert fonts and all("/FontFile2" in f["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts)
    text = pdf_text(pdf)
    lines = text.splitlines()
    assert LONG_NAME not in lines and " ".join(LONG_NAME.split()) in " ".join(text.split())  # wrapped, whole
    assert all(len(line) < 120 for line in lines)
    expected = (SNAPSHOTS / "invoice-2026-0003.txt").read_text(encoding="utf-8")
    assert text == expected, "the PDF changed: look at it (pdftoppm -png) and update both snapshot files"
