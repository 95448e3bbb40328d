"""A public key is stored only with proof that its holder agrees, for that person: an OpenSSH
signature (`ssh-keygen -Y sign`) by the key over the challenge naming the organisation, the person
and the day. Nobody who has only the public half (anyone: public keys are public) can store it for
someone else, so nobody can block the key's owner or redirect them to another person."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from tests.ssh_keys import Key, add_key_by_cli, keygen

pytestmark = pytest.mark.slow  # real ssh-keygen keys and signatures


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> dict[str, Key]:
    folder = tmp_path_factory.mktemp("keys")
    return {
        "victim": keygen(folder, "victim"),
        "attacker": keygen(folder, "attacker"),
        "ecdsa256": keygen(folder, "ecdsa256", "ecdsa", 256),
        "ecdsa521": keygen(folder, "ecdsa521", "ecdsa", 521),
        "rsa": keygen(folder, "rsa", "rsa", 3072),
    }


def lookup(key: Key) -> str:
    tribe = os.path.join(os.path.dirname(sys.executable), "tribe-tui")
    return subprocess.run(
        [tribe, "ssh", "authorized-keys", "tribe", key.key_type, key.blob], capture_output=True, text=True, timeout=60
    ).stdout


def test_only_the_holder_of_the_private_key_can_store_it_for_anyone(cli, staff, keys, dump, tmp_path):
    victim, attacker = keys["victim"], keys["attacker"]
    challenge = cli("ssh", "keys", "challenge", "daan@acme.nl", victim.line, "--json").json
    assert challenge["namespace"] == "tribe-tui-ssh-key" and challenge["fingerprint"] == victim.fingerprint
    assert "ssh-keygen -Y sign -n tribe-tui-ssh-key" in challenge["command"]
    text = challenge["challenge"]
    for_emma = cli("ssh", "keys", "challenge", "emma@acme.nl", victim.line, "--json").json["challenge"]
    assert for_emma != text  # the person is part of what is signed

    def attempt(signature: str, email: str = "daan@acme.nl"):
        path = tmp_path / "attempt.sig"
        path.write_text(signature)
        return cli("ssh", "keys", "add", email, victim.line, "--name", "gestolen", "--signature", str(path))

    yesterday = text.replace(
        datetime.now(UTC).date().isoformat(), (datetime.now(UTC).date() - timedelta(days=1)).isoformat()
    )
    long_ago = text.replace(datetime.now(UTC).date().isoformat(), "2026-01-01")
    before = dump()
    # Someone with only the victim's public key: whatever they send is refused.
    for what, signature, email in (
        ("nothing", "", "daan@acme.nl"),
        ("garbage", "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n", "daan@acme.nl"),
        ("their own key's signature", attacker.sign(text), "daan@acme.nl"),
        ("the victim's signature for another person", victim.sign(for_emma), "daan@acme.nl"),
        ("the victim's signature for another purpose", victim.sign(text, namespace="file"), "daan@acme.nl"),
        ("the victim's signature of long ago", victim.sign(long_ago), "daan@acme.nl"),
        ("the victim's signature of other text", victim.sign(text + " "), "daan@acme.nl"),
    ):
        refused = attempt(signature, email)
        assert refused.code == 2 and refused.err.count("\n") == 1, (what, refused)
        assert "Handtekening" in refused.err and victim.fingerprint in refused.err, (what, refused.err)
        assert dump() == before and lookup(victim) == "", what
    # A signature made yesterday (UTC) still counts: the holder agreed, for this person.
    assert attempt(victim.sign(yesterday)).code == 0
    assert lookup(victim) != ""
    assert cli("ssh", "keys", "remove", victim.fingerprint).code == 0
    # The holder signs today's: stored for the person named in what they signed, and only that one.
    assert attempt(victim.sign(for_emma), "emma@acme.nl").code == 0
    assert [k["email"] for k in cli("ssh", "keys", "list", "--json").json] == ["emma@acme.nl"]
    # Stored once: the same key for someone else, even with the holder's signature, is refused.
    taken = attempt(victim.sign(text))
    assert taken.code == 2 and "al in gebruik" in taken.err


def test_every_key_type_signs_as_openssh_does(cli, staff, keys):
    for name in ("ecdsa256", "ecdsa521", "rsa"):
        added = add_key_by_cli(cli, "daan@acme.nl", keys[name], name, "--json")
        assert added.code == 0, (name, added.err)
        assert json.loads(added.out)["fingerprint"] == keys[name].fingerprint


def test_the_signature_can_come_on_stdin_with_the_key_as_argument(cli, staff, keys, monkeypatch):
    import io

    key = keys["victim"]
    text = cli("ssh", "keys", "challenge", "daan@acme.nl", key.line, "--json").json["challenge"]
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(key.sign(text).encode())))
    assert cli("ssh", "keys", "add", "daan@acme.nl", key.line, "--name", "x", "--signature", "-").code == 0
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(key.line.encode())))
    both = cli("ssh", "keys", "add", "daan@acme.nl", "--name", "x", "--signature", "-")
    assert both.code == 2 and "stdin" in both.err
    missing = cli("ssh", "keys", "add", "daan@acme.nl", key.line, "--name", "x", "--signature", "/nonexistent/sig")
    assert missing.code == 2 and "/nonexistent/sig" in missing.err
