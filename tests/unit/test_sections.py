"""The one list of sections: every entry has its screen, stylesheet, title and help in both
languages, and the CLI, the keys and the help all take their sections from it."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from tribe_tui.sections import NAMES, SECTIONS, sections_help

STYLES = Path(__file__).resolve().parents[2] / "styles"


@pytest.mark.parametrize("section", SECTIONS, ids=NAMES)
def test_each_section_has_its_screen_stylesheet_title_and_help(section):
    from tribe_tui.i18n import t
    from tribe_tui.screens.list_screen import ListScreen

    screen = section.screen_class()
    assert screen.SECTION == section.name
    assert screen.HELP_KEY == section.help_key  # taken from the list, not repeated in the screen
    if section.name != "overview":  # the overview uses the app's own stylesheet
        # A paged list (screens/list_screen.py) shares the lists' stylesheet.
        sheet = "list" if issubclass(screen, ListScreen) else screen.__module__.rsplit(".", 1)[1]
        assert Path(screen.CSS_PATH) == STYLES / f"{sheet}.tcss"
        assert Path(screen.CSS_PATH).is_file()
    for lang in ("nl", "en"):
        assert t(section.title_key, lang) != section.title_key and t(section.help_key, lang) != section.help_key


def test_keys_are_distinct_digits_in_order():
    assert [s.key for s in SECTIONS] == [str(i) for i in range(len(SECTIONS))]


def test_the_cli_offers_every_section_for_demo_screen():
    from tribe_tui.cli import build_parser

    parser = build_parser(["demo"])
    demo = parser._subparsers._group_actions[0].choices["demo"]
    screen = next(a for a in demo._actions if a.dest == "screen")
    assert tuple(screen.choices) == NAMES


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_help_lists_every_section_with_its_key(lang):
    listed = sections_help(lang)
    for section in SECTIONS:
        assert f"{section.key} {section.title(lang)}" in listed


def _every_screen():
    from tribe_tui.sections import PAGES

    return [*SECTIONS, *PAGES]


@pytest.mark.parametrize("entry", _every_screen(), ids=lambda entry: entry.name)
def test_every_entry_names_its_screen_by_an_import_string_that_imports_a_section_screen(entry):
    """A reader follows `screen` to the class: "tribe_tui.screens.<module>:<Class>", imported as written."""
    from tribe_tui.screens.base import SectionScreen

    module, _, name = entry.screen.partition(":")
    assert module.startswith("tribe_tui.screens.") and name, entry.screen
    cls = getattr(importlib.import_module(module), name)
    assert isinstance(cls, type) and issubclass(cls, SectionScreen)
    assert entry.screen_class() is cls


def test_the_pages_are_in_the_same_registry():
    from tribe_tui.i18n import t
    from tribe_tui.sections import PAGE_BY_NAME, PAGES

    assert {"ssh-keys", "audit"} <= set(PAGE_BY_NAME)
    assert not {page.name for page in PAGES} & set(NAMES)  # one name, one screen
    for page in PAGES:
        assert page.screen_class().HELP_KEY == page.help_key  # taken from the registry, not repeated
        for lang in ("nl", "en"):
            assert t(page.title_key, lang) != page.title_key
