"""The tool contract every MCP client sees: names, titles, annotations, schemas, descriptions."""

from __future__ import annotations

import re

import pytest
from mcp import Client

from tests.support.servers import offline_server

pytestmark = pytest.mark.anyio

FOUNDATION_TOOLS = {
    "check_connection",
    "list_all_properties",
    "get_property_details",
    "check_availability",
    "find_available_properties",
    "get_price_quote",
    "search_bookings",
    "get_booking_details",
    "get_guest_info",
    "get_arrivals_and_departures",
}
# The registry's write tools; they exist only with HOSTAWAY_READ_ONLY=false.
WRITE_TOOLS = {
    "update_calendar",
    "create_booking",
    "update_booking",
    "cancel_booking",
    "send_guest_message",
    "create_task",
    "create_expense",
}


async def list_tools(**settings: object) -> list:  # type: ignore[type-arg]
    async with Client(offline_server(**settings)) as client:
        return (await client.list_tools()).tools


async def test_every_foundation_tool_is_listed() -> None:
    names = {tool.name for tool in await list_tools()}
    assert names >= FOUNDATION_TOOLS


async def test_every_tool_has_title_annotations_output_schema_and_described_inputs() -> None:
    problems: list[str] = []
    for tool in await list_tools():
        if not re.fullmatch(r"[a-z][a-z0-9_]{2,63}", tool.name):
            problems.append(f"{tool.name}: bad name")
        if not tool.title:
            problems.append(f"{tool.name}: no title")
        if not tool.description or "Args:" in tool.description:
            problems.append(f"{tool.name}: description missing or has an Args: block")
        if tool.annotations is None or tool.annotations.read_only_hint is None:
            problems.append(f"{tool.name}: no annotations")
        elif tool.annotations.open_world_hint is False:  # absent is the protocol's default: true
            problems.append(f"{tool.name}: open_world_hint should be true")
        if not tool.output_schema:
            problems.append(f"{tool.name}: no output schema")
        for prop, schema in tool.input_schema.get("properties", {}).items():
            if not schema.get("description"):
                problems.append(f"{tool.name}.{prop}: no description")
    assert problems == []


async def test_read_only_hint_is_true_on_every_read_tool_and_false_on_every_write_tool() -> None:
    tools = await list_tools(read_only=False)
    names = {tool.name for tool in tools}
    assert names >= FOUNDATION_TOOLS | WRITE_TOOLS
    hints = {tool.name: tool.annotations.read_only_hint for tool in tools if tool.annotations}
    assert hints == {name: name not in WRITE_TOOLS for name in names}


async def test_numeric_inputs_carry_bounds_and_statuses_an_enum() -> None:
    tools = {tool.name: tool for tool in await list_tools()}
    limit = tools["list_all_properties"].input_schema["properties"]["limit"]
    assert limit["minimum"] == 1 and limit["maximum"] == 200 and limit["default"] == 50
    days = tools["get_arrivals_and_departures"].input_schema["properties"]["days"]
    assert days["minimum"] == 1 and days["maximum"] == 31
    status = tools["search_bookings"].input_schema["properties"]["status"]
    assert "modified" in str(status)
    end = tools["check_availability"].input_schema["properties"]["end_date"]
    assert "exclusive" in end["description"]


async def test_server_instructions_explain_dates_and_modes() -> None:
    async with Client(offline_server()) as client:
        instructions = client.instructions or ""
    assert "exclusive" in instructions
    assert "read-only" in instructions
