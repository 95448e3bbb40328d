"""`tribe-tui` in a real terminal (tmux, 80x24), the way an admin starts it, and without one.

Every section opens from the command line in both languages, with and without NO_COLOR; an
unexpected error ends the process with the CLI's one line and exit 1; without a terminal it
refuses at once; when the terminal goes away it ends within 2 s and leaves no half-done change.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.sshd import Tmux, wait_for
from tests.reliability.test_ssh import flat, tribe_tui_executable
from tribe_tui.sections import NAMES

STEP = 20.0
SECTIONS = NAMES


@pytest.fixture
def tmux():
    terminal = Tmux(80, 24)
    yield terminal
    terminal.kill()


def start(
    tmux: Tmux, tmp_path: Path, *args: str, env: dict[str, str] | None = None, argv: list[str] | None = None
) -> Path:
    """Start tribe-tui ARGS (or argv) in the pane; returns the file its exit status lands in. The
    pane stays open afterwards, showing what was left on the terminal (Textual draws on stderr, so
    the one-line message is read there too)."""
    status = tmp_path / "status"
    settings = {k: v for k, v in os.environ.items() if k.startswith("TRIBE_")}
    settings.update(HOME=os.environ["HOME"], TEXTUAL_ANIMATIONS="none", **(env or {}))
    command = shlex.join(argv or [tribe_tui_executable(), *args])
    inner = f"{command}; echo $? > {shlex.quote(str(status))}; sleep 60"
    tmux.start("tui", ["env", *(f"{k}={v}" for k, v in settings.items()), "sh", "-c", inner], tmp_path / "shell")
    return status


def left_on_screen(tmux: Tmux) -> list[str]:
    """The pane's non-blank lines after the program ended (lines wrapped at 80 columns joined again)."""
    shown = tmux._tmux("capture-pane", "-p", "-J", "-t", "tui").stdout
    return [line.rstrip() for line in shown.splitlines() if line.strip()]


def wait_for_text(tmux: Tmux, *phrases: str) -> str:
    shown = wait_for(lambda: (s := tmux.screen("tui")) and all(p in flat(s) for p in phrases) and s, STEP)
    assert shown, f"waited for {phrases!r}; the screen shows:\n{tmux.screen('tui')}"
    return shown


def exit_status(status: Path) -> int:
    assert wait_for(lambda: status.exists() and status.read_text().strip(), STEP), "tribe-tui did not end"
    return int(status.read_text())


def test_demo_starts_with_its_data_and_every_later_read_and_change_works(tmux, tmp_path):
    status = start(tmux, tmp_path, "demo", "--lang", "en")
    wait_for_text(tmux, "Paid until", "27 in use of 30 (3 free)", "Next invoice")
    # The licences screen reads the database (rows, then the whole index) after the first frame.
    tmux.press("tui", "4")
    wait_for_text(tmux, "30 licences: 27 in use, 3 free", "30 shown")
    tmux.press("tui", "Escape")
    wait_for_text(tmux, "Paid until")
    # A change: add 2 licences (preview, Ctrl+S, the charge asked and said yes to), seen back on
    # the overview (Escape leaves the number field, then the screen).
    tmux.press("tui", "2")
    wait_for_text(tmux, "How many licences")
    tmux.type("tui", "2")
    wait_for_text(tmux, "€520.74")
    tmux.press("tui", "C-s")
    wait_for_text(tmux, "Charge €520.74 incl. VAT?")
    tmux.press("tui", "y")
    wait_for_text(tmux, "2026-0004")  # the demo has three invoices: paid, overdue, open
    tmux.press("tui", "Escape")
    tmux.press("tui", "Escape")
    wait_for_text(tmux, "Paid until", "27 in use of 32 (5 free)")
    tmux.press("tui", "C-q")
    assert exit_status(status) == 0
    shown = subprocess.run([tribe_tui_executable(), "licences", "list", "--json"], capture_output=True, text=True)
    assert len(json.loads(shown.stdout)) == 32


