"""What the write tools read from Hostaway besides listings, calendars and reservations: the
conversation a message goes to, and the objects the creating requests answer with. Minimal on
purpose: only what a preview or a write result shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from .._values import as_int, as_str, money
from .messaging import Conversation


class ConversationRef(BaseModel):
    """A conversation, as far as sending a message into it needs (a view of Conversation)."""

    id: int
    reservation_id: int | None = None
    recipient_name: str | None = None
    recipient_email: str | None = None
    guest_phone: str | None = None
    # From the embedded reservation: the conversation's own listingMapId is unreliable.
    listing_id: int | None = None
    listing_name: str | None = None
    channel_id: int | None = None
    channel: str | None = None
    arrival: date | None = None
    departure: date | None = None
    booking_status: str | None = None

    @classmethod
    def of(cls, conversation: Conversation) -> ConversationRef:
        booking = conversation.reservation
        return cls(
            id=conversation.id,
            reservation_id=conversation.reservation_id,
            recipient_name=conversation.guest_name,
            recipient_email=conversation.recipient_email
            or (booking.guest_email if booking else None),
            guest_phone=booking.phone if booking else None,
            listing_id=conversation.listing_id,
            listing_name=booking.listing_name if booking else None,
            channel_id=booking.channel_id if booking else None,
            channel=booking.channel if booking else None,
            arrival=booking.arrival if booking else None,
            departure=booking.departure if booking else None,
            booking_status=booking.status if booking else None,
        )


class CreatedObject(BaseModel):
    """The created message / task / expense, as its POST answered."""

    id: int | None = None
    status: str | None = None
    type: str | None = None
    amount: float | None = None

    @classmethod
    def from_api(cls, raw: Any) -> CreatedObject:
        raw = raw if isinstance(raw, dict) else {}
        return cls(
            id=as_int(raw.get("id")),
            status=as_str(raw.get("status")),
            type=as_str(raw.get("type")),
            amount=money(raw.get("amount")),
        )
