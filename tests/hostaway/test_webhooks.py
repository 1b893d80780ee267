"""Reading a Hostaway webhook delivery as a hint: which reservation, conversation and listing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hostaway_mcp.hostaway import WebhookEvent, parse_webhook


def body(payload: Any) -> bytes:
    return json.dumps(payload).encode()


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        # the shape of Hostaway's webhook log objects: event, object, objectId, listingMapId
        (
            {"event": "reservation.created", "object": "reservation", "objectId": 2401472,
             "listingMapId": 40160},
            WebhookEvent("reservation.created", "reservation", reservation_id=2401472,
                         listing_id=40160),
        ),
        # the reservation object nested under data (its reservationId is the channel's id)
        (
            {"event": "reservation.updated", "data": {"id": "2401473", "listingMapId": "40161",
             "reservationId": "4012345678", "arrivalDate": "2026-07-01"}},
            WebhookEvent("reservation.updated", "reservation", reservation_id=2401473,
                         listing_id=40161),
        ),
        # a flat reservation object with the event name beside it
        (
            {"event": "reservationCreated", "id": 77, "listingMapId": 40162,
             "arrivalDate": "2026-07-01", "reservationId": "HMABCDEF"},
            WebhookEvent("reservationCreated", "reservation", reservation_id=77, listing_id=40162),
        ),
        (
            {"event": "message.received", "object": "conversationMessage", "objectId": 9001,
             "listingMapId": 40160, "data": {"id": 9001, "conversationId": 611262,
             "reservationId": 2401472, "body": "Hi!", "isIncoming": 1}},
            WebhookEvent("message.received", "message", reservation_id=2401472,
                         conversation_id=611262, listing_id=40160),
        ),
        # a message event naming only its reservation
        (
            {"event": "new message received", "reservationId": "2401472"},
            WebhookEvent("new message received", "message", reservation_id=2401472),
        ),
        # no event name: guessed from the object's own fields
        (
            {"data": {"conversationId": 5, "body": "x", "isIncoming": 1}},
            WebhookEvent(None, "message", conversation_id=5),
        ),
        (
            {"data": {"id": 6, "listingMapId": 40160, "arrivalDate": "2026-07-01"}},
            WebhookEvent(None, "reservation", reservation_id=6, listing_id=40160),
        ),
        ({"event": "listing.updated", "objectId": 40160}, WebhookEvent("listing.updated", "other")),
        ({"hello": "world"}, WebhookEvent(None, "other")),
        # ids that are not ids
        (
            {"event": "reservation.created", "objectId": "abc", "data": {"id": -3}},
            WebhookEvent("reservation.created", "reservation"),
        ),
    ],
)  # fmt: skip
def test_a_delivery_names_the_object_that_changed(payload: Any, expected: WebhookEvent) -> None:
    assert parse_webhook(body(payload)) == expected


@pytest.mark.parametrize(
    "raw",
    [b"", b"not json at all \xff", b"[1, 2]", b"42", b"null", b"{" * 5000, b"%zz=%%"],
)
def test_an_unreadable_body_is_an_other_event(raw: bytes) -> None:
    assert parse_webhook(raw) == WebhookEvent(None, "other")


def test_a_batch_is_read_by_its_first_event() -> None:
    event = parse_webhook(body([{"event": "reservation.created", "objectId": 5}, {"x": 1}]))
    assert event.reservation_id == 5


def test_a_form_encoded_delivery_is_read_too() -> None:
    event = parse_webhook(b"event=reservation.updated&objectId=12&listingMapId=40160")
    assert event == WebhookEvent("reservation.updated", "reservation", 12, None, 40160)
