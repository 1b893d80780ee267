"""Every read tool through the in-memory MCP client against the demo sandbox, checked against the
sandbox's own data."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from mcp import Client

from hostaway_sandbox import Sandbox
from tests.support.accounts import DEMO_TODAY as TODAY
from tests.support.accounts import demo_account
from tests.support.servers import demo_server

pytestmark = pytest.mark.anyio

CONFIRMED = {"new", "modified"}
BLOCKING = {"new", "modified", "ownerStay"}


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    return demo_account()


async def call(sandbox: Sandbox, name: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
    async with Client(demo_server(sandbox)) as client:
        result = await client.call_tool(name, args or {})
    assert not result.is_error, result.content[0].text
    return result.structured_content  # type: ignore[no-any-return]


def nights(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days)]


def bookable(sandbox: Sandbox, listing_id: int, start: date, end: date) -> bool:
    days = [sandbox.store.calendar_day(listing_id, night) for night in nights(start, end)]
    departure = sandbox.store.calendar_day(listing_id, end)
    first = days[0]
    return (
        all(day["isAvailable"] == 1 for day in days)
        and len(days) >= (first["minimumStay"] or 1)
        and (not first["maximumStay"] or len(days) <= first["maximumStay"])
        and not first["closedOnArrival"]
        and not departure["closedOnDeparture"]
    )


async def test_check_connection_in_demo_mode(sandbox: Sandbox) -> None:
    data = await call(sandbox, "check_connection")
    assert data["demo"] is True
    assert data["listings_total"] == len(sandbox.store.listings)


async def test_list_all_properties_matches_the_account(sandbox: Sandbox) -> None:
    data = await call(sandbox, "list_all_properties", {"limit": 200})
    expected = sorted(raw["id"] for raw in sandbox.store.listings)
    assert [p["id"] for p in data["properties"]] == expected
    assert data["total"] == len(expected)
    by_id = {raw["id"]: raw for raw in sandbox.store.listings}
    for prop in data["properties"]:
        raw = by_id[prop["id"]]
        assert prop["bedrooms"] == raw["bedroomsNumber"]
        assert prop["max_guests"] == raw["personCapacity"]
        assert prop["currency"] == raw["currencyCode"]


async def test_city_and_capacity_filters(sandbox: Sandbox) -> None:
    data = await call(sandbox, "list_all_properties", {"city": "Lisbon", "min_guests": 4})
    expected = sorted(
        raw["id"]
        for raw in sandbox.store.listings
        if raw["city"] == "Lisbon" and raw["personCapacity"] >= 4
    )
    assert [p["id"] for p in data["properties"]] == expected


async def test_property_details_match_and_hide_secrets(sandbox: Sandbox) -> None:
    raw = sandbox.store.listings[3]
    data = await call(sandbox, "get_property_details", {"listing_id": raw["id"]})
    assert data["name"] == raw["name"]
    assert data["capacity"]["bedrooms"] == raw["bedroomsNumber"]
    assert data["stay_rules"]["check_out_by"] == f"{raw['checkOutTime']:02d}:00"
    assert "access" not in data
    assert raw["wifiPassword"] not in str(data)
    shown = await call(
        sandbox, "get_property_details", {"listing_id": raw["id"], "include_access_codes": True}
    )
    assert shown["access"]["wifi_password"] == raw["wifiPassword"]


async def test_check_availability_agrees_with_the_calendar(sandbox: Sandbox) -> None:
    listing_id = sandbox.store.listings[0]["id"]
    start = TODAY + timedelta(days=20)
    end = start + timedelta(days=5)
    data = await call(
        sandbox,
        "check_availability",
        {"listing_id": listing_id, "start_date": start.isoformat(), "end_date": end.isoformat()},
    )
    assert data["available"] is bookable(sandbox, listing_id, start, end)
    for night in data["nights_detail"]:
        day = sandbox.store.calendar_day(listing_id, night["date"])
        assert night["available"] is (day["isAvailable"] == 1)
        assert night["price"] == day["price"]


async def test_find_available_properties_returns_exactly_the_free_listings(
    sandbox: Sandbox,
) -> None:
    start = TODAY + timedelta(days=30)
    end = start + timedelta(days=3)
    data = await call(
        sandbox,
        "find_available_properties",
        {"start_date": start.isoformat(), "end_date": end.isoformat(), "guests": 2, "limit": 100},
    )
    expected = sorted(
        raw["id"]
        for raw in sandbox.store.listings
        if raw["personCapacity"] >= 2 and bookable(sandbox, raw["id"], start, end)
    )
    assert sorted(p["id"] for p in data["properties"]) == expected
    assert data["complete"] is True
    for prop in data["properties"]:
        total = sum(
            sandbox.store.calendar_day(prop["id"], night)["price"] for night in nights(start, end)
        )
        assert prop["total_nightly_price"] == round(total, 2)


async def test_price_quote_components_add_up(sandbox: Sandbox) -> None:
    listing_id = sandbox.store.listings[1]["id"]
    start = TODAY + timedelta(days=40)
    data = await call(
        sandbox,
        "get_price_quote",
        {
            "listing_id": listing_id,
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=3)).isoformat(),
            "guests": 2,
        },
    )
    included = sum(c["amount"] for c in data["components"] if c["included_in_total"])
    assert data["total_price"] == pytest.approx(included, abs=0.01)
    assert data["currency"] == sandbox.store.listings[1]["currencyCode"]


async def test_search_bookings_by_listing_and_status_is_complete(sandbox: Sandbox) -> None:
    listing_id = sandbox.store.listings[2]["id"]
    seen: list[int] = []
    cursor = None
    async with Client(demo_server(sandbox)) as client:
        while True:
            args: dict[str, Any] = {
                "listing_id": listing_id,
                "status": ["new", "modified"],
                "limit": 40,
            }
            if cursor:
                args["cursor"] = cursor
            result = await client.call_tool("search_bookings", args)
            data = result.structured_content
            seen.extend(b["id"] for b in data["bookings"])
            cursor = data.get("next_cursor")
            if not cursor:
                break
    expected = {
        r["id"]
        for r in sandbox.store.reservations
        if r["listingMapId"] == listing_id and r["status"] in CONFIRMED
    }
    assert len(seen) == len(set(seen))
    assert set(seen) == expected


async def test_search_bookings_by_channel_and_arrival_window(sandbox: Sandbox) -> None:
    first, last = TODAY - timedelta(days=30), TODAY
    data = await call(
        sandbox,
        "search_bookings",
        {
            "channel": "booking.com",
            "arrival_from": first.isoformat(),
            "arrival_to": last.isoformat(),
            "limit": 200,
        },
    )
    expected = {
        r["id"]
        for r in sandbox.store.reservations
        if r["channelId"] == 2005 and first.isoformat() <= r["arrivalDate"] <= last.isoformat()
    }
    assert {b["id"] for b in data["bookings"]} == expected


async def test_booking_details_and_guest_info(sandbox: Sandbox) -> None:
    emails: dict[str, list[dict[str, Any]]] = {}
    for r in sandbox.store.reservations:
        if r["status"] in CONFIRMED and r.get("guestEmail"):
            emails.setdefault(r["guestEmail"].lower(), []).append(r)
    repeat = next(rows for rows in emails.values() if len(rows) >= 2)
    latest = max(repeat, key=lambda r: r["arrivalDate"])
    details = await call(sandbox, "get_booking_details", {"reservation_id": latest["id"]})
    assert details["untrusted"]["guest_name"] == latest["guestName"]
    assert details["money"]["total_price"] == round(latest["totalPrice"], 2)
    assert "access" not in details
    guest = await call(sandbox, "get_guest_info", {"reservation_id": latest["id"]})
    expected = {r["id"] for r in repeat if r["arrivalDate"] < latest["arrivalDate"]}
    assert {s["reservation_id"] for s in guest["previous_stays"]} == expected


async def test_arrivals_and_departures_match_the_reservations(sandbox: Sandbox) -> None:
    data = await call(
        sandbox, "get_arrivals_and_departures", {"start_date": TODAY.isoformat(), "days": 3}
    )
    for day in data["days"]:
        iso = day["date"]
        arrivals = {
            r["id"]
            for r in sandbox.store.reservations
            if r["arrivalDate"] == iso and r["status"] in BLOCKING
        }
        departures = {
            r["id"]
            for r in sandbox.store.reservations
            if r["departureDate"] == iso and r["status"] in BLOCKING
        }
        assert {b["id"] for b in day["arrivals"]} == arrivals
        assert {b["id"] for b in day["departures"]} == departures
        by_listing = {r["listingMapId"] for r in sandbox.store.reservations if r["id"] in arrivals}
        leaving = {r["listingMapId"] for r in sandbox.store.reservations if r["id"] in departures}
        assert set(day["turnovers"]) == by_listing & leaving
    assert any(day["turnovers"] for day in data["days"])


async def test_inbox_triage_lists_the_unanswered_threads(sandbox: Sandbox) -> None:
    data = await call(sandbox, "get_inbox_triage", {"limit": 50})
    assert data["items"]
    for item in data["items"]:
        conversation = sandbox.store.conversation(item["conversation_id"])
        latest = conversation["conversationMessages"][0]
        assert latest["isIncoming"] == 1


async def test_conversation_messages_are_the_latest_in_order(sandbox: Sandbox) -> None:
    conversation = max(
        sandbox.store.conversations, key=lambda c: len(sandbox.store.messages.get(c["id"], []))
    )
    sent = [m for m in sandbox.store.messages[conversation["id"]] if m["status"] == "sent"]
    data = await call(
        sandbox, "get_conversation_messages", {"conversation_id": conversation["id"], "limit": 3}
    )
    expected = sorted(sent, key=lambda m: (m["date"], m["id"]))[-3:]
    assert [m["id"] for m in data["messages"]] == [m["id"] for m in expected]


async def test_reviews_tasks_and_expenses_read_the_account(sandbox: Sandbox) -> None:
    listing_id = sandbox.store.listings[0]["id"]
    reviews = await call(sandbox, "list_reviews", {"listing_id": listing_id, "limit": 200})
    assert reviews["reviews"]
    assert all(r["listing_id"] == listing_id for r in reviews["reviews"])
    tasks = await call(sandbox, "list_tasks", {"listing_id": listing_id, "limit": 200})
    expected_tasks = {t["id"] for t in sandbox.store.tasks if t["listingMapId"] == listing_id}
    assert {t["id"] for t in tasks["tasks"]} == expected_tasks
    expenses = await call(sandbox, "list_expenses", {"listing_id": listing_id, "limit": 200})
    expected_expenses = {
        e["id"]
        for e in sandbox.store.expenses
        if e["listingMapId"] == listing_id and not e["isDeleted"]
    }
    assert {e["id"] for e in expenses["expenses"]} == expected_expenses
