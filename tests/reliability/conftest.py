"""Helpers of the reliability tests: real CLI processes, database snapshots, recorded figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ACTOR = Path(__file__).with_name("actor.py")
REPO = Path(__file__).resolve().parents[2]


def open_db():
    """Bind the models in this process to the test's database (TRIBE_DATABASE_URL)."""
    from tribe_tui.db import open_database

    return open_database(os.environ["TRIBE_DATABASE_URL"])


def snapshot(exclude: tuple[str, ...] = (), *, reopen: bool = True) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order: equal snapshots mean nothing changed.
    (reopen=False reads through the connection already open, without migrating.)"""
    from tribe_tui.models import ALL_MODELS

    if reopen:
        open_db()
    found = {}
    for model in ALL_MODELS:
        name = model._meta.table_name
        if name in exclude:
            continue
        found[name] = [tuple(row) for row in model.select().order_by(*model._meta.get_primary_keys()).tuples()]
    return found


def one_line_refusal(code: int, err: str) -> bool:
    """The CLI's only failure shape: exit 1 or 2, one line on stderr, no traceback."""
    return (
        code in (1, 2)
        and err.endswith("\n")
        and err.count("\n") == 1
        and err.startswith("tribe-tui: ")
        and "Traceback" not in err
    )


@dataclass
class ActorRun:
    results: list[dict]
    started: int
    returncode: int | None


def actor_env(extra: dict | None = None) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.pop("TRIBE_DEBUG", None)
    env.update(extra or {})
    return env


def start_actor(
    tmp_path: Path,
    name: str,
    commands: list[list[str]],
    *,
    start_at: float = 0.0,
    repeat: bool = False,
    slow_s: float = 0.0,
    env: dict | None = None,
) -> tuple[subprocess.Popen, Path]:
    plan = tmp_path / f"{name}.plan.json"
    results = tmp_path / f"{name}.results.jsonl"
    plan.write_text(json.dumps({"start_at": start_at, "commands": commands, "repeat": repeat, "slow_s": slow_s}))
    results.write_text("")
    process = subprocess.Popen(
        [sys.executable, str(ACTOR), str(plan), str(results)],
        env=actor_env(env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process, results


def read_results(path: Path, returncode: int | None = None) -> ActorRun:
    results, started = [], 0
    for line in path.read_text().splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut off by a SIGKILL
        if record.get("started"):
            started += 1
        else:
            results.append(record)
    return ActorRun(results, started, returncode)


def run_actors(
    tmp_path: Path, plans: dict[str, list[list[str]]], *, slow_s: float = 0.0, timeout: float = 240
) -> dict[str, ActorRun]:
    """Start one process per plan; they all begin at the same moment and run to the end."""
    start_at = time.time() + 1.5  # after every interpreter has started and imported
    running = {
        name: start_actor(tmp_path, name, commands, start_at=start_at, slow_s=slow_s)
        for name, commands in plans.items()
    }
    done = {}
    for name, (process, results) in running.items():
        _, stderr = process.communicate(timeout=timeout)
        assert process.returncode == 0, f"actor {name} died: {stderr[-2000:]}"
        done[name] = read_results(results, process.returncode)
    return done


@pytest.fixture
def figures(request):
    """figures(name, **values): a figure for the closing summary (and docs/reliability.md)."""
    from tests.conftest import BACKEND, record_figure

    def record(name: str, **values) -> None:
        record_figure(request.config, f"{name} [{BACKEND}]", values)

    return record
