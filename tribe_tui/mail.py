"""Delivering e-mail, configured by TRIBE_SMTP_URL: `smtp://` (STARTTLS when offered), `smtps://`
(TLS from the first byte), or `maildir:///path` (each message a file in a Maildir, the way
Django's file backend works: mail that works out of the box, e.g. in the demo).

Only transport here: services/outbox.py builds the message from an outbox row, decides what to
send and records the outcome.
"""

from __future__ import annotations

import mailbox
import os
import re
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid
from urllib.parse import unquote, urlsplit

SMTP_TIMEOUT_SECONDS = 10
DEFAULT_PORTS = {"smtp": 25, "smtps": 465}


class MailNotConfigured(Exception):
    """No TRIBE_SMTP_URL: mail waits in the outbox until one is set."""


class BadSmtpUrl(ValueError):
    pass


class NoEncryption(smtplib.SMTPException):
    """The server offers no STARTTLS, and a password must never cross an unencrypted connection."""


class NeedsSmtpUtf8(smtplib.SMTPException):
    """The address is internationalised (RFC 6531) and the server does not offer SMTPUTF8: it
    cannot be delivered there. Only this message; the server takes the rest."""


def needs_smtputf8(message: EmailMessage) -> bool:
    """An address in From or To outside ASCII: it travels only with SMTPUTF8 (RFC 6531/6532)."""
    found = getaddresses([str(value) for name in ("From", "To") for value in message.get_all(name, [])])
    return any(not address.isascii() for _name, address in found)


def tls_context() -> ssl.SSLContext:
    """Certificates verified against the system's CAs (or SSL_CERT_FILE), host name checked."""
    return ssl.create_default_context()


@dataclass(frozen=True)
class MaildirConfig:
    path: str

    @classmethod
    def from_url(cls, url: str) -> MaildirConfig:
        parts = urlsplit(url)
        path = unquote(parts.path)
        if parts.netloc or not path.startswith("/"):
            raise BadSmtpUrl("TRIBE_SMTP_URL must look like maildir:///absolute/path")
        return cls(path)


