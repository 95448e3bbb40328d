"""The Textual application (placeholder until the TUI issue lands)."""

from __future__ import annotations


def run_app(settings, screen: str | None = None, signed_in_username: str | None = None) -> int:
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Placeholder(App):
        TITLE = "tribe-tui"
        BINDINGS = [("q", "quit", "Quit")]

        def compose(self):
            yield Header()
            yield Static("Accountinstellingen — coming soon", markup=False)
            yield Footer()

    Placeholder().run()
    return 0
