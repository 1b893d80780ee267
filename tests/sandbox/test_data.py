"""The generated demo account: determinism, realistic mix, consistency and official shapes."""

from __future__ import annotations

import re
import time
from collections import Counter
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pytest

from hostaway_sandbox import Sandbox
from hostaway_sandbox.data import generate
from hostaway_sandbox.store import Store

from .conftest import SEED, TODAY, example

DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
BLOCKING = {"new", "modified", "ownerStay"}


def snapshot(store: Store) -> dict[str, Any]:
    return {
        "listings": store.listings,
        "reservations": store.reservations,
        "conversations": store.conversations,
        "messages": store.messages,
        "reviews": store.reviews,
        "tasks": store.tasks,
        "expenses": store.expenses,
        "owner_statements": store.owner_statements,
        "calendar": [
            store.calendar_day(listing["id"], TODAY + timedelta(days=n))
            for listing in store.listings
            for n in range(-5, 60, 7)
        ],
    }


def test_same_seed_and_today_give_the_same_data(shared: Sandbox) -> None:
    regenerated = Store(generate(SEED, TODAY, use_cache=False))
    assert snapshot(regenerated) == snapshot(shared.store)


def test_sandboxes_get_private_copies_of_cached_data(shared: Sandbox) -> None:
    other = Sandbox(seed=SEED, today=TODAY)
    assert other.store.reservations == shared.store.reservations
    other.store.reservations[0]["guestNote"] = "changed"
    assert shared.store.reservations[0]["guestNote"] != "changed"


@pytest.mark.slow
def test_a_different_seed_gives_different_data(shared: Sandbox) -> None:
    started = time.process_time()  # CPU time: other processes on the machine do not count
    other = Store(generate(SEED + 1, TODAY, use_cache=False))
    assert time.process_time() - started < 2.0  # generous sanity bound: it takes ~0.3 s
    assert [r["guestName"] for r in other.reservations[:50]] != [
        r["guestName"] for r in shared.store.reservations[:50]
    ]
    assert [listing["name"] for listing in other.listings] != [
        listing["name"] for listing in shared.store.listings
    ]


def test_data_moves_with_today() -> None:
    later = TODAY + timedelta(days=100)
    sandbox = Sandbox(seed=SEED, today=later)
    arrivals = [date.fromisoformat(r["arrivalDate"]) for r in sandbox.store.reservations]
    assert min(arrivals) >= later - timedelta(days=366)
    assert max(arrivals) <= later + timedelta(days=183)
    assert all(r["reservationDate"] < f"{later} 08:00:01" for r in sandbox.store.reservations)


def test_listings_mix(shared: Sandbox) -> None:
    listings = shared.store.listings
    assert len(listings) >= 20
    assert listings[0]["id"] == 40160
    assert len({listing["city"] for listing in listings}) >= 4
    assert len({listing["currencyCode"] for listing in listings}) >= 2
    for field in ("bedroomsNumber", "personCapacity", "price", "minNights", "cancellationPolicy"):
        assert len({listing[field] for listing in listings}) >= 3, field
    for listing in listings:
        for secret in (
            "wifiUsername",
            "wifiPassword",
            "doorSecurityCode",
            "keyPickup",
            "specialInstruction",
        ):
            assert listing[secret], (listing["id"], secret)
        assert len(listing["description"]) > 300
        assert "\n" in listing["houseRules"]
        assert 0 <= (listing["averageReviewRating"] or 0) <= 10
        assert listing["listingAmenities"]
        assert listing["listingImages"]


def test_reservation_mix(shared: Sandbox) -> None:
    reservations = shared.store.reservations
    statuses = Counter(r["status"] for r in reservations)
    for status in (
        "new",
        "modified",
        "cancelled",
        "ownerStay",
        "inquiry",
        "inquiryPreapproved",
        "declined",
        "expired",
    ):
        assert statuses[status] > 0, status
    assert statuses["new"] > 0.75 * len(reservations)
    channels = {(r["channelId"], r["channelName"]) for r in reservations}
    assert channels == {
        (2018, "airbnbOfficial"),
        (2005, "bookingcom"),
        (2002, "homeaway"),
        (2000, "direct"),
    }
    arrivals = sorted(r["arrivalDate"] for r in reservations)
    assert arrivals[0] <= (TODAY - timedelta(days=330)).isoformat()
    assert arrivals[-1] >= (TODAY + timedelta(days=150)).isoformat()
    emails = Counter(r["guestEmail"] for r in reservations if r["status"] != "ownerStay")
    assert sum(1 for count in emails.values() if count > 1) >= 10  # returning guests
    assert {r["isPaid"] for r in reservations} == {0, 1, None}
    assert sum(1 for r in reservations if r["doorCode"]) > 50


