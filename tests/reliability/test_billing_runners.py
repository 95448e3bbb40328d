"""Several `billing run` processes at once over the same due organisations, as cron starts them on
several hosts: every organisation renewed once, one invoice per organisation and period, and the
year's invoice numbers one unbroken series. On PostgreSQL both straight to the server and through
the pooler the PostgreSQL pass uses (pgbouncer in transaction mode, .ci/run); on SQLite (one
writer) the processes take turns and the outcome is the same."""

from __future__ import annotations

import json
from collections import Counter

from tests.reliability.conftest import open_db, run_actors

ORGANISATIONS = 60
RUNNERS = 3


def _routes(backend: str) -> dict[str, str]:
    import os

    from tests.conftest import PG_DIRECT_URL

    url = os.environ["TRIBE_DATABASE_URL"]
    if backend != "postgres":
        return {"sqlite": url}
    direct = f"{PG_DIRECT_URL.rstrip('/')}/{url.rsplit('/', 1)[1]}"
    return {"direct": direct} | ({"pooled": url} if url != direct else {})


def test_parallel_runners_renew_each_organisation_once_with_gapless_numbers(tmp_path, monkeypatch, backend, figures):
    from bench.generate import generate

    open_db()
    slugs = generate(ORGANISATIONS, 3, prefix="run")
    from tribe_tui.models import AuditEvent, Invoice, Organisation, OutboxMessage

    before_2026 = Invoice.select().count()
    # One renewal day per route, on the same organisations: 2027 straight, 2028 through the pooler.
    for year, (route, url) in zip((2027, 2028), _routes(backend).items(), strict=False):
        monkeypatch.setenv("TRIBE_DATABASE_URL", url)
        plans = {f"runner{i}": [["billing", "run", "--today", f"{year}-01-01", "--json"]] for i in range(RUNNERS)}
        runs = run_actors(tmp_path, plans, slow_s=0.002)
        results = [r for run in runs.values() for r in run.results]
        assert [r["code"] for r in results] == [0] * RUNNERS, [r["err"] for r in results]
        summaries = [json.loads(r["out"]) for r in results]
        told = [o["organisation"] for s in summaries for o in s["outcomes"]]
        assert sorted(told) == sorted(slugs), Counter(told).most_common(3)  # each once, by one runner
        assert all(s["failures"] == [] for s in summaries)
        if backend == "postgres":  # no runner waits for another's organisation: they share the work
            assert all(s["organisations"] > 0 for s in summaries), [s["organisations"] for s in summaries]

        open_db()
        renewals = [
            i for i in Invoice.select().where((Invoice.reason == "renewal") & (Invoice.period_start == f"{year}-01-01"))
        ]
        per_org = Counter(i.organisation_id for i in renewals)
        assert len(per_org) == ORGANISATIONS and set(per_org.values()) == {1}
        numbers = sorted(int(i.number.split("-")[1]) for i in Invoice.select() if i.number.startswith(f"{year}-"))
        assert numbers == list(range(1, ORGANISATIONS + 1))  # one unbroken series, whoever numbered
        told_numbers = sorted(o["invoice"] for s in summaries for o in s["outcomes"])
        assert told_numbers == sorted(i.number for i in renewals)
        events = AuditEvent.select().where(
            (AuditEvent.action == "billing.renewal") & AuditEvent.after.contains(f'"period_start": "{year}-01-01"')
        )
        assert events.count() == ORGANISATIONS
        assert (
            OutboxMessage.select().where(OutboxMessage.invoice.in_([i.id for i in renewals])).count() == ORGANISATIONS
        )
        assert Organisation.select().where(Organisation.paid_until == f"{year}-12-31").count() == ORGANISATIONS
        figures(
            f"parallel billing runners, {route}",
            organisations=ORGANISATIONS,
            runners=RUNNERS,
            settled_per_runner=sorted(s["organisations"] for s in summaries),
        )
    assert Invoice.select().where(Invoice.date < "2027-01-01").count() == before_2026
