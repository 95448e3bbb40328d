"""UI tests: the real app from the one factory, on a demo database, with nothing that varies."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import BACKEND, TODAY


@pytest.fixture(autouse=True)
def terminal_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """The terminal environment every UI test declares, whatever the shell running the suite has
    set: no animations, and colour. A test under NO_COLOR says so (`monkeypatch.setenv("NO_COLOR",
    "1")` before making the app: Textual reads it when the app is made)."""
    import textual.constants

    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")  # for the processes a test starts
    # Textual read the variable when it was first imported, before any test ran: apps made in this
    # process take their animation level from the constant (an animated scroll made the help test
    # read the screen mid-way on a loaded machine).
    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")
    monkeypatch.delenv("NO_COLOR", raising=False)
    return monkeypatch


@pytest.fixture(autouse=True)
def _pilot_polls_finely(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual's pilot, after every key and every pause, sleeps in steps of 1/50 s until the
    process is idle; with several of those per key the UI suite spent about half its time asleep
    (bench/RESULTS.md, "CI time"). Smaller steps wait for the same thing: settle() below still
    decides when the app is done, by its workers and message queues, not by the clock."""
    import textual._wait

    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 1 / 250)
    monkeypatch.setattr(textual._wait, "SLEEP_IDLE", 1 / 250 / 20)


@pytest.fixture
def settings():
    from tribe_tui.config import Settings

    return Settings()


# SQLite demo databases made by ensure_demo in this worker, by the settings they were made under.
_DEMO_TEMPLATES: dict[tuple, Path] = {}


@pytest.fixture
def demo(settings, tmp_path_factory):
    """The demo organisation (30 licences) on today's fixed date; returns the settings.

    On SQLite the worker makes the demo once (with each distinct set of TRIBE_* settings) and every
    test gets a copy of that file: ensure_demo's work, the admin's argon2 hash above all, is most of
    a UI test's set-up and the same every time. PostgreSQL runs ensure_demo per test."""
    from tribe_tui.db import open_database
    from tribe_tui.models import database
    from tribe_tui.services.demo import ensure_demo

    target = settings.url.removeprefix("sqlite:///")
    if BACKEND != "sqlite" or target == settings.url or Path(target).exists():
        open_database(settings.url)
        ensure_demo(TODAY)
        return settings
    key = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("TRIBE_") and k != "TRIBE_DATABASE_URL"))
    template = _DEMO_TEMPLATES.get(key)
    if template is None:
        template = tmp_path_factory.mktemp("demo-template") / "tribe.db"
        open_database(f"sqlite:///{template}")
        ensure_demo(TODAY)
        database.obj.close()  # checkpointed: the one file holds it all
        _DEMO_TEMPLATES[key] = template
    shutil.copy(template, target)  # with its mode (0600, as the app made it)
    open_database(settings.url)
    return settings


@pytest.fixture
def make_app(demo) -> Callable:
    """make_app(screen="licences", lang="en", signed_in="admin") -> TribeApp (signed in unless None)."""
    from tribe_tui.app import create_app

    def make(screen: str | None = "overview", lang: str = "nl", signed_in: str | None = "admin"):
        return create_app(demo, screen=screen, signed_in=signed_in, lang=lang, cursor_blink=False)

    return make


def demo_ctx():
    """A service context on the demo organisation, for arranging and checking state in tests."""
    from tribe_tui.models import Organisation
    from tribe_tui.service_types import Context

    return Context(Organisation.get(Organisation.slug == "demo").id, "test", TODAY)


def busy_workers(app) -> list:
    """Workers still at work. A confirm-then-act worker waiting for the admin's answer in an open
    dialog is not at work: it waits for a key the test has yet to press."""
    from textual.screen import ModalScreen

    from tribe_tui.screens.base import ASKING

    asking = isinstance(app.screen, ModalScreen)
    return [worker for worker in app.workers if not worker.is_finished and not (asking and worker.group == ASKING)]


async def settle(pilot, timeout: float = 60.0) -> None:
    """Let workers (database reads in threads) finish and the screen repaint.

    Polls rather than awaiting the workers: a worker may start another (a reload after an action,
    a preview after a highlight, the index after the first page is painted), and a confirm-then-act
    worker never finishes while its dialog waits. Settled means three rounds in a row in which
    every queued message was handled and no worker was at work."""
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 3:
        await pilot.pause()
        if busy_workers(pilot.app):
            quiet = 0
            if time.monotonic() > deadline:
                raise AssertionError(f"never settled: {busy_workers(pilot.app)}")
            await asyncio.sleep(0.01)  # the threads' turn
        else:
            quiet += 1


async def until(pilot, check, timeout: float = 10.0) -> bool:
    """Settle, then poll until check() holds (a reload after an action may land a frame later on a
    loaded machine); returns whether it held, so the caller asserts with its own message."""
    import time

    deadline = time.monotonic() + timeout
    await settle(pilot)
    while not check():
        if time.monotonic() > deadline:
            return False
        await pilot.pause(0.05)
        await settle(pilot)
    return True


async def type_text(pilot, text: str) -> None:
    """Type text key by key, as a person at the keyboard would."""
    from textual.keys import _character_to_key

    for char in text:
        await pilot.press(_character_to_key(char))


def screen_text(app) -> str:
    """What the terminal shows right now, as plain text lines (the topmost screen)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def keys(*presses: str):
    """A run_before for snap_compare: press keys one by one, settling after each."""

    async def run(pilot) -> None:
        await settle(pilot)
        for key in presses:
            await pilot.press(key)
            await settle(pilot)

    return run
