"""`tribe-tui employees`: list, former, admin, unlock, reset-password."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tribe_tui import formatting
from tribe_tui.cli.base import Env, settled_first
from tribe_tui.i18n import role, t

if TYPE_CHECKING:
    from tribe_tui.cli.base import Commands


def register(commands: Commands) -> None:
    command, group = commands.command, commands.group
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
    said = (
        t("cli.former_on", env.lang, name=result.name)
        if result.former
        else t("cli.former_off", env.lang, name=result.name)
    )
    env.emit(result.to_json(), lambda: settled_first(env, result.settled, said))
    return 0


def employees_admin(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.employees import set_admin

    result = set_admin(env.context(), args.email, args.state)
    said = (
        t("shared.admin_on", env.lang, name=result.name)
        if result.role == "admin"
        else t("shared.admin_off", env.lang, name=result.name)
    )
    env.emit(result.to_json(), lambda: settled_first(env, result.settled, said))
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
    env.emit(
        result.to_json(), lambda: settled_first(env, result.settled, t("shared.unlocked", env.lang, name=result.name))
    )
    return 0
