"""Domain exceptions raised by the Hostaway client and the services above it.

The MCP layer translates each of these, once, into a ToolError whose text tells the user what happened
and what to do next. Messages never contain credentials or tokens.
"""

from __future__ import annotations


class HostawayError(Exception):
    """Base class: something the user should read. ``hint`` is the suggested next step."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str | None = None, status_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        if hint is not None:
            self.hint = hint

    def user_message(self) -> str:
        return f"{self.message} {self.hint}".strip() if self.hint else self.message


class ConfigurationError(HostawayError):
    """Settings are missing or invalid; nothing was sent upstream."""


class ValidationFailed(HostawayError):
    """The caller's input is wrong; nothing was sent upstream."""


class AuthenticationError(HostawayError):
    """Hostaway rejected the account id / secret."""

    hint = (
        "Check HOSTAWAY_CLIENT_ID (your Hostaway account id) and HOSTAWAY_CLIENT_SECRET "
        "(Settings > Hostaway API in the dashboard)."
    )


class PermissionDenied(HostawayError):
    """A fresh token was still refused (HTTP 403): the account may not do this."""

    hint = "The API key may lack this permission, or the item is locked by its channel."


class NotFound(HostawayError):
    """The requested object does not exist (or is not visible to this account)."""


class BadRequest(HostawayError):
    """Hostaway refused the request as invalid (a `fail` envelope or 4xx)."""


class RateLimited(HostawayError):
    """Hostaway kept answering 429 after bounded retries."""

    hint = (
        "Hostaway allows 15 requests per 10 seconds per IP and 20 per account; another app may be "
        "using the same account. Wait a minute and try again."
    )


class UpstreamUnavailable(HostawayError):
    """5xx, connection failure, timeout or an unreadable body."""

    hint = "Hostaway may be having problems; try again in a minute."


class UpstreamTimeout(UpstreamUnavailable):
    """The request timed out (HOSTAWAY_TIMEOUT)."""


class OutcomeUnknown(HostawayError):
    """A write was sent but no answer came back: it may or may not have happened."""


class StillSyncing(HostawayError):
    """The first copy of the account is still being made and a live answer would take too long;
    no figures are given rather than partial ones."""
