"""Helpers for the real-SSH test: install/run OpenSSH's sshd, drive a terminal with tmux.

Everything runs on 127.0.0.1 with throw-away keys in a directory the caller owns; each helper
knows the ids of the processes it started and ends only those.
"""

from __future__ import annotations

import fcntl
import os
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

SSHD = Path("/usr/sbin/sshd")
PRIVSEP_DIR = Path("/run/sshd")  # Debian's sshd refuses to start without it; its init script makes it
INSTALL_LOCK = Path("/tmp/tribe-tui-sshd-install.lock")


def ensure_sshd() -> str | None:
    """Make /usr/sbin/sshd available; None when it is, else why it cannot be (the caller fails on it).

    CI starts on a fresh machine as root without openssh-server, so the test installs it itself.
    A file lock keeps two pytest workers (or two engineers' runs) from racing for apt's lock.
    """
    if not SSHD.exists():
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            return (
                f"{SSHD} is missing and cannot be installed here (needs root and apt-get): "
                "install Debian's openssh-server"
            )
        with INSTALL_LOCK.open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not SSHD.exists():
                problem = _apt_install("openssh-server")
                if problem:
                    return problem
    if os.geteuid() == 0:
        PRIVSEP_DIR.mkdir(mode=0o755, exist_ok=True)
    return None


