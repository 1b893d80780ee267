"""Booking tools through the in-memory MCP client against the seeded sandbox account."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from mcp import Client

from hostaway_sandbox import Sandbox
from tests.support.accounts import reservations, seeded
from tests.support.records import TODAY, reservation
from tests.support.servers import sandbox_server

pytestmark = pytest.mark.anyio


async def call(sandbox: Sandbox, name: str, args: dict[str, Any] | None = None) -> Any:
    async with Client(sandbox_server(sandbox)) as client:
        return await client.call_tool(name, args or {})


async def test_search_bookings_filters_status_client_side_and_says_so() -> None:
    sandbox = seeded()
    result = await call(sandbox, "search_bookings", {"status": ["new", "modified"]})
    sent = sandbox.requests("GET", "/reservations")[0].params
    assert "status" not in sent  # Hostaway has no status filter
    data = result.structured_content
    assert sorted(b["id"] for b in data["bookings"]) == [101, 102, 105]
    assert any(
        "status" in f and "Hostaway has no status filter" in f for f in data["filters_applied"]
    )
    assert "next_cursor" not in data


async def test_search_bookings_maps_friendly_channel_and_dates() -> None:
    sandbox = seeded()
    result = await call(
        sandbox,
        "search_bookings",
        {"channel": "Booking.com", "arrival_from": (TODAY - timedelta(days=10)).isoformat()},
    )
    sent = sandbox.requests("GET", "/reservations")[0].params
    assert sent["channelId"] == "2005"
    assert sent["arrivalStartDate"] == (TODAY - timedelta(days=10)).isoformat()
    bookings = result.structured_content["bookings"]
    assert [b["id"] for b in bookings] == [102]
    assert bookings[0]["channel"] == "booking.com"


async def test_search_bookings_airbnb_covers_both_airbnb_channel_ids() -> None:
    extra = reservation(107, channelId=2001, channelName="airbnb", listingMapId=40160)
    sandbox = seeded(reservation_rows=[*reservations(), extra])
    result = await call(sandbox, "search_bookings", {"channel": "airbnb"})
    sent = sandbox.requests("GET", "/reservations")[0].params
    assert "channelId" not in sent
    assert sorted(b["id"] for b in result.structured_content["bookings"]) == [101, 105, 107]


async def test_search_bookings_unknown_channel_is_refused_before_any_request() -> None:
    sandbox = seeded()
    result = await call(sandbox, "search_bookings", {"channel": "myspace"})
    assert not sandbox.requests("GET", "/reservations")
    assert result.is_error and "Unknown channel" in result.content[0].text


async def test_search_bookings_rejects_unknown_status_values() -> None:
    sandbox = seeded()
    result = await call(sandbox, "search_bookings", {"status": ["booked"]})
    assert result.is_error


async def test_search_bookings_pages_with_after_id_to_the_end_without_duplicates() -> None:
    sandbox = seeded()
    sandbox.page_cap = 2
    seen: list[int] = []
    async with Client(sandbox_server(sandbox)) as client:
        cursor = None
        while True:
            args: dict[str, Any] = {"limit": 2}
            if cursor:
                args["cursor"] = cursor
            data = (await client.call_tool("search_bookings", args)).structured_content
            seen.extend(b["id"] for b in data["bookings"])
            cursor = data.get("next_cursor")
            if not cursor:
                break
    after_ids = [r.params.get("afterId") for r in sandbox.requests("GET", "/reservations")]
    assert seen == [101, 102, 103, 104, 105, 106]
    assert after_ids[:3] == [None, "102", "104"]


async def test_search_bookings_inclusive_dates_are_rechecked_here() -> None:
    sandbox = seeded()
    result = await call(
        sandbox,
        "search_bookings",
        {"departure_from": TODAY.isoformat(), "departure_to": TODAY.isoformat()},
    )
    assert [b["id"] for b in result.structured_content["bookings"]] == [102]


async def test_booking_summary_fields_and_listing_name_fallback() -> None:
    sandbox = seeded()
    result = await call(sandbox, "search_bookings", {"listing_id": 40162, "status": ["ownerStay"]})
    listing_scans = len(sandbox.requests("GET", "/listings"))
    booking = result.structured_content["bookings"][0]
    assert booking == {
        "id": 104,
        "listing_id": 40162,
        "listing_name": "Family House",  # not on the reservation: looked up once
        "arrival_date": (TODAY + timedelta(days=1)).isoformat(),
        "departure_date": (TODAY + timedelta(days=5)).isoformat(),
        "nights": 4,
        "guests": 1,
        "status": "ownerStay",
        "channel": "direct",
        "total_price": 0.0,
        "currency": "USD",
        "untrusted": {"guest_name": "Owner"},  # the guest's own text, fenced
    }
    assert listing_scans == 1


async def test_booking_details_hide_the_door_code_unless_asked() -> None:
    sandbox = seeded()
    hidden = await call(sandbox, "get_booking_details", {"reservation_id": 101})
    shown = await call(
        sandbox, "get_booking_details", {"reservation_id": 101, "include_access_codes": True}
    )
    data = hidden.structured_content
    assert "access" not in data
    assert "9911" not in json.dumps(data) and "9911" not in hidden.content[0].text
    assert data["money"]["total_price"] == 450
    assert data["money"]["currency"] == "EUR"
    assert data["confirmation_code"] == "HMP2KQ4B44"
    assert data["channel_reservation_id"] == "10450-40160-thread313906227-9586017324"
    assert data["guest_counts"]["adults"] == 1
    assert data["reservation_date"] == "2017-06-10T10:41:10Z"
    assert "cancellation" not in data
    assert shown.structured_content["access"]["door_code"] == "9911"


async def test_unknown_booking_points_to_search_bookings() -> None:
    sandbox = seeded()
    result = await call(sandbox, "get_booking_details", {"reservation_id": 999})
    assert result.is_error and "search_bookings" in result.content[0].text


async def test_guest_info_finds_previous_stays_with_one_email_query() -> None:
    sandbox = seeded()
    result = await call(sandbox, "get_guest_info", {"reservation_id": 101})
    queries = [r.params for r in sandbox.requests("GET", "/reservations")]
    data = result.structured_content
    assert data["email"] == "ana@example.com"
    assert [s["reservation_id"] for s in data["previous_stays"]] == [105]
    assert len(queries) == 1 and queries[0]["guestEmail"] == "ana@example.com"


async def test_arrivals_and_departures_board_with_turnovers() -> None:
    sandbox = seeded()
    result = await call(
        sandbox, "get_arrivals_and_departures", {"start_date": TODAY.isoformat(), "days": 2}
    )
    params = [r.params for r in sandbox.requests("GET", "/reservations")]
    days = result.structured_content["days"]
    assert [d["date"] for d in days] == [TODAY.isoformat(), (TODAY + timedelta(days=1)).isoformat()]
    today = days[0]
    assert [b["id"] for b in today["arrivals"]] == [101]  # 103 is cancelled
    assert [b["id"] for b in today["departures"]] == [102]
    assert today["turnovers"] == [40161]
    assert [b["id"] for b in days[1]["arrivals"]] == [104]  # owner stays count
    assert result.structured_content["statuses_counted"] == ["new", "modified", "ownerStay"]
    assert params[0]["arrivalStartDate"] == TODAY.isoformat()
    assert params[0]["arrivalEndDate"] == (TODAY + timedelta(days=1)).isoformat()
    assert params[1]["departureStartDate"] == TODAY.isoformat()


async def test_arrivals_and_departures_rejects_too_many_days() -> None:
    sandbox = seeded()
    result = await call(sandbox, "get_arrivals_and_departures", {"days": 40})
    assert result.is_error
