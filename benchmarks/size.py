"""Size: per read tool, the bytes of our answer (the text block and the structured content) against
the raw Hostaway JSON the server read for it, each tool in a fresh server (cold cache); and the
issue's target, list_all_properties(limit=100) against GET /listings?limit=100 fetched directly."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import anyio
import httpx
from mcp import Client
from mcp.types import CallToolResult, TextContent

from hostaway_mcp.server.app import build_server

from .common import Row, Upstream, bench_settings, markdown_table, mint_token, size_ratio

TARGET_SHARE = 0.10
CALL_BOUND = 60.0


@dataclass(frozen=True)
class Sized:
    tool: str
    args: dict[str, Any]
    requests: int  # upstream requests (the token not counted)
    raw: int  # bytes of those upstream response bodies
    rows_read: int  # rows in their results (a detail object counts 1)
    shown: int | None  # items in the answer's list (None: not a list answer)
    cut: bool  # the output budget cut the list
    text: int
    structured: int


def answer_bytes(result: CallToolResult) -> tuple[int, int]:
    """(text block bytes, structured content bytes as compact JSON), UTF-8."""
    text = sum(
        len(block.text.encode()) for block in result.content if isinstance(block, TextContent)
    )
    structured = len(
        json.dumps(result.structured_content, separators=(",", ":"), ensure_ascii=False).encode()
    )
    return text, structured


async def call_fresh(base_url: str, tool: str, args: dict[str, Any]) -> tuple[Sized, Any]:
    upstream = Upstream(count_rows=True, token_warmup=0.0)
    server = build_server(bench_settings(base_url, fast=True), connect_to=upstream.factory)
    with anyio.fail_after(CALL_BOUND):
        async with Client(server) as client:
            result = await client.call_tool(tool, args)
    if result.is_error:
        raise RuntimeError(f"{tool}({args}) failed: {result.content[0]}")
    read = [e for e in upstream.transport.exchanges if e.path != "/accessTokens"]
    text, structured = answer_bytes(result)
    data = result.structured_content or {}
    sized = Sized(
        tool,
        args,
        requests=len(read),
        raw=sum(e.size for e in read),
        rows_read=sum(e.rows or 0 for e in read),
        shown=shown_items(data),
        cut=bool(data.get("truncated")),
        text=text,
        structured=structured,
    )
    return sized, data


def shown_items(data: dict[str, Any]) -> int | None:
    """Items in a list answer (one the output budget may cut: it has ``truncated``), else None."""
    if "truncated" not in data:
        return None
    return max((len(value) for value in data.values() if isinstance(value, list)), default=0)


def _stay(today: date) -> dict[str, str]:
    return {
        "start_date": (today + timedelta(days=30)).isoformat(),
        "end_date": (today + timedelta(days=33)).isoformat(),
    }


async def measure_all(base_url: str, today: date) -> list[Sized]:
    year = {"start_date": (today - timedelta(days=365)).isoformat(), "end_date": today.isoformat()}
    month_start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    month = {"start_date": month_start.isoformat(), "end_date": today.replace(day=1).isoformat()}
    sized: list[Sized] = []

    async def call(tool: str, args: dict[str, Any] | None = None) -> Any:
        one, data = await call_fresh(base_url, tool, args or {})
        sized.append(one)
        return data

    await call("check_connection")
    listings = await call("list_all_properties", {"limit": 100})
    listing_id = listings["properties"][0]["id"]
    await call("get_property_details", {"listing_id": listing_id})
    await call("check_availability", {"listing_id": listing_id, **_stay(today)})
    await call("find_available_properties", {**_stay(today), "guests": 2})
    await call("get_price_quote", {"listing_id": listing_id, **_stay(today), "guests": 2})
    bookings = await call("search_bookings", {"limit": 100})
    reservation_id = bookings["bookings"][0]["id"]
    await call("get_booking_details", {"reservation_id": reservation_id})
    await call("get_guest_info", {"reservation_id": reservation_id})
    await call("get_arrivals_and_departures", {"start_date": today.isoformat(), "days": 7})
    await call("show_calendar", {"start_date": today.isoformat(), "days": 14})
    conversations = await call("list_conversations", {"limit": 100})
    conversation_id = conversations["conversations"][0]["id"]
    await call("get_conversation_messages", {"conversation_id": conversation_id})
    await call("get_inbox_triage")
    await call("list_reviews", {"limit": 100})
    await call("list_tasks", {"limit": 100})
    await call("list_expenses", {"limit": 100})
    await call("get_revenue_report", year)
    await call("get_occupancy_report", year)
    await call("get_financial_report", month)
    statements = await call("list_owner_statements")
    await call("get_owner_statement", {"statement_id": statements["statements"][0]["id"]})
    return sized


def _pct(ours: int, raw: int) -> str:
    share = size_ratio(ours, raw)
    return "n/a" if share is None else f"{share:.1%}"


def size_table(sized: list[Sized]) -> str:
    cells = []
    for s in sized:
        args = ", ".join(f"{k}={v}" for k, v in s.args.items() if "date" not in k)
        cells.append(
            [
                f"`{s.tool}`" + (f" ({args})" if args else ""),
                str(s.requests),
                f"{s.raw:,}",
                f"{s.rows_read:,} → "
                + ("—" if s.shown is None else f"{s.shown:,}")
                + (" (cut)" if s.cut else ""),
                f"{s.text:,}",
                _pct(s.text, s.raw),
                f"{s.structured:,}",
                _pct(s.structured, s.raw),
            ]
        )
    headers = [
        "tool (arguments)",
        "requests",
        "raw bytes",
        "rows read → shown",
        "text bytes",
        "text %",
        "structured bytes",
        "structured %",
    ]
    return markdown_table(headers, cells)


async def direct_listings(base_url: str, limit: int) -> int:
    async with httpx.AsyncClient(base_url=base_url, timeout=10.0) as http:
        headers = {"Authorization": f"Bearer {await mint_token(http)}"}
        response = await http.get("/listings", params={"limit": limit}, headers=headers)
        response.raise_for_status()
        return len(response.content)


async def run(base_url: str, today: date) -> tuple[list[Row], str]:
    sized = await measure_all(base_url, today)
    raw = await direct_listings(base_url, 100)
    listing = next(s for s in sized if s.tool == "list_all_properties")
    rows = [
        Row(
            f"size: list_all_properties(limit=100) {kind} / raw GET /listings?limit=100",
            f"{ours:,} / {raw:,} bytes = {_pct(ours, raw)}",
            f"≤ {TARGET_SHARE:.0%}",
            ours <= TARGET_SHARE * raw,
        )
        for kind, ours in (("text", listing.text), ("structured", listing.structured))
    ]
    return rows, size_table(sized)
