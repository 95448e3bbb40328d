"""The modules start-up deliberately leaves unloaded: the one list, with the reason for each.

Each is imported inside the function that needs it; an import inside a function for any other
reason is a mistake (or an import cycle, which is a mistake too). tests/perf/test_import_hygiene.py
starts the real programs in a subprocess and checks sys.modules against these lists.
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
    "babel": "counts, long dates and amounts in whole cents are written from CLDR's nl_NL/en_GB patterns "
    "(formatting.py; a test holds them to babel's text): its locale data load with the first other format",
    "tribe_tui.schemas": "the same",
    "argon2": "password hashing: only the sign-in screen's Enter",
    "smtplib": "sending invitations",
    "tribe_tui.mail": "the same",
    "playhouse.db_url": "PostgreSQL only",
    "fpdf": "invoice PDFs: only when an invoice is e-mailed",
    "tribe_tui.services._action": "the outline of an admin action (locks, renewals, invoices): loaded with the first action",
    "tribe_tui.services.invoices": "writing and listing invoices: an action that charges, or the invoices section",
    "tribe_tui.services.renewal": "settling renewals: inside an action (the first frame reads, it does not settle)",
    "tribe_tui.services.outbox": "queued e-mail: sent after an action",
    "tribe_tui.documents": "invoice documents (PDF, UBL): the invoices section and invoice e-mail",
    "tribe_tui.services.bulk": "acting on marked rows of a list: loaded with the first such action",
    "tribe_tui.services.employees": "the employees section; the idle licences come from the tally (services.account)",
    "tribe_tui.services.signin": "checking a password: the sign-in screen's Enter",
    "tribe_tui.services.ssh_keys": "SSH keys: a session that came in with a key, and the SSH-keys page",
    "tribe_tui.widgets.confirm": "the yes/no question: only when an action asks first",
    "tribe_tui.widgets.help": "the help screen: only when F1 (or ?) is pressed",
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