# Every section once, each with one of the four combinations of NO_COLOR and language in turn:
# every --screen value, both colour settings and both languages, and each pair of the last two.
START_CASES = [(section, bool(i % 2), ("nl", "en")[i // 2 % 2]) for i, section in enumerate(SECTIONS)]


@pytest.mark.engine_free
@pytest.mark.parametrize(
    ("section", "no_color", "lang"),
    START_CASES,
    ids=[f"{s}-{'NO_COLOR' if c else 'colour'}-{lang}" for s, c, lang in START_CASES],
)
def test_every_section_opens_from_the_command_line(tmux, tmp_path, section, no_color, lang):
    from tribe_tui.i18n import t

    env = {"NO_COLOR": "1"} if no_color else {}
    status = start(tmux, tmp_path, "demo", "--screen", section, "--lang", lang, env=env)
    title = t(f"section.{section.replace('-', '_')}", lang)
    # Signed in, with the organisation beside the title where both fit whole in the header at 80
    # columns (screens/base.py keeps 18 cells), else the title alone; a list shows its rows too.
    fits = len(f"{title} — Van der Berg Installatietechniek B.V.") <= 80 - 18
    wanted = (f"{title} — ", "Van der Berg") if fits else (title,)
    if section in ("licences", "employees"):
        wanted += ("Anna de Bruijn",)
    shown = wait_for_text(tmux, *wanted)
    assert "Traceback" not in shown
    tmux.press("tui", "C-q")
    assert exit_status(status) == 0, tmux.screen("tui")
    assert left_on_screen(tmux) == []


# A screen whose show() fails the way a programming error would, in the real process.
FAILING = """
import sys
from tribe_tui.screens.edition import EditionScreen
def show(self, data):
    raise RuntimeError("a bug in a screen")
EditionScreen.show = show
from tribe_tui.cli import run
sys.exit(run(sys.argv[1:]))
"""


@pytest.mark.engine_free
@pytest.mark.parametrize("debug", [False, True], ids=["one line", "TRIBE_DEBUG"])
def test_an_unexpected_error_in_the_tui_ends_it_with_exit_1_and_the_clis_one_line(tmux, tmp_path, debug):
    env = {"TRIBE_DEBUG": "1"} if debug else {}
    status = start(tmux, tmp_path, argv=[sys.executable, "-c", FAILING, "demo", "--screen", "edition"], env=env)
    assert exit_status(status) == 1
    if debug:
        assert "RuntimeError: a bug in a screen" in left_on_screen(tmux)
    else:
        assert left_on_screen(tmux) == ["tribe-tui: unexpected error (RuntimeError); set TRIBE_DEBUG=1 for details"]


@pytest.mark.engine_free
@pytest.mark.parametrize("stdin", ["/dev/null", "an open pipe"])
def test_without_a_terminal_it_refuses_at_once(stdin):
    # `tribe-tui < /dev/null`, and `sleep 30 | tribe-tui`: a pipe that stays open and never sends a key.
    process = subprocess.Popen(
        [tribe_tui_executable(), "demo", "--lang", "en"],
        text=True,
        stdin=subprocess.DEVNULL if stdin == "/dev/null" else subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        code = process.wait(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert code == 2
    assert process.stderr.read() == "tribe-tui: the screen needs a terminal (stdin and stdout); over SSH: ssh -t\n"
    assert process.stdout.read() == ""  # no escape codes into the pipe
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            stream.close()


@pytest.mark.engine_free
def test_a_terminal_on_stdin_but_a_pipe_on_stdout_is_refused(tmux, tmp_path):
    out = tmp_path / "out"
    status = start(tmux, tmp_path, argv=["sh", "-c", f"{tribe_tui_executable()} --lang en | cat > {out}"])
    assert exit_status(status) == 0  # the pipeline's status is cat's
    assert left_on_screen(tmux) == ["tribe-tui: the screen needs a terminal (stdin and stdout); over SSH: ssh -t"]
    assert out.read_text() == ""


def test_a_database_that_cannot_be_opened_is_one_line_before_any_screen(tmux, tmp_path):
    status = start(tmux, tmp_path, "demo", env={"TRIBE_DATABASE_URL": f"sqlite:///{tmp_path}"})  # a directory
    assert exit_status(status) == 1
    assert left_on_screen(tmux) == [f"tribe-tui: {tmp_path} is a directory, not a database"]


def tui_pid(tmux: Tmux) -> int:
    """The tribe-tui process in the pane: below the pane's shell and the shells start() wraps it
    in, each with one child (the one running it), the first process that is not a shell."""
    pid = int(tmux._tmux("list-panes", "-t", "tui", "-F", "#{pane_pid}").stdout.strip())
    while Path(f"/proc/{pid}/comm").read_text().strip() in ("sh", "dash", "bash", "env"):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        assert len(children) == 1, children
        pid = int(children[0])
    assert b"tribe-tui" in Path(f"/proc/{pid}/cmdline").read_bytes()
    return pid


def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")  # ended; a zombie only waits for its parent


@pytest.mark.parametrize("how", ["SIGHUP", "terminal closed"])
def test_when_the_terminal_goes_away_it_ends_within_2_s_and_leaves_no_half_done_change(tmux, tmp_path, how):
    start(tmux, tmp_path, "demo", "--lang", "en")
    wait_for_text(tmux, "Paid until")
    pid = tui_pid(tmux)
    assert not gone(pid)
    # In the middle of an admin's change: 2 licences previewed and confirmed just before the loss.
    tmux.press("tui", "2")
    wait_for_text(tmux, "How many licences")
    tmux.type("tui", "2")
    wait_for_text(tmux, "€520.74")
    tmux.press("tui", "C-s")
    if how == "SIGHUP":
        os.kill(pid, 1)
    else:
        tmux._tmux("kill-session", "-t", "tui")
    lost = time.monotonic()
    assert wait_for(lambda: gone(pid), 2.0, interval=0.02), "tribe-tui still runs 2 s after its terminal went away"
    assert time.monotonic() - lost < 2.0
    # Whole or not at all: 32 licences with their invoice and audit event, or 30 and neither.
    listed = subprocess.run([tribe_tui_executable(), "licences", "list", "--json"], capture_output=True, text=True)
    invoices = subprocess.run([tribe_tui_executable(), "invoices", "list", "--json"], capture_output=True, text=True)
    count, numbers = len(json.loads(listed.stdout)), [i["number"] for i in json.loads(invoices.stdout)]
    demo = ["2026-0001", "2026-0002", "2026-0003"]  # its invoices: paid, overdue, open
    assert (count, numbers) in ((30, demo), (32, [*demo, "2026-0004"]))


@pytest.mark.engine_free
def test_screen_on_tribe_tui_itself_opens_that_section_after_signing_in(tmux, tmp_path):
    from tribe_tui.services.demo import DEMO_PASSWORD

    made = subprocess.run([tribe_tui_executable(), "demo", "--no-open"], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    status = start(tmux, tmp_path, "--screen", "licences", "--lang", "en")
    wait_for_text(tmux, "Username")
    tmux.type("tui", "admin")
    tmux.press("tui", "Tab")
    tmux.type("tui", DEMO_PASSWORD)
    tmux.press("tui", "Enter")
    wait_for_text(tmux, "Manage user licences — ", "30 licences: 27 in use, 3 free")
    tmux.press("tui", "C-q")
    assert exit_status(status) == 0
