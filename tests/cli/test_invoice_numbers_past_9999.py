"""R10: the invoice series is 'YYYY-NNNN' with more digits when needed. With ten thousand
invoices in a year the 10,000th is 2026-10000, and lists, exports and the documents keep the
numeric order across the change (2026-9999, 2026-10000), not the order of the text."""

from __future__ import annotations

import csv
import io
import os
import zipfile

import pytest

from tests.helpers import ok


@pytest.fixture
def past_9999(cli, org):
    """The seller's series for 2026 at 9997 (seeded: other organisations' invoices), then four
    charges: 2026-9998, 2026-9999, 2026-10000, 2026-10001."""
    from tribe_tui.db import open_database
    from tribe_tui.models import InvoiceCounter

    db = open_database(os.environ["TRIBE_DATABASE_URL"])
    InvoiceCounter.update(last=9997).where(InvoiceCounter.year == 2026).execute()
    db.close()
    return [ok(cli("licences", "add", "1", "--json")).json["invoice"] for _ in range(4)]


NUMBERS = ["2026-0001", "2026-9998", "2026-9999", "2026-10000", "2026-10001"]


def test_numbers_go_on_with_five_digits_and_the_list_keeps_numeric_order(cli, past_9999):
    assert past_9999 == NUMBERS[1:]
    assert [i["number"] for i in ok(cli("invoices", "list", "--json")).json] == NUMBERS
    text = ok(cli("invoices", "list", "--lang", "en")).out.splitlines()
    assert [line.split()[0] for line in text] == NUMBERS
    # One column: the date starts at the same place on every line, before and after the change.
    assert len({line.index("26 Nov 2026") for line in text}) == 1, text
    shown = ok(cli("invoices", "show", "2026-10000", "--json")).json
    assert (shown["number"], shown["total"]) == ("2026-10000", "223.17")


@pytest.mark.slow
def test_exports_keep_numeric_order_across_the_change(cli, past_9999, tmp_path):
    table = tmp_path / "invoices.csv"
    ok(cli("invoices", "export", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv", str(table)))
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8"))))
    assert list(dict.fromkeys(row["number"] for row in rows)) == NUMBERS
    target = tmp_path / "ubl.zip"
    ok(cli("invoices", "export", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "ubl-zip", str(target)))
    names = zipfile.ZipFile(target).namelist()
    assert [name.rsplit("-", 2)[-2] + "-" + name.rsplit("-", 2)[-1].removesuffix(".xml") for name in names] == NUMBERS
    ubl = zipfile.ZipFile(target).read(names[3]).decode()
    assert "<cbc:ID>2026-10000</cbc:ID>" in ubl
    pdf = tmp_path / "2026-10000.pdf"
    ok(cli("invoices", "show", "2026-10000", "--pdf", str(pdf)))
    assert pdf.read_bytes().startswith(b"%PDF")


def test_a_new_year_starts_again_at_four_digits_and_follows_the_five_digit_ones(cli, past_9999):
    ok(cli("billing", "run", "--today", "2027-06-01"))
    listed = [i["number"] for i in ok(cli("invoices", "list", "--json", "--today", "2027-06-01")).json]
    assert listed == [*NUMBERS, "2027-0001"]
