"""One PostgreSQL for 10,000 organisations: the figures of docs/deployment.md.

    python bench/scale.py                         # everything (about 10-15 minutes here)
    python bench/scale.py --only run              # gen, run (= run1,run2,run2pooled), frame, add, sessions
    python bench/scale.py --keep                  # keep the template database for a next --reuse

Needs PostgreSQL on 127.0.0.1:5432 (trust), pgbouncer on 127.0.0.1:6432 (.ci/pgbouncer starts it:
transaction mode, 20 server connections per database) and tmux. Works on databases named
tribe_scale_*, dropped afterwards; never touches yours.

- gen: bench/generate.py makes ORGS organisations x 30 licences with their history (bulk inserts).
- run: `billing run --today 2027-01-01` over all of them (all due), with 1 runner and with 2 started at
  once, each on a fresh copy of the database; organisations per second from the first start to the
  last exit (whole processes), and the proof: per organisation and period one renewal invoice, one
  mail queued per renewal invoice, the year's numbers one unbroken series.
- frame / add: the overview's first frame (`ssh session KEY` in tmux, until 'Betaald t/m' shows) and
  `licences add 1` (whole process), on the 10,000-organisation database and on one with one
  organisation, in alternating rounds, medians.
- sessions: 50 processes, each a headless session doing mixed actions on its organisation (the CLI in
  process, one connection per action as the TUI does) for 60 s through pgbouncer; errors, p95 per
  action, and the invoices each session was told against those in the database.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SERVER = "postgresql://postgres@127.0.0.1:5432"
POOLED = "postgresql://postgres@127.0.0.1:6432"
TEMPLATE = "tribe_scale_template"
ONE = "tribe_scale_one"
TODAY = "2026-11-26"
RENEWAL = "2027-01-01"


def psql(sql: str, db: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-tAqc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def copy_of(name: str, template: str = TEMPLATE) -> str:
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(f"CREATE DATABASE {name} TEMPLATE {template}")
    return name


def tribe() -> list[str]:
    return [str(Path(sys.executable).with_name("tribe-tui"))]


def make(name: str, organisations: int, licences: int) -> float:
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(f"CREATE DATABASE {name}")
    started = time.monotonic()
    subprocess.run(
        [
            sys.executable,
            str(HERE / "generate.py"),
            "--db",
            f"{SERVER}/{name}",
            "--organisations",
            str(organisations),
            "--licences",
            str(licences),
        ],
        check=True,
    )
    return time.monotonic() - started


def billing_runs(runners: int, organisations: int, url_base: str) -> dict:
    db = copy_of(f"tribe_scale_run{runners}")
    url = f"{url_base}/{db}"
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            [*tribe(), "--db", url, "billing", "run", "--today", RENEWAL, "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(runners)
    ]
    outs = [p.communicate() for p in procs]
    wall = time.monotonic() - started
    codes = [p.returncode for p in procs]
    summaries = [json.loads(out) for out, _ in outs]
    doubled = int(
        psql(
            "SELECT count(*) FROM (SELECT organisation_id, period_start FROM invoice WHERE reason = 'renewal'"
            " GROUP BY 1, 2 HAVING count(*) > 1) d",
            db,
        )
    )
    renewals = int(psql(f"SELECT count(*) FROM invoice WHERE reason = 'renewal' AND period_start = '{RENEWAL}'", db))
    mails = int(
        psql(
            "SELECT count(*) FROM outbox_message m JOIN invoice i ON i.id = m.invoice_id WHERE i.reason = 'renewal'", db
        )
    )
    numbers = psql(
        "SELECT min(split_part(number, '-', 2)::int), max(split_part(number, '-', 2)::int), count(*)"
        " FROM invoice WHERE number LIKE '2027-%'",
        db,
    )
    lo, hi, count = (int(x) for x in numbers.split("|"))
    events = int(psql("SELECT count(*) FROM audit_event WHERE action = 'billing.renewal'", db))
    psql(f"DROP DATABASE {db} WITH (FORCE)")
    return {
        "runners": runners,
        "exit_codes": codes,
        "wall_s": round(wall, 2),
        "organisations_per_s": round(organisations / wall, 1),
        "in_process_s": [s["seconds"] for s in summaries],
        "settled_per_runner": [s["organisations"] for s in summaries],
        "failures": sum(len(s["failures"]) for s in summaries),
        "renewal_invoices": renewals,
        "organisation_periods_invoiced_twice": doubled,
        "renewal_mails_queued": mails,
        "numbers_2027": f"{lo}..{hi}, {count} numbers" + (" (gapless)" if (lo, hi) == (1, count) else " (GAPS)"),
        "audit_events": events,
    }


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def licences_add(rounds: int) -> dict:
    """`licences add 1`, whole process, alternating between the two databases."""
    many, one = copy_of("tribe_scale_add_many"), copy_of("tribe_scale_add_one", ONE)
    times: dict[str, list[float]] = {"10000": [], "1": []}
    for _ in range(rounds):
        for label, db, org in (("1", one, "bench-00001"), ("10000", many, "bench-05000")):
            started = time.monotonic()
            subprocess.run(
                [*tribe(), "--db", f"{SERVER}/{db}", "--org", org, "--today", TODAY, "licences", "add", "1", "--json"],
                check=True,
                capture_output=True,
            )
            times[label].append(time.monotonic() - started)
    for db in (many, one):
        psql(f"DROP DATABASE {db} WITH (FORCE)")
    return {f"{k}_orgs_ms": _median_ms(v) for k, v in times.items()} | {
        "ratio": round(statistics.median(times["10000"]) / statistics.median(times["1"]), 3)
    }


def first_frames(rounds: int) -> dict:
    """The overview's first frame with data, in tmux at 120x40, as the key's owner (policy: key)."""
    sys.path.insert(0, "/work/shared/tools")
    import ttff  # type: ignore[import-not-found]

    many, one = copy_of("tribe_scale_frame_many"), copy_of("tribe_scale_frame_one", ONE)
    commands = {}
    for label, db, org in (("1", one, "bench-00001"), ("10000", many, "bench-05000")):
        url = f"{SERVER}/{db}"
        subprocess.run([*tribe(), "--db", url, "--org", org, "ssh", "policy", "key"], check=True, capture_output=True)
        key = psql(
            f"SELECT k.id FROM ssh_key k JOIN employee e ON e.id = k.employee_id JOIN organisation o"
            f" ON o.id = e.organisation_id WHERE o.slug = '{org}' AND e.role = 'admin'",
            db,
        )
        commands[label] = f"{' '.join(tribe())} --db {url} --today {TODAY} ssh session {key}"
    times: dict[str, list[float]] = {"10000": [], "1": []}
    keep = "tribe-scale-keep"
    subprocess.run(["tmux", "new-session", "-d", "-s", keep, "sleep 3600"], check=True)
    try:
        for label in ("1", "10000"):  # warm-up
            ttff.once(commands[label], "Betaald t/m", (120, 40))
        for _ in range(rounds):
            for label in ("1", "10000"):
                times[label].append(ttff.once(commands[label], "Betaald t/m", (120, 40)))
    finally:
        subprocess.run(["tmux", "kill-session", "-t", keep], capture_output=True)
    for db in (many, one):
        psql(f"DROP DATABASE {db} WITH (FORCE)")
    return {f"{k}_orgs_ms": _median_ms(v) for k, v in times.items()} | {
        "ratio": round(statistics.median(times["10000"]) / statistics.median(times["1"]), 3)
    }


SESSION = r"""
import json, random, sys, time
from tribe_tui.cli import run
import io
from contextlib import redirect_stderr
org, until, seed, out = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = random.Random(seed)
mails = [f"m{j}@{org}.example" for j in range(1, 30)]
actions = [
    ("overview", lambda: ["account", "show"]),
    ("licences filter", lambda: ["licences", "list", "--filter", f"Medewerker {rng.randint(0, 29):02d}"]),
    ("invoices list", lambda: ["invoices", "list"]),
    ("licences add", lambda: ["licences", "add", str(rng.randint(1, 3))]),
    ("licences renew", lambda: ["licences", "renew", rng.choice(mails), rng.choice(("on", "off"))]),
    ("billing-details set", lambda: ["billing-details", "set", f"po_reference=PO-{rng.randint(1, 10**6)}"]),
]
with open(out, "w") as f:
    while time.time() < until:
        name, argv = rng.choice(actions)
        argv = argv() + ["--org", org, "--json"]
        buf, err = io.StringIO(), io.StringIO()
        t0 = time.perf_counter()
        with redirect_stderr(err):
            code = run(argv, stdout=buf)
        ms = (time.perf_counter() - t0) * 1000
        invoice = None
        if name == "licences add" and code == 0:
            invoice = json.loads(buf.getvalue())["invoice"]
        f.write(json.dumps({"action": name, "code": code, "ms": ms, "err": err.getvalue()[:200], "invoice": invoice}) + "\n")
