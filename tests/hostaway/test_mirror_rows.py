"""A stored row reads back as exactly the entity the live path builds from the same Hostaway
object (less its access codes), for every object of a sandbox account; the sort and filter values
are Hostaway's own."""

from __future__ import annotations

from datetime import date
from typing import Any

from hostaway_mcp.hostaway import (
    AccessInfo,
    CalendarDay,
    Conversation,
    Expense,
    Listing,
    Reservation,
    Review,
    Stay,
    Task,
)
from hostaway_mcp.hostaway.mirror.rows import (
    ACCESS_KEYS,
    ConversationRow,
    ExpenseRow,
    ListingRow,
    ReservationRow,
    ReviewRow,
    TaskRow,
    calendar_day,
    calendar_rows,
    conversation_activity,
    stay_from,
    without_access,
)
from tests.support.mirror import small_sandbox

SANDBOX = small_sandbox(3)


def test_listings_and_reservations_round_trip_without_access_codes() -> None:
    for raw in SANDBOX.store.listings:
        live = Listing.from_api(raw)
        assert live.access.wifi_password  # the sandbox has codes to leave out
        stored = Listing.model_validate_json(ListingRow.of(raw).body)
        assert stored == live.model_copy(update={"access": AccessInfo()})
    for raw in SANDBOX.store.reservations:
        row = ReservationRow.of(raw)
        live = Reservation.from_api(raw)
        assert Reservation.model_validate_json(row.body) == live.model_copy(
            update={"access": AccessInfo()}
        )
        assert stay_from((row.id, row.listing_id, *row.stay)) == Stay.of(live)
        assert (row.updated_on, row.arrival, row.departure) == (
            raw["updatedOn"],
            raw["arrivalDate"],
            raw["departureDate"],
        )


def test_conversations_round_trip_and_sort_by_latest_activity() -> None:
    for raw in SANDBOX.store.conversations:
        row = ConversationRow.of(raw)
        live = Conversation.from_api(raw)
        expected = live
        if live.reservation is not None:
            expected = live.model_copy(
                update={"reservation": live.reservation.model_copy(update={"access": AccessInfo()})}
            )
        assert Conversation.model_validate_json(row.body) == expected
        assert row.waiting is (live.last_message_incoming is True)
        assert row.activity == max(
            s
            for s in (
                raw["messageSentOn"],
                raw["messageReceivedOn"],
                raw["Reservation"]["reservationDate"],
            )
            if s
        )


def test_reviews_tasks_and_expenses_round_trip() -> None:
    cases: list[tuple[list[dict[str, Any]], Any, Any]] = [
        (SANDBOX.store.reviews, ReviewRow, Review),
        (SANDBOX.store.tasks, TaskRow, Task),
        (SANDBOX.store.expenses, ExpenseRow, Expense),
    ]
    for raws, row_type, entity in cases:
        for raw in raws:
            assert entity.model_validate_json(row_type.of(raw).body) == entity.from_api(raw)


def test_calendar_days_round_trip() -> None:
    listing_id = SANDBOX.store.listings[0]["id"]
    first, last = date(2026, 1, 1), date(2026, 3, 31)
    raw = [SANDBOX.store.calendar_day(listing_id, d) for d in _days(first, last)]
    raw += [{"date": "2025-12-31", "isAvailable": 1}, {"date": "nonsense"}, "not a day"]
    rows = calendar_rows(listing_id, raw, first, last, 123.0)
    assert [row[1] for row in rows] == [d.isoformat() for d in _days(first, last)]
    for row, day in zip(rows, raw, strict=False):
        assert calendar_day(row[1:10]) == CalendarDay.from_api(day)


def test_access_keys_are_dropped_everywhere() -> None:
    raw = {
        "id": 1,
        "doorCode": "1234#",
        "wifiPassword": "x",
        "Reservation": {"id": 2, "doorCode": "9", "guestName": "Ann"},
        "guestName": "Ann",
    }
    clean = without_access(raw)
    assert set(clean) == {"id", "Reservation", "guestName"}
    assert clean["Reservation"] == {"id": 2, "guestName": "Ann"}
    assert raw["doorCode"] == "1234#"  # the caller's object is untouched
    assert {"doorSecurityCode", "keyPickup", "specialInstruction"} <= ACCESS_KEYS
    assert conversation_activity({"messageSentOn": None, "messageReceivedOn": None}) == ""


def _days(first: date, last: date) -> list[date]:
    from datetime import timedelta

    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
