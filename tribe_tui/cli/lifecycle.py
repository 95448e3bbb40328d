"""Commands of the account's life in time and of identity (issue #3): filled in there."""

from __future__ import annotations


def register(sub, common) -> None:
    """Nothing yet: invite, accept-invite, outbox flush, billing run, sign-in-check, backup."""
