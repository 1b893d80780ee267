"""Reports and writes through the MCP client against the demo sandbox, checked against its data."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from mcp import Client

from hostaway_sandbox import Sandbox
from tests.support.accounts import DEMO_TODAY as TODAY
from tests.support.accounts import demo_account
from tests.support.servers import confirm_write, demo_server

pytestmark = pytest.mark.anyio

CONFIRMED = {"new", "modified"}


@pytest.fixture(scope="module")
def shared() -> Sandbox:
    return demo_account()


async def call(
    sandbox: Sandbox, name: str, args: dict[str, Any], **settings: Any
) -> dict[str, Any]:
    async with Client(demo_server(sandbox, **settings)) as client:
        result = await client.call_tool(name, args)
    assert not result.is_error, result.content[0].text
    return result.structured_content  # type: ignore[no-any-return]


def month_window() -> tuple[date, date]:
    first = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)  # last month
    return first, TODAY.replace(day=1)


def overlap(r: dict[str, Any], start: date, end: date) -> int:
    arrival, departure = (
        date.fromisoformat(r["arrivalDate"]),
        date.fromisoformat(r["departureDate"]),
    )
    return max(0, (min(departure, end) - max(arrival, start)).days)


async def test_revenue_report_by_arrival_matches_the_reservations(shared: Sandbox) -> None:
    start, end = month_window()
    data = await call(
        shared,
        "get_revenue_report",
        {"start_date": start.isoformat(), "end_date": end.isoformat(), "date_basis": "arrival"},
    )
    expected: dict[str, float] = {}
    for r in shared.store.reservations:
        if r["status"] in CONFIRMED and start.isoformat() <= r["arrivalDate"] < end.isoformat():
            expected[r["currency"]] = expected.get(r["currency"], 0.0) + r["totalPrice"]
    got = {t["currency"]: t["revenue"] for t in data["currency_totals"]}
    assert got == {c: round(v, 2) for c, v in expected.items()}


async def test_revenue_report_by_stay_pro_rates_nights(shared: Sandbox) -> None:
    start, end = month_window()
    listing_id = shared.store.listings[0]["id"]
    data = await call(
        shared,
        "get_revenue_report",
        {"start_date": start.isoformat(), "end_date": end.isoformat(), "listing_ids": [listing_id]},
    )
    revenue = 0.0
    nights = 0
    for r in shared.store.reservations:
        if r["listingMapId"] == listing_id and r["status"] in CONFIRMED:
            inside = overlap(r, start, end)
            if inside:
                nights += inside
                revenue += r["totalPrice"] * inside / r["nights"]
    [total] = data["currency_totals"]
    assert total["booked_nights"] == nights
    assert total["revenue"] == pytest.approx(round(revenue, 2), abs=0.01)


async def test_occupancy_report_matches_calendar_and_bookings(shared: Sandbox) -> None:
    start, end = month_window()
    listing_id = shared.store.listings[1]["id"]
    data = await call(
        shared,
        "get_occupancy_report",
        {"start_date": start.isoformat(), "end_date": end.isoformat(), "listing_ids": [listing_id]},
    )
    [row] = data["listings"]
    booked = sum(
        overlap(r, start, end)
        for r in shared.store.reservations
        if r["listingMapId"] == listing_id and r["status"] in CONFIRMED
    )
    owner = sum(
        overlap(r, start, end)
        for r in shared.store.reservations
        if r["listingMapId"] == listing_id and r["status"] == "ownerStay"
    )
    assert row["nights_in_period"] == (end - start).days
    assert row["booked_nights"] == booked
    assert row["owner_nights"] == owner
    assert row["available_nights"] == row["nights_in_period"] - owner - row["blocked_nights"]


async def test_owner_statements_and_financial_report_read_the_account(shared: Sandbox) -> None:
    statements = await call(shared, "list_owner_statements", {})
    assert len(statements["statements"]) == len(shared.store.owner_statements)
    first = statements["statements"][0]
    detail = await call(shared, "get_owner_statement", {"statement_id": first["id"]})
    assert detail["name"] == first["name"]
    start, end = month_window()
    report = await call(
        shared,
        "get_financial_report",
        {"start_date": start.isoformat(), "end_date": end.isoformat()},
    )
    assert report["row_count"] == len(report["rows"]) or report["truncated"]
    assert report["rows"]


async def test_financial_report_when_not_enabled_points_to_the_revenue_report() -> None:
    sandbox = demo_account()
    sandbox.finance_enabled = False
    start, end = month_window()
    async with Client(demo_server(sandbox)) as client:
        result = await client.call_tool(
            "get_financial_report", {"start_date": start.isoformat(), "end_date": end.isoformat()}
        )
    assert result.is_error
    assert "get_revenue_report" in result.content[0].text


async def test_create_then_cancel_a_booking_changes_only_the_demo_account() -> None:
    sandbox = demo_account()
    listing = sandbox.store.listings[5]
    start = TODAY + timedelta(days=200)
    while not all(
        sandbox.store.calendar_day(listing["id"], start + timedelta(days=i))["isAvailable"]
        for i in range(4)
    ):
        start += timedelta(days=1)
    end = start + timedelta(days=3)
    booking = {
        "listing_id": listing["id"],
        "arrival_date": start.isoformat(),
        "departure_date": end.isoformat(),
        "guest_name": "Demo Guest",
        "guests": 1,
    }
    async with Client(demo_server(sandbox, read_only=False, write_approval="model")) as client:
        before = await client.call_tool(
            "check_availability",
            {
                "listing_id": listing["id"],
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
            },
        )
        preview = await client.call_tool("create_booking", booking)
        assert sandbox.count("POST", "/reservations") == 0
        approval = {"approval_id": preview.structured_content["approval_id"]}
        created = await client.call_tool("create_booking", {**booking, **approval, "confirm": True})
        after = await client.call_tool(
            "check_availability",
            {
                "listing_id": listing["id"],
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
            },
        )
        reservation_id = created.structured_content["result"]["id"]
        cancelled = await confirm_write(
            client, "cancel_booking", {"reservation_id": reservation_id, "confirm": True}
        )
    assert before.structured_content["available"] is True
    assert preview.structured_content["sent"] is False
    assert created.structured_content["sent"] is True
    assert sandbox.count("POST", "/reservations") == 1
    assert after.structured_content["available"] is False  # the write dropped the cached calendar
    assert not cancelled.is_error
    assert sandbox.store.reservation(reservation_id)["status"] == "cancelled"
    assert sandbox.store.calendar_day(listing["id"], start)["isAvailable"] == 1


async def test_sending_a_guest_message_in_demo_mode() -> None:
    sandbox = demo_account()
    conversation = sandbox.store.conversations[0]
    before = len(sandbox.store.messages[conversation["id"]])
    message = {"conversation_id": conversation["id"], "body": "See you soon!", "confirm": True}
    async with Client(demo_server(sandbox, read_only=False, write_approval="model")) as client:
        result = await confirm_write(client, "send_guest_message", message)
    data = result.structured_content
    assert data["sent"] is True and data["approved_via"] == "model"
    assert len(sandbox.store.messages[conversation["id"]]) == before + 1
    assert sandbox.store.messages[conversation["id"]][-1]["body"] == "See you soon!"


async def test_year_long_occupancy_keeps_every_listing_by_condensing_gaps(shared: Sandbox) -> None:
    start, end = TODAY - timedelta(days=365), TODAY
    async with Client(demo_server(shared)) as client:
        result = await client.call_tool(
            "get_occupancy_report", {"start_date": start.isoformat(), "end_date": end.isoformat()}
        )
    data = result.structured_content
    assert len(result.content[0].text) <= 20_000
    assert data["truncated"] is False
    assert len(data["listings"]) == data["listings_total"] == len(shared.store.listings)
    assert data["gaps_condensed"] is True
    assert all(len(row["gap_nights"]) <= row["gap_count"] for row in data["listings"])
    assert sum(row["gap_count"] for row in data["listings"]) > sum(
        len(row["gap_nights"]) for row in data["listings"]
    )
