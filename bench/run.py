"""tribe-tui performance benchmark: every figure, its target, and the ratio to the bare-Textual
baseline measured in the same run.

    python bench/run.py                       # everything, 100,000 licences
    python bench/run.py --only cli,ttff       # a subset: create, cli, flat, sshkeys, ttff, interact, rss
    python bench/run.py --write bench/RESULTS.md
    python bench/run.py --only ttff --also "main=/path/to/main/.venv/bin/tribe-tui"   # before/after
    python bench/run.py --only flat --also "main=/path/to/main/.venv/bin/tribe-tui"   # the same, commands

Every figure is printed with the 1-minute load average of the machine while it was measured; a
run whose load was above 1.0 (on this 2-core machine: another process busy) is not written with
--write unless --loaded-ok is given, and then each such figure says "LOADED" beside it.

Needs tmux (first-frame and memory figures run the real TUI in a real terminal). Works on a
scratch directory it removes afterwards (--keep to keep it); never touches your own database.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TODAY = "2026-11-26"  # the demo's period runs to 2027-05-31
RENEWAL_DAY = "2027-06-01"
SIZE = "120x40"


@dataclass
class Figure:
    name: str
    value: float | None  # None: not measured (failed); see note
    unit: str
    target: str
    met: bool | None
    ratio: float | None = None  # to the bare-Textual first frame, where the target is a ratio
    note: str = ""
    load: float | None = None  # the highest 1-minute load average seen while it was measured

    def cells(self) -> list[str]:
        value = (
            "—"
            if self.value is None
            else (f"{self.value:.0f} {self.unit}" if self.value >= 100 else f"{self.value:.1f} {self.unit}")
        )
        ratio = "—" if self.ratio is None else f"{self.ratio:.2f}×"
        met = {True: "met", False: "NOT MET", None: "—"}[self.met]
        load = "—" if self.load is None else f"{self.load:.2f}" + (" LOADED" if self.load > MAX_LOAD else "")
        return [self.name, value, self.target, ratio, met, load, self.note]


MAX_LOAD = 1.0  # 1-minute load average above which a figure is not a quiet machine's (2 cores here)


class LoadWatch:
    """The highest 1-minute load average seen from `start()` on: sampled when asked and by the
    measuring loops between samples (the figure it is written beside is as quiet as this says)."""

    def __init__(self) -> None:
        self.highest = 0.0

    def start(self) -> LoadWatch:
        self.highest = os.getloadavg()[0]
        return self

    def sample(self) -> float:
        self.highest = max(self.highest, os.getloadavg()[0])
        return self.highest


WATCH = LoadWatch()


def tribe_command() -> list[str]:
    script = Path(sys.executable).with_name("tribe-tui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "tribe_tui"]


def timed(cmd: list[str], env: dict, runs: int, *, warmup: int = 1, prepare=None, check=None) -> list[float]:
    """Whole-process wall times of `cmd`; `prepare()` runs before each (not timed)."""
    times = []
    for i in range(warmup + runs):
        if prepare:
            prepare()
        start = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"{shlex.join(cmd)} failed ({done.returncode}): {done.stderr.strip()}")
        if check:
            check(done.stdout)
        if i >= warmup:
            times.append(elapsed)
        WATCH.sample()
    return times


def ms(times: list[float]) -> float:
    return 1000 * statistics.median(times)


def ttff_rounds(
    tool: Path, commands: dict[str, tuple[str, str]], runs: int, size_text: str = "80x24"
) -> dict[str, list[float]]:
    """ms to the first frame showing each command's marker, measured with ttff.py's own `once`
    (a detached tmux session, the screen polled every 5 ms), in rounds: bare, overview, licences,
    bare, overview, ... So a machine that speeds up or slows down during the run (it does here,
    by 20 % within a minute) moves every figure of a round alike and the ratios stay honest."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("ttff", tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    size = tuple(int(x) for x in size_text.split("x"))
    keep = "tribe-bench-keep-" + uuid.uuid4().hex[:6]  # keeps the tmux server up between runs
    subprocess.run(["tmux", "new-session", "-d", "-s", keep, "sleep 3600"], check=True)
    try:
        for command, marker in commands.values():  # warm-up: caches, byte code
            module.once(command, marker, size)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, (command, marker) in commands.items():
                times[name].append(1000 * module.once(command, marker, size))
            WATCH.sample()
    finally:
        subprocess.run(["tmux", "kill-session", "-t", keep], capture_output=True)
    return times


