"""Proof that whoever adds an SSH public key holds its private half: an OpenSSH signature
(`ssh-keygen -Y sign`, the SSHSIG format of OpenSSH's PROTOCOL.sshsig) over a challenge text,
checked here with `cryptography`.

Without it anyone could store someone else's *public* key (public keys are public: on GitHub, in
`authorized_keys` files) for a person of their choosing: the real owner could then not add it (a
key belongs to one person) and would be signed in as that other person. With it, a key is stored
only by someone who could sign with it.

The challenge names the organisation, the person the key is for and the day (UTC); the signature
names the key. So a signature cannot be reused for another person or months later.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import date

NAMESPACE = "tribe-tui-ssh-key"  # ssh-keygen's -n: a signature made for another purpose never fits
MAX_ARMOURED = 16_384  # characters: an RSA-16384 signature is well under half of this
_BEGIN, _END = "-----BEGIN SSH SIGNATURE-----", "-----END SSH SIGNATURE-----"
_HASHES = {b"sha256", b"sha512"}


class BadSignature(ValueError):
    """Not a signature by the key over the challenge (the reason is for logs and tests)."""


def challenge(org_id: int, employee_id: int, day: date) -> str:
    """The text to sign: the organisation, the person and the day. The key need not be named: an
    SSH signature carries the public key that made it, and that must be the key being added. Short
    and safe inside single quotes in a shell, so it can be copied from an 80-column terminal."""
    return f"tribe-tui-ssh-key v1 org={org_id} person={employee_id} day={day.isoformat()}"


def sign_command(text: str, key_type: str, *, lines: bool = False) -> str:
    """The command that signs `text` with the private key (`ssh-keygen` of OpenSSH 8.1 or later);
    `lines`: broken after the pipe, each part shorter than 80 columns (a shell reads it the same)."""
    private = {"ssh-ed25519": "id_ed25519", "ssh-rsa": "id_rsa"}.get(key_type, "id_ecdsa")
    joint = " |\n  " if lines else " | "
    return f"printf %s '{text}'{joint}ssh-keygen -Y sign -n {NAMESPACE} -f ~/.ssh/{private}"


def _string(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def _read(buffer: bytes, at: int) -> tuple[bytes, int]:
    if at + 4 > len(buffer):
        raise BadSignature("truncated")
    length = int.from_bytes(buffer[at : at + 4], "big")
    end = at + 4 + length
    if end > len(buffer):
        raise BadSignature("truncated")
    return buffer[at + 4 : end], end


def signing_key(armoured: str, message: str, namespace: str = NAMESPACE) -> bytes:
    """Check an armoured SSHSIG over `message`; return the public key that made it, in SSH wire
    format (the blob of a `.pub` line, base64-decoded). Raises BadSignature otherwise."""
    from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
    from cryptography.hazmat.primitives.serialization import load_ssh_public_key

    text = (armoured or "").strip()
    if len(text) > MAX_ARMOURED or not (text.startswith(_BEGIN) and text.endswith(_END)):
        raise BadSignature("not an armoured SSH signature")
    try:
        raw = base64.b64decode("".join(text[len(_BEGIN) : -len(_END)].split()), validate=True)
    except (binascii.Error, ValueError):
        raise BadSignature("not base64") from None
    if raw[:6] != b"SSHSIG" or raw[6:10] != (1).to_bytes(4, "big"):
        raise BadSignature("not an SSHSIG version 1")
    public, at = _read(raw, 10)
    signed_namespace, at = _read(raw, at)
    reserved, at = _read(raw, at)
    hash_name, at = _read(raw, at)
    signature, at = _read(raw, at)
    if at != len(raw):
        raise BadSignature("trailing data")
    if signed_namespace != namespace.encode():
        raise BadSignature("another namespace")
    if hash_name not in _HASHES:
        raise BadSignature("unknown hash")
    digest = hashlib.new(hash_name.decode(), message.encode("utf-8")).digest()
    signed = b"SSHSIG" + _string(signed_namespace) + _string(reserved) + _string(hash_name) + _string(digest)
    sig_type, at = _read(signature, 0)
    sig_blob, at = _read(signature, at)
    if at != len(signature):
        raise BadSignature("trailing data in the signature")
    key_type, _ = _read(public, 0)
    try:
        key = load_ssh_public_key(key_type + b" " + base64.b64encode(public))
        if isinstance(key, ed25519.Ed25519PublicKey) and sig_type == b"ssh-ed25519":
            key.verify(sig_blob, signed)
        elif isinstance(key, ec.EllipticCurvePublicKey) and sig_type == key_type:
            r, at = _read(sig_blob, 0)
            s, at = _read(sig_blob, at)
            curve_hash = {256: hashes.SHA256(), 384: hashes.SHA384(), 521: hashes.SHA512()}[key.curve.key_size]
            der = encode_dss_signature(int.from_bytes(r, "big"), int.from_bytes(s, "big"))
            key.verify(der, signed, ec.ECDSA(curve_hash))
        elif isinstance(key, rsa.RSAPublicKey) and sig_type in (b"rsa-sha2-256", b"rsa-sha2-512"):
            rsa_hash = hashes.SHA256() if sig_type == b"rsa-sha2-256" else hashes.SHA512()
            key.verify(sig_blob, signed, padding.PKCS1v15(), rsa_hash)
        else:  # ssh-rsa (SHA-1) signatures, DSA, security keys: not accepted
            raise BadSignature("signature type not accepted")
    except InvalidSignature:
        raise BadSignature("the signature does not verify") from None
    except (ValueError, KeyError, UnsupportedAlgorithm):
        raise BadSignature("unreadable key or signature") from None
    return public
