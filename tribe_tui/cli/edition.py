"""`tribe-tui edition set`: upgrade at once (pro rata) or schedule a downgrade."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tribe_tui import formatting
from tribe_tui.cli.base import Env, bill_text, send_queued_mail
from tribe_tui.i18n import t

if TYPE_CHECKING:
    from tribe_tui.cli.base import Commands


def register(commands: Commands) -> None:
    command, group = commands.command, commands.group
    edition = group("edition", "the edition: Tribe or Tribe Creator")
    p = command("set", edition_set, "upgrade at once (pro rata) or schedule a downgrade", parent=edition)
    p.add_argument("code", metavar="tribe|creator")
    p.add_argument("--dry-run", action="store_true")


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