def env_prefix(env: dict) -> str:
    keys = ("TRIBE_DATABASE_URL", "TRIBE_TODAY", "TRIBE_LANG", "TEXTUAL_ANIMATIONS")
    # tmux starts commands with its server's environment, not ours: pass what matters explicitly.
    return "env " + " ".join(f"{k}={shlex.quote(env[k])}" for k in keys if k in env)


def tui_peak_rss(env: dict, marker: str) -> float:
    """Peak RSS of the real TUI in tmux: open the licences screen, filter, page through, quit."""
    session = "tribe-rss-" + uuid.uuid4().hex[:6]
    out = Path(tempfile.mkstemp(prefix="tribe-rss-")[1])
    out.unlink()
    cmd = shlex.join(
        [sys.executable, str(HERE / "maxrss.py"), str(out), *tribe_command(), "demo", "--screen", "licences"]
    )
    width, height = SIZE.split("x")
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", width, "-y", height, f"{env_prefix(env)} {cmd}; sleep 60"],
        check=True,
    )

    def keys(*k: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", session, *k], check=True)

    try:
        deadline = time.time() + 60
        while (
            marker
            not in subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout
        ):
            if time.time() > deadline:
                raise SystemExit("the licences screen did not appear within 60 s")
            time.sleep(0.05)
        keys("/")
        for query in ("anna", "de vries", "bakker2"):
            keys("-l", query)
            time.sleep(0.3)
            keys(*["BSpace"] * len(query))
            time.sleep(0.3)
        keys("Enter")
        for _ in range(20):
            keys(*["NPage"] * 50)
            time.sleep(0.1)
        keys("End")
        time.sleep(0.5)
        keys("C-q")
        deadline = time.time() + 30
        while not out.exists() or not out.read_text().strip():
            if time.time() > deadline:
                raise SystemExit("the TUI did not quit")
            time.sleep(0.05)
        return float(out.read_text().split()[0])
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
        out.unlink(missing_ok=True)


def store_ssh_keys(db: Path, count: int) -> tuple[str, str]:
    """`count` ed25519 public keys, made by cryptography as tribe-tui would store them, spread over
    the organisation's employees; the first is the demo admin's. Returns (that key, a key not stored)."""
    import base64
    import hashlib
    import secrets
    import sqlite3

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    def new_key() -> str:
        return Ed25519PrivateKey.generate().public_key().public_bytes(Encoding.OpenSSH, PublicFormat.OpenSSH).decode()

    connection = sqlite3.connect(db)
    try:
        employees = [row[0] for row in connection.execute("SELECT id FROM employee ORDER BY role = 'admin' DESC, id")]
        rows = []
        for i in range(count):
            key_type, blob = new_key().split()
            digest = base64.b64encode(hashlib.sha256(base64.b64decode(blob)).digest()).decode().rstrip("=")
            rows.append(
                (
                    secrets.token_hex(16),
                    employees[i % len(employees)],
                    f"key {i}",
                    key_type,
                    blob,
                    f"SHA256:{digest}",
                    "2026-11-26 12:00:00",
                )
            )
        first = f"{rows[0][3]} {rows[0][4]}"
        # An older build's schema (an --also build) has no key identity (uid) yet.
        if "uid" not in {column[1] for column in connection.execute("PRAGMA table_info(ssh_key)")}:
            rows = [row[1:] for row in rows]
        columns = (
            "uid, " if len(rows[0]) == 7 else ""
        ) + "employee_id, name, key_type, key_blob, fingerprint, added_at"
        with connection:
            connection.executemany(
                f"INSERT INTO ssh_key ({columns}) VALUES ({', '.join('?' * len(rows[0]))})",
                rows,
            )
    finally:
        connection.close()
    return first, new_key()


def copy_ssh_keys(source: Path, target: Path) -> None:
    """The SSH keys of `source` into `target` (another build's demo: the same employees, by id)."""
    import sqlite3

    connection = sqlite3.connect(target)
    try:
        connection.execute("ATTACH DATABASE ? AS source", (str(source),))
        with connection:
            # By name: the two builds' tables may differ (an older one has no key identity yet).
            columns = ", ".join(c[1] for c in connection.execute("PRAGMA main.table_info(ssh_key)"))
            connection.execute(f"INSERT INTO ssh_key ({columns}) SELECT {columns} FROM source.ssh_key")
    finally:
        connection.close()


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import textual

    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "textual": textual.__version__,
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def shared_tool(name: str) -> Path:
    """shared/tools/NAME beside the checkout or a folder above it (a worktree sits a level deeper)."""
    for folder in REPO.parents:
        if (folder / "shared" / "tools" / name).is_file():
            return folder / "shared" / "tools" / name
    return REPO.parent / "shared" / "tools" / name


def table(figures: list[Figure]) -> str:
    head = ["figure", "measured", "target", "ratio", "", "load (1 min)", "note"]
    rows = [head, ["---"] * len(head)] + [f.cells() for f in figures]
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--licences", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=9, help="rounds of first frames (after a warm-up round)")
    ap.add_argument("--cli-runs", type=int, default=20)
    ap.add_argument("--keystrokes", type=int, default=240)
    ap.add_argument("--only", default="create,cli,flat,sshkeys,ttff,interact,rss")
    ap.add_argument("--size", default="80x24", help="terminal size for the first frames (tmux)")
    ap.add_argument(
        "--wait-quiet",
        type=float,
        default=0,
        metavar="S",
        help=f"first wait up to S seconds for the 1-minute load average to drop to {MAX_LOAD}",
    )
    ap.add_argument(
        "--loaded-ok",
        action="store_true",
        help=f"--write even when a figure was measured at a load above {MAX_LOAD} (marked LOADED)",
    )
    ap.add_argument("--ttff", default=str(shared_tool("ttff.py")))
    ap.add_argument("--bare", default=str(shared_tool("bare_textual.py")))
    ap.add_argument(
        "--also",
        action="append",
        default=[],
        metavar="LABEL=COMMAND",
        help="another build's tribe-tui (say, main before a change, or `python -c ...`): its first "
        "frames (ttff) and commands (flat) are measured in the same interleaved rounds, for a "
        "before/after ratio",
    )
    ap.add_argument("--write", metavar="RESULTS.md", help="also write the results as Markdown")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    a = ap.parse_args()
    only = set(a.only.split(","))
    if {"ttff", "rss"} & only and not shutil.which("tmux"):
        raise SystemExit("tmux is needed for the first-frame and memory figures")

    work = Path(tempfile.mkdtemp(prefix="tribe-bench-"))
    db = work / "org.db"
    env = {
        **os.environ,
        "TRIBE_DATABASE_URL": f"sqlite:///{db}",
        "TRIBE_TODAY": TODAY,
        "TRIBE_LANG": "nl",
        "TEXTUAL_ANIMATIONS": "none",
    }
    env.pop("NO_COLOR", None)
    tribe = tribe_command()
    n = a.licences
    n_text = f"{n:,}".replace(",", ".")  # as the Dutch screen shows it
    figures: list[Figure] = []
    if a.wait_quiet:
        deadline = time.time() + a.wait_quiet
        while os.getloadavg()[0] > MAX_LOAD and time.time() < deadline:
            print(f"… waiting for a quiet machine: load {os.getloadavg()[0]:.2f}", flush=True)
            time.sleep(15)
    info = machine()
    print(
        f"# {info['date']}  nproc {info['nproc']}  {info['cpu']}  Python {info['python']}  "
        f"load {info['load']}  scratch {work}",
        flush=True,
    )

    def step(text: str) -> None:
        WATCH.start()
        print(f"… {text} (load {WATCH.highest:.2f})", flush=True)

    class Figures(list):
        """Each figure gets the highest load seen since its step began, and is printed at once."""

        def append(self, figure: Figure) -> None:
            figure.load = WATCH.sample()
            print("  " + " | ".join(figure.cells()), flush=True)
            super().append(figure)

    figures = Figures()

    # Byte-code as an installed package has it: with PYTHONDONTWRITEBYTECODE set (it is here),
    # a stale .pyc would otherwise be recompiled by every process measured.
    import tribe_tui

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(tribe_tui.__file__).parent)], check=True)
    try:
        WATCH.start()
        python_start = ms(timed([sys.executable, "-c", "pass"], env, a.cli_runs))
        figures.append(Figure("Python start-up (`python -c pass`)", python_start, "ms", "baseline", None))

        step(f"creating the {n:,}-licence demo organisation")
        start = time.perf_counter()
        created = subprocess.run(
            [*tribe, "demo", "--licences", str(n), "--no-open", "--json"], env=env, capture_output=True, text=True
        )
        create_s = time.perf_counter() - start
        if created.returncode != 0 or json.loads(created.stdout)["licences"] != n:
            raise SystemExit(f"creating the demo failed: {created.stdout}{created.stderr}")
        if "create" in only:
            figures.append(Figure(f"create the {n:,}-licence demo org", create_s, "s", "≤ 30 s", create_s <= 30))

        # Each other build (--also) gets databases made by itself: a build opens no database whose
        # schema is newer than its own, and this one may have migrated them further.
        others = [tuple(item.split("=", 1)) for item in a.also]
        made: dict[tuple[int, str], Path] = {(0, "big"): db}

        def database(build: int, size: str) -> Path:
            if (build, size) not in made:
                path = work / f"{size}-{build}.db"
                argv = tribe if build == 0 else shlex.split(others[build - 1][1])
                sized = ["--licences", str(n)] if size == "big" else []
                done = subprocess.run(
                    [*argv, "demo", "--no-open", "--json", *sized],
                    env={**env, "TRIBE_DATABASE_URL": f"sqlite:///{path}"},
                    capture_output=True,
                    text=True,
                )
                if done.returncode != 0:
                    raise SystemExit(f"creating a demo with {shlex.join(argv)} failed: {done.stderr.strip()}")
                made[(build, size)] = path
            return made[(build, size)]

        def env_for(path: Path) -> dict:
            return {**env, "TRIBE_DATABASE_URL": f"sqlite:///{path}"}

        bare = None
        if "ttff" in only:
            step(f"first frames (tmux {a.size}, interleaved rounds)")
            builds = [("", shlex.join(tribe)), *others]
            commands = {"bare": (shlex.join([sys.executable, a.bare]), "User 0")}
            for index, (label, command) in enumerate(builds):
                prefix = env_prefix(env_for(database(index, "big")))
                suffix = f" ({label})" if label else ""
                commands["overview" + suffix] = (f"{prefix} {command} demo", "Betaald t/m")
                commands["licences" + suffix] = (f"{prefix} {command} demo --screen licences", f"{n_text} licenties")
            times = ttff_rounds(Path(a.ttff), commands, a.runs, a.size)
            bare = statistics.median(times["bare"])
            figures.append(
                Figure(
                    "first frame, bare Textual app",
                    bare,
                    "ms",
                    "baseline",
                    None,
                    1.0,
                    note=f"min {min(times['bare']):.0f} ms",
                )
            )
            for label, _ in builds:
                suffix = f" ({label})" if label else ""
                for name, what, limit in (
                    ("overview", "`tribe-tui demo` (overview)", 1.35),
                    ("licences", f"licences screen ({n:,})", 1.8),
                ):
                    value = statistics.median(times[name + suffix])
                    per_round = sorted(t / b for t, b in zip(times[name + suffix], times["bare"], strict=False))
                    figures.append(
                        Figure(
                            f"first frame, {what}{suffix}",
                            value,
                            "ms",
                            f"≤ {limit}× bare",
                            value <= limit * bare,
                            value / bare,
                            note=f"min {min(times[name + suffix]):.0f} ms; per round "
                            f"{per_round[0]:.2f}-{per_round[-1]:.2f}×, median "
                            f"{statistics.median(per_round):.2f}×",
                        )
                    )

        if "cli" in only:
            step("command line")
            times = timed([*tribe, "account", "show", "--json"], env, a.cli_runs)
            show = ms(times)
            figures.append(
                Figure(
                    "`account show --json`", show, "ms", "≤ 150 ms", show <= 150, note=f"min {1000 * min(times):.0f} ms"
                )
            )
            copy = work / "copy.db"
            copy_env = {**env, "TRIBE_DATABASE_URL": f"sqlite:///{copy}"}

            def fresh_copy() -> None:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{copy}{suffix}").unlink(missing_ok=True)
                shutil.copyfile(db, copy)

            fresh_copy()
            times = timed([*tribe, "licences", "add", "1", "--json"], copy_env, a.cli_runs)
            add = ms(times)
            figures.append(
                Figure("`licences add 1`", add, "ms", "≤ 200 ms", add <= 200, note=f"min {1000 * min(times):.0f} ms")
            )

            def renewed(stdout: str) -> None:
                outcomes = json.loads(stdout)
                outcomes = outcomes.get("renewals", outcomes) if isinstance(outcomes, dict) else outcomes
                if "renewed" not in json.dumps(outcomes):
                    raise SystemExit(f"billing run renewed nothing: {stdout[:300]}")

            renew = (
                ms(
                    timed(
                        [*tribe, "billing", "run", "--json", "--today", RENEWAL_DAY],
                        copy_env,
                        3,
                        warmup=0,
                        prepare=fresh_copy,
                        check=renewed,
                    )
                )
                / 1000
            )
            figures.append(Figure(f"`billing run` renewal ({n:,})", renew, "s", "≤ 5 s", renew <= 5))

        stored_keys: tuple[str, str] | None = None
        if "flat" in only:
            step(f"commands on the plain demo and on the {n:,}-licence one, interleaved rounds")
            stored_keys = store_ssh_keys(db, 100_000)
            builds = [("", tribe)] + [(label, shlex.split(command)) for label, command in others]
            sizes_by_build = []
            for index in range(len(builds)):
                plain_key, _ = store_ssh_keys(database(index, "plain"), 1)
                if index:
                    copy_ssh_keys(db, database(index, "big"))
                sizes_by_build.append(
                    {
                        "plain": (env_for(database(index, "plain")), plain_key),
                        "big": (env_for(database(index, "big")), stored_keys[0]),
                    }
                )
            # (figure, argv after the program, whether stdout must show a key line)
            wanted = [
                ("`account show --json`", lambda key: ["account", "show", "--json"], None),
                ("`licences add 1 --dry-run`", lambda key: ["licences", "add", "1", "--dry-run"], None),
                (
                    "`ssh authorized-keys`, a stored key",
                    lambda key: ["ssh", "authorized-keys", "tribe", *key.split()],
                    True,
                ),
            ]
            times = {
                (label, what, size): [] for label, _ in builds for what, _, _ in wanted for size in ("plain", "big")
            }
            # Round by round, and in each round each command on the plain demo and then on the big one:
            # the machine's speed moves both alike, so their ratio is the data's doing.
            for round_ in range(a.cli_runs + 1):
                for (label, build), sizes in zip(builds, sizes_by_build, strict=True):
                    for what, argv, printed in wanted:
                        for size, (size_env, key) in sizes.items():
                            command = [*build, *argv(key)]
                            start = time.perf_counter()
                            done = subprocess.run(command, env=size_env, capture_output=True, text=True)
                            elapsed = time.perf_counter() - start
                            if done.returncode != 0 or (printed and not done.stdout.strip()):
                                raise SystemExit(
                                    f"{shlex.join(command)} failed ({done.returncode}): {done.stderr.strip()}"
                                )
                            if round_:  # the first round warms the caches
                                times[(label, what, size)].append(elapsed)
                WATCH.sample()
            for label, _ in builds:
                suffix = f" ({label})" if label else ""
                for what, _, _ in wanted:
                    big, small = times[(label, what, "big")], times[(label, what, "plain")]
                    ratio = statistics.median(big) / statistics.median(small)
                    per_round = sorted(b / p for b, p in zip(big, small, strict=True))
                    figures.append(
                        Figure(
                            f"{what}, {n:,} licences against the plain demo{suffix}",
                            ms(big),
                            "ms",
                            "≤ 1.15× plain",
                            ratio <= 1.15,
                            ratio,
                            note=f"plain demo {ms(small):.0f} ms; per round {per_round[0]:.2f}-{per_round[-1]:.2f}×, "
                            f"median {statistics.median(per_round):.2f}×; {len(big)} rounds",
                        )
                    )

        if "sshkeys" in only:
            step("`ssh authorized-keys` with 100,000 SSH keys stored (interleaved rounds)")
            known, unknown = stored_keys or store_ssh_keys(db, 100_000)
            commands = {
                "start": ([sys.executable, "-c", "pass"], None),
                "a stored key": ([*tribe, "ssh", "authorized-keys", "tribe", *known.split()], True),
                "an unknown key": ([*tribe, "ssh", "authorized-keys", "tribe", *unknown.split()], False),
            }
            # Round by round (start-up, stored, unknown, start-up, ...): the machine's load moves
            # all three alike, so a difference between them is the command's, not the moment's.
            times: dict[str, list[float]] = {name: [] for name in commands}
            for round_ in range(a.cli_runs + 1):
                for name, (command, found) in commands.items():
                    start = time.perf_counter()
                    done = subprocess.run(command, env=env, capture_output=True, text=True)
                    elapsed = time.perf_counter() - start
                    if found is not None and (done.returncode, bool(done.stdout.strip())) != (0, found):
                        raise SystemExit(f"ssh authorized-keys answered {done.returncode} {done.stdout!r} for {name}")
                    if round_:  # the first round warms the caches
                        times[name].append(elapsed)
            base = ms(times["start"])
            for name in ("a stored key", "an unknown key"):
                value = ms(times[name])
                figures.append(
                    Figure(
                        f"`ssh authorized-keys`, {name} (100,000 keys)",
                        value,
                        "ms",
                        "≤ 50 ms",
                        value <= 50,
                        note=f"min {1000 * min(times[name]):.0f} ms; Python's own "
                        f"start-up in the same rounds {base:.0f} ms",
                    )
                )

        if "interact" in only:
            step(f"filter and PageDown, headless ({a.keystrokes}+ keystrokes, whole table)")
            out = subprocess.run(
                [
                    sys.executable,
                    str(HERE / "interact.py"),
                    "--db",
                    env["TRIBE_DATABASE_URL"],
                    "--keystrokes",
                    str(a.keystrokes),
                    "--json",
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if out.returncode != 0:
                raise SystemExit(f"interact.py failed: {out.stderr[-2000:]}")
            result = json.loads(out.stdout.strip().splitlines()[-1])
            f, p = result["filter"], result["pagedown"]
            figures.append(
                Figure(
                    f"filter keystroke p95 (n={f['n']})",
                    f["p95_ms"],
                    "ms",
                    "≤ 16 ms",
                    f["p95_ms"] <= 16,
                    note=f"p50 {f['p50_ms']} ms, max {f['max_ms']} ms",
                )
            )
            figures.append(
                Figure(
                    f"PageDown p95 ({p['n']} pages, whole table)",
                    p["p95_ms"],
                    "ms",
                    "≤ 16 ms",
                    p["p95_ms"] <= 16,
                    note=f"p50 {p['p50_ms']} ms, max {p['max_ms']} ms",
                )
            )
            figures.append(
                Figure(
                    "peak RSS, headless run (same scenario)",
                    result["peak_rss_mb"],
                    "MB",
                    "(info)",
                    None,
                    note=f"first rows after {result['first_rows_s']} s, "
                    f"whole list after {result['load_s']} s (headless)",
                )
            )

        if "rss" in only:
            step("peak memory of the real TUI (tmux)")
            rss = tui_peak_rss(env, f"{n_text} licenties")
            figures.append(
                Figure(
                    f"peak RSS of the TUI ({n:,})",
                    rss,
                    "MB",
                    "≤ 150 MB",
                    rss <= 150,
                    note="licences screen, filter, 1,000 × PageDown, End",
                )
            )
    finally:
        if a.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    print()
    print(table(figures))
    loaded = [f for f in figures if f.load is not None and f.load > MAX_LOAD]
    if loaded:
        print(
            f"\n{len(loaded)} of {len(figures)} figures were measured at a 1-minute load average above "
            f"{MAX_LOAD} (marked LOADED): not a quiet machine's figures"
        )
    if a.write and loaded and not a.loaded_ok:
        raise SystemExit(
            f"not written to {a.write}: the machine was loaded (--wait-quiet S waits, --loaded-ok writes anyway)"
        )
    if a.write:
        text = (
            f"# Benchmark results\n\n- date: {info['date']}\n- machine: nproc {info['nproc']}, {info['cpu']}\n"
            f"- Python {info['python']}, Textual {info['textual']}\n- load average at start: {info['load']}\n"
            f"- command: `python bench/run.py {' '.join(sys.argv[1:])}`\n\n{table(figures)}\n"
        )
        Path(a.write).write_text(text, encoding="utf-8")
        print(f"\nwritten to {a.write}")


if __name__ == "__main__":
    main()
