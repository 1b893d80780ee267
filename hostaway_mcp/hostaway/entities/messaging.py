"""Conversations and their messages, mapped once from raw Hostaway dicts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel

from .._values import as_bool, as_datetime, as_int, as_str
from .core import Reservation

EARLIEST = datetime.min.replace(tzinfo=UTC)


class Message(BaseModel):
    id: int
    conversation_id: int | None = None
    reservation_id: int | None = None
    body: str | None = None
    incoming: bool = False
    sent_at: datetime | None = None
    channel: str | None = None  # Hostaway's communicationType: email, channel, sms, whatsapp
    status: str | None = None
    seen: bool | None = None
    attachment_count: int = 0

    @property
    def sort_key(self) -> tuple[datetime, int]:
        return (self.sent_at or EARLIEST, self.id)

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Message:
        attachments = raw.get("attachments")
        return cls(
            id=as_int(raw.get("id")) or 0,
            conversation_id=as_int(raw.get("conversationId")),
            reservation_id=as_int(raw.get("reservationId")),
            body=raw.get("body") if isinstance(raw.get("body"), str) else None,
            incoming=as_bool(raw.get("isIncoming")) is True,
            # `date` is the message's own moment; the embedded latest message only has insertedOn.
            sent_at=as_datetime(raw.get("date"))
            or as_datetime(raw.get("sentChannelDate"))
            or as_datetime(raw.get("insertedOn")),
            channel=as_str(raw.get("communicationType")),
            status=as_str(raw.get("status")),
            seen=as_bool(raw.get("isSeen")),
            attachment_count=len(attachments) if isinstance(attachments, list) else 0,
        )


class Conversation(BaseModel):
    id: int
    reservation_id: int | None = None
    listing_id: int | None = None  # from the embedded reservation only (see from_api)
    guest_name: str | None = None
    recipient_email: str | None = None
    type: str | None = None
    has_unread: bool = False
    message_sent_on: datetime | None = None
    message_received_on: datetime | None = None
    messages: list[Message] = []  # the latest message(s) Hostaway embeds, oldest first
    reservation: Reservation | None = None

    @property
    def latest_message(self) -> Message | None:
        return self.messages[-1] if self.messages else None

    @property
    def last_message_at(self) -> datetime | None:
        moments = [self.message_sent_on, self.message_received_on]
        moments += [m.sent_at for m in self.messages]
        known = [moment for moment in moments if moment is not None]
        return max(known) if known else None

    @property
    def last_message_incoming(self) -> bool | None:
        """Is the latest message the guest's? None when nothing tells."""
        latest = self.latest_message
        received, sent = self.message_received_on, self.message_sent_on
        if latest is not None and latest.sent_at is not None:
            other = sent if latest.incoming else received
            if other is None or latest.sent_at >= other:
                return latest.incoming
        if received is not None and (sent is None or received > sent):
            return True
        if sent is not None:
            return False
        return latest.incoming if latest is not None else None

    @property
    def waiting_since(self) -> datetime | None:
        """When the guest started waiting for a reply (None when the host spoke last).

        Hostaway embeds only the latest message, so this is the earliest incoming message after the
        last outgoing one among those known, usually the guest's latest message."""
        if self.last_message_incoming is not True:
            return None
        outgoing = [m.sent_at for m in self.messages if not m.incoming] + [self.message_sent_on]
        incoming = [m.sent_at for m in self.messages if m.incoming] + [self.message_received_on]
        last_out = max((t for t in outgoing if t is not None), default=None)
        unanswered = [t for t in incoming if t is not None and (last_out is None or t > last_out)]
        return min(unanswered, default=None)

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> Conversation:
        embedded = raw.get("Reservation")
        reservation = (
            Reservation.from_api(embedded)
            if isinstance(embedded, dict)
            and (as_int(embedded.get("id")) or as_int(embedded.get("hostawayReservationId")))
            else None
        )
        messages = [
            Message.from_api(item)
            for item in raw.get("conversationMessages") or []
            if isinstance(item, dict)
        ]
        messages.sort(key=lambda m: m.sort_key)
        return cls(
            id=as_int(raw.get("id")) or 0,
            reservation_id=as_int(raw.get("reservationId"))
            or (reservation.id if reservation else None),
            # The conversation-level listingMapId is unreliable (the account id in Hostaway's own
            # example): only the embedded reservation's listingMapId is trusted.
            listing_id=reservation.listing_id if reservation else None,
            guest_name=(reservation.guest_name if reservation else None)
            or as_str(raw.get("recipientName")),
            recipient_email=as_str(raw.get("recipientEmail")),
            type=as_str(raw.get("type")),
            has_unread=as_bool(raw.get("hasUnreadMessages")) is True,
            message_sent_on=as_datetime(raw.get("messageSentOn")),
            message_received_on=as_datetime(raw.get("messageReceivedOn")),
            messages=messages,
            reservation=reservation,
        )
