"""Booking tools: search, details, guests, arrivals and departures."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from mcp.server.mcpserver import Context
from pydantic import Field

from ...domain import bookings
from ...domain.models.bookings import ArrivalsDepartures, BookingDetails, BookingList, GuestInfo
from ..params import (
    BookingStatus,
    Cursor,
    IncludeAccessCodes,
    OptionalDate,
    ReservationId,
    ShortText,
)
from .registry import gateway, progress, read_tool


@read_tool("Search bookings")
async def search_bookings(
    ctx: Context,
    listing_id: Annotated[int | None, Field(ge=1, description="Only this listing.")] = None,
    status: Annotated[
        list[BookingStatus] | None,
        Field(
            max_length=16, description="Only these statuses; confirmed bookings are new/modified."
        ),
    ] = None,
    arrival_from: OptionalDate = None,
    arrival_to: OptionalDate = None,
    departure_from: OptionalDate = None,
    departure_to: OptionalDate = None,
    guest_name: Annotated[ShortText, Field(description="Part of the guest's name.")] = None,
    guest_email: Annotated[ShortText, Field(description="The guest's exact email.")] = None,
    channel: Annotated[
        ShortText,
        Field(description="airbnb, booking.com, vrbo, direct, expedia, google… or a channel id."),
    ] = None,
    limit: Annotated[int, Field(ge=1, le=200, description="Bookings per page.")] = 50,
    cursor: Cursor = None,
) -> BookingList:
    """Find bookings (reservations) by property, status, arrival/departure dates (inclusive),
    guest name or email, or channel. Most recently updated first."""
    return await bookings.search_bookings(
        gateway(ctx),
        listing_id=listing_id,
        statuses=list(status) if status else None,
        arrival_from=arrival_from,
        arrival_to=arrival_to,
        departure_from=departure_from,
        departure_to=departure_to,
        guest_name=guest_name,
        guest_email=guest_email,
        channel=channel,
        limit=limit,
        cursor=cursor,
        progress=progress(ctx),
    )


@read_tool("Booking details")
async def get_booking_details(
    ctx: Context, reservation_id: ReservationId, include_access_codes: IncludeAccessCodes = False
) -> BookingDetails:
    """One booking in full: dates and times, guest counts and contact, money breakdown (total,
    taxes, cleaning fee, commission, paid), codes, notes, cancellation."""
    return await bookings.get_booking_details(
        gateway(ctx),
        reservation_id,
        include_access_codes=include_access_codes,
        progress=progress(ctx),
    )


@read_tool("Guest info")
async def get_guest_info(ctx: Context, reservation_id: ReservationId) -> GuestInfo:
    """Who is the guest of a booking: name, contact, location, language, party, guest portal link,
    and their earlier confirmed stays with you (matched by email)."""
    return await bookings.get_guest_info(gateway(ctx), reservation_id, progress(ctx))


@read_tool("Arrivals and departures")
async def get_arrivals_and_departures(
    ctx: Context,
    start_date: Annotated[
        date | None, Field(description="First day, YYYY-MM-DD; default today.")
    ] = None,
    days: Annotated[int, Field(ge=1, le=31, description="How many days from start_date.")] = 1,
    listing_id: Annotated[int | None, Field(ge=1, description="Only this listing.")] = None,
) -> ArrivalsDepartures:
    """Who arrives and who leaves, day by day, and which properties turn over (a departure and an
    arrival the same day). Counts confirmed bookings and owner stays."""
    return await bookings.get_arrivals_and_departures(
        gateway(ctx),
        start_date=start_date or date.today(),
        days=days,
        listing_id=listing_id,
        progress=progress(ctx),
    )
