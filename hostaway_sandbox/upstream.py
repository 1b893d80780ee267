"""Changes made to the account by someone else (another app, a channel, a guest), straight into
the sandbox's data: what a local copy of the account must notice. Each one is stamped like a
write through the API (`updatedOn`, `latestActivityOn`, the conversation's activity)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from .bookings import cancel_reservation, create_reservation

if TYPE_CHECKING:
    from .app import Sandbox


def book(
    sandbox: Sandbox, listing_id: int, arrival: date, departure: date, guest: str = "Other App"
) -> dict[str, Any]:
    """A direct booking made elsewhere (Hostaway's dashboard, a channel manager)."""
    body = {
        "channelId": 2000,
        "listingMapId": listing_id,
        "arrivalDate": arrival.isoformat(),
        "departureDate": departure.isoformat(),
        "guestName": guest,
        "numberOfGuests": 1,
    }
    return create_reservation(sandbox.store, body, force=False, provider="other app")


def cancel(sandbox: Sandbox, reservation_id: int) -> dict[str, Any]:
    """The guest cancels on the channel."""
    return cancel_reservation(sandbox.store, reservation_id, "guest")


def block(sandbox: Sandbox, listing_id: int, first: date, last: date) -> list[dict[str, Any]]:
    """Nights first..last (both included) blocked by hand in the dashboard."""
    return sandbox.store.update_calendar(listing_id, first, last, {"isAvailable": 0})


def guest_writes(sandbox: Sandbox, conversation_id: int, body: str) -> dict[str, Any]:
    """A guest message arrives in a conversation."""
    return sandbox.store.add_message(conversation_id, body, "channel", incoming=True)
