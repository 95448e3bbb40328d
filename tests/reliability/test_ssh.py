"""Real SSH: OpenSSH's sshd forces every login into tribe-tui; an admin signs in by keyboard.

The path an admin takes in production: `ssh` in a terminal (tmux, 80x24) -> sshd on 127.0.0.1
(throw-away host and client keys, public-key login only) -> `ForceCommand` -> tribe-tui's sign-in
screen -> the overview, read back from the terminal's screen.

Login user: the current user, root here (by key only: `PermitRootLogin prohibit-password`). A
dedicated system user, as the README recommends, is not practical in this test: the virtual
environment's interpreter lives under /root (pyenv, mode 0700), which no other user can execute,
and creating system accounts would change the machine beyond the test's own files.
"""

from __future__ import annotations

import os
import pwd
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import TODAY
from tests.reliability.sshd import Sshd, Tmux, end_pids, ensure_sshd, wait_for

STEP = 20.0  # seconds for one step (python start-up over ssh on a busy 2-core machine included)


def tribe_tui_executable() -> str:
    """The tribe-tui of the environment running the tests, by absolute path (sshd's PATH is not ours)."""
    beside = Path(sys.executable).parent / "tribe-tui"
    found = str(beside) if beside.exists() else shutil.which("tribe-tui")
    assert found, "no tribe-tui executable beside the test interpreter or on PATH"
    return os.path.abspath(found)


def flat(text: str) -> str:
    """Screen text with runs of whitespace as one space, so a phrase matches however it is padded."""
    return " ".join(text.split())


@pytest.fixture(scope="session")
def sshd_binary() -> None:
    problem = ensure_sshd()
    if problem:
        pytest.fail(problem)  # CI must run this test: a missing sshd is a failure, never a skip


@dataclass
class Terminal:
    sshd: Sshd
    tmux: Tmux
    home: Path
    pid_file: Path

    def login(self, name: str, lang: str) -> Path:
        """Start `ssh -tt` in its own tmux session; returns the file its exit status will land in."""
        status = self.home / f"{name}.status"
        self.tmux.start(name, self.sshd.ssh_command(lang), status)
        return status

    def screen(self, name: str) -> str:
        return self.tmux.screen(name)

    def wait_until(self, name: str, check, what: str, timeout: float = STEP) -> str:
        """Poll the screen until check(screen) holds; returns that screen, or fails showing the last one."""
        shown = wait_for(lambda: (s := self.screen(name)) and check(s) and s, timeout)
        assert shown, (
            f"waited {timeout}s for {what}; the screen shows:\n{self.screen(name)}\n"
            f"sshd log:\n{self.sshd.log_text()[-3000:]}"
        )
        return shown

    def wait_for_text(self, name: str, *phrases: str) -> str:
        return self.wait_until(name, lambda s: all(p in flat(s) for p in phrases), repr(phrases))

    def wait_for_sign_in(self, name: str, lang: str) -> str:
        """The sign-in screen fully drawn: title, and both fields with label and placeholder.

        Textual paints in steps; keys typed before the fields exist would be lost.
        """
        from tribe_tui.i18n import t

        title, username, password = (t(k, lang) for k in ("signin.title", "signin.username", "signin.password"))
        return self.wait_until(
            name,
            lambda s: title in s and s.count(username) >= 2 and s.count(password) >= 2,
            f"the sign-in screen ({title!r}, {username!r} and {password!r} as label and placeholder)",
        )

    def press_and_wait_for_focus(self, name: str, key: str, field_text: str) -> None:
        """Press key, then wait until the (empty) field showing field_text is drawn as focused.

        Textual hands keys that arrive before a focus change has been processed to the old field, so
        a password typed straight after Tab would land, readable, in the username field. A person
        sees the focus move before typing on; the test waits for the same: the field's styled row
        changing (focus colours, cursor) without depending on the theme's colours.
        """
        shown = self.wait_until(name, lambda s: s.count(field_text) >= 2, f"{field_text!r} as label and placeholder")
        row = max(i for i, line in enumerate(shown.splitlines()) if field_text in line)  # the placeholder

        def styled_row() -> str:
            lines = self.tmux.screen(name, styled=True).splitlines()
            return lines[row] if row < len(lines) else ""

        before = styled_row()
        self.tmux.press(name, key)
        assert wait_for(lambda: styled_row() != before, STEP), (
            f"{key} did not move the focus to {field_text!r}; the screen shows:\n{self.screen(name)}"
        )

    def wait_for_exit(self, name: str, status: Path) -> int:
        assert wait_for(lambda: status.exists() and status.read_text().strip(), STEP), (
            f"ssh did not end; the screen shows:\n{self.screen(name)}"
        )
        return int(status.read_text())


