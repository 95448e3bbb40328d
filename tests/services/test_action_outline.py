"""The outline every admin action runs in (services._action.organisation_change), on its own."""

from __future__ import annotations

import json

import pytest

from tribe_tui.errors import Refused, StaleData
from tribe_tui.models import Employee, Organisation
from tribe_tui.services._action import organisation_change


def version(ctx) -> int:
    return Organisation.get_by_id(ctx.org_id).version


def test_a_change_bumps_the_version_once_and_writes_the_one_event_it_recorded(ctx, new_events):
    before = version(ctx)
    new_events.mark()
    with organisation_change(ctx, before) as change:
        Employee.update(name="Renamed").where(Employee.organisation == ctx.org_id).execute()
        change.audit("test.rename", {"name": "old"}, {"name": "Renamed"})
    assert version(ctx) == before + 1 == change.org.version
    (event,) = new_events()
    assert (event.action, event.actor, json.loads(event.before), json.loads(event.after)) == (
        "test.rename",
        ctx.actor,
        {"name": "old"},
        {"name": "Renamed"},
    )


def test_whatever_the_body_raises_rolls_back_everything(ctx, dump, new_events):
    before = dump()
    new_events.mark()
    with pytest.raises(Refused), organisation_change(ctx) as change:
        Employee.update(name="Half-done").where(Employee.organisation == ctx.org_id).execute()
        change.audit("test.rename")
        raise Refused("no")
    assert dump() == before
    assert new_events() == []


def test_a_stale_version_is_refused_before_the_body_runs(ctx, dump):
    before = dump()
    ran = []
    with pytest.raises(StaleData), organisation_change(ctx, version(ctx) - 1):
        ran.append(True)
    assert ran == []
    assert dump() == before


def test_the_guard_runs_on_the_locked_organisation_before_the_body(ctx, dump):
    def closed(guard_ctx, org):
        assert (guard_ctx, org.id) == (ctx, ctx.org_id)
        raise Refused("closed")

    before = dump()
    ran = []
    with pytest.raises(Refused, match="closed"), organisation_change(ctx, guard=closed):
        ran.append(True)
    assert ran == []
    assert dump() == before


def test_an_action_that_forgets_its_audit_event_fails_and_changes_nothing(ctx, dump):
    before = dump()
    with pytest.raises(RuntimeError, match="audit event"), organisation_change(ctx):
        Employee.update(name="Unaudited").where(Employee.organisation == ctx.org_id).execute()
    assert dump() == before


def test_two_events_for_one_action_are_refused(ctx, dump):
    before = dump()
    with pytest.raises(RuntimeError, match="one audit event"), organisation_change(ctx) as change:
        change.audit("test.one")
        change.audit("test.two")
    assert dump() == before


def test_unchanged_leaves_version_and_audit_alone(ctx, dump):
    before = dump()
    with organisation_change(ctx) as change:
        change.unchanged()
    assert dump() == before


def test_a_dry_run_names_what_it_settles_without_an_invoice_number(ctx, dump):
    """The renewal a dry run shows was rolled back with it: it took no invoice number."""
    from datetime import date

    from tribe_tui.services.cancellation import cancel
    from tribe_tui.services.licences import add_licences

    before = dump()
    ctx = ctx._replace(today=date(2027, 6, 10))  # after paid-until (31 May 2027)
    for result in (add_licences(ctx, 1, dry_run=True), cancel(ctx, "te duur", dry_run=True)):
        [renewal] = result.settled
        assert renewal.kind == "renewal" and renewal.charge is not None
        assert renewal.invoice_number is None
    assert dump() == before
