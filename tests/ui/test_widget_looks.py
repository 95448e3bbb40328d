"""The confirmation dialog, help screen, charge preview and paged table carry their own look
(DEFAULT_CSS), as Textual's widgets do: in a bare App without the project's stylesheets they look
the same as in tribe-tui."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App):
    """No CSS of the project at all."""

    def __init__(self, *makers) -> None:
        super().__init__()
        self.makers = makers  # made in compose: some widgets read the app (its language) when made
        self.lang = "nl"

    def compose(self) -> ComposeResult:
        for make in self.makers:
            yield make()


async def test_the_dialog_is_a_centred_box_without_the_apps_stylesheet():
    from tribe_tui.widgets.confirm import ConfirmDialog

    app = Bare()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ConfirmDialog("Vraag?", "Tekst", "Ja", "Nee"))
        await pilot.pause()
        box = app.screen.query_one("#dialog")
        assert box.region.width == 64 and box.region.x == 8  # centred
        assert box.styles.border_top[0] == "thick"


async def test_the_help_is_a_centred_box_without_the_apps_stylesheet():
    from tribe_tui.widgets.help import HelpScreen

    app = Bare(lambda: Static("onder de hulp"))
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(HelpScreen(app.screen))
        await pilot.pause()
        box = app.screen.query_one("#help")
        assert box.region.width == 76 and box.region.x == 2
        assert box.styles.border_top[0] == "round"


async def test_the_charge_preview_and_paged_table_style_themselves():
    from tribe_tui.widgets.charge_preview import ChargePreview
    from tribe_tui.widgets.paged_table import PagedTable

    app = Bare(ChargePreview, lambda: PagedTable(lambda ids: [], lambda row: (), ("Gebruiker",), page=10))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        preview, table = app.query_one(ChargePreview), app.query_one(PagedTable)
        assert preview.styles.margin.top == 1 and preview.styles.height.is_auto
        assert table.get_component_styles("paged-table--header").text_style.bold
        assert table.get_component_styles("paged-table--cursor").background.a > 0


def test_the_screens_stylesheets_keep_only_layout():
    """No selector of these widgets' parts is left in styles/*.tcss (the NO_COLOR rule for every
    list's highlighted row stays there: it is the app's policy, not one widget's look)."""
    from pathlib import Path

    styles = "\n".join(p.read_text() for p in (Path(__file__).parents[2] / "styles").glob("*.tcss"))
    for gone in ("ConfirmDialog", "#dialog", "HelpScreen", "#help", ".charge-preview", "#licences-table >"):
        assert gone not in styles, gone
