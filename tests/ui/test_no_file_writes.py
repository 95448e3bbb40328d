"""No key sequence in the TUI writes a file on the server.

Admins reach the TUI over SSH as the service account, which can write the shared database and its
own SSH keys: any file the TUI could write at a typed path would be a way to destroy both. So every
screen's keys are pressed, each followed by what an attacker would do next (type a path into
whatever field has focus, submit it, confirm), while a process-wide audit hook records every file
opened for writing and every rename, removal or new directory. SQLite and PostgreSQL write through
their C libraries, which the hook does not see: the database's own writes are not counted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.ui.conftest import demo_ctx, settle

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_CHANGING_EVENTS = frozenset(
    {
        "os.rename",
        "os.remove",
        "os.rmdir",
        "os.mkdir",
        "os.symlink",
        "os.link",
        "os.truncate",
        "os.chmod",
        "os.chown",
        "os.utime",
        "shutil.copyfile",
        "shutil.copytree",
        "shutil.move",
        "shutil.rmtree",
    }
)
# The hook cannot be removed once added (Python's rule): it records only while a list is set here.
_recording: list[list[tuple]] = []
_hooked = False


def _hook(event: str, args: tuple) -> None:
    if not _recording:
        return
    if event == "open":
        path, mode, flags = (tuple(args) + (None, None))[:3]
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS
        )
        if writes:
            _recording[-1].append((event, path, mode))
    elif event in _CHANGING_EVENTS:
        _recording[-1].append((event, *args[:2]))


def _start_recording() -> list[tuple]:
    global _hooked
    if not _hooked:
        sys.addaudithook(_hook)
        _hooked = True
    seen: list[tuple] = []
    _recording.append(seen)
    return seen


def _stop_recording() -> None:
    _recording.clear()


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for root, _dirs, names in os.walk(folder):
        for name in names:
            if name.startswith("tribe.db"):
                continue  # the database (and its log) changes as admins work
            st = (Path(root) / name).lstat()
            found[str(Path(root) / name)] = (st.st_size, st.st_mtime_ns)
    return found


def _screen_keys(app) -> list[str]:
    """The keys this app adds on the current screen (its own bindings, not Textual's cursor and
    editing keys), plus Enter, which opens rows; never leaving, signing out or quitting."""
    keys = ["enter"]
    for key, active in app.screen.active_bindings.items():
        action = active.binding.action
        if not type(active.node).__module__.startswith("tribe_tui"):
            continue
        if action in ("quit", "back", "app.quit", "app.sign_out") or action.startswith("section("):
            continue
        if key not in keys:
            keys.append(key)
    return keys


async def _attack(pilot, name: str) -> None:
    """What an attacker does after a key: type a path to an existing file into whatever field has
    focus and submit it, then confirm whatever is asked, in either language."""
    from textual.keys import _character_to_key
    from textual.screen import ModalScreen
    from textual.widgets import Input

    app = pilot.app
    if isinstance(app.focused, Input):
        await pilot.press("ctrl+u", *(_character_to_key(c) for c in name), "enter")
        await settle(pilot)
    if isinstance(app.screen, ModalScreen):
        await pilot.press("j", "y")
        await settle(pilot)


async def _back_to(pilot, kind: type, way_in: tuple[str, ...]) -> None:
    from textual.screen import ModalScreen

    for _ in range(5):  # dialogs first, then back out of a screen a key opened
        if (
            type(pilot.app.screen) is kind
            or type(pilot.app.screen).__name__ == "OverviewScreen"
            and not isinstance(pilot.app.screen, ModalScreen)
        ):
            break
        leaving = not isinstance(pilot.app.screen, ModalScreen)
        await pilot.press("escape")
        await settle(pilot)
        if leaving and isinstance(pilot.app.screen, ModalScreen):
            # Leaving a screen with typed text asks whether to drop it: yes (Escape would stay).
            await pilot.press("j", "y")
            await settle(pilot)
    if type(pilot.app.screen) is not kind:  # home: in again the way an admin comes
        for key in way_in:
            await pilot.press(key)
            await settle(pilot)
    assert type(pilot.app.screen) is kind, (pilot.app.screen, kind)


async def _drive(pilot, way_in: tuple[str, ...], target: Path) -> list[str]:
    await settle(pilot)
    for key in way_in[1:]:
        await pilot.press(key)
        await settle(pilot)
    kind = type(pilot.app.screen)
    pressed = []
    for key in _screen_keys(pilot.app):
        pressed.append(key)
        await pilot.press(key)
        await settle(pilot)
        await _attack(pilot, target.name)
        await _back_to(pilot, kind, way_in)
    return pressed


# Every section, plus the screens one key deeper (one invoice in full), each a test of its own.
# Each is reached by its section key from the overview, as an admin would, then the keys after it.
SCREENS = [
    ("overview", ("0",)),
    ("edition", ("1",)),
    ("add-licences", ("2",)),
    ("modules", ("3",)),
    ("licences", ("4",)),
    ("invite", ("5",)),
    ("billing-details", ("6",)),
    ("invoices", ("7",)),
    ("cancel", ("8",)),
    ("invoices", ("7", "enter")),
]


@pytest.mark.parametrize(("section", "way_in"), SCREENS, ids=[" ".join(way) for _, way in SCREENS])
async def test_no_key_on_the_screen_writes_a_file(make_app, tmp_path, monkeypatch, section, way_in):
    from tribe_tui.services.licences import add_licences

    add_licences(demo_ctx(), 2)  # a second invoice: the invoice screens have something to offer
    home = Path(os.environ["HOME"])
    home.mkdir(parents=True, exist_ok=True)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    target = work / "k"  # short to type; the cwd makes it a path the export would have accepted
    target.write_text("ssh-ed25519 AAAA admin\n", encoding="utf-8")
    before = _files(tmp_path)
    writes: list[tuple] = _start_recording()
    try:
        app = make_app(section)
        async with app.run_test(size=(80, 24)) as pilot:
            pressed = await _drive(pilot, way_in, target)
    finally:
        _stop_recording()
    assert pressed  # the screen had keys to press
    assert target.read_text(encoding="utf-8") == "ssh-ed25519 AAAA admin\n"
    assert writes == [], writes
    after = _files(tmp_path)
    new_or_changed = {p for p, v in after.items() if before.get(p) != v}
    assert new_or_changed == set(), new_or_changed
