"""Reusable widgets: money lines, charge preview, confirmation dialog, licence table."""