"""


def sessions(count: int, seconds: float) -> dict:
    db = copy_of("tribe_scale_sessions")
    before = int(psql("SELECT count(*) FROM invoice", db))
    folder = Path(f"/tmp/tribe_scale_sessions_{os.getpid()}")
    folder.mkdir(exist_ok=True)
    script = folder / "session.py"
    script.write_text(SESSION)
    until = time.time() + 5 + seconds  # after every interpreter has started
    env = dict(os.environ, TRIBE_DATABASE_URL=f"{POOLED}/{db}", TRIBE_TODAY=TODAY, TRIBE_LANG="nl")
    # Organisations 1..40: sessions 41..50 share one with another session (they meet on its lock).
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), f"bench-{(i % 40) + 1:05d}", str(until), str(i), str(folder / f"{i}.jsonl")],
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(count)
    ]
    crashed = [p.communicate()[1][-500:] for p in procs if p.wait() != 0]
    records = [json.loads(line) for i in range(count) for line in (folder / f"{i}.jsonl").read_text().splitlines()]
    by_action: dict[str, list[float]] = {}
    for r in records:
        by_action.setdefault(r["action"], []).append(r["ms"])
    refused = [r for r in records if r["code"] == 1]
    errors = [
        r for r in records if r["code"] not in (0, 1) or (r["code"] == 1 and not r["err"].startswith("tribe-tui: "))
    ]
    told = [r["invoice"] for r in records if r["invoice"]]
    stored = psql("SELECT number FROM invoice WHERE reason = 'licences' AND date = '2026-11-26'", db).split()
    after = int(psql("SELECT count(*) FROM invoice", db))
    numbers = sorted(
        int(n.split("-")[1]) for n in psql("SELECT number FROM invoice WHERE number LIKE '2026-%'", db).split()
    )
    server = psql("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()", db)
    psql(f"DROP DATABASE {db} WITH (FORCE)")

    def p95(values: list[float]) -> float:
        return round(statistics.quantiles(values, n=20)[-1], 1) if len(values) > 1 else round(values[0], 1)

    return {
        "sessions": count,
        "seconds": seconds,
        "actions": len(records),
        "actions_per_s": round(len(records) / seconds, 1),
        "crashed_sessions": len(crashed),
        "errors": len(errors),
        "error_examples": [e["err"] for e in errors[:3]] + crashed[:2],
        "refused": len(refused),
        "refusal_examples": sorted({r["err"].strip() for r in refused})[:3],
        "invoices_told": len(told),
        "invoices_stored": len(stored),
        "invoices_lost": len(set(told) - set(stored)),
        "invoices_doubled_or_untold": (after - before) - len(set(told)),
        "numbers_2026_gapless": numbers == list(range(1, len(numbers) + 1)),
        "p95_ms": {k: p95(v) for k, v in sorted(by_action.items())},
        "median_ms": {k: round(statistics.median(v), 1) for k, v in sorted(by_action.items())},
        "server_connections_after": server,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--organisations", type=int, default=10_000)
    ap.add_argument("--licences", type=int, default=30)
    ap.add_argument("--only", default="gen,run,frame,add,sessions")
    ap.add_argument("--reuse", action="store_true", help="use the template database a --keep run left")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    a = ap.parse_args()
    only = set(a.only.split(","))
    results: dict = {"uptime_before": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()}
    if not a.reuse:
        results["generate_s"] = round(make(TEMPLATE, a.organisations, a.licences), 1)
        make(ONE, 1, a.licences)
    for runners, route, label in ((1, SERVER, "run1"), (2, SERVER, "run2"), (2, POOLED, "run2pooled")):
        if label in only or "run" in only:
            results[f"billing_{label}"] = billing_runs(runners, a.organisations, route)
            print(json.dumps(results[f"billing_{label}"]), flush=True)
    if "add" in only:
        results["licences_add_1"] = licences_add(a.rounds)
        print(json.dumps(results["licences_add_1"]), flush=True)
    if "frame" in only:
        results["overview_first_frame"] = first_frames(a.rounds)
        print(json.dumps(results["overview_first_frame"]), flush=True)
    if "sessions" in only:
        results["sessions"] = sessions(a.sessions, a.seconds)
    results["uptime_after"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    if not a.keep:
        psql(f"DROP DATABASE IF EXISTS {TEMPLATE}")
        psql(f"DROP DATABASE IF EXISTS {ONE}")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
