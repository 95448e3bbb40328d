"""Reusable widgets: money lines, charge preview, confirmation dialog, the paged list table."""
