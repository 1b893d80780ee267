"""Values the adapter's callers pass and receive, in our own terms (no Hostaway names)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Generic, Literal, TypeVar

T = TypeVar("T")
Progress = Callable[[float, float | None, str], Awaitable[None]]
MessageRoute = Literal["channel", "email", "sms", "whatsapp"]
CancelledBy = Literal["host", "guest"]
FinanceDateType = Literal["arrivalDate", "departureDate", "reservationDate"]
ReservationStatus = Literal[
    "new",
    "modified",
    "cancelled",
    "ownerStay",
    "pending",
    "awaitingPayment",
    "awaitingGuestVerification",
    "declined",
    "expired",
    "unconfirmed",
    "inquiry",
    "inquiryPreapproved",
    "inquiryDenied",
    "inquiryTimedout",
    "inquiryNotPossible",
    "unknown",
]
TaskStatus = Literal["pending", "confirmed", "inProgress", "completed", "cancelled"]


async def no_progress(done: float, total: float | None, message: str) -> None:
    """The default progress sink: nobody is listening."""


@dataclass(frozen=True)
class DateRange:
    """Days from `first` to `last`, both included; an open end is None."""

    first: date | None = None
    last: date | None = None

    @classmethod
    def of_nights(cls, start: date, end: date) -> DateRange:
        """The nights of a stay or period: `start` up to the check-out day `end` (exclusive)."""
        return cls(start, end - timedelta(days=1))

    def bounds(self) -> tuple[date, date]:
        """(first, last) of a closed range."""
        if self.first is None or self.last is None:
            raise ValueError("a closed date range is needed here")
        return self.first, self.last


@dataclass(frozen=True)
class RowPage(Generic[T]):
    """One upstream page as (resume position, row) pairs; `last` when no page follows. `count` is
    Hostaway's number of rows matching the query in all, when it says."""

    rows: list[tuple[int, T]]
    last: bool
    count: int | None = None


@dataclass(frozen=True)
class ReservationQuery:
    """What Hostaway can narrow a reservation scan by. Rows still need checking by the caller:
    only one listing can be sent upstream, and date filters are as inclusive as Hostaway makes
    them."""

    listing_ids: Sequence[int] | None = None
    arriving: DateRange | None = None
    departing: DateRange | None = None
    guest_name: str | None = None
    guest_email: str | None = None
    channel_id: int | None = None


@dataclass(frozen=True)
class CalendarChange:
    available: bool | None = None
    price: float | None = None
    min_stay: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class NewBooking:
    """A direct booking."""

    listing_id: int
    arrival: date
    departure: date
    guest_name: str
    guest_first_name: str | None
    guest_last_name: str | None
    guests: int
    guest_email: str | None = None
    phone: str | None = None
    total_price: float | None = None
    currency: str | None = None
    host_note: str | None = None


@dataclass(frozen=True)
class BookingChange:
    """Only the fields that change are set."""

    guests: int | None = None
    guest_note: str | None = None
    host_note: str | None = None
    arrival: date | None = None
    departure: date | None = None


@dataclass(frozen=True)
class NewTask:
    title: str
    description: str | None = None
    listing_id: int | None = None
    reservation_id: int | None = None
    starts_at: datetime | None = None  # UTC
    due_at: datetime | None = None  # UTC
    category_id: int | None = None
    assignee_user_id: int | None = None


@dataclass(frozen=True)
class NewExpense:
    """`amount` is signed: negative for an expense (a cost), positive for an extra (income)."""

    listing_id: int
    expense_date: date
    concept: str
    amount: float
    reservation_id: int | None = None
    category_ids: Sequence[int] = ()
    category_names: Sequence[str] = ()


@dataclass(frozen=True)
class Command(Generic[T]):
    """One prepared write: the exact request, and how to read Hostaway's answer.

    Built by `hostaway.commands` (no I/O); sent by `Hostaway.execute`. A command that is not
    idempotent (it creates something, or reaches a guest or a channel) is never resent once
    Hostaway may have acted on it."""

    method: Literal["POST", "PUT"]
    path: str
    body: dict[str, Any]
    idempotent: bool
    decode: Callable[[Any], T]
    listing_id: int | None = None  # a listing whose cached details and calendars it changes
    range_note: str | None = None  # how Hostaway reads the request's date range, in words
    lookup: str | None = None  # the read that shows whether it took effect
