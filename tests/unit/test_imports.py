"""Imports show the structure: services have an order (the import contracts in pyproject.toml check
it, so a new cycle fails `lint-imports`), and a module's imports are at its top where a reader looks."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import tribe_tui.services

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
