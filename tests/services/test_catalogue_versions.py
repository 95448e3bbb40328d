"""R12 as a property: what a period charges does not depend on catalogue versions loaded after it
started. Two organisations start the same period on the same catalogue; a new catalogue is loaded
(any prices, per-user or flat, required editions, names); one did a sequence of actions before it,
the other does the same after it: their invoices are the same, line for line."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tribe_tui.errors import BadInput, Refused
from tribe_tui.models import Invoice, InvoiceLine

MODULES = ("projects", "sales", "workflows", "marketing", "exact-online", "mailchimp")
ACTION = st.one_of(
    st.tuples(st.just("licences"), st.integers(1, 3)),
    st.tuples(st.sampled_from(("add", "remove")), st.sampled_from(MODULES)),
    st.tuples(st.just("edition"), st.sampled_from(("tribe", "creator"))),
)
PRICE = st.sampled_from(("12.00", "60.00", "250.00", "999.99"))
MODULE_EDIT = st.fixed_dictionaries(
    {},
    optional={
        "yearly_price": PRICE,
        "per_user": st.booleans(),
        "requires": st.sampled_from((None, "creator")),
        "name": st.sampled_from(("Nieuw", "Hernoemd")),
    },
)
CATALOGUE_EDIT = st.fixed_dictionaries(
    {},
    optional={
        "tribe": st.fixed_dictionaries({}, optional={"yearly_price": PRICE, "name": st.just("Tribe Basis")}),
        "creator": st.fixed_dictionaries({}, optional={"yearly_price": PRICE, "name": st.just("Creator")}),
        **{code: MODULE_EDIT for code in MODULES},
    },
)
_orgs = itertools.count()


def _invoices(org_id: int) -> list[tuple]:
    found = []
    for invoice in Invoice.select().where(Invoice.organisation == org_id).order_by(Invoice.id):
        lines = tuple(
            (line.description, line.quantity, line.unit_price, line.days, line.period_days, line.amount)
            for line in InvoiceLine.select().where(InvoiceLine.invoice == invoice.id).order_by(InvoiceLine.position)
        )
        found.append((invoice.reason, invoice.date, lines, invoice.subtotal, invoice.vat, invoice.total))
    return found


def _act(ctx, actions) -> None:
    from tribe_tui.services.edition import set_edition
    from tribe_tui.services.licences import add_licences
    from tribe_tui.services.modules import add_module, remove_module

    for step, (kind, what) in enumerate(actions):
        today = ctx.today + timedelta(days=step // 2)  # days pass, within the period
        current = ctx._replace(today=today)
        try:
            if kind == "licences":
                add_licences(current, what)
            elif kind == "add":
                add_module(current, what)
            elif kind == "remove":
                remove_module(current, what)
            else:
                set_edition(current, what)
        except (Refused, BadInput):
            pass


def _load(db, monkeypatch, edits: dict) -> None:
    from tribe_tui import migrations

    data = migrations.read_catalogue()
    edited = {
        **data,
        "editions": [{**e, **edits.get(e["code"], {})} for e in data["editions"]],
        "modules": [{**m, **edits.get(m["code"], {})} for m in data["modules"]],
    }
    monkeypatch.setattr(migrations, "read_catalogue", lambda: edited)
    migrations.load_catalogue(db)


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edition=st.sampled_from(("tribe", "creator")), actions=st.lists(ACTION, max_size=8), edits=CATALOGUE_EDIT)
# A flat integration made per user: licences added after it must not be charged for it.
@example(
    edition="tribe", actions=[("add", "exact-online"), ("licences", 2)], edits={"exact-online": {"per_user": True}}
)
# A rename that would reorder the lines: the period prints them in its own catalogue's order.
@example(
    edition="tribe",
    actions=[("add", "projects"), ("add", "sales"), ("licences", 1)],
    edits={"sales": {"name": "Hernoemd"}},
)
def test_amounts_in_a_period_do_not_depend_on_later_catalogue_versions(db, make_org, edition, actions, edits):
    import pytest

    from tribe_tui import migrations

    n = next(_orgs)
    start, today = date(2026, 9, 26), date(2026, 11, 26)
    before, after = (
        make_org(
            edition=edition, start=start, today=today, name=f"Org {n}{x}", username=f"u{n}{x}", email=f"{x}{n}@x.nl"
        )
        for x in "ab"
    )
    _act(before, actions)
    with pytest.MonkeyPatch.context() as monkeypatch:
        _load(db, monkeypatch, edits)
        _act(after, actions)
    migrations.load_catalogue(db)  # the shipped catalogue again, for the next example

    first, second = _invoices(before.org_id), _invoices(after.org_id)
    assert [i[0] for i in first] == [i[0] for i in second], (first, second)
    assert first == second