@pytest.fixture
def terminal(sshd_binary, tmp_path: Path):
    """sshd with ForceCommand = tribe-tui on a demo database, and a tmux to type into; all ended after."""
    tribe = tribe_tui_executable()
    url = os.environ["TRIBE_DATABASE_URL"]  # the suite's backend: a SQLite file in tmp_path, or PostgreSQL
    demo = subprocess.run([tribe, "demo", "--no-open"], capture_output=True, text=True, timeout=60)
    assert demo.returncode == 0, demo.stderr

    home = tmp_path / "ssh"
    home.mkdir(mode=0o700)
    pid_file = home / "sessions.pid"
    wrapper = home / "tribe-tui-session"
    # sshd gives the forced command a clean environment (LANG only, via AcceptEnv), so the operator's
    # settings come from a wrapper; `exec` keeps its id, which teardown uses to end a stuck session.
    wrapper.write_text(
        "#!/bin/sh\n"
        f"echo $$ >> {shlex.quote(str(pid_file))}\n"
        f"export TRIBE_DATABASE_URL={shlex.quote(url)}\n"
        f"export TRIBE_TODAY={TODAY.isoformat()}\n"
        "export TEXTUAL_ANIMATIONS=none\n"
        f"exec {shlex.quote(tribe)}\n"
    )
    wrapper.chmod(0o700)

    sshd = Sshd(home, user=pwd.getpwuid(os.geteuid()).pw_name, command=wrapper)
    tmux = Tmux(80, 24)
    try:
        sshd.start()
        yield Terminal(sshd, tmux, home, pid_file)
    finally:
        tmux.kill()  # closes the ssh clients first, so the sessions hang up
        end_pids(pid_file)
        sshd.stop()
        shutil.rmtree(home, ignore_errors=True)


def test_admin_signs_in_over_ssh_and_reads_the_overview(terminal: Terminal):
    from tribe_tui.i18n import t
    from tribe_tui.services.demo import DEMO_ADMIN, DEMO_ORG, DEMO_PASSWORD

    status = terminal.login("nl", "nl_NL.UTF-8")
    terminal.wait_for_sign_in("nl", "nl")

    # A wrong password: the one generic refusal, on the screen, and nothing typed shows in clear.
    wrong = "Fout-wachtwoord-99"
    terminal.tmux.type("nl", DEMO_ADMIN)
    username = t("signin.username", "nl")
    terminal.wait_until(
        "nl", lambda s: s.count(username) == 1 and f" {DEMO_ADMIN} " in flat(s), f"{DEMO_ADMIN!r} in the username field"
    )
    terminal.press_and_wait_for_focus("nl", "Tab", t("signin.password", "nl"))
    terminal.tmux.type("nl", wrong)
    terminal.tmux.press("nl", "Enter")
    generic = t("error.sign_in_refused", "nl").split(".")[0]  # its first sentence fits one line at 80 columns
    refused = terminal.wait_for_text("nl", generic)
    assert wrong not in refused
    assert f"{DEMO_ADMIN} " in flat(refused)  # the username stays, as typed, for the next try

    # The password field is emptied and focused: the right password and Enter sign in.
    terminal.tmux.type("nl", DEMO_PASSWORD)
    terminal.tmux.press("nl", "Enter")
    overview = terminal.wait_for_text("nl", DEMO_ORG, "Let op!")
    assert t("signin.username", "nl") not in overview  # the sign-in screen is gone
    assert DEMO_PASSWORD not in overview
    assert terminal.sshd.log_text().count("Accepted publickey for ") == 1

    terminal.tmux.press("nl", "C-q")
    assert terminal.wait_for_exit("nl", status) == 0
    session = terminal.pid_file.read_text().split()
    assert len(session) == 1 and not Path(f"/proc/{session[0]}").exists()  # tribe-tui itself has ended


def test_the_language_comes_from_the_ssh_client(terminal: Terminal):
    """LANG travels with SendEnv/AcceptEnv; tribe-tui's screens follow it."""
    from tribe_tui.i18n import t

    status = terminal.login("en", "en_GB.UTF-8")
    shown = terminal.wait_for_sign_in("en", "en")
    assert t("signin.username", "nl") not in shown

    terminal.tmux.press("en", "C-q")
    assert terminal.wait_for_exit("en", status) == 0
