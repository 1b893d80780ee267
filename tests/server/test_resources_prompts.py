"""Resources and prompts: listed, readable, same shapes and redaction as the tools."""

from __future__ import annotations

import json

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from tests.support.accounts import seeded
from tests.support.servers import offline_server, sandbox_server

pytestmark = pytest.mark.anyio


async def test_resources_are_listed() -> None:
    async with Client(offline_server()) as client:
        static = {str(r.uri) for r in (await client.list_resources()).resources}
        templates = {
            t.uri_template for t in (await client.list_resource_templates()).resource_templates
        }
    assert "hostaway://properties" in static
    assert {
        "hostaway://properties/{listing_id}",
        "hostaway://bookings/{reservation_id}",
    } <= templates


async def test_property_index_resource_matches_the_tool() -> None:
    async with Client(sandbox_server(seeded())) as client:
        read = await client.read_resource("hostaway://properties")
        tool = await client.call_tool("list_all_properties", {})
    index = json.loads(read.contents[0].text)
    assert read.contents[0].mime_type == "application/json"
    assert index["properties"] == tool.structured_content["properties"]
    assert index["total"] == 3


async def test_property_and_booking_resources_are_redacted() -> None:
    async with Client(sandbox_server(seeded())) as client:
        prop = await client.read_resource("hostaway://properties/40162")
        booking = await client.read_resource("hostaway://bookings/101")
        tool = await client.call_tool("get_booking_details", {"reservation_id": 101})
    prop_text = prop.contents[0].text
    assert json.loads(prop_text)["id"] == 40162
    assert "house-wifi-pass" not in prop_text
    assert "4242" not in prop_text
    booking_data = json.loads(booking.contents[0].text)
    assert "9911" not in booking.contents[0].text
    assert booking_data["untrusted"] == tool.structured_content["untrusted"]
    assert booking_data["money"] == {
        k: v for k, v in tool.structured_content["money"].items() if v is not None
    }


async def test_unknown_booking_resource_is_a_not_found_error() -> None:
    async with Client(sandbox_server(seeded())) as client:
        with pytest.raises(MCPError) as caught:
            await client.read_resource("hostaway://bookings/999")
    assert "Reservation 999 was not found" in str(caught.value)


async def test_prompts_are_listed_with_described_arguments() -> None:
    async with Client(offline_server()) as client:
        prompts = {p.name: p for p in (await client.list_prompts()).prompts}
    assert set(prompts) >= {"daily_briefing", "revenue_review", "guest_reply"}
    for prompt in prompts.values():
        assert prompt.description
        assert prompt.title
        for argument in prompt.arguments or []:
            assert argument.description, (prompt.name, argument.name)
    assert [a.name for a in prompts["daily_briefing"].arguments or []] == ["date"]
    assert [a.required for a in prompts["revenue_review"].arguments or []] == [True, True]


async def test_prompts_render_with_tool_guidance() -> None:
    async with Client(offline_server()) as client:
        briefing = await client.get_prompt("daily_briefing", {"date": "2026-07-01"})
        review = await client.get_prompt(
            "revenue_review", {"start_date": "2026-07-01", "end_date": "2026-08-01"}
        )
        reply = await client.get_prompt("guest_reply", {"conversation_id": "1406"})
    briefing_text = briefing.messages[0].content.text
    assert "get_arrivals_and_departures" in briefing_text
    assert "start_date=2026-07-01" in briefing_text
    assert "get_inbox_triage" in briefing_text
    assert "get_revenue_report" in review.messages[0].content.text
    reply_text = reply.messages[0].content.text
    assert "conversation_id=1406" in reply_text
    assert "Do NOT send" in reply_text


async def test_prompt_rejects_a_backwards_period() -> None:
    async with Client(offline_server()) as client:
        with pytest.raises(MCPError):
            await client.get_prompt(
                "revenue_review", {"start_date": "2026-08-01", "end_date": "2026-07-01"}
            )
