"""Keys, one at a time: typeahead reaches the screen it was typed for, whole.

Textual hands a key to the focused widget and resolves most bindings only when the key has
bubbled back up to the app; meanwhile it hands on the next key. A key that opens a screen
therefore lost the keys typed right after it: they went to the old screen, or to the new one
before it had its data and its focus (`5jan@x.nl` invited `an@x.nl`). Here each key is handled
to the end -- it has climbed every ancestor of the widget it went to, and the app has run its
bindings -- and a screen it opened has mounted, read its data and placed its focus, before the
next key is handed on; the keys in between wait in order. A key that somehow never comes back
releases the queue after PATIENCE_S.

Only Textual's public API: the app routes each key it receives from the terminal here (from
`App.on_event`), and a key is followed up the DOM by `call_later` in each node's own message
queue (a queue runs in order, so the callback runs after that node has handled the key and
passed it on to its parent, whether or not the key was stopped there).

A key's binding often only posts a message (Enter in a field posts Submitted to the field), and
what that message does -- move the focus to the next field, say -- happens after the key itself
has reached the app. So a handled key is followed up the same path a second time: by then each
node has handled what the key made it post, and a focus they asked for (queued at the app) is
placed, before the next key is handed on. Otherwise the first letter after Enter reached the
field Enter left.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from textual import events

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.timer import Timer


class KeyQueue:
    """The keys an app received and has yet to hand on. `dispatch` is Textual's own handling of a
    key (the app's `super().on_event`); `ready` says whether the current screen may take a key
    (mounted and showing its data)."""

    PATIENCE_S = 2.0
    POLL_S = 0.01

    def __init__(
        self, app: App[Any], dispatch: Callable[[events.Key], Awaitable[None]], ready: Callable[[], bool]
    ) -> None:
        self.app = app
        self._dispatch = dispatch
        self._screen_ready = ready
        self._held: deque[events.Key] = deque()
        self._in_flight: events.Key | None = None
        self._since = 0.0  # when the key in flight was handed on
        self._timer: Timer | None = None
        self._target: DOMNode | None = None  # where the key in flight went
        self._echoing = False  # its second climb: the messages it caused

    @property
    def idle(self) -> bool:
        """No key waits and none is being handled."""
        return not self._held and self._in_flight is None

    @property
    def held(self) -> tuple[str, ...]:
        """The keys waiting, in order (for messages: what was still queued)."""
        return tuple(key.key for key in self._held)

    async def receive(self, key: events.Key) -> None:
        """A key from the terminal: handled now, or held until the keys before it are done."""
        if self._held or not self._ready():
            self._held.append(key)
            self._schedule()
            return
        await self._hand_on(key)

    def _ready(self) -> bool:
        patience_over = time.monotonic() - self._since >= self.PATIENCE_S
        if self._in_flight is not None and not patience_over:
            return False
        return self._screen_ready() or patience_over

    async def _hand_on(self, key: events.Key) -> None:
        self._in_flight, self._since = key, time.monotonic()
        target = self.app.focused or self.app.screen
        self._target, self._echoing = target, False
        await self._dispatch(key)
        if not key.is_forwarded:
            self._done(key)  # a priority binding handled it here, at the app
        else:
            self._follow(key, target)

    def _follow(self, key: events.Key, node: DOMNode) -> None:
        if not node.call_later(self._climb, key, node):
            self._done(key)  # the node is closing: nothing more will happen to the key there

    def _climb(self, key: events.Key, node: DOMNode) -> None:
        """Runs in `node`'s queue after it handled the key: on to its parent's queue."""
        parent = node.parent
        if parent is None:
            self._done(key)
        elif parent is self.app:
            if not self.app.call_later(self._done, key):  # after the app has run the key's bindings
                self._done(key)
        else:
            self._follow(key, parent)

    def _done(self, key: events.Key) -> None:
        if self._in_flight is key and not self._echoing and self._target is not None:
            # Once more up the same path: behind the messages the key's handling posted there.
            self._echoing = True
            self._follow(key, self._target)
            return
        if self._in_flight is key:
            self._in_flight, self._target = None, None
        self._pump()

    def _schedule(self) -> None:
        if self._timer is None:
            self._timer = self.app.set_timer(self.POLL_S, self._pump)

    def _pump(self) -> None:
        self._timer = None
        if not self._held:
            return
        if not self._ready():
            self._schedule()
            return
        key = self._held.popleft()
        self._in_flight, self._since = key, time.monotonic()
        # Through the app's queue: behind what the screen that just became ready queued there
        # while opening (Widget.focus() places the focus from the app's queue).
        self.app.call_later(self._hand_on, key)
