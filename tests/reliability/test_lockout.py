"""The sign-in lockout holds under parallel guessing, and an unknown username costs what a known one
does, counted in argon2 runs rather than measured in time.

Each guess is its own `tribe-tui sign-in-check` process, as each SSH connection is. The processes
count their argon2 runs through a `sitecustomize` module on their path that wraps argon2's own
functions and appends one line per run to a file: the real library does the work, the product
carries no test hook.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.reliability.conftest import actor_env

DEMO_USER = "admin"
DEMO_PASSWORD = "Demo-wachtwoord-2026"
WRONG = "Niet-het-wachtwoord-0000"

_SITECUSTOMIZE = """
import os

import argon2._password_hasher as _hasher
import argon2.low_level as _low


def _counted(kind, fn):
    def run(*args, **kwargs):
        fd = os.open(os.environ["TRIBE_TEST_ARGON2_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (kind + "\\n").encode())
        finally:
            os.close(fd)
        return fn(*args, **kwargs)
    return run


_verify = _counted("verify", _low.verify_secret)
_hash = _counted("hash", _low.hash_secret)
_low.verify_secret = _hasher.verify_secret = _verify
_low.hash_secret = _hasher.hash_secret = _hash
_low.hash_secret_raw = _counted("hash", _low.hash_secret_raw)
"""


def _command() -> list[str]:
    script = Path(sys.executable).with_name("tribe-tui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tribe_tui"]


class Counted:
    """Runs `tribe-tui` processes whose argon2 runs land in one log."""

    def __init__(self, tmp_path: Path) -> None:
        hooks = tmp_path / "argon2-counter"
        hooks.mkdir()
        (hooks / "sitecustomize.py").write_text(_SITECUSTOMIZE)
        self.log = tmp_path / "argon2.log"
        self.log.write_text("")
        env = actor_env({"TRIBE_TEST_ARGON2_LOG": str(self.log)})
        env["PYTHONPATH"] = os.pathsep.join([str(hooks), env["PYTHONPATH"]])
        self.env = env

    def runs(self, kind: str) -> int:
        return self.log.read_text().splitlines().count(kind)

    def start(self, username: str) -> subprocess.Popen:
        return subprocess.Popen(
            [*_command(), "sign-in-check", username, "--password-stdin"],
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def sign_in(self, username: str, password: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*_command(), "sign-in-check", username, "--password-stdin"],
            env=self.env,
            input=(password + "\n").encode(),
            capture_output=True,
            timeout=120,
        )


def _demo(cli) -> None:
    assert cli("demo", "--no-open").code == 0
    from tribe_tui.models import database

    database.close()


def test_32_parallel_wrong_guesses_check_at_most_five_passwords(cli, tmp_path, figures):
    _demo(cli)
    counted = Counted(tmp_path)
    assert counted.sign_in(DEMO_USER, DEMO_PASSWORD).returncode == 0  # the right password works
    before = counted.runs("verify")

    guesses = [counted.start(DEMO_USER) for _ in range(32)]
    # Each process waits for its password on stdin after starting up: writing them all only now
    # lets the 32 check at nearly the same moment.
    time.sleep(2.0)
    for guess in guesses:
        guess.stdin.write((WRONG + "\n").encode())
        guess.stdin.flush()
    for guess in guesses:
        guess.stdin.close()
    results = [(guess.wait(timeout=240), guess.stderr.read().decode()) for guess in guesses]
    for guess in guesses:
        guess.stdout.close()
        guess.stderr.close()
    assert all(code == 1 and "Inloggen is niet gelukt." in err for code, err in results), results

    checked = counted.runs("verify") - before
    figures("lockout: 32 parallel wrong guesses", processes=32, passwords_checked=checked)
    assert 1 <= checked <= 5, f"{checked} passwords checked by 32 parallel guesses"

    after = counted.runs("verify")
    right = counted.sign_in(DEMO_USER, DEMO_PASSWORD)
    assert right.returncode == 1, right.stderr  # locked: the right password is refused now
    assert counted.runs("verify") == after  # ... without even being checked


def test_an_unknown_username_costs_the_same_argon2_runs_as_a_wrong_password(cli, tmp_path):
    _demo(cli)
    counted = Counted(tmp_path)
    runs = {}
    for username in (DEMO_USER, "niemand-bekend"):
        start = len(counted.log.read_text().splitlines())
        result = counted.sign_in(username, WRONG)  # a new process each time, as each SSH login is
        assert result.returncode == 1
        runs[username] = counted.log.read_text().splitlines()[start:]
    assert runs[DEMO_USER] == ["verify"]
    assert runs["niemand-bekend"] == runs[DEMO_USER]


def test_the_decoy_hash_has_the_parameters_of_real_hashes():
    from tribe_tui.services.auth import _hasher
    from tribe_tui.services.signin import DECOY_HASH

    assert not _hasher().check_needs_rehash(DECOY_HASH)


def test_a_hash_with_weaker_parameters_is_upgraded_at_the_next_sign_in(cli):
    from argon2 import PasswordHasher

    from tests.conftest import TODAY
    from tribe_tui.models import Employee
    from tribe_tui.services.signin import sign_in

    assert cli("demo", "--no-open").code == 0
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(DEMO_PASSWORD)
    Employee.update(password_hash=weak).where(Employee.username == DEMO_USER).execute()
    assert sign_in(DEMO_USER, DEMO_PASSWORD, today=TODAY).username == DEMO_USER
    upgraded = Employee.get(Employee.username == DEMO_USER).password_hash
    assert upgraded != weak and not PasswordHasher().check_needs_rehash(upgraded)
    assert PasswordHasher().verify(upgraded, DEMO_PASSWORD)
    assert sign_in(DEMO_USER, DEMO_PASSWORD, today=TODAY).username == DEMO_USER
    assert Employee.get(Employee.username == DEMO_USER).password_hash == upgraded  # no rehash when current
