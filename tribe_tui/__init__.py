"""tribe-tui: the terminal console for a Tribe CRM organisation's account settings."""

__version__ = "0.1.0"
