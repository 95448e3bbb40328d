"""R7/R8: a renewal never carries a module the renewed edition may not have. Whatever an admin
does in a period (add, remove, undo a removal, schedule or withdraw a downgrade, upgrade), the
renewal invoice has no line for such a module and the module is no longer active afterwards."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.services.conftest import ACTOR
from tribe_tui.errors import BadInput, Refused
from tribe_tui.models import Edition, Invoice, InvoiceLine, Module, Organisation, OrganisationModule

MODULES = ("projects", "sales", "workflows", "marketing", "exact-online")
ACTION = st.one_of(
    st.tuples(st.sampled_from(("add", "remove")), st.sampled_from(MODULES)),
    st.tuples(st.just("edition"), st.sampled_from(("tribe", "creator"))),
    st.tuples(st.just("renew"), st.just("")),
)
_orgs = itertools.count()


def _excluded(edition_code: str) -> set[str]:
    """Names of the modules that `edition_code` may not have (R8)."""
    rank = Edition.get_by_id(edition_code).rank
    return {m.name for m in Module.select() if m.requires_id and Edition.get_by_id(m.requires_id).rank > rank}


def _renew(ctx):
    from tribe_tui.services.renewal import run_billing

    org = Organisation.get_by_id(ctx.org_id)
    today = org.paid_until + timedelta(days=1)
    [outcome] = run_billing(today, ACTOR, ctx.org_id).outcomes
    return ctx._replace(today=today), outcome


def _check_renewal(ctx, outcome) -> None:
    excluded = _excluded(outcome.edition)
    active = {
        m.name
        for m in Module.select()
        .join(OrganisationModule, on=(OrganisationModule.module == Module.code))
        .where((OrganisationModule.organisation == ctx.org_id) & OrganisationModule.active)
    }
    assert not active & excluded, (outcome, active)
    if outcome.invoice_number is not None:
        invoice = Invoice.get(Invoice.number == outcome.invoice_number)
        lines = [line.description for line in InvoiceLine.select().where(InvoiceLine.invoice == invoice.id)]
        assert not [d for d in lines for name in excluded if name in d], (outcome, lines)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edition=st.sampled_from(("tribe", "creator")), actions=st.lists(ACTION, max_size=12))
# Removed, then a downgrade scheduled (the removal is not marked as ending with it), then undone.
@example(
    edition="creator",
    actions=[("add", "marketing"), ("remove", "marketing"), ("edition", "tribe"), ("add", "marketing")],
)
@pytest.mark.slow
def test_no_renewal_line_for_a_module_the_edition_excludes(make_org, edition, actions):
    from tribe_tui.services.edition import set_edition
    from tribe_tui.services.modules import add_module, remove_module

    n = next(_orgs)
    ctx = make_org(edition=edition, licences=2, name=f"Org {n}", username=f"user{n}", email=f"a{n}@x.nl")
    actions = [*actions, ("renew", "")]
    for step, (kind, what) in enumerate(actions):
        if kind == "renew":
            ctx, outcome = _renew(ctx)
            _check_renewal(ctx, outcome)
            continue
        ctx = ctx._replace(today=ctx.today + timedelta(days=step % 3))  # days pass, within the period
        try:
            if kind == "add":
                add_module(ctx, what)
            elif kind == "remove":
                remove_module(ctx, what)
            else:
                set_edition(ctx, what)
        except (Refused, BadInput):
            pass


def test_a_renewing_module_the_renewed_edition_excludes_ends_and_the_renewal_says_so(make_org):
    """However it came to renew (a catalogue that made it Creator-only since, say), a module that
    the renewed edition may not have ends at the renewal: no line on the invoice, named as ended."""
    ctx = make_org(licences=2)  # Tribe
    OrganisationModule.create(organisation=ctx.org_id, module="marketing", added_on=ctx.today)
    ctx, outcome = _renew(ctx)
    assert outcome.modules_ended == ("E-mailmarketing",)
    assert str(outcome.total) == "871.20"  # 2 x 360.00 + 21%, not 958.32
    _check_renewal(ctx, outcome)
    row = OrganisationModule.get(OrganisationModule.organisation == ctx.org_id)
    assert (row.active, row.renews) == (False, False)
