"""Shared fixtures: every test gets its own database and a fixed date; nothing from the user's config."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """No user data dir, no TRIBE_* settings from the environment, Dutch by default."""
    for name in list(__import__("os").environ):
        if name.startswith("TRIBE_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    monkeypatch.setenv("TRIBE_DATABASE_URL", f"sqlite:///{tmp_path / 'tribe.db'}")
    monkeypatch.setenv("TRIBE_TODAY", TODAY.isoformat())
    monkeypatch.setenv("LANG", "nl_NL.UTF-8")
    yield
    from tribe_tui.models import database

    if database.obj is not None:
        database.obj.close()


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli():
    """Run the CLI in-process: cli("licences", "add", "2", "--json") -> Result."""
    from tribe_tui.cli import run

    def call(*argv: str) -> Result:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stderr(err):
            code = run(list(argv), stdout=out)
        return Result(code, out.getvalue(), err.getvalue())

    return call
