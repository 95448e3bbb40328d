"""Authority is checked where every read and act passes, not screen by screen: each public service
function that takes a context either is a marked read of account data (`@account_read`), runs in
the action outline (`organisation_change`), or checks its person itself (`require_person`). The few
that do none of these are listed here with the reason."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

NOT_A_READ_OR_ACT = {
    ("billing_details", "validate"): "checks typed input against the rules; reads no account data",
    ("employees", "require_other_admin"): "a guard run inside actions (their outline checked first)",
    ("employees", "make_former"): "a step run inside actions (their outline checked first)",
    ("licences", "unlinkable"): "a guard run inside actions (their outline checked first)",
    ("licences", "check_auto_renew"): "a guard run inside actions (their outline checked first)",
    ("invitations", "resend"): "is `invite`, an action",
    ("licences", "preview_add"): "is `add_licences` as a dry run, an action",
    ("renewal", "settle"): "runs inside the action outline, after its check",
    ("renewal", "settle_organisation"): "the operator's billing run: no person acts",
    ("session", "end_session"): "signing out: always allowed",
    ("session", "record_session_end"): "records why a session ended, for one that may no longer act",
}


def test_every_service_that_takes_a_context_checks_the_person_acting():
    import tribe_tui.services as services

    unchecked = []
    for found in pkgutil.iter_modules(services.__path__):
        if found.name.startswith("_"):
            continue
        module = importlib.import_module(f"tribe_tui.services.{found.name}")
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn) or fn.__module__ != module.__name__:
                continue
            parameters = list(inspect.signature(fn).parameters)
            if not parameters or parameters[0] != "ctx":
                continue
            source = inspect.getsource(inspect.unwrap(fn))
            checked = (
                getattr(fn, "reads_account", False) or "organisation_change(" in source or "require_person(" in source
            )
            if not checked and (found.name, name) not in NOT_A_READ_OR_ACT:
                unchecked.append(f"{found.name}.{name}")
    assert unchecked == [], f"reads or acts that do not check who acts: {unchecked}"
