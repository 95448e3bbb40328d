"""Imports show the structure: services have an order (the import contracts in pyproject.toml check
it, so a new cycle fails `lint-imports`), and a module's imports are at its top where a reader looks."""

from __future__ import annotations

import ast
import pkgutil
import tomllib
from pathlib import Path

import tribe_tui.services
from tribe_tui import deferred

ROOT = Path(__file__).resolve().parents[2]


def _contract(name_start: str) -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    (found,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["name"].startswith(name_start)]
    return found


def test_every_services_module_has_a_row_in_the_services_order():
    rows = _contract("Services in order")["layers"]
    placed = [name.strip() for row in rows for name in row.split("|")]
    modules = sorted(found.name for found in pkgutil.iter_modules(tribe_tui.services.__path__))
    assert sorted(placed) == modules  # a module with no row could import any other, round in a circle


# --- imports inside functions ----------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The modules an import statement loads, by absolute name (`from a import b` may load a.b)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = module.split(".") if is_package else module.split(".")[:-1]
    if node.level:
        base = base[: len(base) - node.level + 1]
        name = ".".join(base + ([node.module] if node.module else []))
    else:
        name = node.module or ""
    return [name, *(f"{name}.{alias.name}" for alias in node.names)]


def _walk(tree: ast.AST):
    """(import node, inside a function) for every import not under `if TYPE_CHECKING:`."""

    def visit(node: ast.AST, in_function: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                yield from visit(ast.Module(body=child.orelse, type_ignores=[]), in_function)
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                yield child, in_function
            yield from visit(
                child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            )

    yield from visit(tree, False)


def _package_imports() -> tuple[dict[str, set[str]], list[tuple[str, int, str, list[str]]]]:
    """Each project module's top-level imports, and every import inside a function:
    (module, line, statement, modules it loads)."""
    top: dict[str, set[str]] = {}
    inside: list[tuple[str, int, str, list[str]]] = []
    for path in sorted((ROOT / "tribe_tui").rglob("*.py")):
        module = _module_name(path)
        tree = ast.parse(path.read_text(), str(path))
        top[module] = set()
        for node, in_function in _walk(tree):
            names = _imported(node, module, path.name == "__init__.py")
            if in_function:
                inside.append((module, node.lineno, ast.unparse(node), names))
            else:
                top[module].update(names)
    return top, inside


def _loads(names: list[str], top: dict[str, set[str]]) -> set[str]:
    """Everything importing these names loads: the names, their parent packages and, through the
    project's modules, what they import at their top."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            prefix = ".".join(parts[:i])
            if prefix not in seen:
                seen.add(prefix)
                todo.extend(top.get(prefix, ()))
    return seen


def _deferred_by(loaded: set[str], lists: list[dict[str, str]]) -> bool:
    return any(
        name == entry or name.startswith(entry + ".") for name in loaded for deferred in lists for entry in deferred
    )


def misplaced_imports() -> list[tuple[str, int]]:
    """(module, line) of each import inside a function that loads nothing tribe_tui.deferred lists."""
    top, inside = _package_imports()
    everywhere = [deferred.NOT_FOR_JSON_OUTPUT, deferred.NOT_BEFORE_FIRST_FRAME, deferred.LOADED_WHEN_USED]
    misplaced = []
    for module, line, _statement, names in inside:
        lists = everywhere + [
            deferred_on_path
            for deferred_on_path, path in (
                (deferred.NOT_FOR_AUTHORIZED_KEYS, deferred.AUTHORIZED_KEYS_PATH),
                (deferred.NOT_FOR_AUTHORIZED_KEYS_WITH_DB, deferred.AUTHORIZED_KEYS_PATH),
                (deferred.NOT_BEFORE_THE_DATABASE_URL, deferred.CLI_PATH),
            )
            if any(module == name or module.startswith(name + ".") for name in path)
        ]
        if not _deferred_by(_loads(names, top), lists):
            misplaced.append((module, line))
    return misplaced


def test_imports_inside_functions_are_only_those_start_up_defers():
    """An import inside a function is a start-up decision (tribe_tui.deferred lists each module
    and why); anything else belongs at the top of the module, where a reader looks."""
    _top, inside = _package_imports()
    statements = {(module, line): statement for module, line, statement, _names in inside}
    assert [f"{module}:{line}: {statements[module, line]}" for module, line in misplaced_imports()] == []
