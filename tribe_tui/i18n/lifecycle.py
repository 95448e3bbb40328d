"""Strings of renewal, sign-in, invitations and e-mail (issue #3)."""

NL: dict[str, str] = {
    # signing in: "err.sign_in_refused" (one message for every reason) lives in nl.py / en.py
    "cli.sign_in_ok": "{name} ({username}) kan inloggen als {role}.",
    # invitations
    "err.invite_no_address": "Geef minstens één e-mailadres op.",
    "err.invite_holds_licence": "{email} heeft al een licentie; een uitnodiging is niet nodig.",
    "err.invite_none_open": "Er is geen openstaande uitnodiging voor {email}.",
    "err.invite_unknown": "Deze uitnodiging bestaat niet (meer). Vraag je beheerder om een nieuwe.",
    "err.invite_used": "Deze uitnodiging is al gebruikt. Log in met je gebruikersnaam en wachtwoord.",
    "err.invite_revoked": "Deze uitnodiging is ingetrokken. Vraag je beheerder om een nieuwe.",
    "err.invite_expired": "Deze uitnodiging was geldig tot en met {date} en is verlopen. Vraag je beheerder om een nieuwe.",
    "err.invite_no_free_licence": "Er is op dit moment geen vrije licentie. De uitnodiging blijft geldig; probeer het opnieuw zodra je beheerder het aantal gebruikers heeft uitgebreid.",
    "err.passwords_differ": "De wachtwoorden zijn niet gelijk.",
    "err.accept_needs_flags": "Geef --username en --password-stdin op (of start de opdracht in een terminal).",
    "err.password_needed": "Geef het wachtwoord via standaardinvoer (--password-stdin).",
    "mail.invite_subject": "Uitnodiging voor Tribe CRM bij {org}",
    "mail.invite_body": (
        "Hallo,\n\n"
        "Je bent uitgenodigd om Tribe CRM te gebruiken bij {org}.\n\n"
        "Accepteer de uitnodiging via deze link en kies je gebruikersnaam en wachtwoord:\n"
        "{link}\n\n"
        "Werk je in de terminal? Gebruik dan:\n"
        "{command}\n\n"
        "De uitnodiging is eenmalig te gebruiken en geldig tot en met {date}.\n"
        "Verwachtte je deze e-mail niet? Dan kun je hem negeren.\n"
    ),
    "cli.invite_sent": "Uitnodiging verstuurd naar {email}.",
    "cli.invite_queued": "Uitnodiging voor {email} staat in de wachtrij; versturen lukte nog niet ({error}). Verstuur later met 'tribe-tui outbox flush'.",
    "cli.invite_no_free": "Let op: er is nu geen vrije licentie. Breid het aantal gebruikers uit, anders kan de uitnodiging niet worden geaccepteerd.",
    "cli.invite_revoked": "De uitnodiging voor {email} is ingetrokken.",
    "cli.invite_accepted": "Welkom, {name}! Je kunt nu inloggen als {username}.",
    "invitation.open": "open",
    "invitation.accepted": "geaccepteerd",
    "invitation.revoked": "ingetrokken",
    "invitation.expired": "verlopen",
    "invitation.mail_queued": "e-mail in wachtrij",
    "cli.invitation_row": "{email:<40}  {status:<13}  geldig t/m {date}",
    "prompt.username": "Gebruikersnaam: ",
    "prompt.name": "Naam: ",
    "prompt.password": "Wachtwoord: ",
    "prompt.password_again": "Wachtwoord (nogmaals): ",
    # outbox
    "cli.outbox_flushed": "{sent} e-mail(s) verstuurd, {failed} mislukt, {queued} in de wachtrij.",
    # renewal
    "cli.billing_nothing": "Er is niets te verlengen of te beëindigen.",
    "cli.billing_renewed": "{org}: verlengd van {start} tot en met {end}; {licences} licenties, factuur {number}.",
    "cli.billing_renewed_no_invoice": "{org}: verlengd van {start} tot en met {end}; niets te factureren.",
    "cli.billing_removed": "  {n} licentie(s) zonder automatische verlenging vervallen.",
    "cli.billing_ended": "{org}: het opgezegde account is beëindigd per {date}; alle gegevens blijven bewaard.",
}

EN: dict[str, str] = {
    "cli.sign_in_ok": "{name} ({username}) may sign in as {role}.",
    "err.invite_no_address": "Give at least one e-mail address.",
    "err.invite_holds_licence": "{email} already holds a licence; no invitation is needed.",
    "err.invite_none_open": "There is no open invitation for {email}.",
    "err.invite_unknown": "This invitation does not exist (any more). Ask your administrator for a new one.",
    "err.invite_used": "This invitation has already been used. Sign in with your username and password.",
    "err.invite_revoked": "This invitation has been revoked. Ask your administrator for a new one.",
    "err.invite_expired": "This invitation was valid through {date} and has expired. Ask your administrator for a new one.",
    "err.invite_no_free_licence": "There is no free licence right now. The invitation stays valid; try again once your administrator has added licences.",
    "err.passwords_differ": "The passwords do not match.",
    "err.accept_needs_flags": "Give --username and --password-stdin (or run the command in a terminal).",
    "err.password_needed": "Give the password on standard input (--password-stdin).",
    "mail.invite_subject": "Invitation to Tribe CRM at {org}",
    "mail.invite_body": (
        "Hello,\n\n"
        "You have been invited to use Tribe CRM at {org}.\n\n"
        "Accept the invitation with this link and choose your username and password:\n"
        "{link}\n\n"
        "Working in a terminal? Then use:\n"
        "{command}\n\n"
        "The invitation can be used once and is valid through {date}.\n"
        "Not expecting this e-mail? Then you can ignore it.\n"
    ),
    "cli.invite_sent": "Invitation sent to {email}.",
    "cli.invite_queued": "Invitation for {email} is queued; it could not be sent yet ({error}). Send it later with 'tribe-tui outbox flush'.",
    "cli.invite_no_free": "Note: there is no free licence right now. Add licences, or the invitation cannot be accepted.",
    "cli.invite_revoked": "The invitation for {email} has been revoked.",
    "cli.invite_accepted": "Welcome, {name}! You can now sign in as {username}.",
    "invitation.open": "open",
    "invitation.accepted": "accepted",
    "invitation.revoked": "revoked",
    "invitation.expired": "expired",
    "invitation.mail_queued": "e-mail queued",
    "cli.invitation_row": "{email:<40}  {status:<13}  valid through {date}",
    "prompt.username": "Username: ",
    "prompt.name": "Name: ",
    "prompt.password": "Password: ",
    "prompt.password_again": "Password (again): ",
    "cli.outbox_flushed": "{sent} e-mail(s) sent, {failed} failed, {queued} queued.",
    "cli.billing_nothing": "Nothing to renew or end.",
    "cli.billing_renewed": "{org}: renewed from {start} through {end}; {licences} licences, invoice {number}.",
    "cli.billing_renewed_no_invoice": "{org}: renewed from {start} through {end}; nothing to invoice.",
    "cli.billing_removed": "  {n} licence(s) without auto-renew lapsed.",
    "cli.billing_ended": "{org}: the cancelled account ended on {date}; all data is kept.",
}
