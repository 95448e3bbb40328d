"""The modules start-up deliberately leaves unloaded: the one list, with the reason for each.

Each is imported inside the function that needs it; an import inside a function for any other
reason is a mistake (or an import cycle, which is a mistake too). tests/perf/test_import_hygiene.py
and test_lazy_imports.py start the real programs in a subprocess and check sys.modules against
these lists; tests/unit/test_imports.py checks that every import inside a function loads one of
them (itself or through what it imports), and that nothing else is imported there.
"""

from __future__ import annotations

# Not loaded by a command that reads and prints JSON (`account show --json`).
NOT_FOR_JSON_OUTPUT: dict[str, str] = {
    "textual": "the terminal UI: only `tribe-tui` and `tribe-tui demo` open it",
    "babel": "money, numbers and dates formatted for people (text output and the UI)",
    "argon2": "password hashing: sign-in, init, accepting an invitation",
    "smtplib": "sending e-mail: invitations and the outbox",
    "tribe_tui.schemas": "pydantic input models: only commands that validate input (and they build one or two)",
    "playhouse.db_url": "URL parsing for PostgreSQL (peewee's SQLite needs none)",
    "fpdf": "invoice PDFs: `invoices show --pdf` and sending an invoice's e-mail",
}

# Not loaded before the TUI's first frame (`tribe-tui demo`, `tribe-tui demo --screen licences`).
NOT_BEFORE_FIRST_FRAME: dict[str, str] = {
    "pydantic": "input validation: the settings take a fast path, forms load it when they validate",
    "pydantic_core": "the same",
    "babel": "counts, long dates and amounts in whole cents are written from CLDR's nl_NL/en_GB patterns "
    "(formatting.py; a test holds them to babel's text): its locale data load with the first other format",
    "tribe_tui.schemas": "the same",
    "argon2": "password hashing: only the sign-in screen's Enter",
    "smtplib": "sending invitations",
    "tribe_tui.mail": "the same",
    "playhouse.db_url": "PostgreSQL only",
    "fpdf": "invoice PDFs: only when an invoice is e-mailed",
    "importlib.resources": "the catalogue every open checks is read as the file beside the code; the invoice PDF's fonts use it",
    "tribe_tui.services._action": "the outline of an admin action (locks, renewals, invoices): loaded with the first action",
    "tribe_tui.services.invoices": "writing and listing invoices: an action that charges, or the invoices section",
    "tribe_tui.services.renewal": "settling renewals: inside an action (the first frame reads, it does not settle)",
    "tribe_tui.services.outbox": "queued e-mail: sent after an action",
    "tribe_tui.documents": "invoice documents (PDF, UBL): the invoices section and invoice e-mail",
    "tribe_tui.services.bulk": "acting on marked rows of a list: loaded with the first such action",
    "tribe_tui.services.employees": "the employees section; the idle licences come from the tally (services.account)",
    "tribe_tui.services.signin": "checking a password: the sign-in screen's Enter",
    "tribe_tui.services.ssh_keys": "SSH keys: a session that came in with a key, and the SSH-keys page",
    "tribe_tui.services.audit_log": "the Logboek's words and filters: the Logboek page",
    "tribe_tui.screens.sign_in": "the sign-in screen: a start without a signed-in person, or after signing out",
    "tribe_tui.screens.no_access": "someone without the admin role, or a key session that ended",
    "tribe_tui.widgets.confirm": "the yes/no question: only when an action asks first",
    "tribe_tui.widgets.help": "the help screen: only when F1 (or ?) is pressed",
    "tribe_tui.widgets.palette": "the command palette in the user's language: only when Ctrl+P is pressed",
    "tribe_tui.sshsig": "reading SSH signatures: adding a key (its proof), on the command line or the SSH-keys page",
    "tribe_tui.services.integrity": "the whole-file check: `tribe-tui check` and `backup`",
    **{
        f"tribe_tui.screens.{name}": "a section's screen and stylesheet load when the section first opens"
        for name in ("edition", "add_licences", "modules", "invite", "billing_details", "invoices", "cancel")
    },
}

# Not loaded by `tribe-tui ssh authorized-keys` (sshd runs it once per offered key; bench/ times it).
NOT_FOR_AUTHORIZED_KEYS: dict[str, str] = {
    "textual": "the terminal UI",
    "rich": "the same",
    "pydantic": "input validation: the lookup takes sshd's three words and one indexed query",
    "tribe_tui.schemas": "the same",
    "peewee": "the ORM: the lookup is one SQL query through the driver itself",
    "playhouse.db_url": "the same",
    "babel": "nothing is formatted for people",
    "argon2": "no password is checked",
    "cryptography": "the key is compared byte for byte with the stored one, which was parsed when added",
    "tribe_tui.cli": "the command line parser: the console script goes straight to tribe_tui.authorized_keys",
    "tribe_tui.billing": "the same; its one rule it needs is written out there",
}

# The modules `tribe-tui ssh authorized-keys` loads: NOT_FOR_AUTHORIZED_KEYS is about them (peewee,
# say, is deferred there and nowhere else).
AUTHORIZED_KEYS_PATH = ("tribe_tui.__main__", "tribe_tui.authorized_keys")
# There, also not loaded when sshd's command line names the database (--db), as the README's does.
NOT_FOR_AUTHORIZED_KEYS_WITH_DB: dict[str, str] = {
    "tribe_tui.config": "the settings (18 ms): read only for the default database's place",
}

# Not loaded by the command line's modules before the settings name the database: on SQLite the
# CLI keeps peewee from importing psycopg2 (tribe_tui.cli._skip_unused_drivers), which works only
# before peewee loads. So the parser and the command modules (CLI_PATH) load the services, models
# and database layer inside the command that runs.
NOT_BEFORE_THE_DATABASE_URL: dict[str, str] = {
    "peewee": "imports psycopg2 when it loads, unless the SQLite URL has ruled it out first",
}
CLI_PATH = ("tribe_tui.cli",)

# Loaded on any path only by the one check, file format or command that uses them (import times
# from `python -X importtime` on the development machine).
LOADED_WHEN_USED: dict[str, str] = {
    "cryptography": "SSH keys parsed and signatures checked (43 ms): adding or proving a key",
    "email_validator": "e-mail addresses checked (27 ms): a form or command that takes one",
    "stdnum": "VAT numbers, IBANs, postcodes and Peppol identifiers checked (30 ms): billing details",
    "schwifty": "IBAN and BIC (55 ms): signing a direct-debit mandate",
    "sepaxml": "the SEPA direct-debit batch (18 ms): `payments collect`",
    "lxml": "bank statements and the batch's schema check (19 ms): `payments collect` and `import`",
    "fontTools": "which characters the invoice fonts have (32 ms): writing a PDF",
    "rich": "the billing run's progress bar on a terminal (40 ms); the CLI otherwise prints plain text",
    "playhouse.migrate": "ALTER TABLE (5 ms): only when a database's schema is behind",
    "psycopg2": "the PostgreSQL driver: a postgresql:// URL only, and absent without the postgres extra",
    "platformdirs": "the user's data folder (15 ms): only when no database URL is given",
    "tribe_tui.authorized_keys": "sshd's lookup (13 ms with its SQL): only `tribe-tui ssh authorized-keys` "
    "and the key types an SSH key form accepts",
}
