"""Every audit action the services write has a sentence in both languages: the action strings are
read from the source (every call of audit(), record_event(), a change's .audit(), sign_in_event(),
a bulk action's _each() and invite(action=...)), so a new action without words fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tribe_tui
from tribe_tui.i18n import LANGUAGES

WRITERS = {"audit", "record_event", "sign_in_event", "_each"}
PACKAGE = Path(tribe_tui.__file__).parent


def _constants(tree: ast.Module) -> list[str]:
    """The module's UPPER_CASE string constants: the values an f-string action fills in
    (`f"module.{plan.kind}"` with ADDED, REMOVAL_UNDONE, ...)."""
    found = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            found += [node.value.value for t in node.targets if isinstance(t, ast.Name) and t.id.isupper()]
    return found


def _actions(node: ast.expr, tree: ast.Module) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        prefix = "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
        return [prefix + value for value in _constants(tree)]
    return []


def written_actions() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in ast.walk(tree):
            if not isinstance(call, ast.Call):
                continue
            name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
            if name in WRITERS:
                # audit(ctx, ACTION, ...) / record_event(org, actor, ACTION, ...) / change.audit(ACTION, ...)
                # / _each(change, ACTION, ...)
                position = {"audit": 1 if isinstance(call.func, ast.Name) else 0, "record_event": 2, "_each": 1}
                position = position.get(name, 0)
                if len(call.args) > position:
                    found.update(_actions(call.args[position], tree))
            for keyword in call.keywords:
                if keyword.arg == "action" and name == "invite":
                    found.update(_actions(keyword.value, tree))
    # The default of invite(action=...) is an action too.
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if isinstance(fn, ast.FunctionDef) and fn.name == "invite":
                for arg, default in zip(fn.args.kwonlyargs, fn.args.kw_defaults, strict=True):
                    if arg.arg == "action" and default is not None:
                        found.update(_actions(default, tree))
    return found


def test_the_source_scan_finds_the_actions_it_should():
    found = written_actions()
    # One of each way an action is written: a literal, an f-string over constants, a keyword, a default.
    assert {"licences.add", "module.added", "edition.upgrade", "invitation.resend", "invitation.create"} <= found
    assert {"sign_in", "sign_in.failed", "sign_in.locked", "payments.statement"} <= found
    assert {"licences.unlink", "licences.auto_renew", "employees.former"} <= found  # the bulk actions


@pytest.mark.parametrize(
    ("action", "before", "after", "nl"),
    [
        (
            "licences.unlink",
            [{"licence": 3, "holder": "a@x.nl"}, {"licence": 4, "holder": "b@x.nl"}],
            [{"licence": 3, "holder": None}, {"licence": 4, "holder": None}],
            "Sanne heeft 2 gebruikers losgekoppeld: a@x.nl, b@x.nl",
        ),
        (
            "licences.auto_renew",
            [{"licence": 3, "auto_renew": True}],
            [{"licence": 3, "auto_renew": False}],
            "Sanne heeft automatisch verlengen uitgezet voor 1 licentie: 3",
        ),
        (
            "employees.former",
            [{"email": "a@x.nl", "former": False}, {"email": "b@x.nl", "former": False}],
            [{"email": "a@x.nl", "former": True}, {"email": "b@x.nl", "former": True}],
            "Sanne heeft 2 medewerkers op Voormalig gezet: a@x.nl, b@x.nl",
        ),
    ],
)
def test_a_bulk_action_is_said_in_words_with_every_row(action, before, after, nl):
    from tribe_tui.services.audit_log import sentence

    assert sentence(action, "Sanne", before, after, "nl") == nl
    english = sentence(action, "Sanne", before, after, "en")
    assert action not in english and english.startswith("Sanne ") and english.endswith(nl.split(": ")[1])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_action_written_has_a_sentence_and_a_filter_group(lang):
    import gettext

    from tribe_tui.i18n import DOMAIN, LOCALE_DIR
    from tribe_tui.services.audit_log import GROUPS, KINDS, SENTENCES, sentence

    for action in sorted(written_actions()):
        assert action in SENTENCES, f"no sentence for {action}"
        assert KINDS.get(action) in GROUPS, f"no filter group for {action}"
        text = sentence(action, "Sanne", {}, {}, lang)
        assert action not in text and "{" not in text, (action, text)
    catalogue = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])  # this language alone, no fallback
    for key in [k for k in _keys_in_audit_log() if k.startswith("audit.")]:
        assert catalogue.gettext(key) != key or catalogue.ngettext(key, key, 2) != key, f"{key} has no {lang} text"


def _keys_in_audit_log() -> list[str]:
    tree = ast.parse((PACKAGE / "services" / "audit_log.py").read_text(encoding="utf-8"))
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") in ("t", "tn")
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]


def test_a_sentence_says_what_happened_in_words_with_its_invoice():
    from tribe_tui.services.audit_log import sentence

    before, after = {"licences": 30}, {"licences": 31, "invoice": "2026-0010", "total": "184.44"}
    assert (
        sentence("licences.add", "Sanne", before, after, "nl")
        == "Sanne heeft 1 licentie toegevoegd (factuur 2026-0010)"
    )
    assert sentence("licences.add", "Sanne", before, after, "en") == "Sanne added 1 licence (invoice 2026-0010)"
    names = {"sales": "Sales opportunities"}.get
    assert sentence("module.added", "Sanne", {}, {"module": "sales"}, "en", lambda c: names(c) or c) == (
        "Sanne added Sales opportunities"
    )
    assert sentence("sign_in.locked", "lotte", {}, {"username": "lotte", "until": "2026-12-01T18:53:00"}, "nl") == (
        "lotte is na te veel mislukte pogingen vergrendeld tot 1 dec 2026 19:53 CET"
    )


def test_a_renewal_says_its_period_licences_and_amount():
    from tribe_tui.services.audit_log import sentence

    after = {"paid_until": "2028-05-31", "licences": 28, "invoice": "2027-0001", "total": "14520.00"}
    assert sentence("billing.renewal", "billing", {}, after, "nl") == (
        "Het account is verlengd tot en met 31 mei 2028 met 28 licenties, €\xa014.520,00 incl. btw (factuur 2027-0001)"
    )
