"""Every write endpoint updates the store (and the calendar where it should)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from hostaway_sandbox import Sandbox

from .conftest import TODAY

pytestmark = pytest.mark.anyio


def free_stretch(sandbox: Sandbox, listing_id: int, nights: int, after: date) -> date:
    """The first arrival date after ``after`` with ``nights`` free nights."""
    day = after
    while True:
        stretch = [day + timedelta(days=n) for n in range(nights)]
        if all(sandbox.store.calendar_day(listing_id, d)["isAvailable"] for d in stretch):
            return day
        day += timedelta(days=1)


def booking(listing_id: int, arrival: date, nights: int, **extra: Any) -> dict[str, Any]:
    return {
        "channelId": 2000,
        "listingMapId": listing_id,
        "arrivalDate": arrival.isoformat(),
        "departureDate": (arrival + timedelta(days=nights)).isoformat(),
        "guestFirstName": "Ada",
        "guestLastName": "Lovelace",
        "guestEmail": "ada@example.com",
        "numberOfGuests": 2,
        **extra,
    }


def statuses(sandbox: Sandbox, listing_id: int, start: date, nights: int) -> list[str]:
    return [
        sandbox.store.calendar_day(listing_id, start + timedelta(days=n))["status"]
        for n in range(nights)
    ]


async def test_create_reservation_blocks_calendar_and_opens_a_conversation(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    listing = sandbox.store.listings[1]
    arrival = free_stretch(sandbox, listing["id"], 3, TODAY + timedelta(days=40))
    before = len(sandbox.store.reservations)
    response = await client.post("/reservations", json=booking(listing["id"], arrival, 3))
    assert response.status_code == 200, response.text
    created = response.json()["result"]
    assert created["status"] == "new"
    assert created["nights"] == 3
    assert created["guestName"] == "Ada Lovelace"
    assert created["currency"] == listing["currencyCode"]
    assert created["totalPrice"] > 0
    assert created["listingName"] == listing["name"]
    assert len(sandbox.store.reservations) == before + 1
    assert sandbox.store.reservation(created["id"]) is sandbox.store.reservations[-1]
    assert statuses(sandbox, listing["id"], arrival, 3) == ["reserved"] * 3
    conversation = sandbox.store.conversation_for_reservation(created["id"])
    assert conversation is not None
    assert conversation["conversationMessages"] == []
    listed = (await client.get("/reservations", params={"limit": 1})).json()["result"][0]
    assert listed["id"] == created["id"]  # most recently updated first


async def test_create_reservation_price_matches_the_quote(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    listing = sandbox.store.listings[2]
    arrival = free_stretch(sandbox, listing["id"], 4, TODAY + timedelta(days=60))
    quote = await client.post(
        f"/listings/{listing['id']}/calendar/priceDetails",
        json={
            "startingDate": arrival.isoformat(),
            "endingDate": (arrival + timedelta(days=4)).isoformat(),
            "numberOfGuests": 2,
            "version": 2,
        },
    )
    created = await client.post("/reservations", json=booking(listing["id"], arrival, 4))
    assert created.json()["result"]["totalPrice"] == quote.json()["result"]["totalPrice"]


async def test_create_on_unavailable_dates_needs_force_overbooking(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    taken = next(
        r
        for r in sandbox.store.reservations
        if r["status"] == "new" and r["arrivalDate"] > TODAY.isoformat()
    )
    body = booking(taken["listingMapId"], date.fromisoformat(taken["arrivalDate"]), 2)
    refused = await client.post("/reservations", json=body)
    assert refused.status_code == 400
    assert "not available" in refused.json()["result"]
    forced = await client.post("/reservations", params={"forceOverbooking": 1}, json=body)
    assert forced.status_code == 200
    assert forced.json()["result"]["status"] == "new"


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"channelId": 2018}, "channelId"),
        ({"channelId": None}, "channelId"),
        ({"guestFirstName": None, "guestLastName": None}, "guestName"),
        ({"arrivalDate": "2025-13-01"}, "arrivalDate"),
        ({"listingMapId": None}, "listingMapId"),
        ({"numberOfGuests": 99}, "capacity"),
    ],
)
async def test_create_reservation_validation(
    api: httpx.AsyncClient, change: dict[str, Any], fragment: str
) -> None:
    body = booking(40161, TODAY + timedelta(days=300), 2, **change)
    body = {key: value for key, value in body.items() if value is not None}
    response = await api.post("/reservations", json=body)
    assert response.status_code == 400
    assert fragment in response.json()["result"]


async def test_create_for_unknown_listing_is_404(api: httpx.AsyncClient) -> None:
    response = await api.post("/reservations", json=booking(1, TODAY + timedelta(days=9), 2))
    assert response.status_code == 404


async def test_update_reservation_moves_dates_and_rechecks_availability(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    listing_id = sandbox.store.listings[4]["id"]
    arrival = free_stretch(sandbox, listing_id, 5, TODAY + timedelta(days=50))
    created = (await client.post("/reservations", json=booking(listing_id, arrival, 3))).json()
    reservation_id = created["result"]["id"]
    # Shifting by a day overlaps its own nights: allowed.
    moved = await client.put(
        f"/reservations/{reservation_id}",
        json={
            "arrivalDate": (arrival + timedelta(days=1)).isoformat(),
            "departureDate": (arrival + timedelta(days=4)).isoformat(),
            "hostNote": "Moved by a day",
        },
    )
    assert moved.status_code == 200, moved.text
    result = moved.json()["result"]
    assert (result["status"], result["hostNote"]) == ("modified", "Moved by a day")
    assert result["previousArrivalDate"] == arrival.isoformat()
    assert statuses(sandbox, listing_id, arrival, 5) == ["available"] + ["reserved"] * 3 + [
        "available"
    ]
    other = next(
        r
        for r in sandbox.store.reservations
        if r["listingMapId"] == listing_id and r["status"] == "new" and r["id"] != reservation_id
    )
    clash = await client.put(
        f"/reservations/{reservation_id}",
        json={"arrivalDate": other["arrivalDate"], "departureDate": other["departureDate"]},
    )
    assert clash.status_code == 400
    assert sandbox.store.reservation(reservation_id)["arrivalDate"] == result["arrivalDate"]


async def test_listing_of_a_reservation_cannot_change(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    reservation = sandbox.store.reservations[0]
    response = await client.put(
        f"/reservations/{reservation['id']}", json={"listingMapId": reservation["listingMapId"] + 1}
    )
    assert response.status_code == 400
    assert "listingMapId" in response.json()["result"]


async def test_update_keeps_the_conversation_copy_in_sync(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    conversation = sandbox.store.conversations[5]
    reservation_id = conversation["reservationId"]
    await client.put(f"/reservations/{reservation_id}", json={"guestNote": "Late arrival"})
    fetched = (await client.get(f"/conversations/{conversation['id']}")).json()["result"]
    assert fetched["Reservation"]["guestNote"] == "Late arrival"


async def test_cancel_frees_the_calendar(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    reservation = next(
        r
        for r in sandbox.store.reservations
        if r["status"] == "new" and r["arrivalDate"] > (TODAY + timedelta(days=10)).isoformat()
    )
    arrival = date.fromisoformat(reservation["arrivalDate"])
    assert set(statuses(sandbox, reservation["listingMapId"], arrival, reservation["nights"])) == {
        "reserved"
    }
    path = f"/reservations/{reservation['id']}/statuses/cancelled"
    response = await client.put(path, json={"cancelledBy": "guest"})
    assert response.status_code == 200
    result = response.json()["result"]
    assert (result["status"], result["cancelledBy"]) == ("cancelled", "guest")
    assert result["cancellationDate"]
    assert reservation["status"] == "cancelled"
    assert "reserved" not in statuses(
        sandbox, reservation["listingMapId"], arrival, reservation["nights"]
    )
    again = await client.put(path, json={"cancelledBy": "guest"})
    assert again.status_code == 200
    bad = await client.put(path, json={"cancelledBy": "nobody"})
    assert bad.status_code == 400


async def test_calendar_update_blocks_and_reprices(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    listing_id = sandbox.store.listings[6]["id"]
    start = free_stretch(sandbox, listing_id, 5, TODAY + timedelta(days=70))
    end = start + timedelta(days=1)
    response = await client.put(
        f"/listings/{listing_id}/calendar",
        json={
            "startDate": start.isoformat(),
            "endDate": end.isoformat(),
            "isAvailable": 0,
            "note": "Plumber visit",
            "minimumStay": 2,
        },
    )
    days = response.json()["result"]
    assert [d["date"] for d in days] == [start.isoformat(), end.isoformat()]
    assert all(d["status"] == "blocked" and d["note"] == "Plumber visit" for d in days)
    assert sandbox.store.calendar_day(listing_id, end)["isAvailable"] == 0
    priced = start + timedelta(days=3)
    await client.put(
        f"/listings/{listing_id}/calendar",
        json={"startDate": priced.isoformat(), "endDate": priced.isoformat(), "price": 999},
    )
    assert sandbox.store.calendar_day(listing_id, priced)["price"] == 999
    quote = await client.post(
        f"/listings/{listing_id}/calendar/priceDetails",
        json={
            "startingDate": priced.isoformat(),
            "endingDate": (priced + timedelta(days=1)).isoformat(),
            "numberOfGuests": 1,
            "version": 2,
        },
    )
    base = next(c for c in quote.json()["result"]["components"] if c["name"] == "baseRate")
    assert base["total"] == 999
    refused = await client.post("/reservations", json=booking(listing_id, start, 2))
    assert refused.status_code == 400


async def test_calendar_update_validation(api: httpx.AsyncClient) -> None:
    missing = await api.put("/listings/40160/calendar", json={"startDate": "2025-07-01"})
    negative = await api.put(
        "/listings/40160/calendar",
        json={"startDate": "2025-07-01", "endDate": "2025-07-01", "price": -5},
    )
    assert missing.status_code == negative.status_code == 400


async def test_send_message_updates_the_conversation(
    client: httpx.AsyncClient, sandbox: Sandbox
) -> None:
    conversation = next(c for c in sandbox.store.conversations if c["hasUnreadMessages"] == 1)
    path = f"/conversations/{conversation['id']}/messages"
    response = await client.post(
        path, json={"body": "Hi! Early check-in is fine.", "communicationType": "channel"}
    )
    assert response.status_code == 200
    message = response.json()["result"]
    assert (message["isIncoming"], message["status"]) == (0, "sent")
    assert message["communicationType"] == "channel"
    assert conversation["hasUnreadMessages"] == 0
    assert conversation["conversationMessages"][0]["id"] == message["id"]
    assert conversation["messageSentOn"] == message["date"]
    thread = (await client.get(path, params={"limit": 100})).json()["result"]
    assert thread[-1]["id"] == message["id"]
    assert sandbox.store.messages[conversation["id"]][-1]["id"] == message["id"]


@pytest.mark.parametrize(
    "body",
    [
        {"body": ""},
        {"body": "   "},
        {"communicationType": "email"},
        {"body": "x", "communicationType": "fax"},
    ],
)
async def test_send_message_validation(
    api: httpx.AsyncClient, shared: Sandbox, body: dict[str, Any]
) -> None:
    conversation_id = shared.store.conversations[0]["id"]
    response = await api.post(f"/conversations/{conversation_id}/messages", json=body)
    assert response.status_code == 400
    assert response.json()["status"] == "fail"


async def test_create_task(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    response = await client.post(
        "/tasks",
        json={
            "title": "Fix the balcony door",
            "listingMapId": 40165,
            "canStartFrom": "2025-06-20 09:00:00",
            "shouldEndBy": "2025-06-21",
            "categoriesMap": [2],
        },
    )
    task = response.json()["result"]
    assert task["status"] == "pending"
    assert task["categoriesMap"] == [2]
    assert task["shouldEndBy"] == "2025-06-21 00:00:00"
    assert sandbox.store.tasks[-1] is not None
    assert sandbox.store.tasks[-1]["id"] == task["id"]
    fetched = (await client.get(f"/tasks/{task['id']}")).json()["result"]
    assert fetched == task
    missing = await client.post("/tasks", json={"listingMapId": 40165})
    assert missing.status_code == 400
    assert "title" in missing.json()["result"]


async def test_create_expense_sign_sets_type(client: httpx.AsyncClient, sandbox: Sandbox) -> None:
    reservation = sandbox.store.reservations[0]
    spent = await client.post(
        "/expenses",
        json={
            "listingMapId": reservation["listingMapId"],
            "expenseDate": "2025-06-01",
            "concept": "New kettle",
            "amount": -35.5,
            "categoriesNames": ["Supplies", "Kitchen"],
        },
    )
    extra = await client.post(
        "/expenses",
        json={
            "listingMapId": reservation["listingMapId"],
            "reservationId": reservation["id"],
            "expenseDate": "2025-06-02",
            "concept": "Late check-out",
            "amount": 30,
        },
    )
    spent_row, extra_row = spent.json()["result"], extra.json()["result"]
    assert (spent_row["type"], extra_row["type"]) == ("expense", "extra")
    assert spent_row["categoriesNames"] == ["Supplies", "Kitchen"]
    assert "Kitchen" in sandbox.store.expense_categories.values()
    assert extra_row["guestName"] == reservation["guestName"]
    assert sandbox.store.expenses[-1]["id"] == extra_row["id"]
    bad = await client.post("/expenses", json={"expenseDate": "2025-06-02", "concept": "x"})
    assert bad.status_code == 400
