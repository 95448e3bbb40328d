"""The footer of every section: the screen's own keys first, and only keys that fit whole."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Always in the footer: the way back and the way to every other key.
KEPT = ("back", "app.help")


class KeysFooter(Footer):
    """A Footer that never cuts a key in half: Back and Help always show; the screen's own keys are
    shown in binding order (the screen puts its most important first) and, from the first one that
    does not fit the width left beside those two, left out. They stay in the help (F1) and the
    command palette."""

    DEFAULT_CSS = """
    KeysFooter {
        overflow-x: hidden;
    }
    """

    _composed: tuple[object, ...] | None = None  # the keys it shows: (key, description, enabled, tooltip)

    def compose(self) -> ComposeResult:
        # Textual's Footer draws no key until its screen first reports its bindings, and then a
        # refresh later: a first frame without keys and a second one with them. The screen's
        # bindings are known as the footer composes, so the first frame has its keys.
        self.bindings_changed(self.screen)
        self._composed = self._keys(self.screen)
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                # A key starts compact and is then bound to the footer's own setting: its class
                # changed twice and its styles applied twice, per key. It starts as the footer is.
                widget.set_reactive(FooterKey.compact, self.compact)
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Textual recomposes the footer whenever the screen's bindings may have changed (a focus
        moved, the screen resumed); where the keys it would show are the ones it shows, it stays."""
        if self._composed is not None and self._keys(screen) == self._composed:
            return
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        if not self.is_attached:
            return  # its screen is gone (as Textual's own recompose returns then)
        if self._composed is not None and self._keys(self.screen) == self._composed and self.children:
            return  # asked for before the first compose took these same keys
        self._composed = self._keys(self.screen)
        await super().recompose()
        self.call_after_refresh(self._fit)

    @staticmethod
    def _keys(screen: Screen[object]) -> tuple[object, ...]:
        return tuple(
            (binding.key, binding.description, enabled, tooltip)
            for (_node, binding, enabled, tooltip) in screen.active_bindings.values()
            if binding.show
        )

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        # Widths come from each key's own content and styles, not from its laid-out region: a
        # footer that recomposes while a dialog covers its screen is not laid out again until the
        # dialog closes, and stale regions let a key run off the edge.
        width = self.content_region.width
        if not width:
            return
        keys = [child for child in self.children if not child.has_class("-command-palette")]
        palette = [child for child in self.children if child.has_class("-command-palette")]
        kept = [key for key in keys if getattr(key, "action", None) in KEPT]
        keys = [key for key in keys if key not in kept]
        for key in kept:
            key.display = True
        room = width - sum(self._width(child) for child in palette + kept if child.display)
        used, fits = 0, True
        for key in keys:
            used += self._width(key)
            fits = fits and used <= room
            if key.display != fits:
                key.display = fits

    def _width(self, key: Widget) -> int:
        """The cells `key` takes in the footer's row: content, padding, border and margin."""
        styles = key.styles
        content = key.get_content_width(self.size, self.app.size)
        return content + styles.gutter.width + styles.margin.width


__all__ = ["FooterKey", "KeysFooter"]
