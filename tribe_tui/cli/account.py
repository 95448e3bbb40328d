"""The account's own commands: demo, init, account show, catalogue, cancel, and the TUI itself."""

from __future__ import annotations

import argparse
import gc
import getpass
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from tribe_tui import formatting
from tribe_tui.cli.base import Env, bill_text, charge_text, common_options, send_queued_mail
from tribe_tui.cli.lifecycle import stdin_line
from tribe_tui.config import DEMO_ADMIN, DEMO_SLUG, demo_mail_url
from tribe_tui.errors import BadInput
from tribe_tui.i18n import account_status, module_kind, t, tn
from tribe_tui.sections import NAMES
from tribe_tui.service_types import charge_json

if TYPE_CHECKING:
    from tribe_tui.cli.base import Commands
    from tribe_tui.services.demo import DemoResult


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


def register_cancel(commands: Commands) -> None:
    """`cancel`, which the help lists after the invoices."""
    command = commands.command

    p = command("cancel", cancel, "cancel the account (access remains until paid-until)")
    p.add_argument("--reason", default=None)
    p.add_argument("--yes", action="store_true", help="confirm")
    p.add_argument("--withdraw", action="store_true", help="withdraw the cancellation")


# --- helpers ---------------------------------------------------------------------------------


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
