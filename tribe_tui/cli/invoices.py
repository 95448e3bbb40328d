"""`tribe-tui invoices`: list, show (as text, CSV, PDF or UBL), send, credit, export. Files are
written with mode 0600, complete or not at all, and never over an existing file without --force
(cli.base.write_private); PATH `-` is stdout."""

from __future__ import annotations

import argparse
from decimal import Decimal

from tribe_tui import billing, formatting
from tribe_tui.cli.base import Commands, Env, charge_text, send_queued_mail, write_private
from tribe_tui.errors import BadInput, Refused
from tribe_tui.i18n import invoice_reason, invoice_status, t, tn


def show_documents(env: Env, args: argparse.Namespace, number: str) -> int:
    """`invoices show N --pdf PATH --ubl PATH` (either or both; at most one of them `-`)."""
    from tribe_tui.services import documents
    from tribe_tui.services.invoices import invoice_document

    if args.pdf == "-" and args.ubl == "-":
        raise BadInput(t("cli.one_stdout", env.lang))
    if args.csv:
        raise BadInput(t("cli.csv_or_documents", env.lang))
    if "-" in (args.pdf, args.ubl) and env.out_json:
        raise BadInput(t("cli.stdout_not_json", env.lang))
    if args.pdf == "-" and _is_terminal(env):  # binary on a terminal garbles it
        raise BadInput(t("cli.pdf_to_terminal", env.lang))
    document = invoice_document(env.context(), number)
    if args.ubl is not None and not document.has_e_invoice:
        raise Refused(t("error.no_e_invoice", env.lang, number=document.number))
    written: dict[str, str] = {}
    # Both made before either is written: a failure leaves no half pair behind.
    pdf = documents.pdf_bytes(document)  # the UBL embeds it too
    made = [
        (kind, path, pdf if kind == "pdf" else documents.ubl_bytes(document, pdf))
        for kind, path in (("pdf", args.pdf), ("ubl", args.ubl))
        if path is not None
    ]
    for kind, path, data in made:
        written[kind] = write_private(env, path, data, args.force)
    if "-" not in written.values():
        env.emit(
            {"number": document.number, **written},
            [t("cli.document_written", env.lang, kind=kind.upper(), path=path) for kind, path in written.items()],
        )
    return 0


def _is_terminal(env: Env) -> bool:
    isatty = getattr(env.stdout, "isatty", None)
    return bool(isatty and isatty())


