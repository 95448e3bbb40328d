"""Helpers the test folders share: ok() for a command that succeeded, and dump_account_tables() for
"nothing changed" (every row of every account table, compared before and after)."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

from tribe_tui.db import open_database
from tribe_tui.models import (
    AuditEvent,
    BillingDetails,
    CreditNote,
    CreditNoteCounter,
    Employee,
    Invitation,
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    Licence,
    Organisation,
    OrganisationModule,
    OutboxMessage,
)

if TYPE_CHECKING:
    from tests.conftest import Result

ACCOUNT_TABLES = (
    Organisation,
    OrganisationModule,
    Employee,
    Licence,
    BillingDetails,
    InvoiceCounter,
    Invoice,
    InvoiceLine,
    CreditNoteCounter,
    CreditNote,
    AuditEvent,
    Invitation,
    OutboxMessage,
)


def ok(result: Result, *, quiet: bool = False) -> Result:
    """The command succeeded (with `quiet`, also said nothing on stderr); its result, to read on."""
    assert result.code == 0, result.err
    if quiet:
        assert result.err == ""
    return result


def dump_account_tables() -> dict[str, list[dict]]:
    """Every row of every account table, in primary-key order, as JSON would carry it."""
    open_database(os.environ["TRIBE_DATABASE_URL"])
    return {
        model._meta.table_name: [
            json.loads(json.dumps(row, default=str)) for row in model.select().order_by(model._meta.primary_key).dicts()
        ]
        for model in ACCOUNT_TABLES
    }
