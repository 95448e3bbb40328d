"""The footer of every section: the screen's own keys first, and only keys that fit whole."""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeysFooter(Footer):
    """A Footer that never cuts a key in half: keys are shown in binding order (the screen puts its
    most important first) and, from the first one that does not fit the width, left out. They stay
    in the help (F1) and the command palette."""

    DEFAULT_CSS = """
    KeysFooter {
        overflow-x: hidden;
    }
    """

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        keys = [child for child in self.children if not child.has_class("-command-palette")]
        palette = [child for child in self.children if child.has_class("-command-palette")]
        right = self.content_region.right - sum(child.outer_size.width for child in palette)
        fits = True
        for key in keys:
            if fits and key.region.width and key.region.right + key.styles.margin.right > right:
                fits = False
            if key.display != fits:
                key.display = fits


__all__ = ["FooterKey", "KeysFooter"]
