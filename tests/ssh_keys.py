"""Real SSH keys for the SSH-key tests, made by OpenSSH's ssh-keygen (its fingerprints are the reference)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Key:
    private: Path
    line: str  # the .pub file's line: TYPE BASE64 COMMENT

    @property
    def key_type(self) -> str:
        return self.line.split()[0]

    @property
    def blob(self) -> str:
        return self.line.split()[1]

    @property
    def fingerprint(self) -> str:
        """SHA256:…, as `ssh-keygen -l` prints it."""
        shown = subprocess.run(
            ["ssh-keygen", "-l", "-E", "sha256", "-f", f"{self.private}.pub"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return shown.split()[1]

    def sign(self, text: str, namespace: str = "tribe-tui-ssh-key") -> str:
        """`ssh-keygen -Y sign` of `text` with this key's private half: the armoured signature."""
        return subprocess.run(
            ["ssh-keygen", "-Y", "sign", "-n", namespace, "-f", str(self.private)],
            input=text,
            capture_output=True,
            text=True,
            check=True,
        ).stdout


def proof(ctx, key: Key, email: str | None = None) -> str:
    """The key's signature over the challenge for `email`'s owner (or ctx's person), as the
    holder of the key would make it."""
    from tribe_tui.services.ssh_keys import key_challenge

    return key.sign(key_challenge(ctx, key.line, email=email).text)


def add_key_by_cli(cli, email: str, key: Key, name: str, *options: str):
    """`ssh keys challenge`, the holder signs, `ssh keys add --signature FILE`: the CLI's way."""
    import json
    import tempfile

    asked = cli("ssh", "keys", "challenge", email, key.line, "--json", *options)
    assert asked.code == 0, asked.err
    with tempfile.NamedTemporaryFile("w", suffix=".sig", delete=False) as handle:
        handle.write(key.sign(json.loads(asked.out)["challenge"]))
    return cli("ssh", "keys", "add", email, key.line, "--name", name, "--signature", handle.name, *options)


def keygen(folder: Path, name: str, kind: str = "ed25519", bits: int | None = None) -> Key:
    path = folder / name
    argv = ["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", f"{name}@test", "-f", str(path)]
    if bits:
        argv += ["-b", str(bits)]
    subprocess.run(argv, check=True, capture_output=True)
    return Key(path, Path(f"{path}.pub").read_text().strip())
