"""Output model of the multi-calendar (show_calendar): one row per property over a window of nights,
in the shape the calendar view reads (docs/apps-data.md §1). Kept compact: 500 properties x 62
nights is one answer, so runs of nights are ranges, never lists of dates."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar

from pydantic import Field

from ...hostaway import Reservation
from ..fencing import fence
from .common import Cuttable, FromStoreCalendar, Output, Untrusted, texts

GAP_MAX_NIGHTS = 3  # longest orphan gap shown (the occupancy report's default)


class NightRun(Output):
    """Consecutive nights [start_date, end_date)."""

    start_date: date
    end_date: date = Field(description="Exclusive.")
    nights: int

    @classmethod
    def of(cls, start: date, end: date) -> NightRun:
        return cls(start_date=start, end_date=end, nights=(end - start).days)


class OwnerStay(Output):
    reservation_id: int
    arrival_date: date
    departure_date: date


class CalendarStay(Output):
    reservation_id: int
    untrusted: Annotated[Untrusted | None, texts("guest_name")] = None  # as they typed it
    channel: str | None
    status: str = Field(description="new, modified; any other status is a tentative hold.")
    arrival_date: date = Field(description="The booking's own dates, even outside the window.")
    departure_date: date

    @classmethod
    def of(cls, r: Reservation, arrival: date, departure: date) -> CalendarStay:
        return cls(
            reservation_id=r.id,
            untrusted=fence(guest_name=r.guest_name),
            channel=r.channel,
            status=r.status,
            arrival_date=arrival,
            departure_date=departure,
        )


class CalendarRow(Output):
    id: int = Field(description="Listing id.")
    name: str
    city: str | None
    stays: list[CalendarStay] = Field(description="Bookings with a night in the window.")
    owner_stays: list[OwnerStay]
    blocked: list[NightRun] = Field(
        description="Closed nights no booking or owner stay covers (as the occupancy report)."
    )
    gaps: list[NightRun] = Field(
        description=f"Orphan gaps: at most {GAP_MAX_NIGHTS} free nights between two stays."
    )


class Calendar(Cuttable, FromStoreCalendar):
    items_field: ClassVar[str] = "listings"
    start_date: date = Field(description="First night shown.")
    end_date: date = Field(description="start_date + days (exclusive).")
    days: int
    today: date = Field(description="Today where the listings are (most listings' time zone).")
    listings_total: int = Field(
        description="Listings matched; when `listings` is cut (truncated), ask for the rest by "
        "listing_ids or city, or fewer days."
    )
    listings: list[CalendarRow] = Field(description="By name, or in the order asked.")
