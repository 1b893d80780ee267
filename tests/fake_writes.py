"""The write side of the fake Hostaway: conversations, and the PUT/POST endpoints the write tools
use, on top of `fake_hostaway` (same router, same state). Built from the official examples; writes
change the state so a later read sees them. `time_out_next` makes the next request(s) to a path
raise httpx.ReadTimeout after being sent, as a slow Hostaway would; `fail_next` works here too."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx

from .fake_hostaway import TODAY, FakeHostaway, fake_hostaway, reservation
from .helpers import envelope, example

NOT_WRITES = {("POST", "/v1/accessTokens"), ("DELETE", "/v1/accessTokens")}


def conversation(conversation_id: int, **changes: Any) -> dict[str, Any]:
    raw = example("conversation_conversationObject")
    raw["id"] = conversation_id
    embedded = changes.pop("Reservation", {})
    raw["Reservation"].update(embedded)
    raw.update(changes)
    return raw


def default_conversations() -> list[dict[str, Any]]:
    return [
        conversation(  # Ana Smith's Airbnb stay at Seaside Loft (reservation 101)
            1406,
            reservationId=101,
            recipientName="Ana Smith",
            recipientEmail="ana@example.com",
            Reservation={
                "id": 101,
                "hostawayReservationId": "101",
                "listingMapId": 40161,
                "listingName": "Seaside Loft",
                "channelId": 2018,
                "channelName": "airbnbOfficial",
                "guestName": "Ana Smith",
                "guestEmail": "ana@example.com",
                "phone": "+351912345678",
                "arrivalDate": TODAY.isoformat(),
                "departureDate": (TODAY + timedelta(days=3)).isoformat(),
            },
        ),
        conversation(1407),  # the docs' example as is: a direct booking, no phone
    ]


@dataclass
class FakeWrites:
    base: FakeHostaway
    conversations: list[dict[str, Any]] = field(default_factory=default_conversations)
    timeouts: Counter[tuple[str, str]] = field(default_factory=Counter)
    next_id: int = 5000

    def time_out_next(self, method: str, path: str, times: int = 1) -> None:
        self.timeouts[(method, f"/v1{path}")] += times

    def writes(self) -> list[httpx.Request]:
        """Every request that could change something upstream (anything but GET and the token)."""
        return [
            call.request
            for call in self.base.router.calls
            if call.request.method != "GET"
            and (call.request.method, call.request.url.path) not in NOT_WRITES
        ]

    def requests(self) -> list[httpx.Request]:
        return [call.request for call in self.base.router.calls]

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def find_reservation(self, reservation_id: int) -> dict[str, Any] | None:
        return next((r for r in self.base.reservations if r["id"] == reservation_id), None)


def _json(request: httpx.Request) -> dict[str, Any]:
    body = json.loads(request.content or b"{}")
    assert isinstance(body, dict)
    return body


def _not_found(what: str) -> httpx.Response:
    return httpx.Response(404, json={"status": "fail", "result": f"{what} not found"})


@contextmanager
def fake_writes(**kwargs: Any) -> Iterator[FakeWrites]:
    with fake_hostaway(**kwargs) as base:
        fake = FakeWrites(base=base)
        router = base.router

        def served(handler: Any) -> Any:
            def serve(request: httpx.Request, **path_args: str) -> httpx.Response:
                key = (request.method, request.url.path)
                if fake.timeouts[key] > 0:
                    fake.timeouts[key] -= 1
                    raise httpx.ReadTimeout("no answer", request=request)
                canned = base.overrides.get(key)  # FakeHostaway.fail_next
                if canned:
                    return canned.pop(0)
                result: httpx.Response = handler(request, **path_args)
                return result

            return serve

        def get_conversation(request: httpx.Request, conversation_id: str) -> httpx.Response:
            for raw in fake.conversations:
                if raw["id"] == int(conversation_id):
                    return httpx.Response(200, json=envelope(raw))
            return _not_found("Conversation")

        def post_message(request: httpx.Request, conversation_id: str) -> httpx.Response:
            body = _json(request)
            message = example("conversation_conversationMessageObject")
            message.update(
                {
                    "id": fake.new_id(),
                    "conversationId": int(conversation_id),
                    "body": body["body"],
                    "communicationType": body.get("communicationType", "email"),
                    "status": "sent",
                }
            )
            return httpx.Response(200, json=envelope(message))

        def put_calendar(request: httpx.Request, listing_id: str) -> httpx.Response:
            body = _json(request)
            first = date.fromisoformat(body["startDate"])
            last = date.fromisoformat(body["endDate"])
            fields = {k: body[k] for k in ("price", "minimumStay", "note") if k in body}
            if "isAvailable" in body:
                fields["isAvailable"] = body["isAvailable"]
                fields["status"] = "available" if body["isAvailable"] else "blocked"
            days = []
            for offset in range((last - first).days + 1):
                day = first + timedelta(days=offset)
                base.set_day(int(listing_id), day, **fields)
                days.append(base.day(int(listing_id), day))
            return httpx.Response(200, json=envelope(days))

        def post_reservation(request: httpx.Request) -> httpx.Response:
            body = _json(request)
            created = reservation(fake.new_id(), **body, status="new")
            base.reservations.append(created)
            return httpx.Response(200, json=envelope(created))

        def put_reservation(request: httpx.Request, reservation_id: str) -> httpx.Response:
            found = fake.find_reservation(int(reservation_id))
            if found is None:
                return _not_found("Reservation")
            found.update(_json(request), status="modified")
            return httpx.Response(200, json=envelope(found))

        def cancel(request: httpx.Request, reservation_id: str) -> httpx.Response:
            found = fake.find_reservation(int(reservation_id))
            if found is None:
                return _not_found("Reservation")
            found.update(status="cancelled", cancelledBy=_json(request)["cancelledBy"])
            return httpx.Response(200, json=envelope(found))

        def post_task(request: httpx.Request) -> httpx.Response:
            task = example("task_create")["result"]
            task.update(_json(request), id=fake.new_id())
            return httpx.Response(200, json=envelope(task))

        def post_expense(request: httpx.Request) -> httpx.Response:
            expense = example("expense_create")["result"]
            body = _json(request)
            expense.update(
                body, id=fake.new_id(), type="expense" if body["amount"] < 0 else "extra"
            )
            return httpx.Response(200, json=envelope(expense))

        router.get(path__regex=r"/conversations/(?P<conversation_id>\d+)$").mock(
            side_effect=served(get_conversation)
        )
        router.post(path__regex=r"/conversations/(?P<conversation_id>\d+)/messages$").mock(
            side_effect=served(post_message)
        )
        router.put(path__regex=r"/listings/(?P<listing_id>\d+)/calendar$").mock(
            side_effect=served(put_calendar)
        )
        router.post("/reservations").mock(side_effect=served(post_reservation))
        router.put(path__regex=r"/reservations/(?P<reservation_id>\d+)$").mock(
            side_effect=served(put_reservation)
        )
        router.put(path__regex=r"/reservations/(?P<reservation_id>\d+)/statuses/cancelled$").mock(
            side_effect=served(cancel)
        )
        router.post("/tasks").mock(side_effect=served(post_task))
        router.post("/expenses").mock(side_effect=served(post_expense))
        yield fake
