"""Key bindings in the user's language.

A binding's description and tooltip are message ids, marked with N_ where the binding is declared
(`Binding("x", "unlink", N_("key.licences.unlink"), tooltip=N_("tip.licences.unlink"))`); a node
translates its own copy of them once, before the footer reads them.
"""

from __future__ import annotations

import dataclasses
import re

from textual.binding import Binding
from textual.dom import DOMNode

from tribe_tui.i18n import N_, t

# Bindings Textual adds itself, by action: their English description and tooltip replaced.
_TEXTUAL = {"command_palette": (N_("key.palette"), N_("tip.palette"))}
# Keys of Textual's widgets, by the English words Textual gives them (their actions have names
# this app's own bindings use too): the open list of a drop-down, the command palette.
_TEXTUAL_WORDS = {
    "Dismiss menu": (N_("key.dismiss_menu"), N_("tip.dismiss_menu")),
    "Exit the command palette": (N_("key.close_palette"), N_("tip.close_palette")),
}
# A message id (area.what). Textual's other bindings keep their English words (Scroll Up): looked
# up, they would only read the English catalogue behind the Dutch one to find nothing.
_MESSAGE_ID = re.compile(r"[a-z0-9_]+(\.[a-z0-9_]+)+")


def localise_bindings(node: DOMNode, lang: str) -> None:
    # The lists inside a node's bindings map are shared with its class (BindingsMap.copy is
    # shallow): replace them rather than change them, or the first screen's language would stick
    # for every later instance.
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [_localised(binding, lang) for binding in bindings]


def _localised(binding: Binding, lang: str) -> Binding:
    if binding.action in _TEXTUAL:
        description, tooltip = _TEXTUAL[binding.action]
        binding = dataclasses.replace(binding, description=description, tooltip=tooltip)
    elif binding.description in _TEXTUAL_WORDS:
        description, tooltip = _TEXTUAL_WORDS[binding.description]
        binding = dataclasses.replace(binding, description=description, tooltip=tooltip)
    # An empty id must not reach gettext: gettext("") is the catalogue's header.
    description = t(binding.description, lang) if _MESSAGE_ID.fullmatch(binding.description) else binding.description
    tooltip = t(binding.tooltip, lang) if _MESSAGE_ID.fullmatch(binding.tooltip) else binding.tooltip
    return dataclasses.replace(binding, description=description, tooltip=tooltip)
