"""The account-settings commands: one per section of the TUI."""

from __future__ import annotations

import argparse
import gc
import getpass
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from tribe_tui import billing, formatting
from tribe_tui.cli import invoices
from tribe_tui.cli.base import Env, charge_text, common_options, send_queued_mail
from tribe_tui.cli.lifecycle import stdin_line
from tribe_tui.config import DEMO_ADMIN, DEMO_SLUG, demo_mail_url
from tribe_tui.errors import BadInput
from tribe_tui.i18n import (
    account_status,
    e_invoice_text,
    field_label,
    licence_status,
    module_kind,
    on_off,
    payment_method,
    role,
    t,
    tn,
)
from tribe_tui.sections import NAMES
from tribe_tui.service_types import charge_json

if TYPE_CHECKING:
    from tribe_tui.cli.base import Commands
    from tribe_tui.services.billing_details import BillingDetailsView
    from tribe_tui.services.demo import DemoResult
    from tribe_tui.services.licences import HolderChange
    from tribe_tui.services.modules import ModuleChange


def register(commands: Commands) -> None:
    command, group = commands.command, commands.group

    p = command("demo", demo, "create the demo organisation if missing and open the TUI as its admin")
    p.add_argument("--licences", default=None, metavar="N", help="licences when it is created (default 30)")
    p.add_argument("--no-open", action="store_true", help="only create it")
    p.add_argument("--screen", choices=NAMES, default=None)

    # With init, --org is the new organisation's name (README: Command line), not the selector.
    p = command(
        "init",
        init,
        "create an organisation with its admin and first invoice",
        parents=[common_options(with_org=False)],
    )
    p.add_argument("--org", dest="org_name", required=True, metavar="NAME")
    p.add_argument("--admin-email", required=True)
    p.add_argument("--admin-username", required=True)
    p.add_argument("--admin-name", default=None)
    p.add_argument("--edition", default="tribe")
    p.add_argument("--licences", default="1", metavar="N")
    p.add_argument("--start", default=None, metavar="YYYY-MM-DD")
    p.add_argument("--password-stdin", action="store_true", help="read the admin's password from stdin")
    p.add_argument(
        "--billing",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="billing details for the first invoice (repeatable; fields as in billing-details set)",
    )

    account = group("account", "the account overview")
    command("show", account_show, "organisation, edition, licences, paid-until, modules, next invoice", parent=account)

    command("catalogue", catalogue, "editions and modules with prices")

    licences = group("licences", "licences and who holds them")
    p = command("add", licences_add, "add N licences, charged pro rata at once", parent=licences)
    p.add_argument("count", metavar="N")
    p.add_argument("--dry-run", action="store_true", help="show the charge without making it")
    p = command("list", licences_list, "every licence with its holder", parent=licences)
    p.add_argument("--filter", default=None, metavar="TEXT")
    p.add_argument("--hide-former", action="store_true")
    p.add_argument(
        "--idle-days", default=None, metavar="N", help="only licences whose holder has not signed in for N days or more"
    )
    p = command("unlink", licences_unlink, "unlink the holder: they can no longer sign in", parent=licences)
    p.add_argument("email")
    p = command("link", licences_link, "give an employee a free licence", parent=licences)
    p.add_argument("email")
    p = command("renew", licences_renew, "switch auto-renew of a licence on or off", parent=licences)
    p.add_argument("ref", metavar="EMAIL|LICENCE_ID")
    p.add_argument("state", metavar="on|off")
    p = command("offboard", licences_offboard, "unlink + Voormalig + auto-renew off", parent=licences)
    p.add_argument("email")

    edition = group("edition", "the edition: Tribe or Tribe Creator")
    p = command("set", edition_set, "upgrade at once (pro rata) or schedule a downgrade", parent=edition)
    p.add_argument("code", metavar="tribe|creator")
    p.add_argument("--dry-run", action="store_true")

    modules = group("modules", "modules and integrations")
    command("list", modules_list, "the catalogue with this organisation's state", parent=modules)
    for name, handler, help_text in (
        ("add", modules_add, "add (charged pro rata) or undo a removal"),
        ("remove", modules_remove, "stop at paid-until, no refund"),
    ):
        p = command(name, handler, help_text, parent=modules)
        p.add_argument("code")
        p.add_argument("--dry-run", action="store_true")

    employees = group("employees", "employees (medewerkers)")
    p = command("list", employees_list, "employees; Voormalig ones with --former", parent=employees)
    p.add_argument("--former", action="store_true", help="include Voormalig employees")
    p = command("former", employees_former, "mark Voormalig on or off", parent=employees)
    p.add_argument("email")
    p.add_argument("state", metavar="on|off")
    p = command("admin", employees_admin, "grant (on) or revoke (off) the admin role", parent=employees)
    p.add_argument("email")
    p.add_argument("state", metavar="on|off")
    p = command("unlock", employees_unlock, "clear a colleague's sign-in lockout", parent=employees)
    p.add_argument("email")
    p = command(
        "reset-password",
        employees_reset_password,
        "e-mail a colleague a single-use link to a new password",
        parent=employees,
    )
    p.add_argument("email")

    details = group("billing-details", "billing details (facturatiegegevens)")
    command("show", billing_details_show, "show them and the VAT that applies", parent=details)
    p = command("set", billing_details_set, "set FIELD=VALUE ...", parent=details)
    p.add_argument("assignments", nargs="*", metavar="FIELD=VALUE")

    invoices.register(commands)

    p = command("cancel", cancel, "cancel the account (access remains until paid-until)")
    p.add_argument("--reason", default=None)
    p.add_argument("--yes", action="store_true", help="confirm")
    p.add_argument("--withdraw", action="store_true", help="withdraw the cancellation")


