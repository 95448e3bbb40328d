"""The two ways an action can fail for the user: bad input (exit 2) or a refusal (exit 1).

Both carry a one-line message meant for the user; nothing was changed.
"""


class TribeError(Exception):
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadInput(TribeError):
    """The input is malformed or names something that does not exist."""

    exit_code = 2


class Refused(TribeError):
    """The input is fine but the action is not allowed now."""

    exit_code = 1


class StaleData(Refused):
    """Someone else changed the account since this screen read it."""


class SessionEnded(Refused):
    """The person acting in a session may no longer sign in (their SSH key was removed, they left
    the organisation, became Voormalig, lost their licence, were locked, or sat idle too long):
    the session ends at once. `reason` names why, for the audit event."""

    def __init__(self, message: str, reason: str = "ended") -> None:
        super().__init__(message)
        self.reason = reason


class NoRight(Refused):
    """The person may still sign in but no longer holds the role the act needs (the admin role was
    revoked): the session stays, on the "no right" screen."""
