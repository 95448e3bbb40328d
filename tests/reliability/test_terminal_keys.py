"""The TUI and its terminal, for real (tmux, 80x24): text typed in the same read as the key that
opens a screen reaches that screen whole; the app ends when the terminal goes away, also when the
hangup signal is ignored."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import time

import pytest

from tests.reliability.sshd import wait_for
from tests.reliability.test_ssh import tribe_tui_executable
from tests.reliability.test_tui_start import gone, start, tmux, tui_pid, wait_for_text  # noqa: F401  (tmux: the fixture)


@pytest.mark.engine_free
def test_a_section_key_and_the_text_after_it_in_one_read_all_reach_the_new_screen(tmux, tmp_path):  # noqa: F811
    start(tmux, tmp_path, "demo", "--lang", "en")
    wait_for_text(tmux, "Paid until")
    # One write to the terminal, so one read for the app: the section key, then the address.
    tmux.type("tui", "5jan@x.nl")
    wait_for_text(tmux, "Invite colleagues — ", "jan@x.nl")
    tmux.press("tui", "Enter")
    wait_for_text(tmux, "Invitations", "jan@x.nl", "sent")
    listed = subprocess.run([tribe_tui_executable(), "invitations", "list", "--json"], capture_output=True, text=True)
    assert [row["email"] for row in json.loads(listed.stdout)] == ["jan@x.nl"], listed


@pytest.mark.engine_free
def test_a_password_change_typed_in_one_read_fills_each_field_with_its_own_text(tmux, tmp_path):  # noqa: F811
    from tribe_tui.services.demo import DEMO_PASSWORD

    start(tmux, tmp_path, "demo", "--lang", "en")
    wait_for_text(tmux, "Paid until")
    tmux.press("tui", "w")
    wait_for_text(tmux, "Change password — ")
    # One write: each Enter moves on to the next field, and the text after it belongs there.
    new = "Nieuw-wachtwoord-2027"
    tmux.type("tui", f"{DEMO_PASSWORD}\r{new}\r{new}\r")
    wait_for_text(tmux, "Your password has been changed.")


@pytest.mark.engine_free
@pytest.mark.parametrize("how", ["terminal closed", "SIGHUP"])
def test_with_sighup_ignored_it_still_ends_within_2_s_of_losing_its_terminal(tmux, tmp_path, how):  # noqa: F811
    # As under nohup, or a shell that ran `trap '' HUP`: the hangup signal never arrives.
    command = shlex.join([tribe_tui_executable(), "demo", "--lang", "en"])
    start(tmux, tmp_path, argv=["sh", "-c", f"trap '' HUP; exec {command}"])
    wait_for_text(tmux, "Paid until")
    pid = tui_pid(tmux)
    if how == "SIGHUP":
        os.kill(pid, signal.SIGHUP)  # ignored: the terminal is still there, so is the app
        tmux.press("tui", "4")
        wait_for_text(tmux, "30 licences")
        assert not gone(pid)
    tmux._tmux("kill-session", "-t", "tui")
    lost = time.monotonic()
    try:
        assert wait_for(lambda: gone(pid), 2.0, interval=0.02), "tribe-tui still runs 2 s after its terminal went away"
        assert time.monotonic() - lost < 2.0
    finally:
        if not gone(pid):
            os.kill(pid, signal.SIGKILL)  # not left behind at a third of a core
