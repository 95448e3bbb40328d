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
    """The person's SSH key was removed, or they may no longer sign in: their session ends (#15)."""
