"""A session that came in with an SSH key acts only while the key still lets its owner in:
removing the key, unlinking the owner or making them Voormalig ends it at its next action, and
that action changes nothing."""

from __future__ import annotations

import pytest

from tests.ssh_keys import keygen, proof
from tribe_tui.errors import SessionEnded


@pytest.mark.parametrize("cut_off", ["remove the key", "unlink", "Voormalig"])
def test_a_key_session_ends_at_its_next_action_once_the_key_no_longer_lets_them_in(ctx, staff, tmp_path, dump, cut_off):
    from tribe_tui.models import AuditEvent, Employee
    from tribe_tui.services.employees import set_former
    from tribe_tui.services.licences import add_licences, unlink
    from tribe_tui.services.session import start_session
    from tribe_tui.services.ssh_keys import add_key, open_key_session, remove_key, with_key

    Employee.update(role="admin").where(Employee.id == staff[0].id).execute()  # an admin acts
    key = keygen(tmp_path, "daan")
    row = add_key(ctx, "laptop", key.line, proof(ctx, key, "daan@acme.nl"), email="daan@acme.nl")
    opened = open_key_session(row.uid, row.fingerprint, ctx.today, "nl")
    session = with_key(start_session("user0", ctx.today, "nl"), opened)
    daan = session.ctx._replace(org_id=ctx.org_id)
    assert (daan.employee_id, daan.key_fingerprint) == (staff[0].id, key.fingerprint)
    add_licences(daan, 1)  # while the key lets Daan in, his actions go through, audited as his
    last = AuditEvent.select().order_by(AuditEvent.id.desc()).get()
    assert (last.actor, last.employee_id, last.key_fingerprint) == ("user0", staff[0].id, key.fingerprint)

    {
        "remove the key": lambda: remove_key(ctx, key.fingerprint),
        "unlink": lambda: unlink(ctx, "daan@acme.nl"),
        "Voormalig": lambda: set_former(ctx, "daan@acme.nl", True),
    }[cut_off]()
    before = dump()
    with pytest.raises(SessionEnded):
        add_licences(daan, 1)
    assert dump() == before
    with pytest.raises(Exception, match="Inloggen is niet gelukt"):  # and no new session with that key
        open_key_session(row.uid, row.fingerprint, ctx.today, "nl")
