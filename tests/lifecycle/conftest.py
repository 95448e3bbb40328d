"""Fixtures of the lifecycle tests: a real SMTP server on 127.0.0.1 and an organisation made by the CLI."""

from __future__ import annotations

import email
import email.policy
import io
import re
import socket
import sys
import threading
from dataclasses import dataclass, field
from datetime import date

import pytest

ADMIN_PASSWORD = "Beheerder-wachtwoord-2026"
USER_PASSWORD = "Collega-wachtwoord-2026"
START = date(2026, 1, 1)  # the fixture organisation's first period: 2026-01-01 .. 2026-12-31


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    recipients: list[str]
    message: email.message.EmailMessage

    @property
    def body(self) -> str:
        return self.message.get_body(("plain",)).get_content()

    @property
    def token(self) -> str:
        found = re.search(r"^tribe-tui accept-invite ([A-Za-z0-9_-]+)\r?$", self.body, re.M)
        assert found, self.body
        return found.group(1)


@dataclass
class SmtpServer:
    """aiosmtpd in a thread; `start()` may come after mail was queued (the 'server down' case)."""

    port: int
    messages: list[Received] = field(default_factory=list)
    _controller: object = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(Received(list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if address in m.recipients]


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch):
    """Real argon2id, with the smallest cost parameters: these tests hash and verify dozens of
    passwords, and the production cost (~0.25 s each here) would only make them slow. Production
    parameters are covered by the subprocess test, which does not inherit this."""
    from argon2 import PasswordHasher

    from tribe_tui.services import auth

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(auth, "_hasher", lambda: cheap)


@pytest.fixture
def smtp(monkeypatch):
    """A running SMTP server that TRIBE_SMTP_URL points at."""
    server = SmtpServer(free_port())
    server.start()
    monkeypatch.setenv("TRIBE_SMTP_URL", server.url)
    monkeypatch.setenv("TRIBE_PUBLIC_URL", "https://crm.example.test")
    monkeypatch.setenv("TRIBE_MAIL_FROM", "Tribe CRM <noreply@example.test>")
    yield server
    server.stop()


@pytest.fixture
def smtp_down(monkeypatch):
    """A server that is not running yet on the configured port; the test starts it."""
    server = SmtpServer(free_port())
    monkeypatch.setenv("TRIBE_SMTP_URL", server.url)
    yield server
    server.stop()


@pytest.fixture
def run(cli, monkeypatch):
    """The in-process CLI with something on stdin: run("sign-in-check", "x", "--password-stdin", stdin="pw")."""

    def call(*argv: str, stdin: str = ""):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin + ("\n" if stdin and not stdin.endswith("\n") else "")))
        return cli(*argv)

    return call


@pytest.fixture
def org(run):
    """Acme BV: 3 licences (admin holds one), period 2026-01-01 .. 2026-12-31, today 2026-11-26."""
    made = run(
        "init",
        "--org",
        "Acme BV",
        "--admin-email",
        "admin@acme.nl",
        "--admin-username",
        "beheerder",
        "--admin-name",
        "Anna Beheer",
        "--licences",
        "3",
        "--start",
        START.isoformat(),
        "--password-stdin",
        stdin=ADMIN_PASSWORD,
    )
    assert made.code == 0, made.err
    return "acme-bv"


@pytest.fixture
def join(run, smtp):
    """Invite an address and accept it: the person can then sign in with USER_PASSWORD."""

    def call(address: str, username: str, name: str | None = None, *extra: str) -> str:
        sent = run("invite", address, "--json", *extra)
        assert sent.code == 0, sent.err
        token = smtp.to(address)[-1].token
        argv = ["accept-invite", token, "--username", username, "--password-stdin", *extra]
        if name:
            argv += ["--name", name]
        accepted = run(*argv, stdin=USER_PASSWORD)
        assert accepted.code == 0, accepted.err
        return token

    return call


@pytest.fixture
def can_sign_in(run):
    def call(username: str, password: str = USER_PASSWORD, *extra: str) -> bool:
        result = run("sign-in-check", username, "--password-stdin", *extra, stdin=password)
        assert result.code in (0, 1), result.err
        return result.code == 0

    return call
