"""Passwords: argon2id hashes and the password policy."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from tribe_tui.errors import BadInput
from tribe_tui.i18n import t, tn

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_PASSWORD_LENGTH = 12
COMMON_PASSWORDS = frozenset(
    """
    password password1 password123 passw0rd welkom welkom01 welkom123 wachtwoord wachtwoord1
    wachtwoord123 qwerty qwerty123 qwertyuiop 123456 12345678 123456789 1234567890 123456789012
    111111111111 000000000000 iloveyou admin admin123 administrator letmein welcome welcome123
    abc123 monkey dragon football baseball sunshine princess trustno1 changeme changeme123
    tribecrm tribecrm123 zomer2024 zomer2025 zomer2026 winter2025 winter2026 voorjaar2026
    """.split()
)


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id with the library's current recommended parameters


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str | None) -> bool:
    """True when the hash was made with other parameters than today's (a library upgrade raised them)."""
    from argon2.exceptions import InvalidHashError

    if not password_hash:
        return False
    try:
        return _hasher().check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return False


def check_password_policy(password: str, username: str, lang: str = "nl") -> None:
    """Length >= 12, not the username, not a well-known password; one clear line otherwise."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BadInput(tn("error.password_short", MIN_PASSWORD_LENGTH, lang))
    lowered = password.lower()
    if lowered == username.lower() or username.lower() in lowered and len(lowered) - len(username) < 4:
        raise BadInput(t("error.password_username", lang))
    if lowered in COMMON_PASSWORDS or len(set(password)) < 4:
        raise BadInput(t("error.password_common", lang))
