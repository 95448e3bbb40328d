"""Medewerkers: every employee, holder of a licence or not, and the keys that change their access.

The list itself (filter, counts, paging, marking, unlink, renewal, Voormalig, offboarding) is
screens/list_screen.py; here is what only employees have: their columns and the keys for linking
a licence, the admin role, a lockout, a password link and SSH keys.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.binding import Binding

from tribe_tui import formatting
from tribe_tui.i18n import N_, role
from tribe_tui.screens.base import ASKING, NotDone
from tribe_tui.screens.list_screen import ListScreen, Person, Seat
from tribe_tui.services.licences import add_licences, link
from tribe_tui.widgets.text import visible

if TYPE_CHECKING:
    from tribe_tui.list_types import EmployeesView
    from tribe_tui.services.employees import EmployeeRow
    from tribe_tui.services.passwords import ResetSent


class EmployeesScreen(ListScreen["EmployeeRow"]):
    SECTION = "employees"
    LISTING = "employees"
    AUTO_FOCUS = "#employees-table"  # a key typed as the screen opens is a command, not filter text
    # Another action of this screen is one more line here and one `action_` method below.
    KEY_ORDER = ("l", "b", "u", "v", "o", "k", "slash", "t", "w", "x", "a", "space")
    COLUMNS: ClassVar[tuple[str, ...]] = (
        N_("employees.col_name"),
        N_("licences.col_email"),
        N_("employees.col_licence"),
    )
    COLUMNS += (N_("employees.col_role"), N_("employees.col_last"), N_("employees.col_locked"))
    BINDINGS = [
        Binding("l", "link", N_("key.employees.link"), id="employees.link", tooltip=N_("tip.employees.link")),
        Binding("b", "admin", N_("key.employees.admin"), id="employees.admin", tooltip=N_("tip.employees.admin")),
        Binding("u", "unlock", N_("key.employees.unlock"), id="employees.unlock", tooltip=N_("tip.employees.unlock")),
        Binding("k", "keys", N_("key.employees.keys"), id="employees.keys", tooltip=N_("tip.employees.keys")),
        Binding(
            "w",
            "reset_password",
            N_("key.employees.reset_password"),
            id="employees.reset_password",
            tooltip=N_("tip.employees.reset_password"),
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.free = 0  # free licences, read with the counts
        self.total = 0

    def widths(self, width: int) -> list[int]:
        """Name, e-mail, licence, role, last sign-in, locked until: the fixed ones first, the rest shared."""
        licence, role_, last, locked = 10, 10, 12, 6
        rest = max(width - licence - role_ - last - locked - 5, 24)
        name = rest * 2 // 5
        return [name, rest - name, licence, role_, last, locked]

    def labels(self, row: EmployeeRow) -> tuple[str, ...]:
        if row.former:
            licence = self.tr("label.former")
        else:
            licence = self.tr("employees.has_licence") if row.licence_id else self.tr("employees.no_licence")
        last = formatting.short_date(row.last_sign_in_on, self.lang) if row.last_sign_in_on else "—"
        locked = formatting.moment(row.locked_until, self.lang, day=False, zone=False) if row.locked_until else ""
        return row.name, row.email, licence, role(row.role, self.lang), last, locked

    def person(self, row: EmployeeRow) -> Person | None:
        return Person(row.name, row.email, row.former)

    def seat(self, row: EmployeeRow) -> Seat | None:
        return Seat(row.licence_id, bool(row.auto_renew)) if row.licence_id is not None else None

    # --- data -----------------------------------------------------------------------------

    def load(self) -> EmployeesView:
        from tribe_tui.services.employees import employees_view

        return employees_view(self.ctx, first_page=self.index is None)

    def take(self, data: EmployeesView) -> None:
        self.free, self.total, self.paid_until = data.free, data.total, data.paid_until

    def fetch(self, ids: list[int]) -> list[EmployeeRow]:
        from tribe_tui.services.employees import employee_rows

        return employee_rows(self.ctx, ids)

    def reading(self) -> str:
        return self.tr("employees.loading")

    def nothing(self) -> str:
        return self.tr("employees.none")

    def counts(self, shown: int) -> str:
        values = {"total": self.number(self.total), "shown": self.number(shown), "free": self.number(self.free)}
        if self.index is not None:
            return self.trn("employees.counts", self.total, **values)
        return self.trn("employees.counts_reading", self.total, **values)

    def detail(self, row: EmployeeRow) -> str:
        parts = [visible(row.name)]
        if row.username:
            parts.append(self.tr("employees.username", username=row.username))
        if row.locked_until:
            parts.append(
                self.tr("employees.locked_until", time=formatting.moment(row.locked_until, self.lang, day=False))
            )
        elif row.last_sign_in_on:
            parts.append(self.tr("employees.last_sign_in", date=formatting.long_date(row.last_sign_in_on, self.lang)))
        return " · ".join(parts)

    # --- keys of this list alone --------------------------------------------------------------

    def _selected(self) -> EmployeeRow | None:
        return self.table.current

    @work(group=ASKING)
    async def action_link(self) -> None:
        """A free licence for this employee; with none free, one more (its charge shown first)."""

        row = self._selected()
        if row is None:
            return
        ctx, name, email, version = self.ctx, visible(row.name), row.email, self._expected()
        if row.licence_id is not None:
            self.notify(self.tr("error.already_holds", name=name), severity="warning", markup=False)
            return
        if self.free == 0:
            body = self.tr("employees.link_add_body", name=name)
            added = await self.preview_ask_charge(partial(add_licences, ctx, 1), version=version, body=body)
            if isinstance(added, NotDone):
                return
            version = None  # adding changed the version; link checks for itself that a licence is free
        else:
            preview = await self.check(lambda: link(ctx, email, dry_run=True))
            if preview is None:
                return
            # Harmless in itself; after paid-until it also invoices the renewal (R9): asked then.
            if preview.settled and not await self.ask(
                self.tr("employees.link_title", name=name), self._first(preview, ""), self.tr("employees.link_yes")
            ):
                return
        await self.act(
            lambda: link(ctx, email, expected_version=version),
            self._done(self.tr("employees.linked", name=name), keep=row.id),
        )

    @work(group=ASKING)
    async def action_admin(self) -> None:
        from tribe_tui.services.employees import set_admin

        row = self._selected()
        if row is None:
            return
        ctx, name, email, version, on = self.ctx, visible(row.name), row.email, self._expected(), row.role != "admin"
        preview = await self.check(lambda: set_admin(ctx, email, on, dry_run=True))
        if preview is None:
            return  # e.g. the last admin who can sign in: said now, with who could take over
        title = (
            self.tr("employees.admin_on_title", name=name) if on else self.tr("employees.admin_off_title", name=name)
        )
        body = self.tr("employees.admin_on_body", name=name) if on else self.tr("employees.admin_off_body", name=name)
        others = len(self.marked - {row.id})
        if others:
            # The role is one person's at a time (unlike unlink, renewal and Voormalig): with rows
            # marked, the question says so rather than seeming to act on them.
            body += "\n\n" + self.trn("employees.admin_only_this", others, name=name, n=self.number(others))
        if await self.ask(
            title,
            self._first(preview, body),
            self.tr("employees.admin_on_yes") if on else self.tr("employees.admin_off_yes"),
        ):
            await self.act(
                lambda: set_admin(ctx, email, on, expected_version=version),
                self._done(
                    self.tr("shared.admin_on", name=name) if on else self.tr("shared.admin_off", name=name), keep=row.id
                ),
            )

    @work(group=ASKING)
    async def action_unlock(self) -> None:
        from tribe_tui.services.employees import unlock

        row = self._selected()
        if row is None:
            return
        ctx, name, email, version = self.ctx, visible(row.name), row.email, self._expected()
        preview = await self.check(lambda: unlock(ctx, email, dry_run=True))
        if preview is None:
            return
        # Harmless in itself; after paid-until it also invoices the renewal (R9): asked then.
        if preview.settled and not await self.ask(
            self.tr("employees.unlock_title", name=name), self._first(preview, ""), self.tr("employees.unlock_yes")
        ):
            return
        await self.act(
            lambda: unlock(ctx, email, expected_version=version),
            self._done(self.tr("shared.unlocked", name=name), keep=row.id),
        )

    @work(group=ASKING)
    async def action_reset_password(self) -> None:
        """E-mail the highlighted colleague a single-use link to choose a new password: the admin
        never sees the link nor sets the password."""
        from tribe_tui.services.passwords import send_reset

        row = self._selected()
        if row is None:
            return
        ctx, name, email, settings = self.ctx, visible(row.name), row.email, self.app.settings
        if await self.ask(
            self.tr("employees.reset_title", name=name),
            self.tr("employees.reset_body", email=visible(email)),
            self.tr("employees.reset_yes"),
        ):

            def sent(result: ResetSent) -> None:
                if result.status == "sent":
                    self.notify(self.tr("shared.reset_sent", email=visible(result.email)), markup=False)
                else:
                    self.notify(
                        self.tr("shared.reset_queued", email=visible(result.email), error=result.reason or "?"),
                        severity="warning",
                        markup=False,
                    )

            await self.act(lambda: send_reset(ctx, email, settings), sent)

    def action_keys(self) -> None:
        """The highlighted colleague's SSH keys, to see and remove."""
        from tribe_tui.screens.ssh_keys import ColleagueKeysScreen

        row = self._selected()
        if row is None:
            return
        self.app.push_screen(ColleagueKeysScreen(row.email, visible(row.name)))