def test_reservations_are_internally_consistent(shared: Sandbox) -> None:
    listings = {listing["id"]: listing for listing in shared.store.listings}
    snapshot_time = f"{TODAY} 08:00:00"
    for r in shared.store.reservations:
        arrival, departure = (
            date.fromisoformat(r["arrivalDate"]),
            date.fromisoformat(r["departureDate"]),
        )
        assert r["nights"] == (departure - arrival).days > 0
        assert r["reservationDate"][:10] <= r["arrivalDate"]
        assert r["reservationDate"] <= r["updatedOn"] <= snapshot_time
        assert r["currency"] == listings[r["listingMapId"]]["currencyCode"]
        assert r["listingName"] == listings[r["listingMapId"]]["name"]
        assert r["hostawayReservationId"] == r["id"]
        if r["status"] != "ownerStay":
            parts = sum(field["total"] for field in r["financeField"])
            assert r["totalPrice"] == pytest.approx(parts)
            assert r["guestEmail"]
            assert r["guestName"] == f"{r['guestFirstName']} {r['guestLastName']}"
        if r["status"] == "cancelled":
            assert r["cancellationDate"]
            assert r["cancelledBy"] in ("guest", "host")


def test_blocking_reservations_never_overlap(shared: Sandbox) -> None:
    by_listing: dict[int, list[tuple[str, str]]] = {}
    for r in shared.store.reservations:
        if r["status"] in BLOCKING:
            by_listing.setdefault(r["listingMapId"], []).append(
                (r["arrivalDate"], r["departureDate"])
            )
    for stays in by_listing.values():
        stays.sort()
        for (_, departure), (arrival, _) in pairwise(stays):
            assert departure <= arrival


def test_arrivals_departures_and_turnovers_near_today(shared: Sandbox) -> None:
    live = [r for r in shared.store.reservations if r["status"] in ("new", "modified")]
    window = {(TODAY + timedelta(days=n)).isoformat() for n in range(-3, 4)}
    assert sum(1 for r in live if r["arrivalDate"] in window) >= 5
    assert sum(1 for r in live if r["departureDate"] in window) >= 5
    departures = {(r["listingMapId"], r["departureDate"]) for r in live}
    turnovers = [
        r
        for r in live
        if (r["listingMapId"], r["arrivalDate"]) in departures and r["arrivalDate"] in window
    ]
    assert len(turnovers) >= 3
    assert any(r["arrivalDate"] == TODAY.isoformat() for r in live)
    in_house = [r for r in live if r["arrivalDate"] < TODAY.isoformat() < r["departureDate"]]
    assert in_house


def test_conversations_mix(shared: Sandbox) -> None:
    store = shared.store
    guests = [r for r in store.reservations if r["status"] != "ownerStay"]
    assert len(store.conversations) >= 0.85 * len(guests)
    unread = [c for c in store.conversations if c["hasUnreadMessages"] == 1]
    assert 0.08 <= len(unread) / len(store.conversations) <= 0.25
    soon = {(TODAY + timedelta(days=n)).isoformat() for n in range(0, 8)}
    assert any(c["Reservation"]["arrivalDate"] in soon for c in unread)
    string_ids = 0
    for conversation in store.conversations:
        thread = [m for m in store.messages[conversation["id"]] if m["status"] == "sent"]
        assert 1 <= len(thread) <= 8
        assert thread == sorted(thread, key=lambda m: (m["date"], m["id"]))
        latest = thread[-1]
        assert conversation["conversationMessages"] == [latest]
        assert conversation["hasUnreadMessages"] == latest["isIncoming"]
        assert conversation["listingMapId"] == 100001  # the account id, as in Hostaway
        embedded = conversation["Reservation"]
        reservation = store.reservation(conversation["reservationId"])
        if isinstance(embedded["hostawayReservationId"], str):
            string_ids += 1
            assert embedded["hostawayReservationId"] == str(reservation["id"])
            assert embedded["listingMapId"] == str(reservation["listingMapId"])
        else:
            assert embedded["listingMapId"] == reservation["listingMapId"]
    assert 0.25 <= string_ids / len(store.conversations) <= 0.4
    scheduled = [m for thread in store.messages.values() for m in thread if m["status"] != "sent"]
    assert scheduled
    assert all(m["date"] > f"{TODAY} 08:00:00" for m in scheduled)


def test_reviews_mix(shared: Sandbox) -> None:
    reviews = shared.store.reviews
    guest = [r for r in reviews if r["type"] == "guest-to-host" and r["rating"] is not None]
    ratings = Counter(r["rating"] for r in guest)
    assert all(0 <= rating <= 10 for rating in ratings)
    assert ratings[10] > len(guest) / 3
    assert min(ratings) <= 4
    assert any(r["type"] == "host-to-guest" for r in reviews)
    assert any(r["status"] == "awaiting" for r in reviews)
    for review in reviews:
        assert DATETIME.match(review["arrivalDate"])
        assert DATETIME.match(review["departureDate"])
        assert review["departureDate"][:10] <= TODAY.isoformat()


