"""Unit tests: pure functions only, no database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tribe_tui import billing


@pytest.fixture
def tribe() -> billing.Priced:
    return billing.Priced("tribe", "Tribe", Decimal("360.00"))


@pytest.fixture
def creator() -> billing.Priced:
    return billing.Priced("creator", "Tribe Creator", Decimal("540.00"))


@pytest.fixture
def nl_vat() -> billing.Vat:
    return billing.vat_for("NL", None)


@pytest.fixture
def leap_period() -> billing.Period:
    """1 March 2027 up to and including 29 February 2028: 366 days."""
    return billing.Period(date(2027, 3, 1), date(2028, 2, 29))


@pytest.fixture
def common_period() -> billing.Period:
    """1 June 2026 up to and including 31 May 2027: 365 days."""
    return billing.Period(date(2026, 6, 1), date(2027, 5, 31))
