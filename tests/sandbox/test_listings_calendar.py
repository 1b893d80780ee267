"""Listings filters, calendar consistency with reservations, and price quotes."""

from __future__ import annotations

from datetime import date, timedelta
from statistics import mean
from typing import Any

import httpx
import pytest

from hostaway_sandbox import Sandbox

from .conftest import TODAY, example, get_all

pytestmark = pytest.mark.anyio
BLOCKING = {"new", "modified", "ownerStay"}


def reserved_nights(sandbox: Sandbox, listing_id: int) -> dict[str, int]:
    nights: dict[str, int] = {}
    for reservation in sandbox.store.reservations:
        if reservation["listingMapId"] != listing_id or reservation["status"] not in BLOCKING:
            continue
        day = date.fromisoformat(reservation["arrivalDate"])
        while day < date.fromisoformat(reservation["departureDate"]):
            assert day.isoformat() not in nights, "blocking reservations overlap"
            nights[day.isoformat()] = reservation["id"]
            day += timedelta(days=1)
    return nights


async def calendar(
    client: httpx.AsyncClient, listing_id: int, start: date, end: date, **params: Any
) -> list[dict[str, Any]]:
    query = {"startDate": start.isoformat(), "endDate": end.isoformat(), **params}
    response = await client.get(f"/listings/{listing_id}/calendar", params=query)
    assert response.status_code == 200, response.text
    days: list[dict[str, Any]] = response.json()["result"]
    return days


async def test_city_and_country_filters(api: httpx.AsyncClient, shared: Sandbox) -> None:
    lisbon = await get_all(api, "/listings", city="lisbon")
    by_name = await get_all(api, "/listings", country="PORTUGAL")
    by_code = await get_all(api, "/listings", country="us")
    assert lisbon
    assert all(row["city"] == "Lisbon" for row in lisbon)
    assert {row["city"] for row in by_name} == {"Lisbon", "Porto"}
    assert {row["countryCode"] for row in by_code} == {"US"}
    assert len(by_name) + len(by_code) < len(shared.store.listings)


async def test_match_searches_name_and_internal_name(api: httpx.AsyncClient) -> None:
    internal = await get_all(api, "/listings", match="lis-0")
    assert internal
    assert all(row["internalListingName"].startswith("LIS-0") for row in internal)
    named = await get_all(api, "/listings", match="APARTMENT")
    assert named
    assert all("apartment" in row["name"].lower() for row in named)


async def test_guest_number_filter(api: httpx.AsyncClient, shared: Sandbox) -> None:
    rows = await get_all(api, "/listings", availabilityGuestNumber=5)
    expected = [row["id"] for row in shared.store.listings if row["personCapacity"] >= 5]
    assert rows
    assert [row["id"] for row in rows] == expected


async def test_availability_filter_requires_every_day_free(
    api: httpx.AsyncClient, shared: Sandbox
) -> None:
    start, end = TODAY + timedelta(days=20), TODAY + timedelta(days=23)
    rows = await get_all(
        api,
        "/listings",
        availabilityDateStart=start.isoformat(),
        availabilityDateEnd=end.isoformat(),
    )
    available = {row["id"] for row in rows}
    for listing in shared.store.listings:
        days = [start + timedelta(days=n) for n in range(4)]
        free = all(shared.store.calendar_day(listing["id"], d)["isAvailable"] == 1 for d in days)
        assert free == (listing["id"] in available), listing["id"]
    assert 0 < len(available) < len(shared.store.listings)


async def test_resources_only_with_include_resources(api: httpx.AsyncClient) -> None:
    bare = (await api.get("/listings/40160")).json()["result"]
    full = (await api.get("/listings/40160", params={"includeResources": 1})).json()["result"]
    assert bare["listingAmenities"] == []
    assert bare["listingImages"] == []
    assert full["listingAmenities"]
    assert full["listingImages"]
    assert set(full["listingImages"][0]) == {"id", "caption", "url", "sortOrder"}


async def test_sort_by_name(api: httpx.AsyncClient) -> None:
    rows = await get_all(api, "/listings", sortOrder="nameReversed")
    names = [row["name"].lower() for row in rows]
    assert names == sorted(names, reverse=True)


