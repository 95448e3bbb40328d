"""`tribe-tui billing-details`: show, set."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from tribe_tui import formatting
from tribe_tui.cli.base import Env
from tribe_tui.i18n import e_invoice_text, field_label, payment_method, t

if TYPE_CHECKING:
    from tribe_tui.cli.base import Commands
    from tribe_tui.services.billing_details import BillingDetailsView


def register(commands: Commands) -> None:
    command, group = commands.command, commands.group
    details = group("billing-details", "billing details (facturatiegegevens)")
    command("show", billing_details_show, "show them and the VAT that applies", parent=details)
    p = command("set", billing_details_set, "set FIELD=VALUE ...", parent=details)
    p.add_argument("assignments", nargs="*", metavar="FIELD=VALUE")


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
