"""The client's small records: its upstream traffic counters, the pages its pagination yields,
and the query parameters it sends (None left out, booleans as 0 or 1)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Params = Mapping[str, Any]


@dataclass
class RequestStats:
    """Upstream traffic counters (tests, benchmarks, check_connection and the team server's
    /metrics and /healthz read these)."""

    requests: int = 0
    token_requests: int = 0
    retries: int = 0
    rate_limited: int = 0
    by_path: Counter[str] = field(default_factory=Counter)
    by_status: Counter[int] = field(default_factory=Counter)  # every answer, 429s included
    errors: Counter[str] = field(default_factory=Counter)  # no answer: timeout or network
    # Wall-clock times (time.time()) of the last answer and the last failure (no answer, 429,
    # 5xx or refused credentials), so a health check can say "reachable" without a request.
    last_answer_at: float | None = None
    last_failure_at: float | None = None
    last_failure: str | None = None

    def failed(self, reason: str) -> None:
        self.last_failure_at = time.time()
        self.last_failure = reason


@dataclass(frozen=True)
class OffsetPage:
    items: list[dict[str, Any]]
    offset: int
    count: int | None


@dataclass(frozen=True)
class CursorPage:
    items: list[dict[str, Any]]
    last: bool  # no page follows (the count was reached, or this page was empty)
    count: int | None = None  # rows matching the query in all (known when paging from the start)


def clean_params(params: Params | None) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in (params or {}).items():
        if value is None:
            continue
        cleaned[key] = int(value) if isinstance(value, bool) else value
    return cleaned
