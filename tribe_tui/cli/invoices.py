"""Invoices as documents on the command line: `invoices show N --pdf/--ubl PATH`, `invoices send`,
`invoices export`. Files are written with mode 0600, complete or not at all, and never over an
existing file without --force; PATH `-` is stdout."""

from __future__ import annotations

import os
from pathlib import Path

from tribe_tui.errors import BadInput, Refused
from tribe_tui.i18n import t, tn


def send_queued_mail(env) -> None:
    """After an action that issued an invoice: its e-mail (and whatever else waits) goes now, when a
    mail server is configured. A failure leaves it queued with its reason (`outbox list`); the
    action stands either way."""
    if env.settings.smtp_url:
        from tribe_tui.services.outbox import flush

        flush(env.settings)


def write_private(env, path_text: str, data: bytes, force: bool) -> str:
    """Write `data` to PATH (mode 0600) or, for `-`, to stdout. Returns where it went."""
    lang = env.lang
    if path_text == "-":
        _to_stdout(env, data)
        return "-"
    target = Path(path_text).expanduser().absolute()
    if target.is_dir():
        raise Refused(t("err.file_is_dir", lang, path=target))
    if (target.exists() or target.is_symlink()) and not force:
        raise Refused(t("err.file_exists", lang, path=target))
    if not target.parent.is_dir():
        raise Refused(t("err.file_no_dir", lang, path=target.parent))
    # Written beside the target, then moved into place: PATH only ever holds the whole file. Without
    # --force, link (which fails on an existing name) rather than rename (which would replace it).
    partial = target.parent / f".{target.name}.{os.getpid()}.partial"
    try:
        handle = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if force:
            os.replace(partial, target)
        else:
            os.link(partial, target)
    except FileExistsError:
        raise Refused(t("err.file_exists", lang, path=target)) from None
    except OSError as exc:
        raise Refused(t("err.file_failed", lang, path=target, reason=exc.strerror or str(exc))) from None
    finally:
        partial.unlink(missing_ok=True)
    return str(target)


def _to_stdout(env, data: bytes) -> None:
    stream = env.stdout
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a stream that takes text only cannot carry a PDF
        raise Refused(t("cli.stdout_binary", env.lang))
    stream.flush()
    buffer.write(data)
    buffer.flush()


def show_documents(env, args, number: str) -> int:
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
        raise Refused(t("err.no_e_invoice", env.lang, number=document.number))
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


def _is_terminal(env) -> bool:
    isatty = getattr(env.stdout, "isatty", None)
    return bool(isatty and isatty())


def invoices_send(env, args) -> int:
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


def invoices_export(env, args) -> int:
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
