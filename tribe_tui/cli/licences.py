"""`tribe-tui licences`: add, list, unlink, link, renew, offboard."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tribe_tui import formatting
from tribe_tui.cli.base import Env, bill_text, send_queued_mail, settled_first
from tribe_tui.i18n import licence_status, on_off, t, tn

if TYPE_CHECKING:
    from tribe_tui.cli.base import Commands
    from tribe_tui.services.licences import HolderChange


def register(commands: Commands) -> None:
    command, group = commands.command, commands.group
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
    env.emit(result.to_json(), lambda: settled_first(env, result.settled, said))
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
    env.emit(result.to_json(), lambda: settled_first(env, result.settled, said))
    return 0
