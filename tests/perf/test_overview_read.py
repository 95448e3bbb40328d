"""The overview's read sits in front of every start's first frame: it asks the database each thing
once (the renewal's edition, modules and VAT serve both the forecast and the idle licences' cost)."""

from __future__ import annotations

import logging
import os
from collections import Counter


class _Statements(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sent: list[tuple[str, tuple]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.msg, tuple) and len(record.msg) == 2 and isinstance(record.msg[0], str):
            sql, params = record.msg
            self.sent.append((sql, tuple(params or ())))


def test_the_overview_asks_the_database_each_thing_once(cli):
    from tribe_tui.config import DEMO_ADMIN
    from tribe_tui.db import open_database
    from tribe_tui.services.account import overview
    from tribe_tui.services.session import start_session

    assert cli("demo", "--no-open").code == 0
    open_database(os.environ["TRIBE_DATABASE_URL"])
    session = start_session(DEMO_ADMIN, cli_today(), "nl")
    log = logging.getLogger("peewee")
    handler, level = _Statements(), log.level
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    try:
        view = overview(session.ctx)
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
    assert view.next_invoice.lines and view.idle is not None  # the forecast and the idle licences were read
    twice = [sql for (sql, params), n in Counter(handler.sent).items() if n > 1]
    assert twice == []
    assert len(handler.sent) <= 15


def cli_today():
    from tribe_tui.config import Settings

    return Settings().effective_today()
