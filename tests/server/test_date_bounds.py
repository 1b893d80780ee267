"""Fail safe: every date a tool or prompt takes lies in 2000-2100; an extreme date is a plain
error that sends nothing, and no OverflowError reaches anyone."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from mcp import Client
from mcp.server.mcpserver import Context
from mcp.shared.exceptions import MCPError

from hostaway_mcp.domain.models.common import Output
from hostaway_mcp.server.app import _wrap
from tests.support.accounts import demo_account
from tests.support.scripted import Scripted
from tests.support.servers import demo_server as sandbox_server
from tests.support.servers import offline_server, scripted_server

pytestmark = pytest.mark.anyio

BOUNDS = "must be a date from 2000-01-01 to 2100-12-31"
EXTREME_CALLS = [
    ("list_tasks", {"start_date": "2024-01-01", "end_date": "9999-12-31"}),
    ("list_tasks", {"start_date": "0001-01-01"}),
    ("get_arrivals_and_departures", {"start_date": "9999-12-31", "days": 31}),
    ("search_bookings", {"arrival_from": "1899-12-31"}),
    ("check_availability", {"listing_id": 40160, "start_date": "9999-12-30", "end_date": "9999-12-31"}),
    ("get_revenue_report", {"start_date": "2101-01-01", "end_date": "2101-02-01"}),
    ("list_expenses", {"end_date": "9999-12-31"}),
    ("list_reviews", {"departure_to": "9999-12-31"}),
    ("update_calendar", {"listing_id": 40160, "start_date": "9999-12-01", "end_date": "9999-12-31", "price": 100}),
    ("create_booking", {"listing_id": 40160, "arrival_date": "9999-12-30", "departure_date": "9999-12-31", "guest_name": "A", "guests": 1}),
    ("update_booking", {"reservation_id": 101, "departure_date": "9999-12-31"}),
    ("create_task", {"title": "Fix", "listing_id": 40160, "due_at": "9999-12-31T23:59:59Z"}),
    ("create_expense", {"listing_id": 40160, "date": "1999-12-31", "concept": "x", "amount": 1}),
]  # fmt: skip


@pytest.mark.parametrize(("tool", "args"), EXTREME_CALLS, ids=[c[0] for c in EXTREME_CALLS])
async def test_an_extreme_date_is_a_plain_error_and_sends_nothing(
    tool: str, args: dict[str, Any]
) -> None:
    upstream = Scripted()
    async with Client(scripted_server(upstream, read_only=False)) as client:
        result = await client.call_tool(tool, args)
    assert upstream.requests == []
    assert result.is_error
    text = result.content[0].text
    assert BOUNDS in text
    assert "Overflow" not in text and "Traceback" not in text


async def test_the_last_supported_days_still_work_without_overflow() -> None:
    async with Client(sandbox_server(demo_account())) as client:
        board = await client.call_tool(
            "get_arrivals_and_departures", {"start_date": "2100-12-31", "days": 31}
        )
        tasks = await client.call_tool(
            "list_tasks", {"start_date": "2100-01-01", "end_date": "2100-12-31", "limit": 1}
        )
    assert not board.is_error, board.content[0].text
    assert board.structured_content["days"][-1]["date"] == "2101-01-30"
    assert not tasks.is_error, tasks.content[0].text


async def test_the_daily_briefing_prompt_refuses_an_extreme_date() -> None:
    async with Client(offline_server()) as client:
        with pytest.raises(MCPError) as caught:
            await client.get_prompt("daily_briefing", {"date": "9999-12-31"})
        fine = await client.get_prompt("daily_briefing", {"date": "2100-12-31"})
    assert "Overflow" not in str(caught.value)
    assert "2101-01-01" in fine.messages[0].content.text  # type: ignore[union-attr]


async def test_an_overflow_anywhere_becomes_a_plain_tool_error() -> None:
    async def far_future(ctx: Context) -> Output:
        """A tool whose date arithmetic overflows."""
        date.max + timedelta(days=1)
        raise AssertionError("unreachable")

    server = offline_server()
    server.add_tool(_wrap(far_future))
    async with Client(server) as client:
        result = await client.call_tool("far_future", {})
    assert result.is_error
    assert "dates from 2000 to 2100" in result.content[0].text
