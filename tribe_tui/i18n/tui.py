"""Strings of the TUI screens (issue #4)."""

NL: dict[str, str] = {}
EN: dict[str, str] = {}
