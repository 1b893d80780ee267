"""Conversations, messages, reviews, tasks and expenses on top of the respx fake Hostaway.

Objects are built from the official example payloads and keep their quirks: the embedded
`Reservation` (capital R) with string ids, a conversation-level `listingMapId` equal to the account
id, 0/1 flags, zone-less datetimes, null bodies. The fake honours only the filters Hostaway
documents, and only in the form Hostaway accepts (`listingMapIds[]` for reviews).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from .fake_hostaway import TODAY, FakeHostaway, fake_hostaway
from .helpers import envelope, example

NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
ACCOUNT_ID = 10450  # what the conversation-level listingMapId holds in Hostaway's example


def stamp(moment: datetime) -> str:
    """Hostaway's zone-less UTC datetime."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def hours_ago(hours: float) -> datetime:
    return NOW - timedelta(hours=hours)


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


@dataclass
class FakeOps:
    base: FakeHostaway
    conversations: list[dict[str, Any]] = field(default_factory=list)
    messages: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # oldest first
    messages_newest_first: bool = False
    reviews: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    expenses: list[dict[str, Any]] = field(default_factory=list)
    users: list[dict[str, Any]] = field(default_factory=lambda: [user(77, "Ana", "Costa")])
    page_cap: int = 100
    honour_filters: bool = True  # False: behave as if Hostaway ignored the filters sent

    def calls(self, method: str, path: str) -> list[httpx.Request]:
        return self.base.calls(method, path)

    def params(self, path: str) -> list[httpx.QueryParams]:
        return [request.url.params for request in self.calls("GET", path)]


def user(user_id: int, first: str, last: str) -> dict[str, Any]:
    """A user as GET /users lists it (the official example's shape)."""
    raw = example("user_retrieveList")["result"][0]
    raw.update({"id": user_id, "firstName": first, "lastName": last})
    return dict(raw)


def _page(rows: list[dict[str, Any]], request: httpx.Request, cap: int) -> httpx.Response:
    params = request.url.params
    limit = min(int(params.get("limit", 100)), cap)
    offset = int(params.get("offset", 0))
    chunk = rows[offset : offset + limit]
    return httpx.Response(200, json=envelope(chunk, count=len(rows), limit=limit, offset=offset))


def _day(value: str | None) -> str | None:
    return value[:10] if value else None


@contextmanager
def fake_ops(**kwargs: Any) -> Iterator[FakeOps]:
    with fake_hostaway() as base:
        ops = FakeOps(base=base, **kwargs)
        router = base.router

        def with_resources(raw: dict[str, Any], request: httpx.Request) -> dict[str, Any]:
            if request.url.params.get("includeResources") == "1":
                return raw
            return {**raw, "Reservation": None, "conversationMessages": []}

        def conversations_route(request: httpx.Request) -> httpx.Response:
            rows = ops.conversations
            wanted = request.url.params.get("reservationId")
            if wanted and ops.honour_filters:
                rows = [r for r in rows if str(r["reservationId"]) == wanted]
            rows = [with_resources(r, request) for r in rows]
            return _page(rows, request, ops.page_cap)

        def conversation_route(request: httpx.Request, conversation_id: str) -> httpx.Response:
            for raw in ops.conversations:
                if raw["id"] == int(conversation_id):
                    return httpx.Response(200, json=envelope(with_resources(raw, request)))
            return httpx.Response(404, json={"status": "fail", "result": "Not found"})

        def messages_route(request: httpx.Request, conversation_id: str) -> httpx.Response:
            rows = list(ops.messages.get(int(conversation_id), []))
            if ops.messages_newest_first:
                rows.reverse()
            return _page(rows, request, ops.page_cap)

        def reviews_route(request: httpx.Request) -> httpx.Response:
            params = request.url.params
            rows = list(ops.reviews)
            if ops.honour_filters:
                if "type" in params:
                    rows = [r for r in rows if r["type"] == params["type"]]
                listing_ids = params.get_list("listingMapIds[]")  # plain listingMapIds: ignored
                if listing_ids:
                    rows = [r for r in rows if str(r["listingMapId"]) in listing_ids]
                low, high = params.get("departureDateStart"), params.get("departureDateEnd")
                rows = [
                    r
                    for r in rows
                    if (low is None or (_day(r["departureDate"]) or "") >= low)
                    and (high is None or (_day(r["departureDate"]) or "") <= high)
                ]
            if params.get("sortBy") == "departureDate":
                rows.sort(
                    key=lambda r: (r["departureDate"] or "", r["id"]),
                    reverse=params.get("sortOrder") == "desc",
                )
            return _page(rows, request, ops.page_cap)

        def tasks_route(request: httpx.Request) -> httpx.Response:
            params = request.url.params
            rows = list(ops.tasks)
            if ops.honour_filters:
                for name, key in (
                    ("listingMapId", "listingMapId"),
                    ("reservationId", "reservationId"),
                    ("status", "status"),
                ):
                    if name in params:
                        rows = [r for r in rows if str(r[key]) == params[name]]
                low, high = params.get("canStartFromStart"), params.get("canStartFromEnd")
                rows = [
                    r
                    for r in rows
                    if (low is None or (_day(r["canStartFrom"]) or "") >= low)
                    and (high is None or (_day(r["canStartFrom"]) or "") <= high)
                ]
            return _page(rows, request, ops.page_cap)

        def expenses_route(request: httpx.Request) -> httpx.Response:
            return _page(ops.expenses, request, min(ops.page_cap, 500))

        router.get("/conversations").mock(side_effect=conversations_route)
        router.get(path__regex=r"/conversations/(?P<conversation_id>\d+)$").mock(
            side_effect=conversation_route
        )
        router.get(path__regex=r"/conversations/(?P<conversation_id>\d+)/messages$").mock(
            side_effect=messages_route
        )
        router.get("/reviews").mock(side_effect=reviews_route)
        router.get("/tasks").mock(side_effect=tasks_route)
        router.get("/expenses").mock(side_effect=expenses_route)
        router.get("/users").mock(side_effect=lambda request: _page(ops.users, request, 100))
        yield ops
