"""Per-call overhead: median latency of get_property_details through the whole server stack (in-memory
MCP client -> tool -> service -> Hostaway with the cache off -> client -> HTTP) minus the median of a
direct httpx GET of the same listing from the same sandbox (one with the rate limits raised)."""

from __future__ import annotations

import time

import anyio
import httpx
from mcp import Client

from hostaway_mcp.server.app import build_server

from .common import Row, Upstream, bench_settings, median, mint_token

WARMUP_CALLS = 30
CALLS = 300  # of each kind, interleaved
TARGET_MS = 3.0
TIME_BOUND = 60.0


async def run(base_url: str, listing_id: int) -> list[Row]:
    upstream = Upstream(token_warmup=0.0)  # the fast sandbox accepts new tokens at once
    settings = bench_settings(base_url, fast=True, cache_ttl=0.0)
    server = build_server(settings, connect_to=upstream.factory)
    direct: list[float] = []
    tool: list[float] = []
    with anyio.fail_after(TIME_BOUND):
        async with (
            httpx.AsyncClient(base_url=base_url, timeout=10.0) as http,
            Client(server) as mcp,
        ):
            headers = {"Authorization": f"Bearer {await mint_token(http)}"}
            path = f"/listings/{listing_id}"
            for i in range(WARMUP_CALLS + CALLS):
                started = time.perf_counter()
                response = await http.get(path, headers=headers)
                response.raise_for_status()
                response.json()  # a client reads the body too
                between = time.perf_counter()
                result = await mcp.call_tool("get_property_details", {"listing_id": listing_id})
                ended = time.perf_counter()
                if result.is_error:
                    raise RuntimeError(f"get_property_details failed: {result.content[0]}")
                if i >= WARMUP_CALLS:
                    direct.append(between - started)
                    tool.append(ended - between)
    upstream_calls = upstream.client.stats.by_path[f"GET {path}"]
    if upstream_calls < WARMUP_CALLS + CALLS:
        raise RuntimeError("the cache answered some calls: the overhead would be understated")
    direct_ms, tool_ms = median(direct) * 1000, median(tool) * 1000
    overhead = tool_ms - direct_ms
    return [
        Row("per-call: direct httpx GET /listings/{id} (median)", f"{direct_ms:.2f} ms"),
        Row("per-call: get_property_details, cache off (median)", f"{tool_ms:.2f} ms"),
        Row(
            "per-call overhead (difference of medians)",
            f"{overhead:.2f} ms ({CALLS} calls each)",
            f"≤ {TARGET_MS:g} ms",
            overhead <= TARGET_MS,
        ),
    ]
