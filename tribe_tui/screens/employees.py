"""Medewerkers: every employee, holder of a licence or not, and the keys that change their access.

Built like the licence screen for 100,000 employees: the index (display order + filter text) is
read once in a worker; filtering narrows it in memory and the table reads only the rows it draws.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, Static

from tribe_tui import formatting, garbage_collector
from tribe_tui.errors import TribeError
from tribe_tui.i18n import N_, role
from tribe_tui.screens.base import ASKING, NotDone, SectionScreen, stylesheet
from tribe_tui.services.licences import add_licences, link, offboard
from tribe_tui.widgets.footer import KeysFooter
from tribe_tui.widgets.licence_table import FilterInput, LicenceTable, StatusLine
from tribe_tui.widgets.text import visible

if TYPE_CHECKING:
    from tribe_tui.services.filter_index import LicenceIndex


class EmployeesScreen(SectionScreen):
    CSS_PATH = stylesheet("employees")
    SECTION = "employees"
    AUTO_FOCUS = "#employees-table"  # a key typed as the screen opens is a command, not filter text
    # The actions on the selected employee, most important first (the footer leaves out, from the
    # end, what does not fit; F1 and the palette list them all). Another action is one more line here
    # and one `action_` method below.
    BINDINGS = [
        Binding("l", "link", N_("key.employees.link"), id="employees.link", tooltip=N_("tip.employees.link")),
        Binding("b", "admin", N_("key.employees.admin"), id="employees.admin", tooltip=N_("tip.employees.admin")),
        Binding("u", "unlock", N_("key.employees.unlock"), id="employees.unlock", tooltip=N_("tip.employees.unlock")),
        Binding("v", "former", N_("key.employees.former"), id="employees.former", tooltip=N_("tip.employees.former")),
        Binding(
            "o", "offboard", N_("key.employees.offboard"), id="employees.offboard", tooltip=N_("tip.employees.offboard")
        ),
        Binding("k", "keys", N_("key.employees.keys"), id="employees.keys", tooltip=N_("tip.employees.keys")),
        Binding(
            "slash", "filter", N_("key.licences.filter"), id="employees.filter", tooltip=N_("tip.employees.filter")
        ),
        Binding(
            "t",
            "show_former",
            N_("key.licences.show_former"),
            id="employees.show_former",
            tooltip=N_("tip.employees.show_former"),
        ),
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
        self.index: LicenceIndex | None = None
        self.include_former = False
        self.free = 0  # free licences, read with the index

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False)
        with Vertical(id="employees-body"):
            yield StatusLine(self.tr("employees.loading"), id="employees-counts")
            with Horizontal(id="employees-filter-row"):
                yield Static(self.tr("licences.filter"), id="employees-filter-label", markup=False)
                yield FilterInput(placeholder=self.tr("licences.filter_hint"), id="employees-filter")
                yield StatusLine(self.tr("licences.former_hidden"), id="employees-former-toggle")
            from tribe_tui.services.employees import PAGE

            yield LicenceTable(
                self._fetch, self._labels, self._headings(), page=PAGE, id="employees-table", widths=_widths
            )
            yield StatusLine(id="employees-detail")
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(LicenceTable).focus()

    def _headings(self) -> tuple[str, ...]:
        return (
            self.tr("employees.col_name"),
            self.tr("licences.col_email"),
            self.tr("employees.col_licence"),
            self.tr("employees.col_role"),
            self.tr("employees.col_last"),
            self.tr("employees.col_locked"),
        )

    # --- data -----------------------------------------------------------------------------

    def load(self):
        from tribe_tui.services.employees import employees_view

        return employees_view(self.ctx, first_page=self.index is None)

    def show(self, data) -> None:  # services.employees.EmployeesView
        self.free = data.free
        if data.first_page is not None and self.index is None:
            table = self.query_one(LicenceTable)
            table.set_ids([row.id for row in data.first_page])
            table.prime(0, data.first_page)
            self._show_counts(data.total)
            self.call_after_refresh(self._index_worker)
            return
        self._index_worker()

    @work(thread=True, exclusive=True, group="index")
    def _index_worker(self) -> None:
        from tribe_tui.services.employees import employee_index

        try:
            index = employee_index(self.ctx)
        except TribeError as exc:
            self.app.call_from_thread(self.report, exc)
            return
        self.deliver(self._show_index, index)

    def _show_index(self, index) -> None:
        current = self.query_one(LicenceTable).current
        self.index = index
        self._apply_filter(keep=current.id if current is not None else None)
        garbage_collector.freeze()

    def _fetch(self, ids: list[int]) -> list:
        from tribe_tui.services.employees import employee_rows

        return employee_rows(self.ctx, ids)

    def _labels(self, row) -> tuple[str, ...]:
        if row.former:
            licence = self.tr("former")
        else:
            licence = self.tr("employees.has_licence") if row.licence_id else self.tr("employees.no_licence")
        last = formatting.short_date(row.last_sign_in_on, self.lang) if row.last_sign_in_on else "—"
        locked = formatting.moment(row.locked_until, self.lang, day=False, zone=False) if row.locked_until else ""
        return row.name, row.email, licence, role(row.role, self.lang), last, locked

    def _apply_filter(self, keep: int | None = None) -> None:
        if self.index is None:
            return
        text = self.query_one("#employees-filter", Input).value
        table = self.query_one(LicenceTable)
        table.set_ids(self.index.select(text, self.include_former), keep=keep)
        self._show_counts(len(self.index.ids))

    def _show_counts(self, total: int) -> None:
        shown = len(self.query_one(LicenceTable).ids)
        n = lambda value: formatting.number(value, self.lang)  # noqa: E731
        values = {"total": n(total), "shown": n(shown), "free": n(self.free)}
        self.query_one("#employees-counts", StatusLine).update(
            self.trn("employees.counts", total, **values)
            if self.index is not None
            else self.trn("employees.counts_reading", total, **values)
        )
        self.query_one("#employees-former-toggle", StatusLine).update(
            self.tr("licences.former_shown") if self.include_former else self.tr("licences.former_hidden")
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "employees-filter":
            current = self.query_one(LicenceTable).current
            self._apply_filter(keep=current.id if current is not None else None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "employees-filter":
            self.query_one(LicenceTable).focus()

    def on_licence_table_cursor_moved(self, event: LicenceTable.CursorMoved) -> None:
        self._show_detail(event.row)

    def _show_detail(self, row) -> None:
        detail = self.query_one("#employees-detail", StatusLine)
        if row is None:
            detail.update(self.tr("employees.none") if self.index is not None else "")
            return
        parts = [visible(row.name)]
        if row.username:
            parts.append(self.tr("employees.username", username=row.username))
        if row.locked_until:
            parts.append(
                self.tr("employees.locked_until", time=formatting.moment(row.locked_until, self.lang, day=False))
            )
        elif row.last_sign_in_on:
            parts.append(self.tr("employees.last_sign_in", date=formatting.long_date(row.last_sign_in_on, self.lang)))
        detail.update(" · ".join(parts))

    # --- actions --------------------------------------------------------------------------

    def _selected(self):
        return self.query_one(LicenceTable).current

    def _expected(self) -> int | None:
        return self.index.version if self.index is not None else None

    def _done(self, message: str):
        def done(_result) -> None:
            self.notify(message, markup=False)
            self.reload()

        return done

    @work(group=ASKING)
    async def action_link(self) -> None:
        """A free licence for this employee; with none free, one more (its charge shown first)."""

        row = self._selected()
        if row is None:
            return
        ctx, name, email, version = self.ctx, visible(row.name), row.email, self._expected()
        if row.licence_id is not None:
            self.notify(self.tr("err.already_holds", name=name), severity="warning", markup=False)
            return
        if self.free == 0:
            body = self.tr("employees.link_add_body", name=name)
            added = await self.preview_ask_charge(partial(add_licences, ctx, 1), version=version, body=body)
            if isinstance(added, NotDone):
                return
            version = None  # adding changed the version; link checks for itself that a licence is free
        await self.act(
            lambda: link(ctx, email, expected_version=version), self._done(self.tr("employees.linked", name=name))
        )

    @work(group=ASKING)
    async def action_admin(self) -> None:
        from tribe_tui.services.employees import set_admin

        row = self._selected()
        if row is None:
            return
        ctx, name, email, version, on = self.ctx, visible(row.name), row.email, self._expected(), row.role != "admin"
        if await self.check(lambda: set_admin(ctx, email, on, dry_run=True)) is None:
            return  # e.g. the last admin who can sign in: said now, with who could take over
        title = (
            self.tr("employees.admin_on_title", name=name) if on else self.tr("employees.admin_off_title", name=name)
        )
        body = self.tr("employees.admin_on_body", name=name) if on else self.tr("employees.admin_off_body", name=name)
        if await self.ask(title, body, self.tr("employees.admin_on_yes") if on else self.tr("employees.admin_off_yes")):
            await self.act(
                lambda: set_admin(ctx, email, on, expected_version=version),
                self._done(self.tr("cli.admin_on", name=name) if on else self.tr("cli.admin_off", name=name)),
            )

    def action_unlock(self) -> None:
        from tribe_tui.services.employees import unlock

        row = self._selected()
        if row is None:
            return
        ctx, name, email, version = self.ctx, visible(row.name), row.email, self._expected()
        self.run_action(
            lambda: unlock(ctx, email, expected_version=version), self._done(self.tr("cli.unlocked", name=name))
        )

    def action_former(self) -> None:
        from tribe_tui.services.employees import set_former

        row = self._selected()
        if row is None:
            return
        ctx, name, email, on, version = self.ctx, visible(row.name), row.email, not row.former, self._expected()
        self.run_action(
            lambda: set_former(ctx, email, on, expected_version=version),
            self._done(
                self.tr("licences.former_now_on", name=name) if on else self.tr("licences.former_now_off", name=name)
            ),
        )

    @work(group=ASKING)
    async def action_offboard(self) -> None:
        row = self._selected()
        if row is None:
            return
        ctx, name, email, version = self.ctx, visible(row.name), row.email, self._expected()
        if await self.check(lambda: offboard(ctx, email, dry_run=True)) is None:
            return
        dates = {"today": formatting.long_date(ctx.today, self.lang)}
        if await self.ask(
            self.tr("licences.offboard_title", name=name),
            self.tr("employees.offboard_body", name=name, **dates),
            self.tr("licences.offboard_yes"),
        ):
            await self.act(
                lambda: offboard(ctx, email, expected_version=version),
                self._done(self.tr("licences.offboarded", name=name)),
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

            def sent(result) -> None:
                if result.status == "sent":
                    self.notify(self.tr("cli.reset_sent", email=visible(result.email)), markup=False)
                else:
                    self.notify(
                        self.tr("cli.reset_queued", email=visible(result.email), error=result.reason or "?"),
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

    def action_show_former(self) -> None:
        self.include_former = not self.include_former
        current = self.query_one(LicenceTable).current
        self._apply_filter(keep=current.id if current is not None else None)

    def action_filter(self) -> None:
        # At once (Widget.focus() is deferred): the letters typed right after / are filter text.
        self.set_focus(self.query_one("#employees-filter", Input))

    def reload(self) -> None:
        self.query_one(LicenceTable).forget()
        super().reload()


def _widths(width: int) -> list[int]:
    """Name, e-mail, licence, role, last sign-in, locked until: the fixed ones first, the rest shared."""
    licence, role_, last, locked = 10, 10, 12, 6
    rest = max(width - licence - role_ - last - locked - 5, 24)
    name = rest * 2 // 5
    return [name, rest - name, licence, role_, last, locked]