async def test_listings_by_latest_activity(api: httpx.AsyncClient, shared: Sandbox) -> None:
    """A listing's activity is its reservations' latest `latestActivityOn`; the filter takes
    days, both ends included."""
    activity: dict[int, str] = {}
    for reservation in shared.store.reservations:
        listing_id = reservation["listingMapId"]
        activity[listing_id] = max(activity.get(listing_id, ""), reservation["latestActivityOn"])
    rows = await get_all(api, "/listings", sortOrder="latestActivityDesc")
    assert [activity.get(row["id"], "") for row in rows] == sorted(activity.values(), reverse=True)
    day = sorted(activity.values())[len(activity) // 2][:10]
    since = await get_all(api, "/listings", latestActivityStart=day)
    assert {row["id"] for row in since} == {i for i, at in activity.items() if at[:10] >= day}
    until = await get_all(api, "/listings", latestActivityEnd=day)
    assert {row["id"] for row in until} == {i for i, at in activity.items() if at[:10] <= day}
    later = (date.fromisoformat(max(activity.values())[:10]) + timedelta(days=1)).isoformat()
    assert await get_all(api, "/listings", latestActivityStart=later) == []


async def test_calendar_matches_blocking_reservations(
    api: httpx.AsyncClient, shared: Sandbox
) -> None:
    start, end = TODAY - timedelta(days=40), TODAY + timedelta(days=120)
    blocked_seen = 0
    for listing in shared.store.listings:
        nights = reserved_nights(shared, listing["id"])
        days = await calendar(api, listing["id"], start, end)
        assert len(days) == (end - start).days + 1
        for day in days:
            if day["date"] in nights:
                assert (day["isAvailable"], day["status"]) == (0, "reserved"), day
            elif day["status"] == "blocked":
                assert day["isAvailable"] == 0
                assert day["note"]
                blocked_seen += 1
            else:
                assert (day["isAvailable"], day["status"]) == (1, "available"), day
            assert day == shared.store.calendar_day(listing["id"], day["date"])
    assert blocked_seen > 0


async def test_calendar_embeds_reservations_on_request(
    api: httpx.AsyncClient, shared: Sandbox
) -> None:
    listing_id = shared.store.listings[0]["id"]
    nights = reserved_nights(shared, listing_id)
    night = min(n for n in nights if n >= TODAY.isoformat())
    day = (
        await calendar(
            api,
            listing_id,
            date.fromisoformat(night),
            date.fromisoformat(night),
            includeResources=1,
        )
    )[0]
    assert [r["id"] for r in day["reservations"]] == [nights[night]]
    assert set(day["reservations"][0]) == set(
        example("calendar_calendarDayObject")["reservations"][0]
    )
    plain = (await calendar(api, listing_id, date.fromisoformat(night), date.fromisoformat(night)))[
        0
    ]
    assert plain["reservations"] == []


async def test_prices_are_seasonal_and_higher_on_weekends(
    api: httpx.AsyncClient, shared: Sandbox
) -> None:
    lisbon = next(listing for listing in shared.store.listings if listing["city"] == "Lisbon")
    year = TODAY.year
    july = await calendar(api, lisbon["id"], date(year, 7, 1), date(year, 7, 31))
    january = await calendar(api, lisbon["id"], date(year + 1, 1, 5), date(year + 1, 1, 31))
    assert mean(d["price"] for d in july) > 1.3 * mean(d["price"] for d in january)
    week = await calendar(api, lisbon["id"], date(year, 10, 6), date(year, 10, 12))  # Mon..Sun
    assert week[4]["price"] > week[1]["price"]  # Friday night > Tuesday night
    stays = {d["minimumStay"] for d in july + january}
    assert stays <= {1, 2, 3, 4}
    assert min(d["minimumStay"] for d in july) > min(d["minimumStay"] for d in january)


@pytest.mark.parametrize(
    ("start", "end"),
    [("2025-01-01", "2027-06-01"), ("2025-06-10", "2025-06-01")],
)
async def test_bad_calendar_ranges_get_400(api: httpx.AsyncClient, start: str, end: str) -> None:
    response = await api.get(
        "/listings/40160/calendar", params={"startDate": start, "endDate": end}
    )
    assert response.status_code == 400
    assert response.json()["status"] == "fail"


async def test_calendar_day_shape_matches_the_example(api: httpx.AsyncClient) -> None:
    day = (await calendar(api, 40160, TODAY, TODAY))[0]
    assert set(day) == set(example("calendar_calendarDayObject"))
    assert day["date"] == TODAY.isoformat()
    assert day["isAvailable"] in (0, 1)


async def test_price_details_add_up(api: httpx.AsyncClient, shared: Sandbox) -> None:
    listing = next(
        row for row in shared.store.listings if row["personCapacity"] > row["guestsIncluded"]
    )
    arrival, departure = TODAY + timedelta(days=30), TODAY + timedelta(days=34)
    guests = listing["guestsIncluded"] + 1
    response = await api.post(
        f"/listings/{listing['id']}/calendar/priceDetails",
        json={
            "startingDate": arrival.isoformat(),
            "endingDate": departure.isoformat(),
            "numberOfGuests": guests,
            "version": 2,
        },
    )
    result = response.json()["result"]
    assert set(result) == set(example("calendar_priceDetails")["result"])
    parts = {c["name"]: c for c in result["components"]}
    nightly = await calendar(api, listing["id"], arrival, departure - timedelta(days=1))
    assert parts["baseRate"]["total"] == pytest.approx(sum(d["price"] for d in nightly))
    assert parts["cleaningFee"]["total"] == listing["cleaningFee"]
    assert parts["priceForExtraPerson"]["total"] == pytest.approx(
        listing["priceForExtraPerson"] * 4
    )
    included = sum(c["total"] for c in result["components"] if c["isIncludedInTotalPrice"])
    assert result["totalPrice"] == pytest.approx(included)
    assert any(c["type"] == "tax" and c["total"] > 0 for c in result["components"])
    assert set(result["components"][0]) == set(
        example("calendar_priceDetails")["result"]["components"][0]
    )


@pytest.mark.parametrize(
    "body",
    [
        {"startingDate": "2025-07-01", "endingDate": "2025-07-05", "numberOfGuests": 2},
        {"startingDate": "2025-07-01", "endingDate": "2025-07-05", "version": 1},
        {"startingDate": "2025-07-05", "endingDate": "2025-07-01", "version": 2},
        {"endingDate": "2025-07-05", "version": 2},
    ],
)
async def test_price_details_validation(api: httpx.AsyncClient, body: dict[str, Any]) -> None:
    response = await api.post("/listings/40160/calendar/priceDetails", json=body)
    assert response.status_code == 400
    assert response.json()["status"] == "fail"
