"""Cross-cutting behaviour: output budget, caching, progress notifications."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from mcp import Client

from tests.support.accounts import seeded
from tests.support.records import TODAY, listing
from tests.support.servers import sandbox_server

pytestmark = pytest.mark.anyio


def many_listings(n: int) -> list[dict[str, Any]]:
    return [listing(60000 + i, name=f"Harbour View Apartment {i}") for i in range(n)]


async def test_list_is_cut_at_item_boundaries_and_the_cursor_resumes_exactly() -> None:
    sandbox = seeded(many_listings(120))
    seen: list[int] = []
    async with Client(sandbox_server(sandbox, max_result_chars=3000)) as client:
        args: dict[str, Any] = {"limit": 100}
        pages = 0
        while True:
            result = await client.call_tool("list_all_properties", args)
            data = result.structured_content
            # The budget counts the answer as sent: the text block, the same JSON as the data.
            assert len(result.content[0].text) <= 3000
            assert json.loads(result.content[0].text) == data
            seen.extend(p["id"] for p in data["properties"])
            pages += 1
            if "next_cursor" not in data:
                break
            assert data["truncated"] is True or len(data["properties"]) == 100
            args = {"limit": 100, "cursor": data.get("next_cursor")}
    assert seen == list(range(60000, 60120))
    assert pages > 2


async def test_compact_list_is_a_small_fraction_of_the_raw_hostaway_json() -> None:
    raw = many_listings(100)
    raw_bytes = len(json.dumps(raw))
    async with Client(sandbox_server(seeded(raw), max_result_chars=1_000_000)) as client:
        result = await client.call_tool("list_all_properties", {"limit": 100})
    ours = len(json.dumps(result.structured_content))
    assert len(result.structured_content["properties"]) == 100
    assert ours <= raw_bytes * 0.10


async def test_second_identical_read_uses_the_cache() -> None:
    start, end = TODAY + timedelta(days=30), TODAY + timedelta(days=33)
    args = {"listing_id": 40160, "start_date": start.isoformat(), "end_date": end.isoformat()}
    sandbox = seeded()
    async with Client(sandbox_server(sandbox)) as client:
        await client.call_tool("check_availability", args)
        await client.call_tool("check_availability", args)
        await client.call_tool("get_property_details", {"listing_id": 40160})
    calendar_calls = sandbox.count("GET", "/listings/40160/calendar")
    listing_calls = sandbox.count("GET", "/listings/40160")
    assert calendar_calls == 1
    assert listing_calls == 1


async def test_cache_ttl_zero_disables_caching() -> None:
    start, end = TODAY + timedelta(days=30), TODAY + timedelta(days=33)
    args = {"listing_id": 40160, "start_date": start.isoformat(), "end_date": end.isoformat()}
    sandbox = seeded()
    async with Client(sandbox_server(sandbox, cache_ttl=0)) as client:
        await client.call_tool("check_availability", args)
        await client.call_tool("check_availability", args)
    assert sandbox.count("GET", "/listings/40160/calendar") == 2


async def test_multi_request_tools_report_increasing_progress() -> None:
    start, end = TODAY + timedelta(days=50), TODAY + timedelta(days=53)
    updates: list[tuple[float, float | None, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        updates.append((progress, total, message))

    async with Client(sandbox_server(seeded())) as client:
        await client.call_tool(
            "find_available_properties",
            {"start_date": start.isoformat(), "end_date": end.isoformat()},
            progress_callback=on_progress,
        )
    assert len(updates) >= 2
    values = [u[0] for u in updates]
    assert values == sorted(values)
    assert len(set(values)) == len(values)
    assert updates[-1][0] == updates[-1][1] == 3
    assert all(u[2] for u in updates)


@pytest.mark.parametrize(
    ("tool", "args"),
    [
        ("search_bookings", {}),
        ("get_arrivals_and_departures", {"days": 3}),
        ("get_guest_info", {"reservation_id": 101}),
        ("get_booking_details", {"reservation_id": 104}),
        (
            "check_availability",
            {"listing_id": 40160, "start_date": "2026-08-01", "end_date": "2026-08-03"},
        ),
        (
            "get_price_quote",
            {
                "listing_id": 40160,
                "start_date": "2026-08-01",
                "end_date": "2026-08-03",
                "guests": 2,
            },
        ),
        ("list_all_properties", {}),
    ],
)
async def test_tools_report_progress(tool: str, args: dict[str, Any]) -> None:
    updates: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        updates.append(progress)

    async with Client(sandbox_server(seeded())) as client:
        result = await client.call_tool(tool, args, progress_callback=on_progress)
    assert not result.is_error
    assert updates
    assert updates == sorted(set(updates))
