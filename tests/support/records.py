"""Hostaway records built from the official example payloads (``tests/fixtures/``).

Objects keep the real field names and quirks (0/1 flags, string ids, zone-less datetimes, the
embedded ``Reservation`` with a capital R); only ids, dates, names and a few numbers vary.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).parent.parent / "fixtures"
TODAY = date(2026, 6, 10)
NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
ACCOUNT_ID = 10450  # what the conversation-level listingMapId holds in Hostaway's example
TOKEN = "tok-aaaaaaaaaaaaaaaa"


def example(name: str) -> Any:
    """A deep copy of an official Hostaway example payload."""
    return copy.deepcopy(json.loads((EXAMPLES / f"{name}.json").read_text()))


def envelope(result: Any, **extra: Any) -> dict[str, Any]:
    return {"status": "success", "result": result, **extra}


def token_body(token: str = TOKEN, expires_in: int = 63072000) -> dict[str, Any]:
    return {"token_type": "Bearer", "expires_in": expires_in, "access_token": token}


def stamp(moment: datetime) -> str:
    """Hostaway's zone-less UTC datetime."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def hours_ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


# ---- listings, reservations, calendar days ------------------------------------------------------


def listing(listing_id: int, **changes: Any) -> dict[str, Any]:
    raw = example("listing_listingObject")
    raw["id"] = listing_id
    raw.update(changes)
    return raw


def reservation(reservation_id: int, **changes: Any) -> dict[str, Any]:
    raw = example("reservation_reservationObject")
    raw.update({"id": reservation_id, "hostawayReservationId": reservation_id})
    raw.update(changes)
    arrival = date.fromisoformat(raw["arrivalDate"])
    departure = date.fromisoformat(raw["departureDate"])
    raw["nights"] = (departure - arrival).days
    return raw


def calendar_day(day: date, **changes: Any) -> dict[str, Any]:
    raw = example("calendar_calendarDayObject")
    raw.update(
        {
            "id": int(day.strftime("%Y%m%d")),
            "date": day.isoformat(),
            "isAvailable": 1,
            "status": "available",
            "price": 200,
            "minimumStay": 1,
            "reservations": [],
        }
    )
    raw.update(changes)
    return raw


# ---- conversations and messages -----------------------------------------------------------------


def message(
    message_id: int,
    conversation_id: int,
    *,
    incoming: bool,
    at: datetime,
    body: str | None = "hello",
    **changes: Any,
) -> dict[str, Any]:
    raw = example("conversation_conversationMessageObject")
    raw.update(
        {
            "id": message_id,
            "conversationId": conversation_id,
            "isIncoming": 1 if incoming else 0,
            "body": body,
            "date": stamp(at),
            "sentChannelDate": stamp(at + timedelta(seconds=30)),
            "insertedOn": stamp(at),
            "updatedOn": stamp(at),
            "attachments": [],
        }
    )
    raw.update(changes)
    return raw


def conversation(
    conversation_id: int,
    *,
    reservation_id: int | None,
    listing_id: int | None = 40161,
    guest: str = "Guest",
    arrival: date | None = TODAY,
    departure: date | None = None,
    status: str = "new",
    listing_name: str = "",
    last_incoming: bool | None = True,
    last_at: datetime | None = None,
    body: str | None = "Can we check in early?",
    unread: bool = False,
    embed_reservation: bool = True,
    **changes: Any,
) -> dict[str, Any]:
    """A conversation as GET /conversations?includeResources=1 returns it."""
    raw = example("conversation_conversationObject")
    last_at = last_at or hours_ago(1)
    arrival = arrival or TODAY
    departure = departure or arrival + timedelta(days=3)
    raw.update(
        {
            "id": conversation_id,
            "listingMapId": ACCOUNT_ID,  # unreliable: never a listing id
            "reservationId": reservation_id,
            "recipientName": guest,
            "hasUnreadMessages": 1 if unread else 0,
            "messageSentOn": None,
            "messageReceivedOn": None,
            "conversationMessages": [],
        }
    )
    if last_incoming is not None:
        raw["messageReceivedOn" if last_incoming else "messageSentOn"] = stamp(last_at)
        latest = example("conversation_conversationObject")["conversationMessages"][0]
        latest.update(
            {
                "id": conversation_id * 100,
                "conversationId": conversation_id,
                "reservationId": reservation_id,
                "body": body,
                "isIncoming": 1 if last_incoming else 0,
                "insertedOn": stamp(last_at),
                "updatedOn": stamp(last_at),
            }
        )
        raw["conversationMessages"] = [latest]
    if embed_reservation and reservation_id is not None:
        embedded = raw["Reservation"]
        embedded.update(
            {
                "id": str(reservation_id),  # ids inside the embedded reservation may be strings
                "hostawayReservationId": str(reservation_id),
                "listingMapId": str(listing_id) if listing_id is not None else None,
                "listingName": listing_name,
                "guestName": guest,
                "arrivalDate": arrival.isoformat(),
                "departureDate": departure.isoformat(),
                "nights": (departure - arrival).days,
                "status": status,
            }
        )
    else:
        raw["Reservation"] = None
    raw.update(changes)
    return raw


# ---- reviews, tasks, expenses -------------------------------------------------------------------


def review(review_id: int, **changes: Any) -> dict[str, Any]:
    raw = example("review_reviewObject")
    raw.update(
        {
            "id": review_id,
            "reservationId": 1000 + review_id,
            "status": "published",
            "rating": 10,
            "publicReview": f"Review {review_id}: lovely stay.",
            "listingMapId": 40161,
            "listingName": "Seaside Loft",
            "channelId": 2018,
        }
    )
    raw.update(changes)
    return raw


def task(task_id: int, starts: datetime, **changes: Any) -> dict[str, Any]:
    raw = example("task_object")
    raw.update(
        {
            "id": task_id,
            "title": f"Task {task_id}",
            "canStartFrom": stamp(starts),
            "canStartFromListingTime": stamp(starts),
            "shouldEndBy": stamp(starts + timedelta(hours=4)),
            "shouldEndByListingTime": stamp(starts + timedelta(hours=4)),
        }
    )
    raw.update(changes)
    return raw


def expense(expense_id: int, day: date, amount: float, **changes: Any) -> dict[str, Any]:
    raw = example("expense_object")
    raw.update(
        {
            "id": expense_id,
            "expenseDate": day.isoformat(),
            "amount": amount,
            "type": "extra" if amount > 0 else "expense",
            "concept": f"Expense {expense_id}",
        }
    )
    raw.update(changes)
    return raw


def user(user_id: int, first: str, last: str) -> dict[str, Any]:
    """A user as GET /users lists it (the official example's shape)."""
    raw = example("user_retrieveList")["result"][0]
    raw.update({"id": user_id, "firstName": first, "lastName": last})
    return raw
