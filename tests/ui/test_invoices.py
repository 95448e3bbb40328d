"""Facturen: the list and one invoice in full (no file export: see test_no_file_writes)."""

from __future__ import annotations

import re

import pytest

from tests.ui.conftest import demo_ctx, keys, screen_text, settle, until


def _add_an_invoice() -> None:
    from tribe_tui.services.licences import add_licences

    add_licences(demo_ctx(), 2)


def test_invoices_snapshot_nl(make_app, snap_compare):
    _add_an_invoice()
    assert snap_compare(make_app("invoices"), terminal_size=(80, 24), run_before=keys())


def test_invoices_snapshot_en(make_app, snap_compare):
    _add_an_invoice()
    assert snap_compare(make_app("invoices", lang="en"), terminal_size=(80, 24), run_before=keys())


def test_invoice_detail_snapshot_nl(make_app, snap_compare):
    _add_an_invoice()
    assert snap_compare(make_app("invoices"), terminal_size=(80, 24), run_before=keys("down", "enter"))


def test_invoice_detail_snapshot_en(make_app, snap_compare):
    assert snap_compare(make_app("invoices", lang="en"), terminal_size=(80, 24), run_before=keys("enter"))


async def test_list_and_detail(make_app):
    from tribe_tui.services.invoices import list_invoices

    _add_an_invoice()
    numbers = [i.number for i in list_invoices(demo_ctx())]
    assert numbers == ["2026-0001", "2026-0002"]
    app = make_app("invoices")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert text.index("2026-0001") < text.index("2026-0002")
        # At 80 columns the reason gives way to the status and the amounts.
        assert "Achterstallig" in text and "Licenties uitbreiden" not in text
        await pilot.press("down", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "Factuur 2026-0002" in text
        from tribe_tui import formatting
        from tribe_tui.services.invoices import get_invoice

        line = get_invoice(demo_ctx(), "2026-0002").lines[0]
        assert line.quantity == 2 and line.days == 187  # 26 Nov 2026 through 31 May 2027
        assert formatting.line_formula(2, line.unit_price, 187, 365, "nl") in text
        assert formatting.money(line.amount, "nl") in text
        assert "Tribe CRM B.V." in text and "Btw 21%" in text and "Totaal" in text
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "InvoicesScreen"


@pytest.mark.parametrize(("width", "lang"), [(80, "nl"), (80, "en"), (64, "nl"), (50, "en")])
async def test_amounts_are_never_clipped(make_app, width, lang):
    """An amount is shown whole or not at all: the reason gives way, never the money."""
    from tribe_tui import formatting
    from tribe_tui.services.edition import set_edition
    from tribe_tui.services.invoices import list_invoices

    _add_an_invoice()
    set_edition(demo_ctx(), "creator")
    app = make_app("invoices", lang=lang)
    async with app.run_test(size=(width, 24)) as pilot:
        await settle(pilot)
        rows = [line for line in screen_text(app).splitlines() if "2026-000" in line]
        invoices = list_invoices(demo_ctx())
        assert len(rows) == len(invoices)
        for line, inv in zip(rows, invoices, strict=True):
            whole = {formatting.money(v, lang).replace("\xa0", " ") for v in (inv.subtotal, inv.vat, inv.total)}
            shown = re.findall(r"€ ?[0-9][0-9.,]*", line.replace("\xa0", " "))
            assert formatting.money(inv.total, lang).replace("\xa0", " ") in shown, line  # the total always
            assert set(shown) <= whole, line  # no "€ 8" for "€ 84,34"


@pytest.fixture
def mail_server(monkeypatch):
    """A real SMTP server on 127.0.0.1 that the app's settings point at (set before the app is made)."""
    from tests.lifecycle.conftest import SmtpServer, free_port

    server = SmtpServer(free_port())
    server.start()
    monkeypatch.setenv("TRIBE_SMTP_URL", server.url)
    yield server
    server.stop()


async def test_email_this_invoice_to_me_and_to_the_invoice_address(mail_server, make_app):
    """From the invoice on screen: `m` mails it to the admin, `f` to the invoice address, each with
    the PDF and the UBL attached, through a real SMTP server; the toast says where it went."""
    from tribe_tui.services.demo import DEMO_ADMIN_EMAIL

    invoice_address = "facturen@vanderberg-installatie.nl"
    app = make_app("invoices")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # 2026-0001, the demo's first invoice
        await settle(pilot)
        await pilot.press("m")
        assert await until(pilot, lambda: mail_server.to(DEMO_ADMIN_EMAIL))
        assert await until(
            pilot,
            lambda: (
                "Factuur 2026-0001 verstuurd naar " + DEMO_ADMIN_EMAIL
                in [notice.message for notice in app._notifications]
            ),
        )
        await pilot.press("f")
        assert await until(pilot, lambda: len(mail_server.to(invoice_address)) == 2)
    [to_me] = mail_server.to(DEMO_ADMIN_EMAIL)
    # The mail queued when the demo issued the invoice went out with the first send; then `f`'s.
    for received in (to_me, *mail_server.to(invoice_address)):
        assert "2026-0001" in received.message["Subject"]
        names = sorted(part.get_filename() for part in received.message.iter_attachments())
        assert names == ["factuur-2026-0001.pdf", "factuur-2026-0001.xml"]


async def test_credit_an_invoice_asks_why_then_yes_with_no_focused(make_app):
    """c: why (printed on the credit note), then the question with No focused; Enter alone keeps
    the invoice as it is; y credits it, and the list says so. Credited once: refused before asking."""
    from tests.ui.conftest import type_text
    from tribe_tui.services.invoices import list_invoices

    _add_an_invoice()
    app = make_app("invoices")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "c")
        await settle(pilot)
        assert type(app.screen).__name__ == "ReasonDialog"
        await pilot.press("enter")  # no reason yet: nothing goes on
        await settle(pilot)
        assert type(app.screen).__name__ == "ReasonDialog"
        await type_text(pilot, "Verkeerde bedrijfsnaam")
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "ConfirmDialog" and "Verkeerde bedrijfsnaam" in screen_text(app)
        await pilot.press("enter")  # the focused choice is No
        await settle(pilot)
        assert [i.credited_by for i in list_invoices(demo_ctx())] == [None, None]
        await pilot.press("c")
        await settle(pilot)
        await type_text(pilot, "Verkeerde bedrijfsnaam")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        assert await until(pilot, lambda: "gecrediteerd" in screen_text(app).lower()), screen_text(app)
        assert [i.credited_by for i in list_invoices(demo_ctx())] == [None, "C2026-0001"]
        assert any("C2026-0001" in n.message for n in app._notifications)
        await pilot.press("c")
        await settle(pilot)
        assert type(app.screen).__name__ == "InvoicesScreen"  # refused before asking
        assert any("al gecrediteerd" in n.message for n in app._notifications)
