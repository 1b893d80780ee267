"""get_price_quote keeps Hostaway's price and says whether the stay can be booked, by the same rules
as check_availability: nights free, minimum/maximum stay, closed days, capacity, not in the past."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from mcp import Client

from hostaway_sandbox import Sandbox
from tests.support.accounts import demo_account
from tests.support.servers import demo_server as sandbox_server

pytestmark = pytest.mark.anyio

LISTING = 40160  # sleeps 2; its far-future calendar asks for at least 3 nights
FAR = date.today() + timedelta(days=300)


def quote_args(start: date, nights: int, guests: int = 2) -> dict[str, Any]:
    return {
        "listing_id": LISTING,
        "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=nights)).isoformat(),
        "guests": guests,
    }


async def quote(sandbox: Sandbox, args: dict[str, Any]) -> dict[str, Any]:
    async with Client(sandbox_server(sandbox)) as client:
        result = await client.call_tool("get_price_quote", args)
        assert not result.is_error, result.content[0].text
        data: dict[str, Any] = result.structured_content
        availability = await client.call_tool(
            "check_availability", {k: v for k, v in args.items() if k != "guests"}
        )
    data["_availability"] = availability.structured_content
    return data


def upcoming_booking(sandbox: Sandbox) -> dict[str, Any]:
    today = date.today().isoformat()
    return next(
        r
        for r in sorted(sandbox.store.reservations, key=lambda r: r["arrivalDate"])
        if r["listingMapId"] == LISTING and r["status"] == "new" and r["arrivalDate"] > today
    )


async def test_a_free_stay_is_bookable_and_priced() -> None:
    data = await quote(demo_account(), quote_args(FAR, 5))
    assert data["bookable"] is True and data["reasons"] == []
    assert data["total_price"] > 0


async def test_nights_already_reserved_are_priced_but_not_bookable() -> None:
    sandbox = demo_account()
    booking = upcoming_booking(sandbox)
    arrival = date.fromisoformat(booking["arrivalDate"])
    data = await quote(sandbox, quote_args(arrival, 3))
    assert data["bookable"] is False
    assert any("not available" in reason for reason in data["reasons"])
    assert data["total_price"] > 0  # Hostaway's price is kept
    assert data["reasons"] == data["_availability"]["reasons"]  # the same rules


async def test_a_stay_shorter_than_the_minimum_is_not_bookable() -> None:
    data = await quote(demo_account(), quote_args(FAR, 1))
    assert data["bookable"] is False
    assert data["reasons"] == [
        "Minimum stay for arrival on " + FAR.isoformat() + " is 3 nights (asked for 1)."
    ]
    assert data["total_price"] is not None


async def test_more_guests_than_it_sleeps_is_a_reason_not_an_error() -> None:
    data = await quote(demo_account(), quote_args(FAR, 5, guests=6))
    assert data["bookable"] is False
    assert any("sleeps at most 2" in reason for reason in data["reasons"])
    assert data["total_price"] is not None


async def test_dates_in_the_past_are_not_bookable() -> None:
    data = await quote(demo_account(), quote_args(date.today() - timedelta(days=10), 3))
    assert data["bookable"] is False
    assert any("in the past" in reason for reason in data["reasons"])


async def test_when_hostaway_will_not_price_an_impossible_stay_the_reasons_say_so() -> None:
    sandbox = demo_account()
    sandbox.faults.inject(
        f"/listings/{LISTING}/calendar/priceDetails", "fail", message="Dates are in the past"
    )
    data = await quote(sandbox, quote_args(date.today() - timedelta(days=10), 3))
    assert data["bookable"] is False
    assert "total_price" not in data and data["components"] == []
    assert (
        data["reasons"][-1]
        == "Hostaway would not price it: Hostaway refused the request: Dates are in the past"
    )


async def test_a_possible_stay_hostaway_will_not_price_is_an_error() -> None:
    sandbox = demo_account()
    sandbox.faults.inject(f"/listings/{LISTING}/calendar/priceDetails", "fail", message="No rates")
    async with Client(sandbox_server(sandbox)) as client:
        result = await client.call_tool("get_price_quote", quote_args(FAR, 5))
    assert result.is_error and "No rates" in result.content[0].text
