"""SSH keys as identity: the commands sshd runs (`ssh authorized-keys`, `ssh session`), the
keys and the SSH policy, and the audit list."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tribe_tui import formatting
from tribe_tui.cli.base import SKIPPED, Env
from tribe_tui.errors import BadInput
from tribe_tui.formatting import moment
from tribe_tui.i18n import t

if TYPE_CHECKING:
    from tribe_tui.cli.base import Commands
    from tribe_tui.services.ssh_keys import KeyRow

MAX_STDIN_KEY = 200_000  # bytes read from stdin for one key: more is refused as too long anyway


def register(commands: Commands) -> None:
    command = commands.command
    ssh = commands.group("ssh", "SSH keys as identity: what sshd runs, keys, policy")
    if ssh is not SKIPPED:
        p = command(
            "authorized-keys",
            authorized_keys,
            "sshd's AuthorizedKeysCommand: print the line for a "
            "known key whose owner may sign in now, else nothing (always exit 0)",
            parent=ssh,
        )
        p.add_argument("user", metavar="USER")
        p.add_argument("key_type", metavar="KEYTYPE")
        p.add_argument("key_blob", metavar="KEYBLOB")
        p.add_argument(
            "--command", default=None, metavar="PATH", help="the program the key line forces (default: this tribe-tui)"
        )
        p = command("session", session, "the command a key line forces: open the TUI as the key's owner", parent=ssh)
        p.add_argument("key_uid", metavar="KEY_UID")
        # Optional for argparse only: a line of the older form (`ssh session 7`) gets the generic
        # refusal, not a usage message.
        p.add_argument("fingerprint", nargs="?", default=None, metavar="FINGERPRINT")
        p = command("policy", policy, "show or set how a key signs in: key, or key+password (default)", parent=ssh)
        p.add_argument("policy", nargs="?", default=None, metavar="key|key+password")
        keys = ssh.add_parser(
            "keys",
            parents=[commands.common],
            help="employees' SSH public keys",
            description="employees' SSH public keys",
        )
        actions = keys.add_subparsers(dest="ssh_keys_command", metavar="ACTION", required=True)
        p = command("list", keys_list, "every key, or one person's", parent=actions)
        p.add_argument("email", nargs="?", default=None, metavar="EMAIL")
        p = command(
            "challenge",
            keys_challenge,
            "the text the key's holder signs (ssh-keygen -Y sign) to prove the key is theirs",
            parent=actions,
        )
        p.add_argument("email", metavar="EMAIL")
        p.add_argument("public_key", nargs="?", default=None, metavar="KEY")
        p = command(
            "add",
            keys_add,
            "add a public key for EMAIL (the key from stdin when not given), with its holder's signature",
            parent=actions,
        )
        p.add_argument("email", metavar="EMAIL")
        p.add_argument("public_key", nargs="?", default=None, metavar="KEY")
        p.add_argument("--name", required=True)
        p.add_argument(
            "--signature",
            required=True,
            metavar="FILE",
            help="the signature over `ssh keys challenge`'s text (ssh-keygen -Y sign); '-': stdin",
        )
        p = command("remove", keys_remove, "remove a key: its next connection is refused", parent=actions)
        p.add_argument("ref", metavar="FINGERPRINT|ID")

    audit = commands.group("audit", "the audit list: who did what, when, from which key")
    p = command("list", audit_list, "audit events, newest first", parent=audit)
    p.add_argument("--since", default=None, metavar="YYYY-MM-DD")
    p.add_argument("--who", default=None, metavar="EMAIL")


def authorized_keys(env: Env, args: argparse.Namespace) -> int:
    """Reached only through cli.run (the console script takes a faster path, tribe_tui.__main__)."""
    from tribe_tui.authorized_keys import main

    argv = ["--db", env.settings.url, "--today", env.today.isoformat()]
    if args.command:
        argv += ["--command", args.command]
    return main([*argv, args.user, args.key_type, args.key_blob])


def session(env: Env, args: argparse.Namespace) -> int:
    """The forced command: SSH_ORIGINAL_COMMAND (what the client asked to run) is never read."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise BadInput(t("error.needs_terminal", env.lang))
    env.open_db()
    from tribe_tui.services.ssh_keys import open_key_session

    key = open_key_session(args.key_uid, args.fingerprint, env.today, env.lang)
    from tribe_tui.app import run_app

    return run_app(env.settings, ssh_key=key)


