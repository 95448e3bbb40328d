"""Internationalised e-mail addresses (email-validator's rules) against a real SMTP server
(aiosmtpd on 127.0.0.1): SMTPUTF8 when the server offers it, a clear refusal when it does not;
full-width look-alikes refused; the local part kept as typed."""

from __future__ import annotations

import email
import email.policy
import threading
from dataclasses import dataclass, field

import pytest

from tests.lifecycle.conftest import free_port


@dataclass
class Utf8Server:
    """aiosmtpd that offers SMTPUTF8 or not; records the envelope's options with each message."""

    port: int
    smtputf8: bool
    messages: list = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _controller: object = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook
        raw = envelope.original_content or envelope.content
        parsed = email.message_from_bytes(raw, policy=email.policy.SMTPUTF8)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), list(envelope.mail_options), raw, parsed))
        return "250 OK"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=self.smtputf8)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()


def _server(monkeypatch, smtputf8: bool):
    server = Utf8Server(free_port(), smtputf8)
    server.start()
    monkeypatch.setenv("TRIBE_SMTP_URL", f"smtp://127.0.0.1:{server.port}")
    monkeypatch.setenv("TRIBE_MAIL_FROM", "Tribe CRM <noreply@example.test>")
    return server


@pytest.fixture
def utf8_server(monkeypatch):
    server = _server(monkeypatch, smtputf8=True)
    yield server
    server.stop()


@pytest.fixture
def ascii_server(monkeypatch):
    server = _server(monkeypatch, smtputf8=False)
    yield server
    server.stop()


def test_an_internationalised_address_goes_with_smtputf8_when_the_server_offers_it(run, org, utf8_server):
    sent = run("invite", "😀@voorbeeld.nl", "--json")
    assert sent.code == 0, sent.err
    assert sent.json[0]["status"] == "sent", sent.json
    [(rcpt, options, raw, parsed)] = [m for m in utf8_server.messages if "😀@voorbeeld.nl" in m[0]]
    assert "SMTPUTF8" in [option.upper() for option in options]
    # The To: header carries the address itself (RFC 6532), not an RFC 2047 encoded word in it.
    assert "To: 😀@voorbeeld.nl".encode() in raw and b"=?utf-8?" not in raw.split(b"\r\n\r\n")[0].lower()
    assert parsed["To"] == "😀@voorbeeld.nl"


def test_without_smtputf8_the_address_is_refused_with_a_clear_line_and_other_mail_still_goes(run, org, ascii_server):
    sent = run("invite", "ñandú@voorbeeld.nl", "bram@acme.nl", "--json")
    assert sent.code == 0, sent.err
    outcomes = {o["email"]: o for o in sent.json}
    assert outcomes["bram@acme.nl"]["status"] == "sent"  # one address the server cannot take stops nothing else
    assert outcomes["ñandú@voorbeeld.nl"]["status"] == "queued"
    assert not [m for m in ascii_server.messages if "ñandú@voorbeeld.nl" in m[0]]
    listed = run("invitations", "list")
    assert "SMTPUTF8" in listed.out, listed.out  # the reason, in words that name what is missing
    kinds = {m["recipient"]: m["error_kind"] for m in run("outbox", "list", "--json").json}
    assert kinds["ñandú@voorbeeld.nl"] == "smtputf8"


@pytest.mark.parametrize("address", ["ｊａｎ@voorbeeld.nl", "jan@ｖｏｏｒｂｅｅｌｄ.nl", "ｊａｎ＠voorbeeld.nl"])
def test_full_width_look_alikes_are_refused(run, org, utf8_server, address):
    refused = run("invite", address)
    assert refused.code == 2, refused.out
    assert utf8_server.messages == [] or all(address not in m[0] for m in utf8_server.messages)


def test_the_local_part_keeps_its_case_the_domain_does_not(run, org, utf8_server):
    sent = run("invite", "Jan.DeVries@Voorbeeld.NL", "--json")
    assert sent.code == 0, sent.err
    assert sent.json[0]["email"] == "Jan.DeVries@voorbeeld.nl"
    assert [m for m in utf8_server.messages if "Jan.DeVries@voorbeeld.nl" in m[0]]


def test_a_maildir_copy_carries_the_address_itself_in_its_to_header(run, org, tmp_path, monkeypatch):
    monkeypatch.setenv("TRIBE_SMTP_URL", f"maildir://{tmp_path / 'mail'}")
    sent = run("invite", "😀@voorbeeld.nl", "--json")
    assert sent.code == 0 and sent.json[0]["status"] == "sent", sent.json
    [raw] = [p.read_bytes() for p in (tmp_path / "mail" / "new").iterdir() if "😀".encode() in p.read_bytes()]
    headers = raw.split(b"\n\n")[0]
    assert "To: 😀@voorbeeld.nl".encode() in headers and b"=?utf-8?" not in headers.lower()