def test_tasks_and_expenses_mix(shared: Sandbox) -> None:
    tasks = shared.store.tasks
    cleaning = [t for t in tasks if t["categoriesMap"] == [1]]
    assert any(t["status"] == "completed" and t["canStartFrom"] < str(TODAY) for t in cleaning)
    assert any(t["status"] == "pending" and t["canStartFrom"] > str(TODAY) for t in cleaning)
    assert any(t["categoriesMap"] == [2] for t in tasks)
    expenses = shared.store.expenses
    assert len(expenses) > 500
    assert all((e["amount"] < 0) == (e["type"] == "expense") for e in expenses)
    assert {e["type"] for e in expenses} == {"expense", "extra"}
    assert all(
        e["categories"] and len(e["categories"]) == len(e["categoriesNames"]) for e in expenses
    )


def test_owner_statements_match_reservations(shared: Sandbox) -> None:
    statements = shared.store.owner_statements
    assert len(statements) >= 3
    for statement in statements:
        filters = statement["filterParametersJson"]
        expected = sorted(
            r["id"]
            for r in shared.store.reservations
            if r["listingMapId"] in filters["listingMapIds"]
            and filters["fromDate"] <= r["arrivalDate"] <= filters["toDate"]
            and r["status"] in filters["statuses"]
        )
        finance = statement["financeDataJson"]
        assert sorted(int(row[0]) for row in finance["rows"]) == expected
        names = [column["name"] for column in finance["columns"]]
        payout = sum(row[names.index("ownerPayout")] for row in finance["rows"])
        summary = {item["formulaName"]: item["totalValue"] for item in statement["summaryDataJson"]}
        assert summary["ownerPayout"] == pytest.approx(payout)
        grand = statement["grandTotalJson"]
        assert grand["grandTotalAmount"] == pytest.approx(payout + grand["expensesTotal"])
        assert len(finance["totals"]) == len(finance["columns"])
        assert finance["currency"]


@pytest.mark.parametrize(
    ("name", "rows", "exact"),
    [
        ("listing_listingObject", "listings", True),
        ("reservation_reservationObject", "reservations", False),
        ("conversation_conversationObject", "conversations", True),
        ("review_reviewObject", "reviews", True),
        ("task_object", "tasks", True),
        ("expense_object", "expenses", True),
        ("ownerStatement_retrieve", "owner_statements", True),
    ],
)
def test_objects_have_the_documented_keys(
    shared: Sandbox, name: str, rows: str, exact: bool
) -> None:
    documented = example(name)
    documented = documented.get("result", documented)
    for row in getattr(shared.store, rows)[:50]:
        if exact:
            assert set(row) == set(documented)
        else:
            assert set(row) >= set(documented)


def test_embedded_objects_have_the_documented_keys(shared: Sandbox) -> None:
    documented = example("conversation_conversationObject")
    message_doc = example("conversation_conversationMessageObject")
    conversation = shared.store.conversations[0]
    assert set(conversation["Reservation"]) == set(documented["Reservation"])
    assert set(conversation["conversationMessages"][0]) >= set(
        documented["conversationMessages"][0]
    )
    assert set(shared.store.messages[conversation["id"]][0]) >= set(message_doc)


def test_values_use_hostaway_conventions(shared: Sandbox) -> None:
    for r in shared.store.reservations[:300]:
        for field in ("reservationDate", "insertedOn", "updatedOn", "latestActivityOn"):
            assert DATETIME.match(r[field]), (field, r[field])
        assert DATE.match(r["arrivalDate"])
        assert DATE.match(r["departureDate"])
        for flag in ("isProcessed", "isInstantBooked", "isStarred", "isArchived", "isPinned"):
            assert r[flag] in (0, 1)
    for listing in shared.store.listings:
        assert listing["instantBookable"] in (0, 1)
        assert 0 <= listing["checkInTimeStart"] <= 23
        assert 0 <= listing["checkOutTime"] <= 23


def test_a_bigger_portfolio_spreads_over_the_same_cities() -> None:
    from datetime import date

    from hostaway_sandbox import Sandbox

    sandbox = Sandbox(seed=7, today=date(2025, 6, 15), listings=50)
    listings = sandbox.store.listings
    assert len(listings) == 50
    assert len({raw["id"] for raw in listings}) == 50
    assert {raw["city"] for raw in listings} == {"Lisbon", "Porto", "Austin", "Miami", "London"}
    blocking = [
        r for r in sandbox.store.reservations if r["status"] in {"new", "modified", "ownerStay"}
    ]
    assert {r["listingMapId"] for r in blocking} == {raw["id"] for raw in listings}
