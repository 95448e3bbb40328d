"""Facturatiegegevens: the payment method. ctrl+b shows the mandate text (creditor, creditor id,
IBAN, reference) and signs it on yes; ctrl+b again withdraws it; a new IBAN asks for a new mandate."""

from __future__ import annotations

import pytest

from tests.ui.conftest import demo_ctx, screen_text, settle, type_text


def _method() -> str:
    from tribe_tui.services.mandates import payment_method

    return payment_method(demo_ctx().org_id)


@pytest.mark.both_engines
async def test_choose_direct_debit_then_withdraw(make_app):
    from tribe_tui.models import AuditEvent, PaymentMandate

    app = make_app("billing-details")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Betaalwijze: Overboeking" in screen_text(app)
        await pilot.press("ctrl+b")
        await settle(pilot)
        text = screen_text(app)
        assert "Betalen per automatische incasso?" in text
        assert "NL69ZZZ123456780000" in text and "TRIBE-" in text and "NL91ABNA0417164300" in text
        await pilot.press("escape")  # No: nothing signed
        await settle(pilot)
        assert _method() == "bank_transfer" and not PaymentMandate.select().exists()

        await pilot.press("ctrl+b")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert _method() == "direct_debit"
        assert "Betaalwijze: Automatische incasso" in screen_text(app)
        mandate = PaymentMandate.get()
        assert mandate.signed_by_id == demo_ctx().employee_id or mandate.signer_name == "Sanne van der Berg"
        assert AuditEvent.select().where(AuditEvent.action == "mandate.signed").count() == 1

        await pilot.press("ctrl+b")
        await settle(pilot)
        assert "Machtiging intrekken" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert _method() == "bank_transfer"
        assert "Betaalwijze: Overboeking" in screen_text(app)
        assert [n.message for n in app._notifications][-1] == (
            "Machtiging ingetrokken: u betaalt voortaan per overboeking; er wordt niets meer afgeschreven."
        )
        assert AuditEvent.select().where(AuditEvent.action == "mandate.withdrawn").count() == 1


@pytest.mark.both_engines
async def test_a_new_iban_asks_for_a_new_mandate(make_app):
    from tribe_tui.models import PaymentMandate
    from tribe_tui.services.mandates import sign

    sign(demo_ctx())
    app = make_app("billing-details")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*["tab"] * 9, "end", "ctrl+u")  # the IBAN field
        await type_text(pilot, "DE89370400440532013000")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Nieuwe machtiging voor het nieuwe IBAN" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
    assert [(m.iban, m.withdrawn_on is None) for m in PaymentMandate.select().order_by(PaymentMandate.id)] == [
        ("NL91ABNA0417164300", False),
        ("DE89370400440532013000", True),
    ]
