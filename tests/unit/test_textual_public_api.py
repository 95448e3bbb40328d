"""The app, its key queue and its hang-up watch use Textual's public API only, so the `textual`
bound in pyproject.toml (below the next major) is honest: a private name may change in any release."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "tribe_tui"
MODULES = ["app.py", "key_queue.py", "hangup.py"]
# os._exit: the documented way to end a process at once; NamedTuple's _replace: its documented
# copy-with-changes (the underscore only keeps it apart from field names).
STDLIB_PRIVATE = {"_exit", "_replace"}
TEXTUAL_BASES = {"App", "Screen", "ModalScreen", "Widget"}


def _own_names(tree: ast.Module) -> set[str]:
    """Names the module itself defines: its functions, methods, classes and `self.x = ...` attributes."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                for part in ast.walk(target):
                    if isinstance(part, ast.Attribute):
                        names.add(part.attr)
                    elif isinstance(part, ast.Name):
                        names.add(part.id)
    return names


@pytest.mark.parametrize("module", MODULES)
def test_no_private_name_of_another_library_is_used(module):
    tree = ast.parse((PACKAGE / module).read_text())
    own = _own_names(tree)
    private = sorted(
        {
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and node.attr not in own | STDLIB_PRIVATE
        }
    )
    assert private == [], f"{module} uses private names: {private}"


@pytest.mark.parametrize("module", MODULES)
def test_no_private_method_of_textual_is_overridden(module):
    from textual.app import App
    from textual.screen import Screen
    from textual.widget import Widget

    tree = ast.parse((PACKAGE / module).read_text())
    overridden = sorted(
        f"{cls.name}.{node.name}"
        for cls in ast.walk(tree)
        if isinstance(cls, ast.ClassDef) and any(getattr(b, "id", None) in TEXTUAL_BASES for b in cls.bases)
        for node in cls.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.name.startswith("_")
        and not node.name.startswith("__")
        and any(hasattr(base, node.name) for base in (App, Screen, Widget))
    )
    assert overridden == [], f"{module} overrides Textual's private methods: {overridden}"
