"""SMTP done right, against a real local server (aiosmtpd) with a certificate made here (trustme):
STARTTLS when offered, no password over an unencrypted connection, smtps://, certificates verified."""

from __future__ import annotations

import email
import email.policy
import ssl
import threading
from dataclasses import dataclass, field

import pytest

from tests.lifecycle.conftest import free_port


@pytest.fixture(scope="module")
def ca():
    import trustme

    return trustme.CA()


@pytest.fixture
def trusted(ca, tmp_path, monkeypatch):
    """The test CA is what this process trusts (OpenSSL reads SSL_CERT_FILE when a context loads
    its default certificates): verification stays on, as in production."""
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    monkeypatch.setenv("SSL_CERT_FILE", str(path))
    return path


@dataclass
class Server:
    """aiosmtpd on 127.0.0.1 that wants a login (user 'mailer', password 's3cret-pw') when it
    offers one; records what arrived and whether it came over TLS and logged in."""

    port: int
    messages: list = field(default_factory=list)
    logins: list = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _controller: object = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook
        parsed = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append((parsed, session.ssl is not None, session.authenticated))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult

        self.logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.login == b"mailer" and auth_data.password == b"s3cret-pw")

    def start(self, **options) -> None:
        from aiosmtpd.controller import Controller

        self._controller = Controller(
            self, hostname="127.0.0.1", port=self.port, authenticator=self.authenticate, **options
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()


def _server_context(ca) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture
def server():
    made = Server(free_port())
    yield made
    made.stop()


def test_starttls_then_login_then_the_mail(run, org, server, ca, trusted, monkeypatch):
    server.start(tls_context=_server_context(ca))  # offers STARTTLS; AUTH only after it (aiosmtpd's default)
    monkeypatch.setenv("TRIBE_SMTP_URL", f"smtp://mailer:s3cret-pw@127.0.0.1:{server.port}")
    sent = run("invite", "bram@acme.nl", "--json")
    assert sent.code == 0, sent.err
    assert sent.json[0]["status"] == "sent"
    [(message, over_tls, logged_in)] = [m for m in server.messages if m[0]["To"] == "bram@acme.nl"]
    assert message["To"] == "bram@acme.nl"
    assert over_tls and logged_in
    assert server.logins == [(b"mailer", b"s3cret-pw")]


def test_no_password_over_a_connection_without_starttls(run, org, server, monkeypatch):
    server.start(auth_require_tls=False)  # would take a password in the clear: we must not offer it
    monkeypatch.setenv("TRIBE_SMTP_URL", f"smtp://mailer:s3cret-pw@127.0.0.1:{server.port}")
    sent = run("invite", "bram@acme.nl")
    assert sent.code == 0, sent.err  # queued is not a failure
    assert "wachtrij" in sent.out and "s3cret-pw" not in sent.out
    assert server.logins == [] and server.messages == []
    listed = run("invitations", "list")
    assert "bram@acme.nl" in listed.out and "versleuteling" in listed.out  # the reason, in words
    queued = run("outbox", "list", "--json").json
    # init's invoice mail and the invitation, both kept back for the same reason
    assert [m["error_kind"] for m in queued] == ["insecure", "insecure"] and "s3cret-pw" not in str(queued)


def test_smtps_with_a_trusted_certificate(run, org, server, ca, trusted, monkeypatch):
    # TLS from the first byte; aiosmtpd counts only STARTTLS as TLS for AUTH, hence the switch.
    server.start(ssl_context=_server_context(ca), auth_require_tls=False)
    monkeypatch.setenv("TRIBE_SMTP_URL", f"smtps://mailer:s3cret-pw@127.0.0.1:{server.port}")
    sent = run("invite", "bram@acme.nl", "--json")
    assert sent.json[0]["status"] == "sent", sent.json
    assert sent.json[0]["sent_via"] == f"smtps 127.0.0.1:{server.port}"
    [(_message, _starttls, logged_in)] = [m for m in server.messages if m[0]["To"] == "bram@acme.nl"]
    assert logged_in  # over TLS: this server speaks nothing else


def test_a_certificate_nobody_vouches_for_keeps_the_mail_queued(run, org, server, ca, monkeypatch):
    server.start(tls_context=_server_context(ca))  # this process does not trust the test CA
    monkeypatch.setenv("TRIBE_SMTP_URL", f"smtp://mailer:s3cret-pw@127.0.0.1:{server.port}")
    sent = run("invite", "bram@acme.nl", "--json")
    assert sent.code == 0 and sent.json[0]["status"] == "queued"
    assert server.logins == [] and server.messages == []
    assert [m["error_kind"] for m in run("outbox", "list", "--json").json] == ["certificate", "certificate"]
