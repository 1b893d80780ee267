"""Run in a subprocess by benchmarks.memory: one server process (in-memory MCP client and the real
server stack over HTTP, cache off) making 1,000 tool calls; prints RSS figures as one JSON line.

python -m benchmarks.memory_worker BASE_URL LISTING_ID [LISTING_ID ...]
"""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path

import anyio
from mcp import Client

from hostaway_mcp.server.app import build_server

from .common import Upstream, bench_settings

CALLS = 1000
SAMPLE_AT = (100, 250, 500, 750, 1000)
TIME_BOUND = 120.0


def status_kb(field: str) -> int:
    """A figure from /proc/self/status, in kB (VmRSS = resident now, VmHWM = peak resident)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


async def main(base_url: str, listing_ids: list[int]) -> dict[str, object]:
    upstream = Upstream(token_warmup=0.0)
    settings = bench_settings(base_url, fast=True, cache_ttl=0.0)
    server = build_server(settings, connect_to=upstream.factory)
    rss: dict[int, int] = {}
    with anyio.fail_after(TIME_BOUND):
        async with Client(server) as client:
            for call in range(1, CALLS + 1):
                listing_id = listing_ids[call % len(listing_ids)]
                result = await client.call_tool("get_property_details", {"listing_id": listing_id})
                if result.is_error:
                    raise RuntimeError(f"call {call} failed: {result.content[0]}")
                if call in SAMPLE_AT:
                    gc.collect()
                    rss[call] = status_kb("VmRSS")
    return {
        "rss_kb": rss,
        "peak_kb": status_kb("VmHWM"),
        "upstream_requests": upstream.client.stats.requests,
    }


if __name__ == "__main__":
    ids = [int(arg) for arg in sys.argv[2:]]
    print(json.dumps(anyio.run(main, sys.argv[1], ids)))