def policy(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.ssh_keys import get_policy, set_policy

    ctx = env.context()
    if args.policy is None:
        current = get_policy(ctx)
    else:
        current = set_policy(ctx, args.policy)
    env.emit({"policy": current}, t("cli.ssh_policy", env.lang, policy=current))
    return 0


def _key_lines(env: Env, rows: list[KeyRow]) -> list[str]:
    lang = env.lang
    never = t("ssh.never_used", lang)
    return [
        f"{r.id:>5}  {r.owner_email:<32}  {r.name:<20}  {r.key_type:<20}  {r.fingerprint}  "
        f"{formatting.short_date(formatting.local_day(r.added_at), lang)}  "
        f"{formatting.short_date(formatting.local_day(r.last_used_at), lang) if r.last_used_at else never}"
        for r in rows
    ]


def keys_list(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.ssh_keys import list_keys

    rows = list_keys(env.context(), args.email)
    env.emit([r.to_json() for r in rows], lambda: _key_lines(env, rows) or [t("cli.none", env.lang)])
    return 0


def _stdin_key(lang: str) -> str:
    buffer = getattr(sys.stdin, "buffer", None)
    data = buffer.read(MAX_STDIN_KEY + 1) if buffer is not None else sys.stdin.read(MAX_STDIN_KEY + 1).encode()
    try:
        return data.decode("utf-8").rstrip("\r\n")
    except UnicodeError:
        raise BadInput(t("error.stdin_not_utf8", lang)) from None


def keys_challenge(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.ssh_keys import key_challenge

    key = args.public_key if args.public_key is not None else _stdin_key(env.lang)
    found = key_challenge(env.context(), key, email=args.email)
    env.emit(
        found.to_json(),
        [
            t("cli.ssh_key_challenge", env.lang, email=found.email, fingerprint=found.fingerprint),
            "",
            found.command_lines(),
        ],
    )
    return 0


def _signature(env: Env, args: argparse.Namespace) -> str:
    """The armoured signature from --signature FILE ('-': stdin, then the key is an argument)."""

    if args.signature == "-":
        if args.public_key is None:
            raise BadInput(t("error.ssh_signature_stdin", env.lang))
        return _stdin_key(env.lang)
    from tribe_tui.sshsig import MAX_ARMOURED  # adding a key only (tribe_tui.deferred)

    try:
        with open(args.signature, "rb") as handle:
            data = handle.read(MAX_ARMOURED + 1)
    except OSError as exc:
        raise BadInput(
            t("error.ssh_signature_file", env.lang, path=args.signature, reason=exc.strerror or exc)
        ) from None
    try:
        return data.decode("ascii")
    except UnicodeError:
        return ""  # not a signature: refused as one that does not verify


def keys_add(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.ssh_keys import add_key

    signature = _signature(env, args)
    key = args.public_key if args.public_key is not None else _stdin_key(env.lang)
    row = add_key(env.context(), args.name, key, signature, email=args.email)
    env.emit(
        row.to_json(),
        t("cli.ssh_key_added", env.lang, name=row.name, owner=row.owner_email, fingerprint=row.fingerprint),
    )
    return 0


def keys_remove(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.ssh_keys import remove_key

    row = remove_key(env.context(), args.ref)
    env.emit(
        row.to_json(),
        t("cli.ssh_key_removed", env.lang, name=row.name, owner=row.owner_email, fingerprint=row.fingerprint),
    )
    return 0


def audit_list(env: Env, args: argparse.Namespace) -> int:
    from tribe_tui.services.audit_log import catalogue_names, sentence
    from tribe_tui.services.ssh_keys import list_audit

    rows = list_audit(env.context(), args.since, args.who)

    def text() -> list[str]:
        lines = []
        key_label = t("audit.key", env.lang)
        names = catalogue_names(env.lang)
        for r in rows:
            # The sentence names who acted; a person's address is said too.
            who = f"  {r.who_name} <{r.who_email}>" if r.who_email else ""
            key = f"  {key_label} {r.key_fingerprint}" if r.key_fingerprint else ""
            words = sentence(r.action, r.who_name or r.actor, r.before, r.after, env.lang, names)
            lines.append(f"{moment(r.at, env.lang)}{who}{key}  {words}")
        return lines or [t("cli.none", env.lang)]

    env.emit([r.to_json() for r in rows], text)
    return 0
