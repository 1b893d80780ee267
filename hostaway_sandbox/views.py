"""Derived views shared by the generator and the store: embedded copies that must stay in sync."""

from __future__ import annotations

from typing import Any

from .catalog import ACCOUNT_ID
from .shapes import CONVERSATION_KEYS, CONVERSATION_RESERVATION_KEYS, blank, project

# Conversations whose id is divisible by this embed their reservation with string ids, as some
# real Hostaway conversations do ("hostawayReservationId": "2", "listingMapId": "40160").
STRING_ID_EVERY = 3


def conversation_reservation(conversation_id: int, reservation: dict[str, Any]) -> dict[str, Any]:
    embedded = project(reservation, CONVERSATION_RESERVATION_KEYS)
    if conversation_id % STRING_ID_EVERY == 0:
        embedded["hostawayReservationId"] = str(reservation["id"])
        embedded["listingMapId"] = str(reservation["listingMapId"])
    return embedded


def refresh_conversation(
    conversation: dict[str, Any],
    messages: list[dict[str, Any]],
    reservation: dict[str, Any] | None,
) -> None:
    """Recompute the latest-message copy, sent/received stamps and the embedded reservation."""
    sent = [m for m in messages if m["status"] == "sent"]
    outgoing = [m["date"] for m in sent if not m["isIncoming"]]
    incoming = [m["date"] for m in sent if m["isIncoming"]]
    latest = max(sent, key=lambda m: (m["date"], m["id"])) if sent else None
    conversation["messageSentOn"] = max(outgoing) if outgoing else None
    conversation["messageReceivedOn"] = max(incoming) if incoming else None
    conversation["conversationMessages"] = [dict(latest)] if latest else []
    conversation["hasUnreadMessages"] = int(
        latest is not None and latest["isIncoming"] == 1 and latest["isSeen"] == 0
    )
    if reservation is not None:
        conversation["Reservation"] = conversation_reservation(conversation["id"], reservation)


def conversation_activity(conversation: dict[str, Any]) -> str:
    """Sort key for "most recent activity first"."""
    stamps = [conversation["messageSentOn"], conversation["messageReceivedOn"]]
    embedded = conversation.get("Reservation") or {}
    stamps.append(embedded.get("reservationDate"))
    return max((s for s in stamps if s), default="")


def conversation_shell(
    conversation_id: int, reservation: dict[str, Any], host_email: str, guest_email: str
) -> dict[str, Any]:
    """A conversation without messages yet (call ``refresh_conversation`` to fill the rest)."""
    conversation = blank(CONVERSATION_KEYS)
    conversation.update(
        id=conversation_id,
        accountId=ACCOUNT_ID,
        listingMapId=ACCOUNT_ID,  # Hostaway puts the account id here; unreliable by design
        reservationId=reservation["id"],
        type="host-guest-email" if reservation["channelId"] == 2000 else "channel",
        recipientEmail=reservation["guestEmail"],
        recipientName=reservation["guestName"],
        hostEmail=host_email,
        guestEmail=guest_email,
        hasUnreadMessages=0,
        conversationMessages=[],
    )
    return conversation
