"""One screen per account-settings section."""
