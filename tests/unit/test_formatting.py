"""Times the database holds in UTC are shown as Amsterdam's wall clock (the zone of the rules, R11)."""

from __future__ import annotations

from datetime import UTC, datetime

from tribe_tui.formatting import clock


def test_a_stored_utc_moment_reads_as_amsterdam_time_in_winter_and_summer():
    assert clock(datetime(2026, 12, 1, 18, 53)) == "2026-12-01 19:53"  # CET, UTC+1
    assert clock(datetime(2026, 7, 1, 10, 0)) == "2026-07-01 12:00"  # CEST, UTC+2
    assert clock(datetime(2026, 3, 29, 0, 59, tzinfo=UTC)) == "2026-03-29 01:59"  # just before the switch
    assert clock(datetime(2026, 3, 29, 1, 0, tzinfo=UTC)) == "2026-03-29 03:00"
    assert clock(datetime(2026, 12, 31, 23, 30)) == "2027-01-01 00:30"  # the next day, in Amsterdam