# --- helpers ---------------------------------------------------------------------------------


def bill_text(env: Env, bill: billing.Bill) -> list[str]:
    """Everything a click invoices: the change's table alone, or (after paid-until, R9) the renewal
    or ending settled first with its lines, then the change's, then the sum of every invoice."""
    if not bill.settled:
        return charge_text(env, bill.change) if bill.change is not None else []
    f, lang = formatting, env.lang
    lines: list[str] = []
    for settled in bill.settled:
        lines.append(f.settled_done_text(settled, lang))  # with its number once it was written
        if settled.charge is not None and not settled.charge.is_empty:
            lines += charge_text(env, settled.charge)
    if bill.change is not None and not bill.change.is_empty:
        lines += [t("bill.then_change", lang)] + charge_text(env, bill.change)
    lines.append(f.bill_sum_text(bill, lang))
    return lines


def _read_password(prompt: str, lang: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)

    return stdin_line(lang)


# --- commands ----------------------------------------------------------------------------------


def open_tui(
    env: Env,
    args: argparse.Namespace,
    *,
    screen: str | None = None,
    signed_in: str | None = None,
    prepare: Callable[[], object] | None = None,
) -> int:
    """The TUI; `prepare()` is the command's own work before it (demo: make sure the demo exists).

    Without a terminal on both ends it refuses before anything else: a TUI writing escape codes
    into a pipe never sees a key and would never end.
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise BadInput(t("error.needs_terminal", env.lang))
    if prepare is not None:
        prepare()
    env.open_db()
    from tribe_tui.app import run_app

    return run_app(env.settings, screen=screen, signed_in_username=signed_in)


def demo(env: Env, args: argparse.Namespace) -> int:
    opens = not (args.no_open or env.out_json)
    if args.licences is not None:
        gc.enable()  # creating up to 100,000 rows: collect as usual (see tribe_tui.garbage_collector)
    count = None
    if args.licences is not None:  # (the default needs no pydantic before the first frame)
        from tribe_tui.schemas import DemoSize, parse

        count = parse(DemoSize, env.lang, count=args.licences).count
    env.settings.org = DEMO_SLUG
    if not env.settings.smtp_url:  # mail that works out of the box: a Maildir the admin can open
        env.settings.smtp_url = demo_mail_url(env.settings.url)

    def prepare() -> DemoResult:
        from tribe_tui.services.demo import DEMO_LICENCES, ensure_demo

        env.open_db(create=True)
        return ensure_demo(env.today, count or DEMO_LICENCES, actor=env.actor, payments=True)

    if not opens:
        result = prepare()
        env.emit(
            {"organisation": DEMO_SLUG, "created": result.created, "licences": result.licences},
            (
                tn("cli.demo_created", result.licences, env.lang)
                if result.created
                else tn("cli.demo_exists", result.licences, env.lang)
            ),
        )
        return 0
    return open_tui(env, args, screen=args.screen or "overview", signed_in=DEMO_ADMIN, prepare=prepare)


def init(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.schemas import InitInput, parse
    from tribe_tui.services.organisations import create_organisation

    password = _read_password("Wachtwoord / password: ", env.lang) if args.password_stdin else None
    data = parse(
        InitInput,
        env.lang,
        org_name=args.org_name,
        admin_email=args.admin_email,
        admin_username=args.admin_username,
        admin_name=args.admin_name,
        edition=args.edition,
        licences=args.licences,
        start=args.start,
        password=password,
        language=env.lang,
    )
    details = None
    if args.billing:
        from tribe_tui.services.billing_details import parse_assignments

        details = parse_assignments(env.lang, args.billing)
    env.open_db(create=True)
    created = create_organisation(data, env.today, env.actor, billing_details=details)

    env.emit(
        {"organisation": created.slug, "invoice": created.invoice_number, **charge_json(created.charge)},
        lambda: (
            [t("cli.init_done", env.lang, slug=created.slug, number=created.invoice_number)]
            + charge_text(env, created.charge)
        ),
    )
    send_queued_mail(env)
    return 0


def account_show(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.account import overview

    ctx = env.context()
    view = overview(ctx)
    if env.out_json:  # the text below would load babel's locale data for nothing
        env.emit(view.to_json())
        return 0
    f = formatting
    lang = env.lang
    lines = [
        t("cli.banner", lang),
        t("label.organisation", lang) + f": {view.organisation}",
        t("label.edition", lang)
        + f": {view.edition_name}"
        + (
            f" → {view.scheduled_edition_name} ({f.long_date(view.next_period_start, lang)})"
            if view.scheduled_edition_name
            else ""
        ),
        t("label.status", lang) + ": " + account_status(view.status, lang),
        t("label.licences", lang)
        + ": "
        + t(
            "shared.licence_counts",
            lang,
            in_use=view.licences_in_use,
            total=view.licences_total,
            free=view.licences_free,
        ),
        t("label.paid_until", lang) + ": " + f.paid_until_text(view, lang),
        t("label.modules", lang)
        + ": "
        + (
            ", ".join(
                m.name + ("" if m.renews else " (" + t("cli.ends", lang, date=f.long_date(view.paid_until, lang)) + ")")
                for m in view.modules
                if m.active
            )
            or "—"
        ),
    ]
    lines.append(t("label.open_balance", lang) + ": " + f.money(view.open_balance, lang))
    if view.oldest_overdue:
        lines.append(
            t("label.oldest_overdue", lang)
            + ": "
            + t(
                "overview.overdue_value",
                lang,
                number=view.oldest_overdue.number,
                date=f.long_date(view.oldest_overdue.due_date, lang),
                amount=f.money(view.oldest_overdue.open_amount, lang),
            )
        )
    if view.status == "cancelled":
        lines.append(t("shared.cancelled_banner", lang, date=f.long_date(view.paid_until, lang)))
    if view.renewal_pending:
        lines.append(t("error.renewal_pending", lang, date=f.long_date(view.paid_until, lang)))
    if view.next_invoice.lines:
        lines.append(t("shared.next_invoice", lang, date=f.long_date(view.next_period_start, lang)))
        lines.extend(charge_text(env, view.next_invoice))
    env.emit(view.to_json(), lines)
    return 0


def catalogue(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.catalogue import catalogue as load

    env.open_db()
    cat = load()  # the JSON keeps the printed names; the text names them in the reader's language
    words = load(env.lang)
    f = formatting
    lang = env.lang
    lines = [t("label.editions", lang)]
    per_licence_year = t("cli.per_licence_year", lang)
    lines += [
        f"  {code:<12} {name:<24} {f.money(price, lang)} {per_licence_year}" for code, name, price in words.editions
    ]
    lines.append(t("label.modules", lang))
    for code, name, kind, per_user, price, requires in words.modules:
        basis = t("cli.per_licence_year", lang) if per_user else t("cli.per_year", lang)
        extra = "  [" + t("label.requires", lang, edition=requires) + "]" if requires else ""
        lines.append(f"  {code:<12} {name:<24} {module_kind(kind, lang):<10} {f.money(price, lang)} {basis}{extra}")
    env.emit(cat.to_json(), lines)
    return 0


def licences_add(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.licences import add_licences

    ctx = env.context()
    result = add_licences(ctx, args.count, dry_run=args.dry_run)
    total = result.licences_total or 0  # set whenever it was not a dry run
    head = (
        t("cli.preview", env.lang)
        if result.dry_run
        else tn("cli.licences_added", total, env.lang, total=total, number=result.invoice_number)
    )
    env.emit(result.to_json(), lambda: [head] + bill_text(env, result.bill))
    if result.invoice_number:
        send_queued_mail(env)
    return 0


def licences_list(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services._queries import load_organisation
    from tribe_tui.services.licences import list_licences

    ctx = env.context()
    paid_until = load_organisation(ctx).paid_until
    rows = list_licences(ctx, args.filter, include_former=not args.hide_former)
    if args.idle_days is not None:
        from tribe_tui.schemas import IdleDays, parse
        from tribe_tui.services.employees import idle_licence_ids

        idle = set(idle_licence_ids(ctx, parse(IdleDays, env.lang, days=args.idle_days).days))
        rows = [row for row in rows if row.id in idle]
    f = formatting
    lang = env.lang
    lines = []
    for row in rows:
        status = licence_status(row.status, lang)
        renew = on_off(row.auto_renew, lang)
        if not row.auto_renew:
            renew += " (" + t("licence.lapses", lang, date=f.short_date(paid_until, lang)) + ")"
        holder = (row.holder_name or "—") + (" [" + t("label.former", lang) + "]" if row.former else "")
        lines.append(f"{row.id:>7}  {holder:<28}  {row.email or '':<40}  {status:<10}  {renew}")
    env.emit([row.to_json(paid_until) for row in rows], lines or [t("cli.none", lang)])
    return 0


def _holder_change(env: Env, result: HolderChange, said: str) -> int:
    env.emit(result.to_json(), said)
    return 0


def licences_unlink(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.licences import unlink

    result = unlink(env.context(), args.email)
    return _holder_change(env, result, t("cli.unlinked", env.lang, name=result.employee, email=result.email))


def licences_link(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.licences import link

    result = link(env.context(), args.email)
    return _holder_change(env, result, t("cli.linked", env.lang, name=result.employee, email=result.email))


def licences_offboard(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.licences import offboard

    result = offboard(env.context(), args.email)
    return _holder_change(env, result, t("cli.offboarded", env.lang, name=result.employee, email=result.email))


def licences_renew(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.licences import set_auto_renew

    result = set_auto_renew(env.context(), args.ref, args.state)
    date = formatting.long_date(result.usable_until, env.lang)
    said = (
        t("cli.auto_renew_on", env.lang, id=result.licence_id, date=date)
        if result.auto_renew
        else t("cli.auto_renew_off", env.lang, id=result.licence_id, date=date)
    )
    env.emit(result.to_json(), said)
    return 0


def edition_set(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.catalogue import catalogue as load
    from tribe_tui.services.edition import DOWNGRADE, UPGRADE, set_edition

    result = set_edition(env.context(), args.code, dry_run=args.dry_run)
    f = formatting
    lang = env.lang
    when = f.long_date(result.effective_on, lang)
    name = {code: name for code, name, _ in load().editions}.get(result.new, result.new)  # users know names
    if result.kind == UPGRADE:
        head = (
            t("cli.preview", lang)
            if result.dry_run
            else t("cli.upgraded", lang, edition=name, number=result.invoice_number)
        )
        assert result.charge is not None  # an upgrade is always charged
        lines = [head] + bill_text(env, result.bill)
    elif result.kind == DOWNGRADE:
        lines = bill_text(env, result.bill) + [
            t("cli.downgrade_preview", lang, edition=name, date=when)
            if result.dry_run
            else t("shared.downgrade_scheduled", lang, edition=name, date=when)
        ]
        if result.ending_modules:
            lines.append(t("cli.modules_end_with", lang, modules=", ".join(result.ending_modules), date=when))
    else:
        lines = bill_text(env, result.bill) + [t("shared.downgrade_withdrawn", lang, edition=name)]
    env.emit(result.to_json(), lines)
    if result.invoice_number:
        send_queued_mail(env)
    return 0


def modules_list(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.modules import catalogue_for

    rows = catalogue_for(env.context())
    f = formatting
    lang = env.lang
    lines = []
    for m in rows:
        state = (t("cli.module_active", lang) if m.renews else t("cli.module_ending", lang)) if m.active else "—"
        basis = t("label.per_user", lang) if m.per_user else t("label.flat", lang)
        need = " [" + t("label.requires", lang, edition=m.requires) + "]" if m.requires else ""
        lines.append(f"{m.code:<14} {m.name:<24} {f.money(m.yearly_price, lang):>10} {basis:<14} {state}{need}")
    env.emit([m.to_json() for m in rows], lines)
    return 0


def _module_change(env: Env, result: ModuleChange) -> int:
    f = formatting
    lang = env.lang
    values = {"module": result.name, "date": f.long_date(result.effective_on, lang), "number": result.invoice_number}
    said: Callable[[], str] = {
        ("added", False): lambda: t("cli.module_added", lang, **values),
        ("added", True): lambda: t("cli.preview", lang),
        ("removal_undone", False): lambda: t("shared.module_removal_undone", lang, **values),
        ("removal_undone", True): lambda: t("cli.module_removal_undone_preview", lang, **values),
        ("removal_scheduled", False): lambda: t("shared.module_removal_scheduled", lang, **values),
        ("removal_scheduled", True): lambda: t("cli.module_removal_scheduled_preview", lang, **values),
    }[result.kind, bool(result.dry_run)]
    lines = [said()] + bill_text(env, result.bill)
    env.emit(result.to_json(), lines)
    if result.invoice_number:
        send_queued_mail(env)
    return 0


def modules_add(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.modules import add_module

    return _module_change(env, add_module(env.context(), args.code, dry_run=args.dry_run))


def modules_remove(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.modules import remove_module

    return _module_change(env, remove_module(env.context(), args.code, dry_run=args.dry_run))


def employees_list(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.employees import list_employees

    rows = list_employees(env.context(), include_former=args.former)
    lang = env.lang
    f = formatting
    in_use, former = t("licence.in_use", lang), t("label.former", lang)
    lines = [
        f"{r.name:<28}  {r.email:<44}  {role(r.role, lang):<10}  "
        f"{in_use if r.licence_id else '—':<10}  "
        f"{f.short_date(r.last_sign_in_on, lang) if r.last_sign_in_on else '—':<12}"
        + (f"  {former}" if r.former else "")
        + (
            "  " + t("employees.locked_until", lang, time=f.moment(r.locked_until, lang, day=False))
            if r.locked_until
            else ""
        )
        for r in rows
    ]
    env.emit([r.to_json() for r in rows], lines or [t("cli.none", lang)])
    return 0


def employees_former(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.employees import set_former

    result = set_former(env.context(), args.email, args.state)
    env.emit(
        result.to_json(),
        t("cli.former_on", env.lang, name=result.name)
        if result.former
        else t("cli.former_off", env.lang, name=result.name),
    )
    return 0


def employees_admin(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.employees import set_admin

    result = set_admin(env.context(), args.email, args.state)
    env.emit(
        result.to_json(),
        t("shared.admin_on", env.lang, name=result.name)
        if result.role == "admin"
        else t("shared.admin_off", env.lang, name=result.name),
    )
    return 0


def employees_reset_password(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.passwords import send_reset

    result = send_reset(env.context(), args.email, env.settings)
    text = (
        t("shared.reset_sent", env.lang, email=result.email)
        if result.status == "sent"
        else t("shared.reset_queued", env.lang, email=result.email, error=result.reason or "?")
    )
    env.emit(result.to_json(), text)
    return 0


def employees_unlock(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.employees import unlock

    result = unlock(env.context(), args.email)
    env.emit(result.to_json(), t("shared.unlocked", env.lang, name=result.name))
    return 0


def _details_text(env: Env, view: BillingDetailsView) -> list[str]:
    from tribe_tui.schemas import BILLING_FIELDS

    f = formatting
    lines = [f"{field_label(name, env.lang) + ':':<22} {view.fields.get(name) or '—'}" for name in BILLING_FIELDS]
    vat = t("label.vat", env.lang)
    lines.append(f"{vat + ':':<22} {f.vat_label(view.vat_rate, view.vat_reason, env.lang)}")
    method = t("label.payment_method", env.lang)
    lines.append(f"{method + ':':<22} {payment_method(view.payment_method, env.lang)}")
    label = t("label.e_invoice", env.lang)
    lines.append(f"{label + ':':<22} {e_invoice_text(view.e_invoice, view.e_invoice_hint, env.lang)}")
    return lines


def billing_details_show(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.billing_details import show

    view = show(env.context())
    env.emit(view.to_json(), _details_text(env, view))
    return 0


def billing_details_set(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.billing_details import parse_assignments, update

    ctx = env.context()
    view = update(ctx, parse_assignments(ctx.lang, args.assignments))
    env.emit(view.to_json(), [t("cli.saved", env.lang)] + _details_text(env, view))
    return 0


def cancel(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.cancellation import cancel as do_cancel
    from tribe_tui.services.cancellation import withdraw

    f = formatting
    if args.withdraw:
        if args.reason or args.yes:
            raise BadInput(t("cli.withdraw_alone", env.lang))
        result = withdraw(env.context())
        env.emit(result.to_json(), t("shared.cancel_withdrawn", env.lang))
        return 0
    if not args.reason:
        raise BadInput(t("cli.reason_needed", env.lang))
    if not args.yes:
        raise BadInput(t("error.confirm_cancel", env.lang))
    result = do_cancel(env.context(), args.reason)
    said = t("shared.cancelled", env.lang, date=f.long_date(result.access_until, env.lang))
    env.emit(result.to_json(), bill_text(env, result.bill) + [said])
    return 0
