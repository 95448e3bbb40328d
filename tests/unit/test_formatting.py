"""Times the database holds in UTC are shown as Amsterdam's wall clock (the zone of the rules, R11),
with the zone named, whatever zone the machine itself is set to."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest

from tribe_tui.formatting import local_day, moment


@pytest.fixture(params=["UTC", "America/New_York"], autouse=True)
def server_zone(request, monkeypatch):
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def test_a_stored_utc_moment_reads_as_amsterdam_time_in_winter_and_summer():
    assert moment(datetime(2026, 12, 1, 18, 53)) == "1 dec 2026 19:53 CET"  # UTC+1
    assert moment(datetime(2026, 12, 1, 18, 53), "en") == "1 Dec 2026 19:53 CET"
    assert moment(datetime(2026, 7, 1, 10, 0)) == "1 jul 2026 12:00 CEST"  # UTC+2
    assert moment(datetime(2026, 3, 29, 0, 59, tzinfo=UTC), day=False) == "01:59 CET"  # just before the switch
    assert moment(datetime(2026, 3, 29, 1, 0, tzinfo=UTC), day=False) == "03:00 CEST"
    assert moment(datetime(2026, 12, 31, 23, 30)) == "1 jan 2027 00:30 CET"  # the next day, in Amsterdam


def test_the_day_of_a_stored_moment_is_amsterdams_day():
    assert local_day(datetime(2026, 12, 31, 23, 30)) == date(2027, 1, 1)
    assert local_day(datetime(2026, 7, 1, 21, 59)) == date(2026, 7, 1)
    assert local_day(datetime(2026, 7, 1, 22, 0)) == date(2026, 7, 2)


def test_a_narrow_column_may_leave_the_zone_out_but_not_the_conversion():
    assert moment(datetime(2026, 12, 1, 18, 53), day=False, zone=False) == "19:53"
