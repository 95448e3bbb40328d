"""Facturen: each invoice's status in a column that is never clipped, and `o` for open invoices only;
the overview's open balance and oldest overdue invoice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.ui.conftest import demo_ctx, screen_text, settle


def _pay(number: str, amount: str, on: date) -> None:
    from tribe_tui.models import Invoice, Payment

    invoice = Invoice.get(Invoice.number == number)
    Payment.create(invoice=invoice.id, amount=Decimal(amount), booked_on=on, kind="transfer")


def _three_invoices() -> None:
    """2026-0001 (the demo's, overdue), 2026-0002 paid, 2026-0003 partly paid (both issued today)."""
    from tribe_tui.services.invoices import get_invoice
    from tribe_tui.services.licences import add_licences

    add_licences(demo_ctx(), 2)
    add_licences(demo_ctx(), 1)
    _pay("2026-0002", str(get_invoice(demo_ctx(), "2026-0002").total), date(2026, 11, 26))
    _pay("2026-0003", "10.00", date(2026, 11, 26))


@pytest.mark.both_engines
@pytest.mark.parametrize(("width", "lang"), [(80, "nl"), (80, "en"), (60, "nl"), (50, "en")])
async def test_status_is_never_clipped(make_app, width, lang):
    from tribe_tui.i18n import invoice_status

    _three_invoices()
    app = make_app("invoices", lang=lang)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        rows = [line for line in screen_text(app).splitlines() if "2026-000" in line]
        expected = ["overdue", "paid", "partly_paid"]
        assert len(rows) == 3
        for line, status in zip(rows, expected, strict=True):
            assert f" {invoice_status(status, lang)} " in line, line


@pytest.mark.both_engines
async def test_o_shows_open_invoices_only_and_back(make_app):
    _three_invoices()
    app = make_app("invoices")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "2026-0002" in screen_text(app)
        await pilot.press("o")
        await settle(pilot)
        text = screen_text(app)
        assert "2026-0001" in text and "2026-0003" in text and "2026-0002" not in text
        assert "Openstaande facturen: 2" in text
        await pilot.press("o")
        await settle(pilot)
        assert "2026-0002" in screen_text(app)


@pytest.mark.both_engines
async def test_overview_shows_open_balance_and_oldest_overdue(make_app):
    from tribe_tui import formatting
    from tribe_tui.services.account import overview

    _three_invoices()
    view = overview(demo_ctx())
    assert view.oldest_overdue is not None and view.oldest_overdue.number == "2026-0001"
    app = make_app("overview")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "Openstaand" in text and formatting.money(view.open_balance, "nl") in text
        assert "2026-0001 te laat sinds" in text


@pytest.mark.both_engines
async def test_one_invoice_says_its_status(make_app):
    _three_invoices()
    app = make_app("invoices")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # 2026-0003, partly paid
        await settle(pilot)
        text = " ".join(screen_text(app).split())
        assert "Status: Deels betaald" in text and "te betalen uiterlijk 10 december 2026" in text
