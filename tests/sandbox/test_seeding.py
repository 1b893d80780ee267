"""Seeding an empty sandbox with given records, and the test knobs (credentials, page cap,
timeouts, clock, the request log) that the server tests rely on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from hostaway_sandbox import Sandbox

from .conftest import BASE_URL, example

pytestmark = pytest.mark.anyio
DAY = date(2026, 6, 10)
CREDENTIALS = {"client_id": "10450", "client_secret": "s3cr3t"}


def seeded() -> Sandbox:
    sandbox = Sandbox.empty(DAY)
    sandbox.client_id, sandbox.client_secret = (
        CREDENTIALS["client_id"],
        CREDENTIALS["client_secret"],
    )
    sandbox.token_warmup = 0.0
    listing = example("listing_listingObject")  # Bremerhaven: not one of the demo cities
    sandbox.add_listing(listing, calendar={"price": 200, "minimumStay": 2})
    booking = example("reservation_reservationObject")
    booking.update(id=7, arrivalDate="2026-06-12", departureDate="2026-06-14", status="new")
    sandbox.add_reservation(booking)
    sandbox.set_calendar(40160, DAY + timedelta(days=5), DAY + timedelta(days=6), isAvailable=0)
    # held by a booking the account cannot list: Hostaway's status, as it would send it
    sandbox.set_calendar(40160, DAY + timedelta(days=7), isAvailable=0, status="reserved")
    return sandbox


@asynccontextmanager
async def login(sandbox: Sandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=sandbox.transport(), base_url=BASE_URL) as client:
        form = {"grant_type": "client_credentials", "scope": "general", **CREDENTIALS}
        token = (await client.post("/accessTokens", data=form)).json()["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


async def result(client: httpx.AsyncClient, path: str, **params: Any) -> Any:
    response = await client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()["result"]


def test_an_empty_sandbox_has_no_data() -> None:
    sandbox = Sandbox.empty(DAY)
    assert sandbox.today == DAY
    assert sandbox.describe()["listings"] == sandbox.describe()["reservations"] == 0


async def test_seeded_records_are_served_as_given() -> None:
    sandbox = seeded()
    async with login(sandbox) as client:
        listings = await result(client, "/listings")
        booking = await result(client, "/reservations/7")
    assert [row["id"] for row in listings] == [40160]
    assert listings[0]["name"] == example("listing_listingObject")["name"]
    assert booking["confirmationCode"] == "HMP2KQ4B44"
    # The docs' example has no updatedOn: the seeding fills it from reservationDate.
    assert booking["updatedOn"] == booking["reservationDate"] == "2017-06-10 10:41:10"


async def test_seeded_calendar_defaults_bookings_and_blocks() -> None:
    sandbox = seeded()
    async with login(sandbox) as client:
        days = await result(
            client, "/listings/40160/calendar", startDate="2026-06-11", endDate="2026-06-17"
        )
    assert [(d["date"], d["status"], d["price"], d["minimumStay"]) for d in days] == [
        ("2026-06-11", "available", 200.0, 2),
        ("2026-06-12", "reserved", 200.0, 2),
        ("2026-06-13", "reserved", 200.0, 2),
        ("2026-06-14", "available", 200.0, 2),
        ("2026-06-15", "blocked", 200.0, 2),
        ("2026-06-16", "blocked", 200.0, 2),
        ("2026-06-17", "reserved", 200.0, 2),
    ]
    assert [d["isAvailable"] for d in days] == [1, 0, 0, 1, 0, 0, 0]


async def test_a_listing_outside_the_demo_cities_is_priced_without_tax() -> None:
    sandbox = seeded()
    body = {"startingDate": "2026-06-20", "endingDate": "2026-06-22", "version": 2}
    async with login(sandbox) as client:
        response = await client.post("/listings/40160/calendar/priceDetails", json=body)
    quote = response.json()["result"]
    parts = {c["name"]: c["total"] for c in quote["components"]}
    assert parts["baseRate"] == 400.0 and parts["vat"] == 0.0
    assert quote["totalPrice"] == 400.0 + example("listing_listingObject")["cleaningFee"]


async def test_seeded_conversation_and_thread() -> None:
    sandbox = seeded()
    conversation = example("conversation_conversationObject")
    first = example("conversation_conversationMessageObject")
    second = {**first, "id": first["id"] + 1, "date": "2018-07-16 11:00:00"}
    sandbox.add_conversation(conversation, [first, second])
    async with login(sandbox) as client:
        listed = await result(client, "/conversations")
        thread = await result(client, "/conversations/1406/messages")
    assert listed == [conversation]  # stamps and the embedded Reservation as given
    assert [m["id"] for m in thread] == [326, 327]


async def test_page_cap_serves_fewer_rows_than_asked() -> None:
    sandbox = seeded()
    for review_id in range(1, 6):
        sandbox.add_review({**example("review_reviewObject"), "id": review_id})
    sandbox.page_cap = 2
    async with login(sandbox) as client:
        response = await client.get("/reviews", params={"limit": 10, "offset": 2})
    envelope = response.json()
    assert [r["id"] for r in envelope["result"]] == [3, 4]
    assert (envelope["count"], envelope["limit"]) == (5, 10)


async def test_wrong_credentials_are_refused() -> None:
    sandbox = seeded()
    form = {"grant_type": "client_credentials", "client_id": "100001", "client_secret": "x"}
    async with httpx.AsyncClient(transport=sandbox.transport(), base_url=BASE_URL) as client:
        response = await client.post("/accessTokens", data=form)
    assert response.status_code == 403


async def test_a_timeout_fault_is_logged_and_never_answered() -> None:
    sandbox = seeded()
    sandbox.faults.inject("/tasks", "timeout", method="POST")
    async with login(sandbox) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.post("/tasks", json={"title": "Fix tap"})
        created = await client.post("/tasks", json={"title": "Fix tap"})
    assert created.status_code == 200
    [lost, sent] = sandbox.requests("POST", "/tasks")
    assert (lost.status, lost.json()) == (0, {"title": "Fix tap"})
    assert sent.status == 200
    assert [task["id"] for task in sandbox.store.tasks] == [1]  # the lost one did nothing


async def test_request_log_keeps_query_and_body() -> None:
    sandbox = seeded()
    async with login(sandbox) as client:
        await client.get("/reviews", params={"listingMapIds[]": ["1", "2"], "limit": 5})
    [record] = sandbox.requests("GET", "/reviews")
    assert record.query == {"listingMapIds[]": ["1", "2"], "limit": ["5"]}
    assert record.params == {"listingMapIds[]": "2", "limit": "5"}
    assert sandbox.requests("POST", "/accessTokens")[0].body.startswith(b"grant_type=")


async def test_the_clock_drives_rate_limits_and_the_log() -> None:
    sandbox = seeded()
    now = [50.0]
    sandbox.clock = lambda: now[0]
    sandbox.set_rate_limits(ip=2, account=100, window=10.0)
    async with login(sandbox) as client:  # the token request is 1 of 2
        assert (await client.get("/listings")).status_code == 200
        assert (await client.get("/listings")).status_code == 429
        now[0] += 10.0
        assert (await client.get("/listings")).status_code == 200
    assert [record.at for record in sandbox.request_log] == [50.0, 50.0, 50.0, 60.0]
