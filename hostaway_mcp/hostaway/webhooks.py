"""Hostaway's unified webhooks, read as hints. The delivery body is not documented (HOSTAWAY_API.md
§8): its log objects show `event: "message.received"`, `object: "conversationMessage"`,
`objectId` and `listingMapId`, and integrators report `reservation.created` and
`reservation.updated`. So every shape seen is tolerated, nothing is trusted beyond which object
changed, and the caller re-reads that object by id."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl

from ._values import as_int

WebhookKind = Literal["reservation", "message", "other"]
_NAME_KEYS = ("event", "eventType", "event_type", "type", "action", "topic")
_OBJECT_KEYS = ("object", "objectType", "entity")
_DATA_KEYS = ("data", "payload", "result", "reservation", "conversationMessage", "message")


@dataclass(frozen=True)
class WebhookEvent:
    """Which object a delivery says changed. ``name`` is Hostaway's event name as sent (for logs)."""

    name: str | None
    kind: WebhookKind
    reservation_id: int | None = None
    conversation_id: int | None = None
    listing_id: int | None = None


def _payload(body: bytes) -> dict[str, Any]:
    try:
        decoded = json.loads(body)
    except (ValueError, RecursionError):
        try:
            pairs = parse_qsl(body.decode("utf-8"), strict_parsing=True)
        except (UnicodeDecodeError, ValueError):
            return {}
        return dict(pairs)
    if isinstance(decoded, list):  # a batch: the first event is the hint
        decoded = next((item for item in decoded if isinstance(item, dict)), {})
    return decoded if isinstance(decoded, dict) else {}


def _text(payload: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = payload.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _data(payload: dict[str, Any]) -> dict[str, Any]:
    for key in _DATA_KEYS:
        value = payload.get(key)
        if isinstance(value, dict):
            return value
    return payload


def _first_id(*candidates: Any) -> int | None:
    for value in candidates:
        number = as_int(value)
        if number is not None and number > 0:
            return number
    return None


def _kind(name: str | None, object_type: str | None, data: dict[str, Any]) -> WebhookKind:
    said = f"{name or ''} {object_type or ''}".lower()
    if "reservation" in said:
        return "reservation"
    if "message" in said or "conversation" in said:
        return "message"
    if said.strip():
        return "other"
    # No name at all: guess from the object's own fields.
    if "conversationId" in data and ("body" in data or "isIncoming" in data):
        return "message"
    if "arrivalDate" in data and "listingMapId" in data:
        return "reservation"
    return "other"


def parse_webhook(body: bytes) -> WebhookEvent:
    """The hint in one delivery; never raises (an unreadable body is an "other" event)."""
    payload = _payload(body)
    name = _text(payload, _NAME_KEYS)
    object_type = _text(payload, _OBJECT_KEYS)
    data = _data(payload)
    kind = _kind(name, object_type, data)
    listing_id = _first_id(data.get("listingMapId"), payload.get("listingMapId"))
    if kind == "reservation":
        # On a reservation object `reservationId` is the channel's id (sometimes all digits):
        # Hostaway's own is `id` / `hostawayReservationId`. Beside a nested object, a top-level
        # `reservationId` is Hostaway's, as in the webhook log objects.
        about_reservation = object_type is None or "reservation" in object_type.lower()
        nested = data is not payload
        return WebhookEvent(
            name,
            kind,
            reservation_id=_first_id(
                payload.get("objectId") if about_reservation else None,
                data.get("hostawayReservationId"),
                data.get("id") if nested or "arrivalDate" in data else None,
                payload.get("reservationId") if nested else None,
            ),
            listing_id=listing_id,
        )
    if kind == "message":
        return WebhookEvent(
            name,
            kind,
            reservation_id=_first_id(data.get("reservationId"), payload.get("reservationId")),
            conversation_id=_first_id(data.get("conversationId"), payload.get("conversationId")),
            listing_id=listing_id,
        )
    return WebhookEvent(name, "other")
