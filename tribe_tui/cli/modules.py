"""`tribe-tui modules`: list, add, remove."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from tribe_tui import formatting
from tribe_tui.cli.base import Env, bill_text, send_queued_mail
from tribe_tui.i18n import t

if TYPE_CHECKING:
    from tribe_tui.cli.base import Commands
    from tribe_tui.services.modules import ModuleChange


def register(commands: Commands) -> None:
    command, group = commands.command, commands.group
    modules = group("modules", "modules and integrations")
    command("list", modules_list, "the catalogue with this organisation's state", parent=modules)
    for name, handler, help_text in (
        ("add", modules_add, "add (charged pro rata) or undo a removal"),
        ("remove", modules_remove, "stop at paid-until, no refund"),
    ):
        p = command(name, handler, help_text, parent=modules)
        p.add_argument("code")
        p.add_argument("--dry-run", action="store_true")


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
