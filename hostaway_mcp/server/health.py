"""What `GET /healthz` reports, without sending anything to Hostaway and without account data:
the process is up, whether Hostaway answered lately (from the adapter's own counters) and whether
an access token is held, the state of the local mirror (from what it keeps in memory), and whether
the server is shutting down."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal

from .. import __version__
from ..hostaway import Hostaway, RequestStats
from .metrics import MirrorFigures

UpstreamState = Literal["unknown", "ok", "failing"]


def mirror_status(hostaway: Hostaway | None) -> MirrorFigures:
    """The local mirror's state, the share of its first sync done while that runs, and its lag
    once done. Its error message and its store's path are not here (they stay out of an endpoint
    anyone may read): get_sync_status and the log show them."""
    mirror = hostaway.mirror if hostaway is not None else None
    if mirror is None:
        return MirrorFigures(state="off")
    lag = mirror.lag_seconds()
    progress = mirror.progress()[0] if lag is None else None
    return MirrorFigures(state=mirror.state, lag_seconds=lag, progress=progress)


def upstream_state(stats: RequestStats | None) -> UpstreamState:
    """ok: Hostaway's last word was an answer; failing: the last thing that happened was a failure
    (no answer, 429, 5xx, refused credentials); unknown: nothing sent yet."""
    if stats is None or (stats.last_answer_at is None and stats.last_failure_at is None):
        return "unknown"
    if stats.last_failure_at is not None and (
        stats.last_answer_at is None or stats.last_failure_at >= stats.last_answer_at
    ):
        return "failing"
    return "ok"


def _ago(moment: float | None, now: float) -> float | None:
    return None if moment is None else round(max(0.0, now - moment), 1)


@dataclass(frozen=True)
class Health:
    status: Literal["ok", "degraded", "draining"]
    body: dict[str, Any]

    @property
    def http_status(self) -> int:
        """200 while serving (look at the body for what is degraded); 503 while shutting down, so
        a load balancer stops sending."""
        return 503 if self.status == "draining" else 200


def health(
    *,
    stats: RequestStats | None,
    token_held: bool,
    mirror: MirrorFigures,
    started_at: float,
    in_flight: int,
    draining: bool,
) -> Health:
    now = time.time()
    upstream = upstream_state(stats)
    if draining:
        status: Literal["ok", "degraded", "draining"] = "draining"
    elif upstream == "failing" or mirror.state == "error":
        status = "degraded"
    else:
        status = "ok"
    body: dict[str, Any] = {
        "status": status,
        "version": __version__,
        "uptime_seconds": round(now - started_at, 1),
        "upstream": {
            "state": upstream,
            "last_answer_seconds_ago": _ago(stats.last_answer_at if stats else None, now),
            "last_failure_seconds_ago": _ago(stats.last_failure_at if stats else None, now),
            "last_failure": stats.last_failure if stats else None,
            "token": "held" if token_held else "none",
        },
        "mirror": mirror.state,
    }
    # Progress while the first sync runs, the lag once it is done; neither when the mirror is off.
    if mirror.progress is not None:
        body["mirror_progress"] = round(mirror.progress, 3)
    if mirror.lag_seconds is not None:
        body["mirror_lag_seconds"] = round(mirror.lag_seconds, 1)
    body["tool_calls_in_flight"] = in_flight
    return Health(status, body)
