"""Property tools through the in-memory MCP client against the seeded sandbox account."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from mcp import Client

from hostaway_sandbox import Sandbox
from tests.support.accounts import listings, seeded
from tests.support.records import TODAY, calendar_day, example, listing
from tests.support.scripted import Scripted
from tests.support.servers import SECRET, offline_server, sandbox_server, scripted_server

pytestmark = pytest.mark.anyio


async def call(
    sandbox: Sandbox, name: str, args: dict[str, Any] | None = None, **settings: Any
) -> Any:
    async with Client(sandbox_server(sandbox, **settings)) as client:
        return await client.call_tool(name, args or {})


async def test_check_connection_reports_account_and_listing_count() -> None:
    result = await call(seeded(), "check_connection")
    assert not result.is_error
    data = result.structured_content
    assert data["ok"] is True
    assert data["account_id"] == "10450"
    assert data["listings_total"] == 3
    assert data["read_only"] is True
    assert data["demo"] is False
    assert data["api_base_url"] == "https://api.test/v1"


async def test_list_all_properties_is_compact_and_uses_real_field_names() -> None:
    result = await call(seeded(), "list_all_properties")
    data = result.structured_content
    assert data["total"] == 3
    assert "next_cursor" not in data
    first = data["properties"][0]
    assert first == {
        "id": 40160,
        "name": "Beautiful and cozy apartment close to city center",
        "city": "Bremerhaven",
        "country_code": "DE",
        "bedrooms": 1,
        "bathrooms": 1.0,
        "max_guests": 6,
        "base_price": 211.62,
        "currency": "USD",
    }
    text = result.content[0].text
    assert "wifi" not in text.lower() and "ddff8" not in text
    assert json.loads(text)["properties"][0]["id"] == 40160


async def test_list_all_properties_sends_documented_filters_upstream() -> None:
    sandbox = seeded()
    result = await call(sandbox, "list_all_properties", {"search": "loft", "city": "Lisbon"})
    sent = sandbox.requests("GET", "/listings")[0].params
    assert sent["match"] == "loft"
    assert sent["city"] == "Lisbon"
    assert [p["id"] for p in result.structured_content["properties"]] == [40161]


async def test_list_all_properties_filters_bedrooms_and_guests_client_side() -> None:
    sandbox = seeded()
    result = await call(sandbox, "list_all_properties", {"min_bedrooms": 2, "min_guests": 5})
    sent = sandbox.requests("GET", "/listings")[0].params
    assert "min_bedrooms" not in sent and "bedroomsNumber" not in sent
    assert [p["id"] for p in result.structured_content["properties"]] == [40162]
    assert result.structured_content["total"] == 1


async def test_list_all_properties_pages_to_the_end_without_duplicates() -> None:
    extra = [listing(50000 + i, name=f"Unit {i}") for i in range(7)]
    sandbox = seeded([*listings(), *extra])
    sandbox.page_cap = 4  # Hostaway may return fewer rows than asked
    seen: list[int] = []
    cursor = None
    async with Client(sandbox_server(sandbox)) as client:
        for _ in range(10):
            args: dict[str, Any] = {"limit": 3}
            if cursor:
                args["cursor"] = cursor
            data = (await client.call_tool("list_all_properties", args)).structured_content
            seen.extend(p["id"] for p in data["properties"])
            cursor = data.get("next_cursor")
            if cursor is None:
                break
    listing_requests = sandbox.count("GET", "/listings")
    assert seen == [40160, 40161, 40162, *range(50000, 50007)]
    assert listing_requests == 3  # 10 listings in pages of 4, fetched once and cached


async def test_a_cursor_from_other_filters_is_refused() -> None:
    async with Client(sandbox_server(seeded())) as client:
        first = await client.call_tool("list_all_properties", {"limit": 1})
        cursor = first.structured_content.get("next_cursor")
        bad = await client.call_tool(
            "list_all_properties", {"limit": 1, "city": "Lisbon", "cursor": cursor}
        )
        garbage = await client.call_tool("list_all_properties", {"cursor": "%%%"})
    assert bad.is_error and "different list_all_properties query" in bad.content[0].text
    assert garbage.is_error and "cursor is not valid" in garbage.content[0].text


async def test_property_details_hide_access_codes_by_default() -> None:
    sandbox = seeded()
    hidden = await call(sandbox, "get_property_details", {"listing_id": 40162})
    shown = await call(
        sandbox, "get_property_details", {"listing_id": 40162, "include_access_codes": True}
    )
    data = hidden.structured_content
    assert "access" not in data
    for secret in ("house-wifi-pass", "4242", "Key pickup", "Any special instruction"):
        assert secret not in json.dumps(data)
        assert secret not in hidden.content[0].text
    assert data["capacity"]["bedrooms"] == 4
    assert data["stay_rules"]["check_in_from"] == "12:00"  # the example's checkInTimeStart 12
    assert data["stay_rules"]["check_out_by"] == "11:00"
    assert data["pricing"]["cleaning_fee"] == 40.32
    # The example's weeklyDiscount 0.71 / monthlyDiscount 0.82: the share of the price paid.
    assert data["pricing"]["weekly_discount_percent"] == 29.0
    assert data["pricing"]["monthly_discount_percent"] == 18.0
    assert data["average_review_rating"] == 9.2
    access = shown.structured_content["access"]
    assert access["wifi_password"] == "house-wifi-pass"
    assert access["door_security_code"] == "4242"


async def test_property_details_shortens_long_text_with_a_marker() -> None:
    long_text = "Sunny flat with sea views. " * 100
    rows = listings()
    rows[0]["description"] = long_text
    sandbox = seeded(rows)
    short = await call(sandbox, "get_property_details", {"listing_id": 40160})
    full = await call(sandbox, "get_property_details", {"listing_id": 40160, "full_text": True})
    description = short.structured_content["description"]
    assert len(description) < 800
    assert "full_text=true" in description
    assert full.structured_content["description"] == long_text.strip()


async def test_unknown_listing_is_a_tool_error_with_a_next_step() -> None:
    result = await call(seeded(), "get_property_details", {"listing_id": 99})
    assert result.is_error
    assert "Listing 99 was not found" in result.content[0].text
    assert "list_all_properties" in result.content[0].text


async def test_check_availability_end_date_is_exclusive() -> None:
    start, end = TODAY + timedelta(days=30), TODAY + timedelta(days=33)
    sandbox = seeded()
    # the next guest arrives on our check-out day: fine
    sandbox.set_calendar(40160, end, end + timedelta(days=1), isAvailable=0)
    result = await call(
        sandbox,
        "check_availability",
        {"listing_id": 40160, "start_date": start.isoformat(), "end_date": end.isoformat()},
    )
    sent = sandbox.requests("GET", "/listings/40160/calendar")[0].params
    data = result.structured_content
    assert data["available"] is True
    assert data["nights"] == 3
    assert [n["date"] for n in data["nights_detail"]] == [
        (start + timedelta(days=i)).isoformat() for i in range(3)
    ]
    assert data["total_nightly_price"] == 600
    assert data["currency"] == "USD"
    assert sent["startDate"] == start.isoformat()


async def test_check_availability_reports_blocked_nights_and_minimum_stay() -> None:
    start = TODAY + timedelta(days=40)
    stay = {
        "listing_id": 40160,
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=3)).isoformat(),
    }
    blocked_night = seeded()
    blocked_night.set_calendar(40160, start + timedelta(days=1), isAvailable=0)
    blocked = await call(blocked_night, "check_availability", stay)
    long_minimum = seeded()
    long_minimum.set_calendar(40160, start, minimumStay=5)
    too_short = await call(long_minimum, "check_availability", stay)
    assert blocked.structured_content["available"] is False
    assert blocked.structured_content["unavailable_dates"] == [
        (start + timedelta(days=1)).isoformat()
    ]
    assert too_short.structured_content["available"] is False
    assert too_short.structured_content["unavailable_dates"] == []
    assert "Minimum stay" in too_short.structured_content["reasons"][0]


async def test_check_availability_rejects_end_before_start_before_calling_hostaway() -> None:
    sandbox = seeded()
    result = await call(
        sandbox,
        "check_availability",
        {"listing_id": 40160, "start_date": "2026-07-05", "end_date": "2026-07-05"},
    )
    assert sandbox.request_log == []
    assert result.is_error
    assert "check-out day" in result.content[0].text


async def test_find_available_properties_confirms_each_calendar() -> None:
    start, end = TODAY + timedelta(days=50), TODAY + timedelta(days=53)
    sandbox = seeded()
    # Free nights but a 5-night minimum stay: Hostaway's availability pre-filter lets it through.
    sandbox.set_calendar(40161, start, minimumStay=5)
    result = await call(
        sandbox,
        "find_available_properties",
        {"start_date": start.isoformat(), "end_date": end.isoformat(), "guests": 4},
    )
    sent = sandbox.requests("GET", "/listings")[0].params
    data = result.structured_content
    assert [p["id"] for p in data["properties"]] == [40160, 40162]
    assert data["candidates_checked"] == 3 and data["complete"] is True
    assert data["properties"][0]["total_nightly_price"] == 600
    assert sent["availabilityDateStart"] == start.isoformat()
    assert sent["availabilityDateEnd"] == (end - timedelta(days=1)).isoformat()
    assert sent["availabilityGuestNumber"] == "4"


async def test_find_available_properties_applies_capacity() -> None:
    start, end = TODAY + timedelta(days=50), TODAY + timedelta(days=52)
    result = await call(
        seeded(),
        "find_available_properties",
        {"start_date": start.isoformat(), "end_date": end.isoformat(), "guests": 7},
    )
    assert [p["id"] for p in result.structured_content["properties"]] == [40162]


async def test_price_quote_uses_price_details_version_2() -> None:
    # The official priceDetails example, verbatim: the sandbox computes its own quotes.
    upstream = Scripted(
        {
            ("GET", "/listings/40160"): {"status": "success", "result": listings()[0]},
            ("GET", "/listings/40160/calendar"): {
                "status": "success",
                "result": [calendar_day(date(2026, 7, 1) + timedelta(days=i)) for i in range(4)],
            },
            ("POST", "/listings/40160/calendar/priceDetails"): example("calendar_priceDetails"),
        }
    )
    async with Client(scripted_server(upstream)) as client:
        result = await client.call_tool(
            "get_price_quote",
            {
                "listing_id": 40160,
                "start_date": "2026-07-01",
                "end_date": "2026-07-04",
                "guests": 2,
            },
        )
    body = json.loads(upstream.calls("POST", "/listings/40160/calendar/priceDetails")[0].content)
    assert body == {
        "startingDate": "2026-07-01",
        "endingDate": "2026-07-04",
        "numberOfGuests": 2,
        "version": 2,
    }
    data = result.structured_content
    assert data["total_price"] == 13520
    assert data["currency"] == "USD"
    assert {
        "name": "Cleaning fee",
        "type": "fee",
        "amount": 500.0,
        "included_in_total": True,
    } in data["components"]


async def test_price_quote_for_more_guests_than_the_listing_sleeps_is_not_bookable() -> None:
    sandbox = seeded()
    result = await call(
        sandbox,
        "get_price_quote",
        {
            "listing_id": 40161,
            "start_date": "2026-07-01",
            "end_date": "2026-07-04",
            "guests": 9,
        },
    )
    data = result.structured_content
    assert data["bookable"] is False
    assert any("sleeps at most 4" in reason for reason in data["reasons"])
    assert data["total_price"] is not None  # Hostaway's price is still given


async def test_missing_credentials_answer_with_what_to_set() -> None:
    sandbox = seeded()
    result = await call(sandbox, "list_all_properties", client_secret=None)
    assert sandbox.request_log == []
    assert result.is_error
    text = result.content[0].text
    assert "HOSTAWAY_CLIENT_SECRET" in text and "--demo" in text


async def test_config_error_is_reported_by_every_tool() -> None:
    sandbox = seeded()
    result = await call(
        sandbox,
        "check_connection",
        config_error="HOSTAWAY_TIMEOUT must be a positive number of seconds, got 'abc'.",
    )
    assert sandbox.request_log == []
    assert result.is_error and "HOSTAWAY_TIMEOUT" in result.content[0].text


async def test_upstream_failure_becomes_a_readable_error_and_the_server_keeps_serving() -> None:
    sandbox = seeded()
    async with Client(sandbox_server(sandbox)) as client:
        sandbox.faults.inject("/listings/40161", "html", count=4, status=503)
        failed = await client.call_tool("get_property_details", {"listing_id": 40161})
        ok = await client.call_tool("get_property_details", {"listing_id": 40160})
    assert failed.is_error and "HTTP 503" in failed.content[0].text
    assert SECRET not in failed.content[0].text
    assert not ok.is_error


async def test_a_failing_calendar_inside_a_concurrent_check_is_a_readable_error() -> None:
    start, end = TODAY + timedelta(days=50), TODAY + timedelta(days=53)
    sandbox = seeded()
    sandbox.faults.inject("/listings/40161/calendar", "status", count=4, status=503)
    result = await call(
        sandbox,
        "find_available_properties",
        {"start_date": start.isoformat(), "end_date": end.isoformat()},
    )
    assert result.is_error
    assert "HTTP 503" in result.content[0].text
    assert "Error executing tool find_available_properties:" in result.content[0].text


async def test_tools_are_listed_properties_first() -> None:
    async with Client(offline_server()) as client:
        names = [tool.name for tool in (await client.list_tools()).tools]
    assert names[0] == "check_connection"
    assert names.index("list_all_properties") < names.index("search_bookings")
