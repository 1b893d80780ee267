"""Reusable tool parameter types: one description and one set of bounds per recurring parameter."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BeforeValidator, Field

from ..domain.status_words import BookingStatusWord, TaskStatusWord

MAX_ID = 2_147_483_647  # Hostaway ids are 32-bit
# Every date a tool takes lies in these years: far outside them date arithmetic overflows, and no
# booking, task or report of a rental business does.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
When = TypeVar("When", date, datetime)


def in_supported_years(value: When) -> When:
    if not FIRST_DAY.year <= value.year <= LAST_DAY.year:
        raise ValueError(f"must be a date from {FIRST_DAY} to {LAST_DAY}, got {value.isoformat()}")
    return value


Day = Annotated[date, AfterValidator(in_supported_years)]
Moment = Annotated[datetime, AfterValidator(in_supported_years)]

ListingId = Annotated[
    int, Field(ge=1, le=MAX_ID, description="Hostaway listing id (see list_all_properties).")
]
ReservationId = Annotated[
    int, Field(ge=1, le=MAX_ID, description="Hostaway reservation id (see search_bookings).")
]
ConversationId = Annotated[
    int,
    Field(
        ge=1,
        le=MAX_ID,
        description="Hostaway conversation id (see list_conversations or get_inbox_triage).",
    ),
]
AnyId = Annotated[int, Field(ge=1, le=MAX_ID)]
OptionalListingId = Annotated[AnyId | None, Field(description="Hostaway listing id.")]
OptionalReservationId = Annotated[AnyId | None, Field(description="Hostaway reservation id.")]
OnlyListing = Annotated[AnyId | None, Field(description="Only this listing (property).")]
StartDate = Annotated[Day, Field(description="First night of the stay or period.")]
EndDate = Annotated[
    Day,
    Field(description="Check-out day / end of the period, exclusive (not a night)."),
]
OptionalDate = Annotated[Day | None, Field(description="Inclusive.")]
Cursor = Annotated[
    str | None,
    Field(
        max_length=512,
        description="next_cursor from the previous page.",
    ),
]
IncludeAccessCodes = Annotated[
    bool,
    Field(
        description="Include door codes, wifi name/password and key instructions. Only when the "
        "user explicitly asks for them."
    ),
]
Guests = Annotated[int, Field(ge=1, le=100, description="Number of guests.")]
ShortText = Annotated[str | None, Field(max_length=200)]
Confirm = Annotated[
    bool,
    Field(
        description="false: preview only, nothing sent. true: send the previewed change (with its "
        "approval_id) once the user agreed."
    ),
]
Note = Annotated[str | None, Field(max_length=2000)]


def _listed(value: Any) -> Any:
    """One value where a list is expected is a list of one (models often send just the word)."""
    return [value] if isinstance(value, str | int) and not isinstance(value, bool) else value


OneOrMore = BeforeValidator(_listed)
BookingStatus = BookingStatusWord
BookingStatuses = Annotated[
    Annotated[list[BookingStatusWord], Field(max_length=16)] | None,
    OneOrMore,
    Field(
        description="Only these statuses; confirmed = new and modified.",
    ),
]
TaskStatuses = Annotated[
    Annotated[list[TaskStatusWord], Field(max_length=6)] | None,
    OneOrMore,
    Field(
        description="Only these statuses; open = pending, confirmed or inProgress (not completed "
        "or cancelled).",
    ),
]
