"""Pure inbox computations: which end of a message list is the newest, the latest N messages in
reading order, and how urgent a waiting guest is."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime

from ..hostaway import Message

LATEST = datetime.max.replace(tzinfo=UTC)
# A thread on a booking in one of these states is not about a guest who is coming.
NOT_COMING = frozenset(
    {"cancelled", "declined", "expired", "inquiryDenied", "inquiryTimedout", "inquiryNotPossible"}
)


def newest_first(messages: list[Message]) -> bool:
    """Does this page run newest -> oldest? (Hostaway does not document the order: the demo
    sandbox sends oldest first, real accounts may send newest first.) Undecidable -> False."""
    if len(messages) < 2:
        return False
    return messages[0].sort_key > messages[-1].sort_key


def latest_in_reading_order(messages: Iterable[Message], limit: int) -> list[Message]:
    """The `limit` most recent messages, oldest -> newest, each once."""
    unique = {message.id: message for message in messages}
    ordered = sorted(unique.values(), key=lambda m: m.sort_key)
    return ordered[-limit:] if limit > 0 else []


def triage_key(
    *,
    arrival: date | None,
    departure: date | None,
    status: str | None,
    waiting_since: datetime | None,
    conversation_id: int,
    today: date,
) -> tuple[int, int, datetime, int]:
    """Sort key: guests arriving soonest first (a guest staying now counts as arriving today),
    then everyone else (past stays, unknown dates, cancelled bookings); within each, the longest
    waiting first."""
    waited = waiting_since or LATEST
    coming = status not in NOT_COMING
    if coming and arrival is not None and max(arrival, departure or arrival) >= today:
        return (0, max(arrival, today).toordinal(), waited, conversation_id)
    return (1, 0, waited, conversation_id)


def hours_between(since: datetime | None, now: datetime) -> float | None:
    if since is None:
        return None
    return round(max(0.0, (now - since).total_seconds() / 3600), 1)