def invoices_send(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.invoices import send_invoice

    outcome = send_invoice(env.context(), args.number, args.to, env.settings)
    text = (
        t("cli.invoice_sent", env.lang, number=outcome.number, email=outcome.recipient)
        if outcome.status == "sent"
        else t(
            "cli.invoice_queued", env.lang, number=outcome.number, email=outcome.recipient, reason=outcome.reason or "?"
        )
    )
    env.emit(outcome.to_json(), text)
    return 0  # queued is not a failure: the outbox sends it later


def invoices_export(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.schemas import InvoiceExportInput, parse
    from tribe_tui.services.invoices import export_invoices

    wanted = parse(InvoiceExportInput, env.lang, date_from=args.date_from, date_to=args.date_to, format=args.format)
    if args.path == "-" and env.out_json:
        raise BadInput(t("cli.stdout_not_json", env.lang))
    count, data = export_invoices(env.context(), wanted.date_from, wanted.date_to, wanted.format)
    where = write_private(env, args.path, data, args.force)
    if where != "-":
        env.emit(
            {"invoices": count, "format": wanted.format, "path": where}, tn("cli.exported", count, env.lang, path=where)
        )
    return 0


def register(commands: Commands) -> None:
    command, group = commands.command, commands.group

    invoices = group("invoices", "invoices (facturen)")
    p = command("list", invoices_list, "all invoices, oldest first, with their status", parent=invoices)
    p.add_argument("--open", action="store_true", help="only invoices with money open (open, partly paid, overdue)")
    p = command("show", invoices_show, "one invoice", parent=invoices)
    p.add_argument("number")
    p.add_argument("--csv", action="store_true", help="as CSV")
    p.add_argument("--pdf", metavar="PATH", default=None, help="write the PDF invoice to PATH ('-': stdout)")
    p.add_argument(
        "--ubl",
        metavar="PATH",
        default=None,
        help="write the UBL e-invoice (Peppol BIS Billing 3.0) to PATH ('-': stdout)",
    )
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p = command("send", invoices_send, "e-mail an invoice with its PDF and UBL attached", parent=invoices)
    p.add_argument("number")
    p.add_argument(
        "--to",
        metavar="EMAIL",
        default=None,
        help="the address (default: the invoice e-mail of the billing details, else the admin)",
    )
    p = command(
        "credit", invoices_credit, "credit a wrong invoice with a credit note (and reissue it)", parent=invoices
    )
    p.add_argument("number")
    p.add_argument("--reason", default=None, help="why (printed on the credit note)")
    p.add_argument("--yes", action="store_true", help="confirm")
    p.add_argument(
        "--reissue", action="store_true", help="also issue a new invoice for the same lines to today's billing details"
    )
    p = command("export", invoices_export, "the invoices issued between two dates, for the bookkeeper", parent=invoices)
    p.add_argument("--from", dest="date_from", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--format", required=True, metavar="csv|ubl-zip")
    p.add_argument("path", metavar="PATH", help="the file to write ('-': stdout)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")


def invoices_list(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.invoices import list_invoices

    rows = list_invoices(env.context(), open_only=args.open)
    f = formatting
    lang = env.lang
    # One column for the number, as wide as the widest: 2026-10000 follows 2026-9999 (R10).
    width = max((len(v.number) for v in rows), default=0)
    lines = [
        f"{v.number:<{width}}  {f.short_date(v.date, lang):<14} {invoice_reason(v.reason, lang):<22} "
        f"{f.money(v.subtotal, lang):>14} {f.money(v.vat, lang):>12} {f.money(v.total, lang):>14}  "
        + _status_text(v.standing, lang)
        + (f"  {credited}" if (credited := credited_text(v.credited_by, lang)) else "")
        for v in rows
    ]
    env.emit([v.summary_json() for v in rows], lines or [t("cli.none", lang)])
    return 0


def _status_text(standing: billing.InvoiceStanding, lang: str) -> str:
    """'betaald 3 mrt. 2026', 'achterstallig (€ 121,00 open)', 'open (vervalt 16 mrt. 2026)'."""
    f = formatting
    word = invoice_status(standing.status, lang)
    if standing.status == "paid":
        return word + (f" {f.short_date(standing.paid_on, lang)}" if standing.paid_on else "")
    if standing.status in ("partly_paid", "overdue"):
        return word + " (" + t("cli.open_amount", lang, amount=f.money(standing.open_amount, lang)) + ")"
    if standing.status == "open":
        return word + " (" + t("cli.due_on", lang, date=f.short_date(standing.due_date, lang)) + ")"
    return word


def invoices_show(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.invoices import get_invoice, invoice_csv

    if args.pdf is not None or args.ubl is not None:
        return show_documents(env, args, args.number)
    view = get_invoice(env.context(), args.number)
    if args.csv:
        env.stdout.write(invoice_csv(view, env.lang))
        return 0
    f = formatting
    lang = env.lang
    seller, customer = view.seller, view.customer
    vat_number = t("field.vat_number", lang)
    lines = [
        t("label.invoice", lang) + f" {view.number}  —  {f.long_date(view.date, lang)}",
        t("label.period", lang) + f": {f.long_date(view.period_start, lang)} – {f.long_date(view.period_end, lang)}",
        t("label.from", lang) + f": {seller.get('name')}, {seller.get('address')}, {seller.get('postcode')} "
        f"{seller.get('city')}  {vat_number} {seller.get('vat_number')}",
        t("label.to", lang)
        + f": {customer.get('company_name') or customer.get('organisation')}"
        + (f", {customer.get('attention')}" if customer.get("attention") else "")
        + (
            f", {customer.get('address')}, {customer.get('postcode')} {customer.get('city')}"
            if customer.get("address")
            else ""
        )
        + (f"  {vat_number} {customer.get('vat_number')}" if customer.get("vat_number") else ""),
    ]
    if customer.get("po_reference"):
        lines.append(t("field.po_reference", lang) + f": {customer['po_reference']}")

    charge = billing.Charge(
        tuple(
            billing.Line(
                l.description, l.quantity, l.unit_price, l.days, l.period_days, l.amount, l.period_from, l.period_to
            )
            for l in view.lines
        ),
        view.subtotal,
        Decimal(view.vat_rate),
        view.vat,
        view.total,
        view.vat_reason,
    )
    lines += charge_text(env, charge, periods=True)
    if view.vat_reason == "reverse_charge":
        lines.append(t("vat.reverse_charge_line", lang, vat_number=view.customer_vat_number))
    elif view.vat_reason == "outside_eu":
        lines.append(t("vat.outside_eu_line", lang))
    lines.append(t("label.status", lang) + ": " + _status_text(view.standing, lang))
    if view.credited_by:
        lines.append(credited_text(view.credited_by, lang))
    env.emit(view.to_json(), lines)
    return 0


def credited_text(credit_note: str | None, lang: str) -> str:
    return t("invoices.credited_by", lang, credit_note=credit_note) if credit_note else ""


def invoices_credit(env: Env, args: argparse.Namespace) -> int:
    """`invoices credit NUMBER --reason TEXT --yes [--reissue]`: a credit note for the whole invoice."""
    from tribe_tui.services.credit_notes import credit_invoice

    if not args.reason:
        raise BadInput(t("cli.reason_needed", env.lang))
    if not args.yes:
        raise BadInput(t("error.confirm_credit", env.lang))
    outcome = credit_invoice(env.context(), args.number, args.reason, reissue=args.reissue)
    text = [t("shared.credited", env.lang, credit_note=outcome.credit_note, number=outcome.invoice)]
    if outcome.reissued:
        text.append(t("cli.reissued", env.lang, number=outcome.reissued))
    env.emit(outcome.to_json(), text)
    send_queued_mail(env)
    return 0
