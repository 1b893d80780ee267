"""The local copy at 200 and 500 listings against the HTTP sandbox with Hostaway's real limits:
the first sync against the rate-limit floor for its request count, every tool call during it
(500), reports and the inbox triage with the copy ready, a restart, memory and the store's size.
Each portfolio runs in a worker subprocess (benchmarks.mirror_worker) against its own sandbox."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from typing import Any

from .common import (
    RATE_LIMIT,
    TOKEN_WARMUP,
    WINDOW,
    Row,
    efficiency_ratio,
    minimum_seconds,
    ratio_text,
    seconds,
)
from .sandbox_proc import SandboxProcess

PORTFOLIOS = (200, 500)
DURING_AT = 500  # the portfolio whose first sync also takes a call of every read tool
TARGET_RATIO = 1.10
REPORT_SECONDS = 1.0
TRIAGE_SECONDS = 0.5
REPORT_REQUESTS = 2
RESTART_REQUESTS = 5
CALL_LIMIT_SECONDS = 45.0
RSS_MB = 250.0
WORKER_BOUND = 4 * 3600.0
LABELS = {
    ("get_revenue_report", None): "year revenue report",
    ("get_revenue_report", "channel"): "year revenue report by channel",
    ("get_revenue_report", "month"): "year revenue report by month",
    ("get_occupancy_report", None): "year occupancy report",
}


def worker(base_url: str, store: str, during: bool) -> dict[str, Any]:
    args = [sys.executable, "-m", "benchmarks.mirror_worker", base_url, store]
    completed = subprocess.run(  # noqa: S603 - our own interpreter and module
        [*args, *(["--during"] if during else [])],
        capture_output=True,
        text=True,
        timeout=WORKER_BOUND,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the mirror worker failed:\n{completed.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def run(portfolios: Sequence[int] = PORTFOLIOS) -> list[Row]:
    rows: list[Row] = []
    for listings in portfolios:
        with SandboxProcess(listings=listings) as sandbox, tempfile.TemporaryDirectory() as store:
            figures = worker(sandbox.base_url, store, during=listings == DURING_AT)
            served_429 = sum(1 for s in sandbox.since(0) if s.status == 429)
        rows += portfolio_rows(listings, figures, served_429)
    return rows


def still_syncing(error: str | None) -> bool:
    """The answer the 45 s rule gives ("Still syncing: ..."), not a failure."""
    return error is not None and "still syncing" in error.lower()


def portfolio_rows(listings: int, figures: dict[str, Any], served_429: int) -> list[Row]:
    sync = figures["first_sync"]
    n = sync["requests"]
    floor = minimum_seconds(n, RATE_LIMIT, WINDOW, TOKEN_WARMUP if sync["tokens"] else 0.0)
    ratio = efficiency_ratio(sync["wall"], floor)
    counts = sync["counts"] or {}
    name = f"mirror, {listings} listings"
    rows = [
        Row(
            f"{name}: first sync, requests until ready, wall time",
            f"{n} requests ({counts.get('reservations', 0):,} reservations, "
            f"{counts.get('conversations', 0):,} conversations, "
            f"{counts.get('calendar_nights', 0):,} calendar nights), {seconds(sync['wall'])}",
        ),
        Row(
            f"{name}: first sync, wall / rate-limit floor for its requests",
            f"{ratio_text(ratio)} (floor {seconds(floor)})",
            f"≤ {TARGET_RATIO:.2f}",
            ratio is not None and ratio <= TARGET_RATIO,
        ),
        Row(
            f"{name}: first sync, 429s (client / sandbox)",
            f"{sync['rate_limited']} / {served_429} ({sync['rate_limited_sync']} of the sync's "
            "own requests)",
            "0",
            sync["rate_limited"] == 0 and served_429 == 0,
        ),
    ]
    if sync["during"]:
        slowest = max(sync["during"], key=lambda call: call["wall"])
        kinds = {
            "from the copy": sum(1 for c in sync["during"] if c["from_store"]),
            "live": sum(1 for c in sync["during"] if not c["from_store"] and not c["error"]),
            "still syncing": sum(1 for c in sync["during"] if still_syncing(c["error"])),
            "other error": sum(
                1 for c in sync["during"] if c["error"] and not still_syncing(c["error"])
            ),
        }
        rows.append(
            Row(
                f"{name}: every read tool once during the first sync, slowest call",
                f"{slowest['tool']} {seconds(slowest['wall'])}; {len(sync['during'])} calls: "
                + ", ".join(f"{v} {k}" for k, v in kinds.items() if v),
                f"≤ {CALL_LIMIT_SECONDS:g} s",
                slowest["wall"] <= CALL_LIMIT_SECONDS and not kinds["other error"],
            )
        )
    for call in sync["during"]:
        outcome = "from the copy" if call["from_store"] else "live"
        if call["error"]:
            outcome = f"error: {call['error'][:70]}"
        rows.append(
            Row(
                f"{name}: during the first sync (at {call['at']:.0f} s), {call['tool']}",
                f"{seconds(call['wall'])}, {call['requests']} requests, {outcome}",
            )
        )
    for call in figures["ready"]:
        group = call["args"].get("group_by")
        if call["tool"] == "get_inbox_triage":
            rows.append(
                Row(
                    f"{name}: inbox triage, copy ready",
                    f"{seconds(call['wall'])}, {call['requests']} requests, "
                    f"complete: {call['complete']}",
                    f"< {TRIAGE_SECONDS:g} s, complete",
                    call["wall"] < TRIAGE_SECONDS
                    and call["complete"] is True
                    and not call["error"],
                )
            )
            continue
        label = LABELS[(call["tool"], group)]
        rows.append(
            Row(
                f"{name}: {label}, copy ready",
                f"{seconds(call['wall'])}, {call['requests']} upstream requests",
                f"< {REPORT_SECONDS:g} s, ≤ {REPORT_REQUESTS}",
                call["wall"] < REPORT_SECONDS
                and call["requests"] <= REPORT_REQUESTS
                and call["from_store"]
                and not call["error"],
            )
        )
    restart = figures["restart"]
    rows.append(
        Row(
            f"{name}: restart with nothing changed, requests until ready",
            f"{restart['requests']} ({', '.join(restart['paths'])}), {seconds(restart['wall'])}",
            f"≤ {RESTART_REQUESTS}",
            restart["requests"] <= RESTART_REQUESTS,
        )
    )
    rss, peak = figures["rss_kb"] / 1024, figures["peak_kb"] / 1024
    rows.append(
        Row(
            f"{name}: RSS of the server process, copy ready (after the reports)",
            f"{rss:.0f} MB (peak {peak:.0f} MB)",
            f"≤ {RSS_MB:g} MB",
            rss <= RSS_MB if listings >= DURING_AT else None,
        )
    )
    reservations = max(1, counts.get("reservations", 1))
    rows.append(
        Row(
            f"{name}: store size",
            f"{figures['store_bytes'] / 1e6:.1f} MB = "
            f"{figures['store_bytes'] / reservations * 1000 / 1e6:.2f} MB per 1,000 reservations "
            "(calendars, conversations, reviews, tasks and expenses included)",
        )
    )
    return rows
