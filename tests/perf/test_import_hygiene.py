"""Start-up loads only what it uses (tribe_tui.deferred lists what it leaves out, and why):
checked in a fresh interpreter through sys.modules, not by timing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tribe_tui.deferred import NOT_BEFORE_FIRST_FRAME

# The real `tribe-tui` on a headless terminal: at the first frame of the first section, list the
# modules, then quit.
FIRST_FRAME = """
import json, sys
import tribe_tui.app as app_module
seen = {}
begin = app_module.TribeApp.begin
def probe(self, session):
    mounted = begin(self, session)
    def first_frame():
        seen["loaded"] = sorted(sys.modules)
        seen["screen"] = type(self.screen).__name__
        self.exit()
    self.call_after_refresh(first_frame)
    return mounted
app_module.TribeApp.begin = probe
run = app_module.TribeApp.run
app_module.TribeApp.run = lambda self, **kw: run(self, headless=True, size=(80, 24))
import tribe_tui.cli.account as account
account.sys = type("Tty", (), {"stdin": type("S", (), {"isatty": staticmethod(lambda: True)}),
                                "stdout": type("S", (), {"isatty": staticmethod(lambda: True)})})
from tribe_tui.cli import run as cli
code = cli(sys.argv[1:])
print(json.dumps({"code": code, **seen}))
"""


@pytest.mark.parametrize("screen", ["overview", "licences"])
def test_the_tuis_first_frame_loads_nothing_it_defers(screen, backend):
    # As an admin starts it again: the demo exists (creating it hashes passwords, validates input).
    made = subprocess.run([sys.executable, "-m", "tribe_tui", "demo", "--no-open"], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, "demo", "--screen", screen],
        capture_output=True,
        text=True,
        env=os.environ,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["code"] == 0 and seen["screen"] == {"overview": "OverviewScreen", "licences": "LicencesScreen"}[screen]
    loaded = set(seen["loaded"])
    assert "textual" in loaded and "tribe_tui.screens.base" in loaded  # the probe did see the UI
    # (On PostgreSQL the URL parser is the connection's own: it has to load there.)
    expected = ["playhouse.db_url"] if backend == "postgres" else []
    assert sorted(name for name in NOT_BEFORE_FIRST_FRAME if name in loaded) == expected
    # The licences and employees lists' own types are created with those sections, not for the overview.
    assert ("tribe_tui.list_types" in loaded) == (screen == "licences")


# `tribe-tui ssh authorized-keys`, as the console script runs it for sshd: the loaded modules after it.
AUTHORIZED_KEYS = """
import io, json, sys
from contextlib import redirect_stdout
from tribe_tui.__main__ import main
out = io.StringIO()
sys.argv = ["tribe-tui", "ssh", "authorized-keys", *sys.argv[1:]]
with redirect_stdout(out):
    try:
        main()
    except SystemExit as exit:
        code = exit.code
print(json.dumps({"code": code, "out": out.getvalue(), "loaded": sorted(sys.modules)}))
"""


def test_the_lookup_sshd_runs_loads_no_ui_no_validation_and_no_orm(cli, tmp_path):
    from tests.ssh_keys import add_key_by_cli, keygen
    from tribe_tui.deferred import NOT_FOR_AUTHORIZED_KEYS

    key = keygen(tmp_path, "id")
    assert cli("demo", "--no-open").code == 0
    email = cli("employees", "list", "--json").json[0]["email"]
    assert add_key_by_cli(cli, email, key, "laptop").code == 0
    done = subprocess.run(
        [sys.executable, "-c", AUTHORIZED_KEYS, "tribe", key.key_type, key.blob],
        capture_output=True,
        text=True,
        env=os.environ,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["code"] == 0 and seen["out"].endswith(f"{key.key_type} {key.blob}\n")  # it did find the key
    loaded = set(seen["loaded"])
    assert "sqlite3" in loaded or "psycopg2" in loaded
    assert sorted(name for name in NOT_FOR_AUTHORIZED_KEYS if name in loaded) == []