def _apt_install(package: str) -> str | None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "-o", "DPkg::Lock::Timeout=120", package]
    done = subprocess.run(install, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        # A fresh machine has no package lists yet: fetch them once and try again.
        update = subprocess.run(
            ["apt-get", "update", "-q", "-o", "DPkg::Lock::Timeout=120"], env=env, capture_output=True, text=True
        )
        done = subprocess.run(install, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            return (
                f"apt-get install {package} failed ({done.returncode}):\n{done.stderr[-2000:]}\n"
                f"apt-get update said:\n{update.stderr[-1000:]}"
            )
    if not SSHD.exists():
        return f"apt-get installed {package} but {SSHD} is still missing"
    return None


# Folders an installed AuthorizedKeysCommand may live under, best first (see install_keys_command).
SAFE_PARENTS = (Path("/run"), Path("/var/lib"), Path("/usr/local/lib"), Path("/opt"))


def _safe_for_sshd(folder: Path) -> bool:
    """sshd runs an AuthorizedKeysCommand only if root owns it and every folder above it, and no
    one else may write any of them (its safe_path check; StrictModes does not switch it off)."""
    for step in (folder, *folder.parents):
        try:
            info = step.stat()
        except OSError:
            return False
        if info.st_uid != 0 or info.st_mode & 0o022:
            return False
    return True


def install_keys_command(target: str) -> Path:
    """Install the lookup for sshd the way the README tells operators: a root-owned path no one
    else can write, wherever the checkout lives (a clone under /tmp, which everyone may write, is
    refused by sshd). A fresh 0755 folder holds a 0755 wrapper that runs `target`; the caller
    removes the folder (remove_keys_command)."""
    parent = next((p for p in SAFE_PARENTS if _safe_for_sshd(p) and os.access(p, os.W_OK)), None)
    if parent is None:
        raise RuntimeError(f"no root-owned folder that only root may write among {[str(p) for p in SAFE_PARENTS]}")
    folder = Path(tempfile.mkdtemp(prefix="tribe-tui-keys-", dir=parent))
    folder.chmod(0o755)
    command = folder / "tribe-tui"
    command.write_text(f'#!/bin/sh\nexec {shlex.quote(target)} "$@"\n')
    command.chmod(0o755)
    assert _safe_for_sshd(folder) and _safe_for_sshd(command), command
    return command


def remove_keys_command(command: Path) -> None:
    shutil.rmtree(command.parent, ignore_errors=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def keygen(path: Path) -> Path:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "tribe-tui-test", "-f", str(path)],
        check=True,
        capture_output=True,
    )
    return path


def wait_for(condition, timeout: float, interval: float = 0.1):
    """Poll until condition() is truthy; returns its last value (falsy on timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


class Sshd:
    """sshd -D on 127.0.0.1:<free port>, public-key login only, every session forced into `command`."""

    def __init__(self, home: Path, *, user: str, command: Path) -> None:
        self.home = home
        self.user = user
        self.command = command
        self.host_key = keygen(home / "host_ed25519")
        self.client_key = keygen(home / "client_ed25519")
        (home / "authorized_keys").write_text(Path(f"{self.client_key}.pub").read_text())
        self.log = home / "sshd.log"
        self.port = 0
        self.process: subprocess.Popen | None = None

    def config(self) -> str:
        h = self.home
        return "\n".join(
            [
                f"Port {self.port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {h / 'host_ed25519'}",
                f"PidFile {h / 'sshd.pid'}",
                f"AuthorizedKeysFile {h / 'authorized_keys'}",
                f"AllowUsers {self.user}",
                # Root may log in, by key only (see the test for why the login user is root).
                "PermitRootLogin prohibit-password",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                # The keys live in a pytest tmp dir, whose owner/mode sshd would otherwise reject.
                "StrictModes no",
                # Without PAM the test needs no /etc/pam.d set-up and no password for the login user.
                "UsePAM no",
                "AcceptEnv LANG LC_*",
                "PermitUserEnvironment no",
                "PermitUserRC no",
                "PrintMotd no",
                "PrintLastLog no",
                "AllowTcpForwarding no",
                "AllowStreamLocalForwarding no",
                "AllowAgentForwarding no",
                "X11Forwarding no",
                "PermitTunnel no",
                "GatewayPorts no",
                "LogLevel VERBOSE",
                f"ForceCommand {self.command}",
                "",
            ]
        )

    def start(self, attempts: int = 5) -> None:
        """Start on a free port; another process may take the port between probe and bind, so retry."""
        config = self.home / "sshd_config"
        for _ in range(attempts):
            self.port = free_port()
            config.write_text(self.config())
            check = subprocess.run([str(SSHD), "-t", "-f", str(config)], capture_output=True, text=True)
            if check.returncode != 0:
                raise RuntimeError(f"sshd -t rejected the config: {check.stderr}")
            with self.log.open("ab") as log:
                self.process = subprocess.Popen(
                    [str(SSHD), "-D", "-e", "-f", str(config)],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=log,
                    env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
                )
            listening = f"Server listening on 127.0.0.1 port {self.port}"
            if (
                wait_for(
                    lambda listening=listening: listening in self.log_text() or self.process.poll() is not None, 10
                )
                and self.process.poll() is None
            ):
                return
            self.stop()
        raise RuntimeError(f"sshd did not start:\n{self.log_text()}")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def ssh_command(self, lang: str, identity: Path | None = None, *, tty: bool = True) -> list[str]:
        """The client's command line: no user config, this key only (the test client's by default),
        no prompts, no known-hosts file; `tty=False` for a command without a terminal."""
        return [
            "env",
            f"LANG={lang}",
            "ssh",
            "-tt" if tty else "-T",
            "-F",
            "/dev/null",
            "-p",
            str(self.port),
            "-i",
            str(identity or self.client_key),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "BatchMode=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "ConnectTimeout=10",
            "-o",
            "SendEnv=LANG",
            f"{self.user}@127.0.0.1",
        ]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None


class Tmux:
    """A private tmux server (own socket name) with one 80x24 session running one command."""

    def __init__(self, width: int = 80, height: int = 24) -> None:
        self.socket = f"tribe-ssh-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.width, self.height = width, height
        self.sessions: list[str] = []

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True, check=check
        )

    def start(self, name: str, argv: list[str], status_file: Path) -> None:
        """Run argv in a new session; its exit status lands in status_file when it ends."""
        shell = f"{shlex.join(argv)}; echo $? > {shlex.quote(str(status_file))}"
        self._tmux("new-session", "-d", "-s", name, "-x", str(self.width), "-y", str(self.height), "sh", "-c", shell)
        self.sessions.append(name)

    def screen(self, name: str, *, styled: bool = False) -> str:
        """The pane's text; styled=True keeps colours and attributes (escape sequences)."""
        done = self._tmux("capture-pane", "-p", *(["-e"] if styled else []), "-t", name, check=False)
        return done.stdout if done.returncode == 0 else ""

    def type(self, name: str, text: str) -> None:
        self._tmux("send-keys", "-t", name, "-l", text)

    def press(self, name: str, *keys: str) -> None:
        self._tmux("send-keys", "-t", name, *keys)

    def kill(self) -> None:
        self._tmux("kill-server", check=False)
        # tmux leaves its socket file behind; -L puts it in $TMUX_TMPDIR/tmux-UID.
        tmpdir = Path(os.environ.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}"
        (tmpdir / self.socket).unlink(missing_ok=True)


def end_pids(pid_file: Path) -> None:
    """End the forced commands whose ids the wrapper wrote down, if a session left one behind."""
    if not pid_file.exists():
        return
    for line in pid_file.read_text().split():
        try:
            # The id may have been reused since; only a process still running tribe-tui is ours.
            if b"tribe-tui" in Path(f"/proc/{int(line)}/cmdline").read_bytes():
                os.kill(int(line), signal.SIGKILL)
        except (ValueError, OSError):
            pass
