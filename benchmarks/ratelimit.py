"""Rate-limit efficiency and cache: year-long reports through the real server stack (in-memory MCP
client -> build_server -> Hostaway over HTTP) against a sandbox with Hostaway's real limits,
a naive client doing the same reads, and a repeated report within the cache TTL."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import anyio
from mcp import Client

from hostaway_mcp.server.app import build_server

from .common import (
    RATE_LIMIT,
    TOKEN_WARMUP,
    WINDOW,
    Exchange,
    Row,
    Upstream,
    bench_settings,
    efficiency_ratio,
    minimum_seconds,
    ratio_text,
    relative_target,
    seconds,
)
from .naive import replay
from .sandbox_proc import SandboxProcess, Served

TARGET_RATIO = 1.10
CALL_BOUND = 120.0  # seconds for one report call
QUIET = WINDOW + 0.5  # after this long without requests, every window is empty again
PERIOD_DAYS = 365


@dataclass(frozen=True)
class Workload:
    label: str
    tool: str
    args: dict[str, Any]


PORTFOLIO = 50  # listings: the size issue 5 names for its year-long report target


def workloads(today: date) -> list[Workload]:
    start, end = (today - timedelta(days=PERIOD_DAYS)).isoformat(), today.isoformat()
    return [
        Workload(
            f"revenue report ({PORTFOLIO} listings, 1 year)",
            "get_revenue_report",
            {"start_date": start, "end_date": end},
        ),
        Workload(
            f"occupancy report ({PORTFOLIO} listings, 1 year)",
            "get_occupancy_report",
            {"start_date": start, "end_date": end},
        ),
    ]


@dataclass(frozen=True)
class Measured:
    wall: float
    exchanges: list[Exchange]  # as the client saw them
    served: list[Served]  # as the sandbox logged them
    error: str | None

    @property
    def requests(self) -> int:
        return len(self.exchanges)

    @property
    def tokens(self) -> int:
        return sum(1 for e in self.exchanges if e.path == "/accessTokens")

    @property
    def rate_limited(self) -> int:
        return sum(1 for e in self.exchanges if e.status == 429)

    @property
    def sandbox_rate_limited(self) -> int:
        return sum(1 for s in self.served if s.status == 429)

    def count(self, prefix: str) -> int:
        return sum(1 for e in self.exchanges if e.path.startswith(prefix))


async def measure(
    client: Client, upstream: Upstream, sandbox: SandboxProcess, work: Workload
) -> Measured:
    mark, served_mark = upstream.transport.mark(), sandbox.mark()
    started = time.perf_counter()
    with anyio.fail_after(CALL_BOUND):
        result = await client.call_tool(work.tool, work.args)
    wall = time.perf_counter() - started
    error = result.content[0].text if result.is_error else None  # type: ignore[union-attr]
    served = await anyio.to_thread.run_sync(sandbox.since, served_mark)
    return Measured(wall, upstream.transport.since(mark), served, error)


async def server_runs(
    sandbox: SandboxProcess, work: Workload, *, repeat: bool
) -> tuple[Measured, Measured | None, Measured]:
    """(cold, repeated, warm): a fresh server (token minted inside the call); the same report
    again at once in that server (cache); a server whose token was minted earlier, with every
    window empty when the report starts."""
    upstream = Upstream()
    server = build_server(bench_settings(sandbox.base_url), connect_to=upstream.factory)
    async with Client(server) as client:
        cold = await measure(client, upstream, sandbox, work)
        again = await measure(client, upstream, sandbox, work) if repeat else None
    # A new session starts with an empty limiter while the sandbox still counts the requests above:
    # wait them out first, as a second server process on the same IP would have to.
    await anyio.sleep(QUIET)
    async with Client(server) as client:
        await client.call_tool("check_connection", {})  # mints the token
        await anyio.sleep(QUIET)
        warm = await measure(client, upstream, sandbox, work)
    return cold, again, warm


def efficiency_rows(name: str, run: Measured) -> list[Row]:
    """Requests, wall time, wall / minimum (the token warm-up allowed for when the run minted its
    token), and 429s seen by the client and by the sandbox."""
    warmup = TOKEN_WARMUP if run.tokens else 0.0
    minimum = minimum_seconds(run.requests, RATE_LIMIT, WINDOW, warmup)
    ratio = efficiency_ratio(run.wall, minimum)
    detail = f"{run.requests} requests" + (f" ({run.tokens} token)" if run.tokens else "")
    if len(run.served) != run.requests:
        detail += f", sandbox logged {len(run.served)}"
    rows = [
        Row(
            f"{name}: requests, wall time",
            f"{detail}, {seconds(run.wall)}" + (f"; ERROR {run.error[:80]}" if run.error else ""),
            "no error",
            run.error is None,
        )
    ]
    if ratio is None:
        rows.append(
            Row(
                f"{name}: wall / minimum",
                f"n/a: {run.requests} requests fit in one window (≤ {RATE_LIMIT})",
            )
        )
    else:
        rows.append(
            Row(
                f"{name}: wall / minimum" + (" (with the token warm-up)" if warmup else ""),
                f"{ratio_text(ratio)} (minimum {seconds(minimum)})",
                f"≤ {TARGET_RATIO:.2f}",
                ratio <= TARGET_RATIO,
            )
        )
    if warmup and ratio is not None:
        plain = minimum_seconds(run.requests, RATE_LIMIT, WINDOW)
        rows.append(
            Row(
                f"{name}: wall / (ceil(N/{RATE_LIMIT}) - 1) x {WINDOW:g} s, warm-up not allowed for",
                f"{ratio_text(efficiency_ratio(run.wall, plain))} (minimum {seconds(plain)})",
            )
        )
    rows.append(
        Row(
            f"{name}: 429s (client / sandbox)",
            f"{run.rate_limited} / {run.sandbox_rate_limited}",
            "0",
            run.rate_limited == 0 and run.sandbox_rate_limited == 0,
        )
    )
    return rows


def cache_rows(again: Measured) -> list[Row]:
    listings = again.count("/listings")  # listing details, listing pages and calendars
    calendars = sum(1 for e in again.exchanges if e.path.endswith("/calendar"))
    reservations = again.count("/reservations")
    return [
        Row(
            "cache: repeated occupancy report, listing + calendar requests",
            f"{listings} ({calendars} calendar); {reservations} reservation pages (not cached), "
            f"{seconds(again.wall)}",
            "0",
            listings == 0 and again.error is None,
        )
    ]


async def run(today: date) -> list[Row]:
    rows: list[Row] = []
    for work in workloads(today):
        with SandboxProcess(listings=PORTFOLIO) as sandbox:
            cold, again, warm = await server_runs(
                sandbox, work, repeat=work.tool == "get_occupancy_report"
            )
        rows += efficiency_rows(f"{work.label}, fresh server", cold)
        rows += efficiency_rows(f"{work.label}, token minted earlier", warm)
        if again is not None:
            rows += cache_rows(again)
        targets = [relative_target(e) for e in cold.exchanges if e.path != "/accessTokens"]
        with SandboxProcess(listings=PORTFOLIO) as sandbox:
            mark = sandbox.mark()
            naive = await replay(sandbox.base_url, targets)
            served = await anyio.to_thread.run_sync(sandbox.since, mark)
        minimum = minimum_seconds(len(targets) + 1, RATE_LIMIT, WINDOW, TOKEN_WARMUP)
        rows.append(
            Row(
                f"{work.label}: naive client (sequential, no limiter, 1 s after a 429)",
                f"{naive.sent} requests sent, {naive.rate_limited} x 429 "
                f"({sum(1 for s in served if s.status == 429)} by the sandbox), "
                f"{seconds(naive.wall)}, wall / minimum "
                f"{ratio_text(efficiency_ratio(naive.wall, minimum))}"
                + (f", {naive.failed} gave up" if naive.failed else ""),
            )
        )
    return rows


def describe_minimum() -> str:
    return (
        f"minimum = the earliest start of the last of N upstream requests (token and retries "
        f"included) under a sliding window of {RATE_LIMIT} per {WINDOW:g} s: "
        f"(ceil(N / {RATE_LIMIT}) - 1) x {WINDOW:g} s; when the run mints its token, no other "
        f"request may start in the {TOKEN_WARMUP:g} s after it (Hostaway's warm-up), which adds "
        "up to 1 s"
    )
