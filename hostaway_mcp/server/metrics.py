"""The team server's metrics: a small registry the MCP layer updates (tool calls, their latency,
calls in flight, webhooks, HTTP answers), and its Prometheus text exposition together with the
adapter's upstream counters. Written here rather than with prometheus_client: a dozen families do
not need a dependency."""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

import anyio

from .. import __version__
from ..hostaway import RequestStats

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
PREFIX = "hostaway_mcp"
# Seconds. Most reads answer in well under a second; reports under the rate limit take tens of
# seconds, and hosts give up around 60 s.
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


@dataclass
class Histogram:
    """Observations counted per bucket (non-cumulative here; the exposition accumulates)."""

    bounds: tuple[float, ...] = LATENCY_BUCKETS
    counts: list[int] = field(default_factory=lambda: [0] * (len(LATENCY_BUCKETS) + 1))
    total: float = 0.0
    count: int = 0

    def observe(self, value: float) -> None:
        index = next((i for i, bound in enumerate(self.bounds) if value <= bound), len(self.bounds))
        self.counts[index] += 1
        self.total += value
        self.count += 1


class Metrics:
    """One per process, shared by every connected user."""

    def __init__(self) -> None:
        self.started_at = time.time()
        self.tool_calls: Counter[tuple[str, str]] = Counter()  # (tool, outcome)
        self.tool_latency: dict[str, Histogram] = {}
        self.in_flight = 0
        self.webhooks: Counter[tuple[str, str]] = Counter()  # (kind, result)
        self.http_requests: Counter[tuple[str, int]] = Counter()  # (route, status)
        self._idle: anyio.Event | None = None  # set when the last call in flight ends

    def call_started(self) -> None:
        self.in_flight += 1

    def call_finished(self, tool: str, outcome: str, seconds: float) -> None:
        self.in_flight -= 1
        if self.in_flight <= 0 and self._idle is not None:
            self._idle.set()
        self.tool_calls[(tool, outcome)] += 1
        self.tool_latency.setdefault(tool, Histogram()).observe(seconds)

    async def drained(self, within: float) -> bool:
        """Wait until no tool call is in flight, at most ``within`` seconds; whether it drained."""
        with anyio.move_on_after(within):
            while self.in_flight > 0:
                self._idle = anyio.Event()
                await self._idle.wait()
        return self.in_flight <= 0


# ---- the exposition ------------------------------------------------------------------------


MirrorState = Literal["off", "syncing", "ready", "error"]
MIRROR_STATES: tuple[MirrorState, ...] = get_args(MirrorState)


@dataclass(frozen=True)
class MirrorFigures:
    """The local mirror as /healthz and /metrics show it: its state, the share of the first sync
    done (while it runs) and the seconds since the copy was last brought up to date (once the
    first sync is done)."""

    state: MirrorState
    lag_seconds: float | None = None
    progress: float | None = None


Labels = Mapping[str, str]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _sample(name: str, labels: Labels, value: float) -> str:
    if not labels:
        return f"{name} {_number(value)}"
    inner = ",".join(f'{key}="{_escape(str(val))}"' for key, val in labels.items())
    return f"{name}{{{inner}}} {_number(value)}"


def _family(
    name: str, kind: str, help_text: str, samples: Iterable[tuple[Labels, float]]
) -> list[str]:
    full = f"{PREFIX}_{name}"
    lines = [f"# HELP {full} {help_text}", f"# TYPE {full} {kind}"]
    lines.extend(_sample(full, labels, value) for labels, value in samples)
    return lines


def _histogram(name: str, help_text: str, by_label: Mapping[str, Histogram]) -> list[str]:
    full = f"{PREFIX}_{name}"
    lines = [f"# HELP {full} {help_text}", f"# TYPE {full} histogram"]
    for tool, histogram in sorted(by_label.items()):
        running = 0
        for bound, count in zip((*histogram.bounds, math.inf), histogram.counts, strict=True):
            running += count
            lines.append(_sample(f"{full}_bucket", {"tool": tool, "le": _number(bound)}, running))
        lines.append(_sample(f"{full}_sum", {"tool": tool}, histogram.total))
        lines.append(_sample(f"{full}_count", {"tool": tool}, histogram.count))
    return lines


