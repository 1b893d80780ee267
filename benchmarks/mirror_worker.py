"""Run in a subprocess by benchmarks.mirror (so its memory is the server's own): one server with a
local copy of an HTTP sandbox's account, with Hostaway's real limits. Prints one JSON line:

- the first sync: requests until `ready`, wall time, 429s; with ``--during``, every read tool
  called once while it runs (wall time and how each was answered);
- with the copy ready: the year's revenue report (by listing, channel, month), the occupancy
  report and the inbox triage: wall time and upstream requests of each;
- RSS of this process (now, after the answers, and its peak);
- a restart with nothing changed: requests until `ready`;
- the store file's size and row counts.

python -m benchmarks.mirror_worker BASE_URL STORE_DIR [--during]
"""

from __future__ import annotations

import gc
import json
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx
from mcp import Client

from hostaway_mcp.config import Settings
from hostaway_mcp.hostaway import Hostaway
from hostaway_mcp.server.app import build_server

from .common import RecordingTransport, Upstream, bench_settings
from .memory_worker import status_kb
from .ratelimit import QUIET

SYNC_BOUND = 3600.0  # seconds for the first sync of the largest portfolio
DURING_START = 20.0  # the first tool call during the sync starts this long after the server
CALL_BOUND = 120.0


def calls_during(today: date, ids: dict[str, int]) -> list[tuple[str, dict[str, Any]]]:
    year = {"start_date": str(today - timedelta(days=365)), "end_date": str(today)}
    month = {"start_date": str(today), "end_date": str(today + timedelta(days=30))}
    soon = {
        "start_date": str(today + timedelta(days=14)),
        "end_date": str(today + timedelta(days=17)),
    }
    return [
        ("check_connection", {}),
        ("list_all_properties", {"limit": 50}),
        ("get_property_details", {"listing_id": ids["listing"]}),
        ("check_availability", {"listing_id": ids["listing"], **soon}),
        ("get_price_quote", {"listing_id": ids["listing"], "guests": 2, **soon}),
        ("find_available_properties", {**soon, "guests": 2}),
        ("search_bookings", {"arrival_from": month["start_date"], "arrival_to": month["end_date"]}),
        ("get_booking_details", {"reservation_id": ids["reservation"]}),
        ("get_guest_info", {"reservation_id": ids["reservation"]}),
        ("get_arrivals_and_departures", {"days": 7}),
        ("list_conversations", {}),
        ("get_conversation_messages", {"conversation_id": ids["conversation"]}),
        ("get_inbox_triage", {}),
        ("list_reviews", {}),
        ("list_tasks", {"start_date": month["start_date"], "end_date": month["end_date"]}),
        ("list_expenses", {}),
        ("get_revenue_report", year),
        ("get_occupancy_report", year),
        ("list_owner_statements", {}),
    ]


class PriorityRecording(RecordingTransport):
    """Also notes, per exchange, whether the mirror's background sync sent it."""

    def __init__(self) -> None:
        super().__init__()
        self.background: list[bool] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        sync = background_request()
        response = await super().handle_async_request(request)
        self.background.append(sync)
        return response


class Recorded(Upstream):
    def factory(self, settings: Settings) -> Hostaway:
        transport = PriorityRecording()
        client = Hostaway.connect(settings, transport=transport)
        self.transports.append(transport)
        self.clients.append(client)
        return client


def background_request() -> bool:
    from hostaway_mcp.hostaway._limiter import _background

    return _background.get()


async def status(client: Client) -> dict[str, Any]:
    result = await client.call_tool("get_sync_status", {})
    return result.structured_content or {}


async def timed(
    client: Client, upstream: Upstream, tool: str, args: dict[str, Any]
) -> dict[str, Any]:
    before = upstream.client.stats.requests
    started = time.perf_counter()
    with anyio.fail_after(CALL_BOUND):
        result = await client.call_tool(tool, args)
    wall = time.perf_counter() - started
    data = result.structured_content or {}
    text = result.content[0].text if result.content else ""  # type: ignore[union-attr]
    return {
        "tool": tool,
        "wall": wall,
        "requests": upstream.client.stats.requests - before,
        "error": text[:160] if result.is_error else None,
        "from_store": data.get("data_as_of") is not None,
        "complete": data.get("scan_complete"),
    }


