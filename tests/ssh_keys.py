"""Real SSH keys for the tests of #15, made by OpenSSH's ssh-keygen (its fingerprints are the reference)."""

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


def keygen(folder: Path, name: str, kind: str = "ed25519", bits: int | None = None) -> Key:
    path = folder / name
    argv = ["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", f"{name}@test", "-f", str(path)]
    if bits:
        argv += ["-b", str(bits)]
    subprocess.run(argv, check=True, capture_output=True)
    return Key(path, Path(f"{path}.pub").read_text().strip())
