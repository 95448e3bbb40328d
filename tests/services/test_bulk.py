"""Acting on the marked rows of a list: every row in one transaction and one audit event, the
renewal's total before and after from the billing rules, and a refused row refuses them all."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tribe_tui.errors import Refused
from tribe_tui.models import Employee, Licence, Organisation
from tribe_tui.services import account, bulk


def _renewal_total(ctx) -> Decimal:
    return account.renewal_forecast(Organisation.get_by_id(ctx.org_id), "nl")[0].total


def _held(staff) -> list[int]:
    return [Licence.get(Licence.holder == e.id).id for e in staff]


def test_unlinking_marked_holders_frees_every_licence_in_one_event(ctx, staff, new_events):
    licences = _held(staff)
    new_events.mark()
    result = bulk.unlink_all(ctx, ["daan@acme.nl", "Emma@Acme.nl"])
    assert result.count == 2 and not result.dry_run
    assert [Licence.get_by_id(i).holder_id for i in licences] == [None, None]
    assert result.renewal_before == result.renewal_after  # a free licence renews too
    [event] = new_events()
    assert event.action == "licences.unlink"
    assert json.loads(event.after) == [{"licence": i, "holder": None} for i in licences]


def test_renewal_off_for_marked_licences_says_what_the_renewal_saves(ctx, staff, dump, new_events):
    licences = _held(staff)
    before = dump()
    preview = bulk.renewal_off_all(ctx, licences, dry_run=True)
    assert dump() == before  # a dry run changes nothing
    # R7/R6: two Tribe licences fewer at the renewal, € 360,00 each, plus 21 % VAT.
    assert preview.count == 2
    assert preview.renewal_before == _renewal_total(ctx)
    assert preview.renewal_before - preview.renewal_after == Decimal("871.20")
    new_events.mark()
    done = bulk.renewal_off_all(ctx, licences)
    assert [Licence.get_by_id(i).auto_renew for i in licences] == [False, False]
    assert _renewal_total(ctx) == done.renewal_after == preview.renewal_after
    assert [e.action for e in new_events()] == ["licences.auto_renew"]


def test_voormalig_for_marked_employees_keeps_their_licences_renewing(ctx, staff, new_events):
    new_events.mark()
    result = bulk.former_all(ctx, ["daan@acme.nl", "emma@acme.nl"])
    assert result.count == 2 and result.renewal_before == result.renewal_after
    assert [Employee.get_by_id(e.id).former for e in staff] == [True, True]
    assert all(Licence.get(Licence.holder == e.id).auto_renew for e in staff)
    assert [e.action for e in new_events()] == ["employees.former"]


@pytest.mark.parametrize("act", ["unlink", "former", "renewal_off"])
def test_one_refused_row_leaves_every_row_as_it_was(ctx, staff, dump, new_events, act):
    """Daan is the other admin: either admin alone may go, not both (the second is refused, after
    the first was already changed in the same transaction)."""
    Employee.update(role="admin").where(Employee.id == staff[0].id).execute()
    before = dump()
    new_events.mark()
    with pytest.raises(Refused):
        if act == "renewal_off":
            admin = Licence.get(Licence.holder == Employee.get(Employee.email == "admin@acme.nl").id)
            bulk.renewal_off_all(ctx, [admin.id, _held(staff)[0]])
        else:
            getattr(bulk, f"{act}_all")(ctx, ["admin@acme.nl", "daan@acme.nl"])
    assert dump() == before
    assert new_events() == []
