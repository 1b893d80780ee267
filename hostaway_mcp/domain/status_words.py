"""The words people use for statuses, and the Hostaway statuses each one stands for. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal, get_args

from ..hostaway import ReservationStatus, TaskStatus

# Booking statuses a manager may ask for: Hostaway's, and "confirmed" (Hostaway has no such
# status: its live bookings are new and modified).
BookingStatusWord = Literal[ReservationStatus, "confirmed"]
BOOKING_WORDS: Mapping[str, tuple[str, ...]] = {"confirmed": ("new", "modified")}

# Task statuses: Hostaway's, and "open" (anything still to do: not completed, not cancelled).
TaskStatusWord = Literal[TaskStatus, "open"]
TASK_WORDS: Mapping[str, tuple[str, ...]] = {
    "open": tuple(s for s in get_args(TaskStatus) if s not in ("completed", "cancelled"))
}


def expand(
    words: Iterable[str], meanings: Mapping[str, tuple[str, ...]]
) -> tuple[list[str], list[str]]:
    """(the statuses meant, in order and without repeats; how each word was read, for
    `filters_applied`)."""
    statuses: list[str] = []
    read_as: list[str] = []
    for word in dict.fromkeys(words):
        meant = meanings.get(word)
        if meant is None:
            statuses.append(word)
            continue
        statuses.extend(meant)
        read_as.append(f"status {word} = {', '.join(meant)}")
    return list(dict.fromkeys(statuses)), read_as
