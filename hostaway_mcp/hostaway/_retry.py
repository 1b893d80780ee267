"""When to try a request again, and how long to wait: the retry decisions, each named; and the
error for a request that may have taken effect, which is never sent again."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpx

from ..errors import OutcomeUnknown


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff with full jitter for idempotent requests."""

    max_attempts: int = 4  # 429 and 5xx: the first try plus three retries
    timeout_attempts: int = 2  # a read timeout is retried once: slowness tends to persist
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_total: float = 45.0  # never start a retry past this many seconds into the call

    def backoff(self, attempt: int, rng: Callable[[], float]) -> float:
        return float(rng() * min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))

    def may_retry(self, attempt: int, limit: int, elapsed: float, wait: float | None) -> bool:
        """Another attempt fits in both the attempt limit and the total time budget."""
        return attempt < limit and elapsed + (wait or 0.0) <= self.max_total


def retryable_status(status: int) -> bool:
    """429 (over the rate limit) and 5xx are worth another try; anything else is the answer."""
    return status == 429 or status >= 500


def resendable(status: int, *, idempotent: bool) -> bool:
    """Send this request again after this answer? A 429 means Hostaway refused it without acting,
    so any request may go again; after a 5xx only one that may safely take effect twice."""
    return status == 429 or (idempotent and retryable_status(status))


def refused_without_acting(status: int) -> bool:
    """A 4xx (429 included) is a refusal: Hostaway did not act. After a 2xx it did; after a 5xx,
    nobody knows."""
    return 400 <= status < 500


def may_have_been_sent(exc: httpx.TransportError) -> bool:
    """Whether the request may have reached Hostaway before this failure: only a failure to
    connect (or to get a pooled connection) proves it never left."""
    return not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def outcome_unknown(method: str, path: str, what: str) -> OutcomeUnknown:
    return OutcomeUnknown(
        f"{method} {path} was sent, then: {what.rstrip('.')}. It may or may not have taken effect.",
        hint="Check in Hostaway (or list the items again) before trying again.",
    )


def rate_limit_wait(retry_after: float | None, window: float) -> float:
    """How long to hold back before resending a request refused with 429: what Hostaway asked
    for, else a whole rate window (by then every request it counted has left the window)."""
    return retry_after if retry_after is not None else window


def parse_retry_after(response: httpx.Response) -> float | None:
    raw = response.headers.get("Retry-After")
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except ValueError:
        try:
            return max(0.0, parsedate_to_datetime(raw).timestamp() - time.time())
        except (TypeError, ValueError):
            return None
