"""Payments on the command line: the admin's direct-debit mandate (`mandate show | sign | withdraw`)
and the seller's operator commands (`payments collect`, `payments import`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from tribe_tui import formatting
from tribe_tui.cli.base import Env, write_private
from tribe_tui.errors import BadInput, Refused
from tribe_tui.i18n import payment_method, t, tn

if TYPE_CHECKING:
    from tribe_tui.cli.base import Commands
    from tribe_tui.services.mandates import MandateView


def register(commands: Commands) -> None:
    command, group = commands.command, commands.group

    mandate = group("mandate", "payment by SEPA direct debit (automatische incasso)")
    command("show", mandate_show, "the payment method, and the mandate with its text", parent=mandate)
    p = command(
        "sign", mandate_sign, "sign a mandate for the billing details' IBAN: pay by direct debit", parent=mandate
    )
    p.add_argument("--yes", action="store_true", help="you agree to the mandate text (see mandate show)")
    p = command("withdraw", mandate_withdraw, "withdraw the mandate: pay by bank transfer", parent=mandate)
    p.add_argument("--yes", action="store_true", help="confirm")

    payments = group("payments", "the seller's side: collect by direct debit, reconcile the bank statement")
    p = command(
        "collect",
        payments_collect,
        "write one SEPA direct-debit batch (pain.008.001.02) of the open invoices due by DATE",
        parent=payments,
    )
    p.add_argument("--date", dest="collection_date", required=True, metavar="YYYY-MM-DD", help="the collection date")
    p.add_argument("path", metavar="PATH")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p = command(
        "import", payments_import, "read a bank statement (camt.053) and record the payments in it", parent=payments
    )
    p.add_argument("path", metavar="PATH")


def _mandate_lines(env: Env, view: MandateView) -> list[str]:
    from tribe_tui.services.mandates import mandate_text

    lang = env.lang
    lines = [t("label.payment_method", lang) + ": " + payment_method(view.payment_method, lang)]
    if view.active:
        assert view.signed_on is not None  # an active mandate was signed
        lines.append(
            t(
                "mandate.signed_line",
                lang,
                reference=view.reference,
                iban=view.iban,
                date=formatting.long_date(view.signed_on, lang),
                name=view.signer,
            )
        )
        if view.billing_iban and view.billing_iban.replace(" ", "").upper() != view.iban:
            lines.append(t("mandate.other_iban", lang, iban=view.billing_iban))
    else:
        lines.append(t("mandate.would_sign", lang))
    lines.append("")
    lines.append(mandate_text(view, lang))
    return lines


def mandate_show(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.mandates import show

    view = show(env.context())
    env.emit(view.to_json(), lambda: _mandate_lines(env, view))
    return 0


def mandate_sign(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.mandates import sign

    if not args.yes:
        raise BadInput(t("error.mandate_needs_yes", env.lang))
    view = sign(env.context())
    env.emit(
        view.to_json(), lambda: [t("mandate.signed", env.lang, reference=view.reference)] + _mandate_lines(env, view)
    )
    return 0


def mandate_withdraw(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.mandates import withdraw

    if not args.yes:
        raise BadInput(t("error.mandate_needs_yes", env.lang))
    view = withdraw(env.context())
    env.emit(view.to_json(), t("mandate.withdrawn", env.lang))
    return 0


def payments_collect(env: Env, args: argparse.Namespace) -> int:
    """Operator command: every organisation with a mandate, whatever --org says."""

    from tribe_tui.schemas import CollectionDateInput, parse
    from tribe_tui.services.payments import collect

    wanted = parse(CollectionDateInput, env.lang, collection_date=args.collection_date)
    if args.path == "-":
        raise BadInput(t("error.collect_needs_file", env.lang))
    target = Path(args.path).expanduser().absolute()
    if (target.exists() or target.is_symlink()) and not args.force:  # said before anything is collected
        raise Refused(t("error.file_exists", env.lang, path=target))
    env.open_db()
    result = collect(
        wanted.collection_date,
        env.today,
        env.actor,
        lambda data: write_private(env, args.path, data, args.force),
        env.lang,
    )
    lang = env.lang
    if result.message_id is None:
        env.emit(
            result.to_json(), t("cli.collect_nothing", lang, date=formatting.long_date(result.collection_date, lang))
        )
        return 0

    def text() -> list[str]:  # only for people: formatting 10,000 amounts is work JSON does not need
        lines = [
            tn(
                "cli.collected",
                len(result.items),
                lang,
                total=formatting.money(result.total, lang),
                date=formatting.long_date(result.collection_date, lang),
                path=result.path,
            )
        ]
        return lines + [
            f"  {i.number:<12} {i.organisation:<32.32} {formatting.money(i.amount, lang):>14}  {i.sequence_type}  "
            f"{i.mandate}"
            for i in result.items
        ]

    env.emit(result.to_json(), text)
    return 0


def payments_import(env: Env, args: argparse.Namespace) -> int:
    """Operator command: a statement may pay invoices of any organisation."""

    from tribe_tui.services.payments import import_statement

    path = Path(args.path).expanduser()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(t("error.statement_unreadable", env.lang, path=path, reason=exc.strerror or str(exc))) from None
    env.open_db()
    result = import_statement(data, env.today, env.actor)
    lang = env.lang

    def text() -> list[str]:
        lines = [
            t(
                "cli.imported",
                lang,
                entries=result.entries,
                known=result.already_imported,
                paid=len(result.of("paid", "partly_paid")),
                returned=len(result.of("returned", "refunded")),
                unmatched=len(result.of("unmatched", "overpaid", "not_booked")),
            )
        ]
        for line in result.lines:
            amount = "" if line.amount is None else formatting.money(line.amount, lang)
            label = _import_kind(line.kind, lang)
            said = f"  {label}: " + " ".join(part for part in (line.invoice, amount) if part)
            if line.reason:
                said += f" ({line.reason})"
            lines.append(said + "  | " + line.line)
        return lines

    env.emit(result.to_json(), text)
    return 0


def _import_kind(kind: str, lang: str) -> str:
    return {
        "paid": t("import.paid", lang),
        "partly_paid": t("import.partly_paid", lang),
        "returned": t("import.returned", lang),
        "refunded": t("import.refunded", lang),
        "unmatched": t("import.unmatched", lang),
        "overpaid": t("import.overpaid", lang),
        "not_booked": t("import.not_booked", lang),
    }.get(kind, kind)
