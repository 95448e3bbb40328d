"""The focused widget carries a mark that is a character (so it shows in every theme and without
colour), and the footer at 80 columns shows whole keys, the screen's own first."""

import pytest

from tests.ui.conftest import screen_text, settle

SECTIONS = [
    "overview",
    "edition",
    "add-licences",
    "modules",
    "licences",
    "invite",
    "billing-details",
    "invoices",
    "cancel",
]


def _left_edge(app, widget) -> str:
    """The characters in the column just inside the widget's left edge, top to bottom."""
    lines = screen_text(app).splitlines()
    region = widget.region
    # A list taller than the screen (the overview at 80x24) scrolls: its visible rows carry the mark.
    visible = range(max(region.y, 0), min(region.bottom, len(lines)))
    return "".join(lines[y][region.x] for y in visible if region.x < len(lines[y]))


@pytest.mark.parametrize("section", SECTIONS)
async def test_the_focused_widget_has_a_mark_that_is_not_only_colour(make_app, section):
    app = make_app(section)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        focused = app.focused
        assert focused is not None, f"nothing has the focus on {section}"
        marked = _left_edge(app, focused)
        assert marked.strip(), f"{section}: {focused!r} shows no mark at its left edge"
        if focused.__class__.__name__ == "Button":
            return  # a button shows its focus as bold reverse, a text style that survives NO_COLOR
        focused.blur()
        await settle(pilot)
        assert _left_edge(app, focused) != marked, f"{section}: {focused!r} looks the same without the focus"


def _footer_keys(app):
    from textual.widgets._footer import FooterKey

    return [key for key in app.screen.query(FooterKey) if not key.has_class("-command-palette")]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("section", SECTIONS)
async def test_the_footer_shows_whole_keys_the_screens_own_first(make_app, section, lang):
    from textual.widgets import Footer

    app = make_app(section, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        keys = _footer_keys(app)
        shown = [key for key in keys if key.display]
        assert shown, "no keys in the footer"
        palette = [key for key in app.screen.query("FooterKey.-command-palette")]
        right = palette[0].region.x if palette else footer.region.right
        for key in shown:
            assert key.region.right <= right, f"{key.key} is cut: {key.region} beyond {right}"
        # Back and Help always show; of the others, once one key is left out, every later one is
        # too (the order is the priority).
        assert {key.key for key in keys if key.action in ("back", "app.help")} <= {key.key for key in shown}
        others = [key.display for key in keys if key.action not in ("back", "app.help")]
        assert others == sorted(others, reverse=True)
        shared = {"escape", "f1", "ctrl+q", "ctrl+o", *(f"f{n}" for n in range(2, 11))}  # every screen's
        own = [key.key for key in shown if key.key not in shared]
        if own:
            assert shown[0].key == own[0], f"{section}: the screen's own keys come after the shared ones"


@pytest.mark.parametrize("lang", ["nl", "en"])
async def test_licences_footer_names_filter_and_show_former(make_app, lang):
    """The footer names the filter and renewal keys; the filter row names its two keys itself."""
    app = make_app("licences", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        words = {"nl": ("/ Filter", "a Verlenging aan/uit"), "en": ("/ Filter", "a Renewal on/off")}[lang]
        for expected in words:
            assert expected in footer, footer
        row = {"nl": ("Filter (/)", "Voormalig tonen (t)"), "en": ("Filter (/)", "Show former (t)")}[lang]
        assert all(words in screen_text(app) for words in row)


@pytest.mark.parametrize("section", SECTIONS)
async def test_every_tab_stop_shows_its_focus(make_app, section):
    """Not only the first: each widget Tab reaches is marked (the scrolling page itself too, which
    Tab reached on the invite screen with nothing to show for it)."""
    app = make_app(section)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        seen = set()
        for _ in range(12):
            focused = app.focused
            if focused is None or id(focused) in seen:
                break
            seen.add(id(focused))
            if focused.__class__.__name__ != "Button":
                marked = _left_edge(app, focused)
                focused.blur()
                await settle(pilot)
                assert _left_edge(app, focused) != marked, f"{section}: {focused!r} looks the same without the focus"
                focused.focus()
                await settle(pilot)
            await pilot.press("tab")
            await settle(pilot)
