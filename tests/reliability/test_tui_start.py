"""`tribe-tui demo` in a real terminal (tmux, 80x24), the way an admin starts it.

Signed in from the start, the TUI has its first screen's data read by a child process
(services.warm_start.ProcessWarmStart), which also makes sure the demo exists; the TUI itself
opens the database only when it first needs it, after its first frame (deferred_open). These
tests hold that path to the same behaviour as the in-process one (TRIBE_NO_FORK=1): the data on
the first screen, every later read and change, and the one-line refusal when the database cannot
be opened.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.sshd import Tmux, wait_for
from tests.reliability.test_ssh import flat, tribe_tui_executable

STEP = 20.0


@pytest.fixture
def tmux():
    terminal = Tmux(80, 24)
    yield terminal
    terminal.kill()


def start(tmux: Tmux, tmp_path: Path, *args: str, fork: bool = True) -> Path:
    status = tmp_path / "status"
    env = [f"{k}={v}" for k, v in os.environ.items() if k.startswith("TRIBE_")] + ["TEXTUAL_ANIMATIONS=none"]
    if not fork:
        env.append("TRIBE_NO_FORK=1")
    tmux.start("tui", ["env", *env, tribe_tui_executable(), *args, "--lang", "en"], status)
    return status


def wait_for_text(tmux: Tmux, *phrases: str) -> str:
    shown = wait_for(lambda: (s := tmux.screen("tui")) and all(p in flat(s) for p in phrases) and s, STEP)
    assert shown, f"waited for {phrases!r}; the screen shows:\n{tmux.screen('tui')}"
    return shown


def exit_status(status: Path) -> int:
    assert wait_for(lambda: status.exists() and status.read_text().strip(), STEP), "tribe-tui did not end"
    return int(status.read_text())


@pytest.mark.parametrize("fork", [True, False], ids=["child process", "in process"])
def test_demo_starts_with_its_data_and_every_later_read_and_change_works(tmux, tmp_path, fork):
    status = start(tmux, tmp_path, "demo", fork=fork)
    wait_for_text(tmux, "Paid until", "27 in use of 30 (3 free)", "Next invoice")
    # The licences screen reads the database (rows, then the whole index) after the first frame.
    tmux.press("tui", "4")
    wait_for_text(tmux, "30 licences: 27 in use, 3 free", "30 shown")
    tmux.press("tui", "Escape")
    wait_for_text(tmux, "Paid until")
    # A change: add 2 licences (preview, then Ctrl+S), seen back on the overview.
    tmux.press("tui", "2")
    wait_for_text(tmux, "How many licences")
    tmux.type("tui", "2")
    wait_for_text(tmux, "€520.74")
    tmux.press("tui", "C-s")
    wait_for_text(tmux, "2026-0002")
    tmux.press("tui", "Escape")
    wait_for_text(tmux, "27 in use of 32 (5 free)")
    tmux.press("tui", "C-q")
    assert exit_status(status) == 0
    shown = subprocess.run([tribe_tui_executable(), "licences", "list", "--json"], capture_output=True, text=True)
    assert len(json.loads(shown.stdout)) == 32


@pytest.mark.parametrize("fork", [True, False], ids=["child process", "in process"])
def test_a_database_that_cannot_be_opened_is_one_line_before_any_screen(tmp_path, fork):
    env = {**os.environ, "TRIBE_DATABASE_URL": f"sqlite:///{tmp_path}"}  # a directory
    if not fork:
        env["TRIBE_NO_FORK"] = "1"
    done = subprocess.run([tribe_tui_executable(), "demo"], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert done.stderr == f"tribe-tui: {tmp_path} is a directory, not a database\n"
    assert done.stdout == ""  # refused before the terminal was touched


PROBE = """
import json, sys
import tribe_tui.app
seen = {}
def run_app(settings, screen=None, signed_in_username=None, warm=None):
    seen["peewee before the first screen"] = "peewee" in sys.modules
    seen["kind"] = type(warm).__name__
    session = warm.take_session(signed_in_username, settings.effective_today(), settings.language)
    data = warm.take(warm.section, session.ctx).result()
    seen["first screen"] = [type(data).__name__, data.licences_total if hasattr(data, "licences_total") else None]
    from tribe_tui.services.licences import list_licences  # the first use opens the database
    seen["rows read after"] = len(list_licences(session.ctx))
    return 0
tribe_tui.app.run_app = run_app
from tribe_tui.cli import run
code = run(sys.argv[1:])
print(json.dumps({"code": code, **seen}))
"""


def test_the_tui_process_needs_no_database_layer_before_its_first_screen():
    done = subprocess.run([sys.executable, "-c", PROBE, "demo"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"code": 0, "peewee before the first screen": False, "kind": "ProcessWarmStart",
                    "first screen": ["AccountOverview", 30], "rows read after": 30}
