"""Acting for the admin: service calls off the UI thread, and confirm-then-act.

Confirm-then-act reads as straight-line code in a `@work(group=ASKING)` method. A change that
charges (or that is asked about because of what it does to the account) goes through the one
helper, `preview_ask_charge`: the dry run, the question, then the change, both calls carrying the
organisation version the screen showed, so nothing is charged for an account that changed since:

    await self.preview_ask_charge(partial(add_licences, ctx, count), version=self.version, body=..., done=...)

Anything else asked first: `check` (the service's dry run), `ask`, then `act`.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from textual import work

from tribe_tui.errors import StaleData, TribeError
from tribe_tui.screens.reading import ReadingScreen

ASKING = "asking"  # the worker group of confirm-then-act methods: they wait for the admin, not for work

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Change(Protocol[T_co]):
    """A service action with its arguments bound (functools.partial), still to be told whether it
    is a dry run and which organisation version it expects."""

    def __call__(self, *, dry_run: bool = ..., expected_version: int | None = ...) -> T_co: ...


class NotDone(enum.Enum):
    """Why preview_ask_charge did nothing (it returns the change's result when it did it)."""

    STALE = "stale"  # the account changed since the screen read it: said, and read again
    REFUSED = "refused"  # the service refused (its reason is on screen)
    DECLINED = "declined"  # the admin said no


class AskingScreen(ReadingScreen):
    # Shadows Textual's Widget.run_action(action string), which nothing calls on a screen; a rename
    # (run_service) would end the clash and is left for when the screens stop moving.
    def run_action(  # type: ignore[override]
        self,
        fn: Callable[[], Any],
        done: Callable[[Any], None] | None = None,
    ) -> None:
        """Run a service action off the UI thread; report a refusal as a notification."""
        self._action_worker(fn, done)

    @work(thread=True, exclusive=True, group="action")
    def _action_worker(self, fn: Callable[[], Any], done: Callable[[Any], None] | None) -> None:
        try:
            result = fn()
        except TribeError as exc:
            self.app.call_from_thread(self.report, exc)
            return
        self.app.call_from_thread(self.succeeded)
        if done is not None:
            self.app.call_from_thread(done, result)
        self.app.call_from_thread(self.send_queued_mail)

    async def preview_ask_charge(
        self,
        change: Change[T],
        *,
        version: int | None,
        done: Callable[[T], None] | None = None,
        body: str = "",
        question: Callable[[T], Awaitable[bool]] | None = None,
    ) -> T | NotDone:
        """Preview -> ask -> charge. The dry run first (a refusal is said before anything is asked),
        then the question about its charge (`body` under it), or `question(preview)` for a change
        asked about in other words, and on yes the change itself. Both calls pass `version`, the
        organisation version the screen showed: the service refuses once it is older
        (services/_locking.py), and the screen reads the account again."""
        if version is None:  # still being read: the admin cannot have seen what would be charged
            self.notify(self.tr("overview.loading"), severity="warning", markup=False)
            return NotDone.REFUSED
        preview = await self._call(lambda: change(dry_run=True, expected_version=version), None)
        if preview is NotDone.STALE:
            # What changed may refuse the change outright (cancelled meanwhile): that reason, if
            # any, says more than "changed meanwhile" and replaces it on screen.
            await self._call(lambda: change(dry_run=True), None)
        if isinstance(preview, NotDone):
            return preview
        # Without a question of its own, the dry run is a charge result (it has .charge).
        ask = question or (lambda shown: self.ask_charge(shown.charge, body))  # type: ignore[attr-defined]
        if not await ask(preview):
            return NotDone.DECLINED
        return await self.act(lambda: change(expected_version=version), done)

    async def ask(self, title: str, body: str, yes: str, *, charge=None) -> bool:
        """Ask first (default answer: No); True only on an explicit yes. Call from a worker."""
        from tribe_tui.widgets.confirm import ConfirmDialog  # the first frame asks nothing (tribe_tui.deferred)

        dialog = ConfirmDialog(title, body, yes, self.tr("confirm.no"), charge=charge, lang=self.lang)
        answer: bool = await self.app.push_screen_wait(dialog)
        return bool(answer)

    async def ask_charge(self, charge, body: str = "") -> bool:
        """The one question before money moves: the dry run's lines and total, the amount named."""
        from tribe_tui import formatting

        amount = formatting.money(charge.total, self.lang)
        return await self.ask(
            self.tr("confirm.charge_title", amount=amount), body, self.tr("confirm.charge_yes"), charge=charge
        )

    async def check(self, fn: Callable[[], Any]) -> Any:
        """Run a service's dry run off the UI thread; on a refusal, say why and return None."""
        result = await self._call(fn, None)
        return None if isinstance(result, NotDone) else result

    async def act(self, fn: Callable[[], T], done: Callable[[T], None] | None = None) -> T | NotDone:
        """Do what the admin said yes to, off the UI thread; report a refusal as a notification."""
        result = await self._call(fn, done)
        if not isinstance(result, NotDone):
            self.succeeded()
            self.send_queued_mail()
        return result

    async def _call(self, fn: Callable[[], T], done: Callable[[T], None] | None) -> T | NotDone:
        try:
            result = await asyncio.to_thread(fn)
        except TribeError as exc:
            self.report(exc)
            return NotDone.STALE if isinstance(exc, StaleData) else NotDone.REFUSED
        if done is not None:
            done(result)
        return result

    def send_queued_mail(self) -> None:
        """After an action (which may have issued an invoice, and so queued its e-mail): what waits
        in the outbox goes now, off the UI thread, when a mail server is configured. A server that
        is down leaves it queued with its reason."""
        if self.app.settings.smtp_url:
            self.app.run_worker(_flush_outbox(self.app.settings), thread=True, group="mail", exit_on_error=False)


def _flush_outbox(settings) -> Callable[[], object]:
    def flush() -> object:
        from tribe_tui.services.outbox import flush  # smtplib and the documents: only once mail goes

        return flush(settings)

    return flush
