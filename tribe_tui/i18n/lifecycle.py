"""Strings of renewal, sign-in, invitations and e-mail (issue #3)."""

NL: dict[str, str] = {}
EN: dict[str, str] = {}
