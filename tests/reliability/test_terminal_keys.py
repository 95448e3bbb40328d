"""Keys through a real terminal (tmux, 80x24): text typed in the same read as the key that opens
a screen reaches that screen whole."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.reliability.test_ssh import tribe_tui_executable
from tests.reliability.test_tui_start import start, tmux, wait_for_text  # noqa: F401  (tmux: the fixture)


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