def render(
    metrics: Metrics, upstream: RequestStats | None, mirror: MirrorFigures, *, token_held: bool
) -> str:
    """Every family in Prometheus' text format (version 0.0.4)."""
    stats = upstream or RequestStats()
    lines = [
        *_family("info", "gauge", "Version of the server.", [({"version": __version__}, 1)]),
        *_family(
            "start_time_seconds",
            "gauge",
            "Start of the process, seconds since the epoch.",
            [({}, metrics.started_at)],
        ),
        *_family(
            "tool_calls_total",
            "counter",
            "Tool calls by tool and outcome (ok, ToolError, crash or a Hostaway error class).",
            [({"tool": t, "outcome": o}, n) for (t, o), n in sorted(metrics.tool_calls.items())],
        ),
        *_histogram(
            "tool_call_duration_seconds", "Tool call latency in seconds.", metrics.tool_latency
        ),
        *_family(
            "tool_calls_in_flight", "gauge", "Tool calls running now.", [({}, metrics.in_flight)]
        ),
        *_family(
            "upstream_requests_total",
            "counter",
            "Requests sent to Hostaway (token requests and retries included).",
            [({}, stats.requests)],
        ),
        *_family(
            "upstream_responses_total",
            "counter",
            "Hostaway answers by HTTP status (429s included).",
            [({"status": str(s)}, n) for s, n in sorted(stats.by_status.items())],
        ),
        *_family(
            "upstream_rate_limited_total",
            "counter",
            "Hostaway answers with HTTP 429 (a subset of upstream_responses_total).",
            [({}, stats.rate_limited)],
        ),
        *_family(
            "upstream_errors_total",
            "counter",
            "Requests to Hostaway that got no answer, by kind (timeout, network).",
            [({"kind": k}, n) for k, n in sorted(stats.errors.items())],
        ),
        *_family(
            "upstream_retries_total",
            "counter",
            "Requests to Hostaway retried.",
            [({}, stats.retries)],
        ),
        *_family(
            "upstream_token_requests_total",
            "counter",
            "Access token mints requested from Hostaway.",
            [({}, stats.token_requests)],
        ),
        *_family(
            "upstream_token_held",
            "gauge",
            "1 while an access token is held.",
            [({}, 1 if token_held else 0)],
        ),
        *_family(
            "upstream_last_answer_timestamp_seconds",
            "gauge",
            "When Hostaway last answered, seconds since the epoch.",
            [({}, stats.last_answer_at)] if stats.last_answer_at is not None else [],
        ),
        *_family(
            "webhooks_total",
            "counter",
            "Webhook deliveries by kind and result (queued, duplicate, ignored, dropped, refused).",
            [({"kind": k, "result": r}, n) for (k, r), n in sorted(metrics.webhooks.items())],
        ),
        *_family(
            "http_requests_total",
            "counter",
            "HTTP requests by route and status.",
            [
                ({"route": r, "status": str(s)}, n)
                for (r, s), n in sorted(metrics.http_requests.items())
            ],
        ),
        # Every state, 1 for the current one: an alert on state="error" == 1 always has a series.
        *_family(
            "mirror_state",
            "gauge",
            "1 for the local mirror's current state (off, syncing, ready, error), 0 for the others.",
            [({"state": state}, 1 if state == mirror.state else 0) for state in MIRROR_STATES],
        ),
        # No sample while unknown (mirror off, first sync not done), as for the last answer:
        # absent() finds it, where a NaN or a 0 would read as a real lag.
        *_family(
            "mirror_lag_seconds",
            "gauge",
            "Seconds since the local mirror was last brought up to date from Hostaway.",
            [({}, mirror.lag_seconds)] if mirror.lag_seconds is not None else [],
        ),
    ]
    return "\n".join(lines) + "\n"
