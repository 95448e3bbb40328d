"""Commands of the account's life in time and of identity: invitations, outbox,
renewal and the sign-in check. (`backup` is registered elsewhere.)"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import sys
import time
from typing import TYPE_CHECKING

from tribe_tui import formatting
from tribe_tui.cli.base import Env, send_queued_mail, settled_first
from tribe_tui.errors import BadInput, Refused
from tribe_tui.i18n import invitation_status, mail_reason, role, t, tn

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from tribe_tui.cli.base import Commands
    from tribe_tui.services.renewal import BillingRun


def register(commands: Commands) -> None:
    command, group = commands.command, commands.group

    p = command("invite", invite, "invite colleagues by e-mail (one single-use link each)")
    p.add_argument("emails", nargs="+", metavar="EMAIL")
    p.add_argument("--admin", action="store_true", help="they join as admins (default: without the admin role)")

    invitations = group("invitations", "invitations that were sent")
    command("list", invitations_list, "every invitation, newest first", parent=invitations)
    p = command("revoke", invitations_revoke, "make the open invitation for EMAIL stop working", parent=invitations)
    p.add_argument("email")

    p = command("accept-invite", accept_invite, "accept an invitation: choose username and password")
    p.add_argument("token", metavar="TOKEN")
    p.add_argument("--username", default=None)
    p.add_argument("--name", default=None)
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")

    password = group("password", "your own password")
    p = command("change", password_change, "change your own password (the old one asked)", parent=password)
    p.add_argument("username", metavar="USERNAME")
    p.add_argument("--password-stdin", action="store_true", help="read the old, then the new password from stdin")

    p = command("reset-password", reset_password, "choose a new password with the link an admin had sent you")
    p.add_argument("token", metavar="TOKEN")
    p.add_argument("--password-stdin", action="store_true", help="read the new password from stdin")

    outbox = group("outbox", "e-mail waiting to be sent")
    command("flush", outbox_flush, "send queued e-mail now", parent=outbox)
    p = command("list", outbox_list, "e-mail still queued, with the last error; --all: sent ones too", parent=outbox)
    p.add_argument("--all", action="store_true", help="also e-mail that was sent, and where it went")
    p.add_argument("--show", default=None, metavar="N", help="print message N (headers and text)")

    billing = group("billing", "renewals (R7)")
    command("run", billing_run, "process renewals and endings due on or before today", parent=billing)

    p = command("sign-in-check", sign_in_check, "exit 0 if USERNAME may sign in now, 1 if not")
    p.add_argument("username", metavar="USERNAME")
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")


def stdin_line(lang: str) -> str:
    """One line of stdin (a password), which must be UTF-8: read as bytes and decoded here, because
    in a C locale Python would turn invalid bytes into surrogates instead of failing."""
    buffer = getattr(sys.stdin, "buffer", None)
    try:
        if buffer is not None:
            raw: bytes = buffer.readline()
            return raw.decode("utf-8").rstrip("\r\n")
        line = sys.stdin.readline()
        line.encode("utf-8")  # surrogates from a lenient decoder are not UTF-8 either
        return line.rstrip("\r\n")
    except UnicodeError:
        raise BadInput(t("error.stdin_not_utf8", lang)) from None


def invite(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.invitations import free_licences
    from tribe_tui.services.invitations import invite as send_invitations

    ctx = env.context()
    outcomes = send_invitations(ctx, args.emails, env.settings, admin=args.admin)
    lines = [
        (
            t("cli.invite_sent_via", env.lang, email=o.email, via=o.sent_via)
            if o.sent_via
            else t("cli.invite_sent", env.lang, email=o.email)
        )
        if o.status == "sent"
        else t("cli.invite_queued", env.lang, email=o.email, error=o.error or "?")
        for o in outcomes
    ]
    if free_licences(ctx) < len(outcomes):
        lines.append(t("cli.invite_no_free", env.lang))
    # After paid-until the renewal invoice written first is named first (R9).
    env.emit([o.to_json() for o in outcomes], lambda: settled_first(env, outcomes.settled, lines))
    return 0  # a queued invitation is not a failure: the outbox sends it later


def invitations_list(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.invitations import list_invitations

    rows = list_invitations(env.context())
    lang = env.lang
    lines = [
        t(
            "cli.invitation_row",
            lang,
            email=r.email,
            status=invitation_status(r.state, lang),
            date=formatting.short_date(r.valid_until, lang),
        )
        + (f"  ({r.accepted_by})" if r.accepted_by else "")
        + (f"  ({mail_reason(r.mail_error_kind, lang)})" if r.mail_error_kind else "")
        for r in rows
    ]
    env.emit([r.to_json() for r in rows], lines or [t("cli.none", lang)])
    return 0


def invitations_revoke(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.invitations import revoke

    row = revoke(env.context(), args.email)
    env.emit(row.to_json(), t("shared.invite_revoked", env.lang, email=row.email))
    return 0


def _accept_credentials(env: Env, args: argparse.Namespace) -> tuple[str, str, str | None]:
    username, name = args.username, args.name
    if args.password_stdin:
        if not username:
            raise BadInput(t("error.accept_needs_flags", env.lang))
        return username, stdin_line(env.lang), name
    if not sys.stdin.isatty():
        raise BadInput(t("error.accept_needs_flags", env.lang))

    lang = env.lang
    username = username or input(t("prompt.username", lang)).strip()
    name = name or input(t("prompt.name", lang)).strip() or None
    password = getpass.getpass(t("prompt.password", lang))
    if getpass.getpass(t("prompt.password_again", lang)) != password:
        raise BadInput(t("error.passwords_differ", lang))
    return username, password, name


def accept_invite(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.invitations import accept

    username, password, name = _accept_credentials(env, args)
    env.open_db()
    result = accept(
        args.token,
        username=username,
        password=password,
        name=name,
        today=env.today,
        settings=env.settings,
        lang=env.lang,
    )
    env.emit(result.to_json(), t("cli.invite_accepted", env.lang, name=result.name, username=result.username))
    return 0


def _new_password(env: Env, args: argparse.Namespace, prompt_old: bool) -> tuple[str | None, str]:
    """(old, new) from stdin (one line each) or asked in the terminal (the new one twice)."""
    if args.password_stdin:
        old = stdin_line(env.lang) if prompt_old else None
        return old, stdin_line(env.lang)
    if not sys.stdin.isatty():
        raise BadInput(t("error.password_needed", env.lang))

    old = getpass.getpass(t("prompt.old_password", env.lang)) if prompt_old else None
    new = getpass.getpass(t("prompt.new_password", env.lang))
    if getpass.getpass(t("prompt.password_again", env.lang)) != new:
        raise BadInput(t("error.passwords_differ", env.lang))
    return old, new


def password_change(env: Env, args: argparse.Namespace) -> int:
    """The command line acts as a person here: their old password signs them in (lockout and
    audit as at every sign-in), and the change is checked like every act of theirs."""
    from tribe_tui.services.passwords import change_password
    from tribe_tui.services.session import start_session
    from tribe_tui.services.signin import sign_in

    old, new = _new_password(env, args, prompt_old=True)
    env.open_db()
    signed = sign_in(args.username, old or "", today=env.today, lang=env.lang, settings=env.settings, method="cli")
    ctx = start_session(signed.username, env.today, env.lang).ctx
    change_password(ctx, old or "", new, settings=env.settings)
    env.emit({"username": signed.username, "changed": True}, t("shared.password_changed", env.lang))
    return 0


def reset_password(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.passwords import reset_password as use_link

    _, new = _new_password(env, args, prompt_old=False)
    env.open_db()
    username = use_link(args.token, new, today=env.today, lang=env.lang)
    env.emit({"username": username, "changed": True}, t("cli.password_reset", env.lang, username=username))
    return 0


def outbox_flush(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.outbox import flush

    env.open_db()
    result = flush(env.settings)
    data = result.to_json()
    env.emit(data, tn("cli.outbox_flushed", data["sent"], env.lang, **data))
    return 0


def outbox_list(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.outbox import list_messages

    env.open_db()
    if args.show is not None:
        return _outbox_show(env, args.show)
    rows = list_messages(only_queued=not args.all)
    lines = [
        f"{r.id:>6}  {r.recipient:<40}  {r.attempts:>3}  "
        + (t("cli.outbox_sent_via", env.lang, via=r.sent_via or "?") if r.sent_at else r.last_error or "")
        for r in rows
    ]
    env.emit([r.to_json() for r in rows], lines or [t("cli.none", env.lang)])
    return 0


def _outbox_show(env: Env, raw: str) -> int:
    """One message as sent (headers and text). A queued invitation's token is in it: printed to
    the admin running this, never logged or audited."""
    from tribe_tui.schemas import OutboxId, parse
    from tribe_tui.services.outbox import show_message

    found = show_message(parse(OutboxId, env.lang, id=raw).id, env.settings)
    if found is None:
        raise Refused(t("error.outbox_unknown", env.lang, id=raw))
    row, text = found
    env.emit({**row.to_json(), "message": text}, text.rstrip("\n").split("\n"))
    return 0


def billing_run(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.catalogue import shown_name
    from tribe_tui.services.organisations import resolve
    from tribe_tui.services.reminders import send_reminders
    from tribe_tui.services.renewal import ENDED, run_billing

    env.open_db()
    # --org limits the run to one organisation; without it every organisation is processed.
    org_id = resolve(env.settings.org, env.lang).id if env.settings.org else None
    with _billing_progress(env, org_id) as on_settled:
        run = run_billing(env.today, env.actor, org_id, on_settled=on_settled)
    f, lang = formatting, env.lang
    lines = []
    for o in run.outcomes:
        if o.status == ENDED:
            lines.append(t("cli.billing_ended", lang, org=o.slug, date=f.long_date(o.period_start, lang)))
            continue
        values = {
            "org": o.slug,
            "start": f.long_date(o.period_start, lang),
            "end": f.long_date(o.paid_until, lang),
            "licences": o.licences,
            "number": o.invoice_number,
        }
        lines.append(
            tn("cli.billing_renewed", o.licences, lang, **values)
            if o.invoice_number
            else t("cli.billing_renewed_no_invoice", lang, **values)
        )
        if o.licences_removed:
            lines.append(tn("cli.billing_removed", o.licences_removed, lang))
        if o.modules_ended:
            # In the reader's words; the invoices keep the names they print (R12).
            names = map(shown_name, o.modules_ended_codes, o.modules_ended, [lang] * len(o.modules_ended))
            lines.append(t("cli.billing_modules_ended", lang, modules=", ".join(names)))
    # Reminders for invoices still open 7 and 21 days after their due date, each once (its own
    # transaction per organisation, after the renewals: a renewal's invoice is never reminded at once).
    reminded = send_reminders(env.today, env.actor, org_id)
    run.reminders = len(reminded)
    for r in reminded:
        lines.append(
            tn("cli.billing_reminded", len(r.invoices), lang, org=r.slug, to=r.recipient or "—", level=r.level)
        )
    summary = run.to_json()
    if run.organisations or run.failures:
        lines.append(
            tn(
                "cli.billing_summary",
                run.organisations,
                lang,
                invoices=summary["invoices"],
                total=f.money(run.invoiced_total, lang),
                seconds=f"{run.seconds:.1f}".replace(".", "," if lang == "nl" else "."),
            )
        )
    env.emit(summary, lines or [t("cli.billing_nothing", lang)])
    for failure in run.failures:  # each on its own line: which organisation, and why
        print(t("cli.billing_failed", lang, org=failure.slug, reason=failure.reason), file=sys.stderr)
    if run.invoices or reminded:
        send_queued_mail(env)
    return 1 if run.failures else 0


@contextlib.contextmanager
def _billing_progress(env: Env, org_id: int | None) -> Iterator[Callable[[BillingRun], None] | None]:
    """On a terminal (stderr), a progress bar: organisations done of those due when the run started,
    counting what other runners did too, and this process's rate. Elsewhere nothing."""
    if not sys.stderr.isatty():
        yield None
        return

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from tribe_tui.services.renewal import due_count

    total = due_count(env.today, org_id)
    started = time.monotonic()
    seen = {"synced": started}
    rate = TextColumn("{task.fields[rate]}")
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        rate,
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(t("cli.billing_progress", env.lang), total=total, rate="")

        def on_settled(run: BillingRun) -> None:
            now = time.monotonic()
            done = run.organisations
            if now - seen["synced"] >= 1.0:  # other runners' work too, once a second
                seen["synced"] = now
                done = max(done, total - due_count(env.today, org_id))
            per_second = run.organisations / max(now - started, 1e-6)
            bar.update(task, completed=min(done, total), rate=tn("cli.billing_rate", round(per_second), env.lang))

        yield on_settled


def sign_in_check(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.signin import sign_in

    if args.password_stdin:
        password = stdin_line(env.lang)
    elif sys.stdin.isatty():
        password = getpass.getpass(t("prompt.password", env.lang))
    else:
        raise BadInput(t("error.password_needed", env.lang))
    env.open_db()
    who = sign_in(args.username, password, today=env.today, lang=env.lang, settings=env.settings, method="cli")
    env.emit(
        {"username": who.username, "name": who.name, "role": who.role, "may_sign_in": True, "can_manage": who.is_admin},
        t("cli.sign_in_ok", env.lang, name=who.name, username=who.username, role=role(who.role, env.lang)),
    )
    return 0
