"""What the write tools read from Hostaway besides listings, calendars and reservations: the
conversation a message goes to, and the objects the creating requests answer with. Minimal on
purpose: only what a preview or a write result shows."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from ..channels import channel_label
from ..values import as_date, as_int, as_str, money


class ConversationRef(BaseModel):
    """A conversation, as far as sending a message into it needs."""

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
    def from_api(cls, raw: dict[str, Any]) -> ConversationRef:
        booking = raw.get("Reservation")
        booking = booking if isinstance(booking, dict) else {}
        channel_id = as_int(booking.get("channelId"))
        return cls(
            id=as_int(raw.get("id")) or 0,
            reservation_id=as_int(raw.get("reservationId"))
            or as_int(booking.get("hostawayReservationId"))
            or as_int(booking.get("id")),
            recipient_name=as_str(raw.get("recipientName")) or as_str(booking.get("guestName")),
            recipient_email=as_str(raw.get("recipientEmail")) or as_str(booking.get("guestEmail")),
            guest_phone=as_str(booking.get("phone")),
            listing_id=as_int(booking.get("listingMapId")),
            listing_name=as_str(booking.get("listingName")),
            channel_id=channel_id,
            channel=channel_label(channel_id, as_str(booking.get("channelName"))),
            arrival=as_date(booking.get("arrivalDate")),
            departure=as_date(booking.get("departureDate")),
            booking_status=as_str(booking.get("status")),
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
