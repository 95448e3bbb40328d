"""One admin's process for the reliability tests: runs CLI commands through the real entry point.

    python actor.py PLAN.json RESULTS.jsonl

PLAN: {"start_at": epoch seconds to wait for (all actors start together),
       "commands": [[argv...], ...], "repeat": false,
       "slow_s": 0.0 (a random pause up to this long at each step inside an action's transaction,
                      so that concurrent actions overlap and a SIGKILL lands inside a transaction)}
Each result is one JSON line, flushed at once: {"i", "argv", "code", "out", "err"}; before each
command a line {"i", "started": true} tells a crash test how far the process got.
"""

from __future__ import annotations

import io
import json
import random
import sys
import time
from contextlib import redirect_stderr


def _slow_down(max_s: float) -> None:
    """Pause inside the transaction between the steps of an action (test-only instrumentation)."""
    if max_s <= 0:
        return
    from tribe_tui.services import billing_details, invoices, licences, organisations, outbox, renewal

    def paused(fn):
        def wrapper(*args, **kwargs):
            time.sleep(random.uniform(0, max_s))
            result = fn(*args, **kwargs)
            time.sleep(random.uniform(0, max_s))
            return result

        return wrapper

    # Services import these by name, so each service module's own reference is replaced.
    for module in (licences, renewal, billing_details, invoices, outbox, organisations):
        for name in (
            "write_invoice",
            "touch",
            "audit",
            "_next_number",
            "lock_organisation",
            "claim",
            "_mark_sent",
            "_mark_failed",
        ):
            if hasattr(module, name):
                setattr(module, name, paused(getattr(module, name)))


def main(plan_path: str, results_path: str) -> int:
    with open(plan_path, encoding="utf-8") as handle:
        plan = json.load(handle)
    from tribe_tui.cli import run

    _slow_down(float(plan.get("slow_s", 0)))
    delay = plan.get("start_at", 0) - time.time()
    if delay > 0:
        time.sleep(delay)
    commands = plan["commands"]
    with open(results_path, "a", encoding="utf-8", buffering=1) as results:
        i = 0
        while True:
            argv = commands[i % len(commands)]
            results.write(json.dumps({"i": i, "started": True}) + "\n")
            out, err = io.StringIO(), io.StringIO()
            with redirect_stderr(err):
                try:
                    code = run(argv, stdout=out)
                except BaseException:  # a leak past the CLI's own handling is a finding
                    import traceback

                    code, err = 99, io.StringIO("Traceback (leaked)\n" + traceback.format_exc())
            results.write(
                json.dumps({"i": i, "argv": argv, "code": code, "out": out.getvalue(), "err": err.getvalue()}) + "\n"
            )
            i += 1
            if i >= len(commands) and not plan.get("repeat"):
                return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