async def some_ids(client: Client) -> dict[str, int]:
    """A listing, a booking and a conversation of the account (live reads, before the sync)."""
    listing = (await client.call_tool("list_all_properties", {"limit": 1})).structured_content
    bookings = (await client.call_tool("search_bookings", {"limit": 1})).structured_content
    threads = (await client.call_tool("list_conversations", {"limit": 1})).structured_content
    if not (listing and bookings and threads):
        raise RuntimeError("the account has no listing, booking or conversation")
    return {
        "listing": listing["properties"][0]["id"],
        "reservation": bookings["bookings"][0]["id"],
        "conversation": threads["conversations"][0]["id"],
    }


async def main(base_url: str, store: str, during: bool) -> dict[str, Any]:
    today = date.today()
    upstream = Recorded()
    settings = bench_settings(base_url, store=store)
    server = build_server(settings, connect_to=upstream.factory)
    out: dict[str, Any] = {}
    async with Client(server) as client:
        started = time.perf_counter()
        progress_at: list[tuple[float, float]] = []
        answered: list[dict[str, Any]] = []
        with anyio.fail_after(SYNC_BOUND):
            if during:
                await anyio.sleep(DURING_START)
                ids = await some_ids(client)
                for tool, args in calls_during(today, ids):
                    if (await status(client)).get("state") == "ready":
                        break
                    answered.append(
                        {
                            **await timed(client, upstream, tool, args),
                            "at": time.perf_counter() - started,
                        }
                    )
            while (now := await status(client)).get("state") != "ready":
                progress_at.append((time.perf_counter() - started, now.get("progress", 0.0)))
                await anyio.sleep(1.0)
        wall = time.perf_counter() - started
        exchanges = upstream.transport.exchanges
        flags: list[bool] = getattr(upstream.transport, "background", [])
        sync_429 = [e for e, sync in zip(exchanges, flags, strict=True) if sync and e.status == 429]
        out["first_sync"] = {
            "wall": wall,
            "requests": len(exchanges),
            "tokens": sum(1 for e in exchanges if e.path == "/accessTokens"),
            "rate_limited": sum(1 for e in exchanges if e.status == 429),
            "rate_limited_sync": len(sync_429),
            "counts": now.get("counts"),
            "during": answered,
        }
        year = {"start_date": str(today - timedelta(days=365)), "end_date": str(today)}
        ready_calls = [
            ("get_revenue_report", year),
            ("get_revenue_report", {**year, "group_by": "channel"}),
            ("get_revenue_report", {**year, "group_by": "month"}),
            ("get_occupancy_report", year),
            ("get_inbox_triage", {}),
        ]
        out["ready"] = [{**await timed(client, upstream, t, a), "args": a} for t, a in ready_calls]
        gc.collect()
        out["rss_kb"] = status_kb("VmRSS")
        out["peak_kb"] = status_kb("VmHWM")
    # A new process starts with an empty limiter while Hostaway still counts the requests above:
    # wait them out first, as a server started again a little later would.
    await anyio.sleep(QUIET)
    restart = Upstream()
    again = build_server(settings, connect_to=restart.factory)
    async with Client(again) as client:
        started = time.perf_counter()
        with anyio.fail_after(CALL_BOUND):
            while (await status(client)).get("state") != "ready":  # noqa: ASYNC110 - polled state
                await anyio.sleep(0.05)
        out["restart"] = {
            "wall": time.perf_counter() - started,
            "requests": len(restart.transport.exchanges),
            "paths": sorted({e.path for e in restart.transport.exchanges}),
        }
    out["store_bytes"] = store_bytes(Path(store))
    return out


def store_bytes(directory: Path) -> int:
    return sum(f.stat().st_size for f in directory.glob("hostaway-*.sqlite3"))


if __name__ == "__main__":
    where = sys.argv[2] if len(sys.argv) > 2 else tempfile.mkdtemp()
    print(json.dumps(anyio.run(main, sys.argv[1], where, "--during" in sys.argv)))
