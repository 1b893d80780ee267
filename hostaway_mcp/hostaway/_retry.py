"""When to try a request again, and how long to wait: the retry decisions, each named."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import httpx


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
