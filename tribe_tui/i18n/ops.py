"""Strings of operations: backup, a busy or broken database (issue #5)."""

NL: dict[str, str] = {
    "err.busy": "De database is bezet door een andere beheerder; probeer het zo opnieuw.",
    "err.readonly": "De database is alleen-lezen: er is niets gewijzigd ({detail}).",
    "err.disk_full": "De schijf (of de database) is vol: er is niets gewijzigd.",
    "err.backup_not_sqlite": "backup kopieert een SQLite-database; gebruik voor PostgreSQL pg_dump.",
    "err.backup_exists": "{path} bestaat al; kies een nieuwe bestandsnaam (er wordt niets overschreven).",
    "err.backup_no_source": "Geen database gevonden op {path}.",
    "err.backup_no_dir": "De map {path} bestaat niet.",
    "err.backup_failed": "De backup is mislukt: {reason}",
    "cli.backup_done": "Backup geschreven naar {path} ({size} bytes, schemaversie {version}).",
}
EN: dict[str, str] = {
    "err.busy": "The database is busy with another admin's change; try again in a moment.",
    "err.readonly": "The database is read-only: nothing was changed ({detail}).",
    "err.disk_full": "The disk (or the database) is full: nothing was changed.",
    "err.backup_not_sqlite": "backup copies a SQLite database; for PostgreSQL use pg_dump.",
    "err.backup_exists": "{path} already exists; choose a new file name (nothing is overwritten).",
    "err.backup_no_source": "No database found at {path}.",
    "err.backup_no_dir": "The directory {path} does not exist.",
    "err.backup_failed": "The backup failed: {reason}",
    "cli.backup_done": "Backup written to {path} ({size} bytes, schema version {version}).",
}