class MaildirConnection:
    """Writes each message as one file in `path`/new (created 0700 when missing)."""

    def __init__(self, config: MaildirConfig) -> None:
        self.config = config
        self._box: mailbox.Maildir | None = None

    def send(self, message: EmailMessage) -> str:
        """Deliver it; returns the file the message is in."""
        if self._box is None:
            # 0700: the messages carry invitation tokens. (Maildir(create=True) makes the
            # subfolders only when the folder itself is new.)
            for folder in ("", "tmp", "new", "cur"):
                os.makedirs(os.path.join(self.config.path, folder), mode=0o700, exist_ok=True)
            self._box = mailbox.Maildir(self.config.path, create=False)
        key = self._box.add(message)
        path = os.path.join(self.config.path, "new", key)
        os.chmod(path, 0o600)  # it carries an invitation token
        return path

    def close(self) -> None:
        self._box = None

    def __enter__(self) -> MaildirConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect(url: str | None) -> Connection | MaildirConnection:
    """The transport TRIBE_SMTP_URL names (raises MailNotConfigured / BadSmtpUrl); it connects on
    its first `send`."""
    if url and urlsplit(url).scheme == "maildir":
        return MaildirConnection(MaildirConfig.from_url(url))
    return Connection(SmtpConfig.from_url(url))


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    tls: bool  # smtps://: TLS from the first byte
    username: str | None = None
    password: str | None = None

    def __repr__(self) -> str:  # never show the password in a log or traceback
        return f"SmtpConfig(host={self.host!r}, port={self.port}, tls={self.tls}, username={self.username!r})"

    @classmethod
    def from_url(cls, url: str | None) -> SmtpConfig:
        if not url:
            raise MailNotConfigured("no SMTP server configured (TRIBE_SMTP_URL)")
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            raise BadSmtpUrl("TRIBE_SMTP_URL must look like smtp://[user:pass@]host:port, smtps://… or maildir:///path")
        try:
            port = parts.port or DEFAULT_PORTS[parts.scheme]
        except ValueError:
            raise BadSmtpUrl("TRIBE_SMTP_URL has an invalid port") from None
        return cls(
            host=parts.hostname,
            port=port,
            tls=parts.scheme == "smtps",
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


Attachment = tuple[str, str, bytes]  # file name, MIME type ("application/pdf"), content


def build_message(
    sender: str,
    recipient: str,
    subject: str,
    body: str,
    message_id: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> EmailMessage:
    # An internationalised address is written as itself in the header (RFC 6532): the default
    # policy would put an RFC 2047 encoded word inside the address, which no server can deliver.
    international = any(not address.isascii() for _name, address in getaddresses([sender, recipient]))
    message = EmailMessage(policy=policy.SMTPUTF8 if international else policy.default)
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id or make_msgid(domain="tribe-tui")
    message.set_content(body)
    for filename, mime_type, content in attachments:
        maintype, _, subtype = mime_type.partition("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message


class Connection:
    """One SMTP session, opened on first use and reused for the rest of a flush."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        c = self.config
        if c.tls:
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(c.host, c.port, timeout=SMTP_TIMEOUT_SECONDS, context=tls_context())
        else:
            smtp = smtplib.SMTP(c.host, c.port, timeout=SMTP_TIMEOUT_SECONDS)
        try:
            smtp.ehlo()
            if not c.tls and smtp.has_extn("starttls"):
                smtp.starttls(context=tls_context())
                smtp.ehlo()  # the capabilities again, now over TLS (AUTH is often offered only there)
            elif not c.tls and c.username:
                raise NoEncryption(f"{c.host}:{c.port} offers no STARTTLS; the password is not sent unencrypted")
            if c.username:
                smtp.login(c.username, c.password or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, message: EmailMessage) -> str:
        """Deliver it; returns where it went ("smtp host:port")."""
        if self._smtp is None:
            self._smtp = self._open()
        if needs_smtputf8(message) and not self._smtp.has_extn("smtputf8"):
            raise NeedsSmtpUtf8(f"{self.config.host}:{self.config.port} does not offer SMTPUTF8")
        self._smtp.send_message(message)
        return f"{'smtps' if self.config.tls else 'smtp'} {self.config.host}:{self.config.port}"

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_connection_error(exc: BaseException) -> bool:
    """The server could not be reached or would not let us in: no point trying the next message now.

    (SMTPException subclasses OSError, so a refused recipient must not count as a network error.)
    """
    if isinstance(
        exc,
        (
            MailNotConfigured,
            BadSmtpUrl,
            NoEncryption,
            ssl.SSLError,
            smtplib.SMTPConnectError,
            smtplib.SMTPServerDisconnected,
            smtplib.SMTPAuthenticationError,
            smtplib.SMTPHeloError,
            smtplib.SMTPNotSupportedError,
        ),
    ):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def error_kind(exc: BaseException) -> str:
    """What went wrong, as a word a screen can put in the admin's language (never a class name):
    not_configured, insecure (no STARTTLS for a password), certificate (TLS would not verify),
    unreachable, refused (the server would not take this message), smtputf8 (an internationalised
    address, and the server offers no SMTPUTF8) or failed."""
    if isinstance(exc, NeedsSmtpUtf8):
        return "smtputf8"
    if isinstance(exc, (MailNotConfigured, BadSmtpUrl)):
        return "not_configured"
    if isinstance(exc, NoEncryption):
        return "insecure"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "certificate"
    if is_connection_error(exc):
        return "unreachable"
    if isinstance(exc, (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException)):
        return "refused"
    return "failed"


_TOKENISH = re.compile(r"[A-Za-z0-9_-]{32,}")


def safe_error(exc: BaseException, secrets: tuple[str | None, ...] = ()) -> str:
    """An error as one short line without the SMTP password or anything token-like."""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, smtplib.SMTPResponseException):
        detail = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        text = f"{type(exc).__name__}: {exc.smtp_code} {detail}"
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    text = _TOKENISH.sub("***", text)
    return " ".join(text.split())[:300]
