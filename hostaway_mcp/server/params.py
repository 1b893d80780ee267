"""Reusable tool parameter types: one description and one set of bounds per recurring parameter."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, TypeVar

from pydantic import AfterValidator, Field

from ..hostaway import ReservationStatus

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
StartDate = Annotated[Day, Field(description="First night of the stay or period, YYYY-MM-DD.")]
EndDate = Annotated[
    Day,
    Field(description="Check-out day / end of the period, YYYY-MM-DD, exclusive (not a night)."),
]
OptionalDate = Annotated[Day | None, Field(description="YYYY-MM-DD, inclusive.")]
Cursor = Annotated[
    str | None,
    Field(
        max_length=512,
        description="The next_cursor of the previous result, to get the next page. Omit at first.",
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
        description="false (default): validate and return a preview with an approval_id; "
        "nothing is sent. true (with that approval_id): send it, only after the user has seen "
        "the preview and agreed; the user's app may ask them to approve."
    ),
]
Note = Annotated[str | None, Field(max_length=2000)]

BookingStatus = ReservationStatus
