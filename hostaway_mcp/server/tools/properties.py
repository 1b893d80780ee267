"""Property tools: connection check, listings, details, availability, quotes, and the calendar."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context
from pydantic import Field

from ...domain import properties
from ...domain.models.properties import (
    Availability,
    AvailableProperties,
    ConnectionStatus,
    PriceQuote,
    PropertyDetails,
    PropertyList,
    SyncReport,
)
from ...domain.models.writes import WriteResult
from ...domain.writes import calendar
from ..params import (
    Confirm,
    Cursor,
    EndDate,
    Guests,
    IncludeAccessCodes,
    ListingId,
    Note,
    ShortText,
    StartDate,
)
from ..state import hostaway, progress, state


async def check_connection(ctx: Context) -> ConnectionStatus:
    """Check that the server can reach Hostaway with its credentials; use first when tools fail."""
    app = state(ctx)
    return await properties.connection_status(app.hostaway, app.settings)


async def get_sync_status(ctx: Context) -> SyncReport:
    """How far the local copy of the account is: state, progress, row counts, last refresh. Use
    when an answer says the account is syncing."""
    return await properties.sync_status(hostaway(ctx))


async def list_all_properties(
    ctx: Context,
    search: Annotated[ShortText, Field(description="Part of the property name.")] = None,
    city: Annotated[ShortText, Field(description="City, as written in Hostaway.")] = None,
    country: Annotated[ShortText, Field(description="Country, as written in Hostaway.")] = None,
    min_bedrooms: Annotated[
        int | None, Field(ge=0, le=50, description="At least this many bedrooms.")
    ] = None,
    min_guests: Annotated[
        int | None, Field(ge=1, le=100, description="Sleeps at least this many guests.")
    ] = None,
    limit: Annotated[int, Field(ge=1, le=200, description="Properties per page.")] = 50,
    cursor: Cursor = None,
) -> PropertyList:
    """List the account's properties (listings) with id, location, size and base price. Use it to
    find listing ids; filter by name, city, country, bedrooms or capacity."""
    return await properties.list_all_properties(
        hostaway(ctx),
        search=search,
        city=city,
        country=country,
        min_bedrooms=min_bedrooms,
        min_guests=min_guests,
        limit=limit,
        cursor=cursor,
        progress=progress(ctx),
    )


async def get_property_details(
    ctx: Context,
    listing_id: ListingId,
    include_access_codes: IncludeAccessCodes = False,
    full_text: Annotated[
        bool, Field(description="Return the description and house rules uncut.")
    ] = False,
) -> PropertyDetails:
    """Everything a manager asks about one property: address, capacity, rooms, check-in/out hours,
    minimum/maximum nights, prices and fees, cancellation policy, house rules, rating."""
    return await properties.get_property_details(
        hostaway(ctx), listing_id, include_access_codes=include_access_codes, full_text=full_text
    )


async def check_availability(
    ctx: Context, listing_id: ListingId, start_date: StartDate, end_date: EndDate
) -> Availability:
    """Is one property bookable for a stay? Checks every night, the minimum/maximum stay of the
    arrival night, and closed arrival or departure days; gives the nightly prices."""
    return await properties.check_availability(
        hostaway(ctx), listing_id, start_date, end_date, progress(ctx)
    )


async def find_available_properties(
    ctx: Context,
    start_date: StartDate,
    end_date: EndDate,
    guests: Annotated[
        int | None, Field(ge=1, le=100, description="Party size; capacity must fit.")
    ] = None,
    city: Annotated[ShortText, Field(description="Only this city.")] = None,
    limit: Annotated[int, Field(ge=1, le=100, description="Stop after this many matches.")] = 20,
) -> AvailableProperties:
    """Which properties are free for a stay (and fit the party)? Each match was confirmed night by
    night against its calendar, including minimum stay; gives each one's total nightly price."""
    return await properties.find_available_properties(
        hostaway(ctx),
        start=start_date,
        end=end_date,
        guests=guests,
        city=city,
        limit=limit,
        progress=progress(ctx),
    )


async def get_price_quote(
    ctx: Context, listing_id: ListingId, start_date: StartDate, end_date: EndDate, guests: Guests
) -> PriceQuote:
    """Hostaway's own price for a stay, with its components (base rate, cleaning fee, taxes,
    discounts), and whether it can be booked (reasons: nights free, stay rules, party size, not in
    the past)."""
    return await properties.get_price_quote(
        hostaway(ctx), listing_id, start_date, end_date, guests, progress(ctx)
    )


# ---- writes -------------------------------------------------------------------------------------


async def update_calendar(
    ctx: Context,
    listing_id: ListingId,
    start_date: StartDate,
    end_date: EndDate,
    available: Annotated[
        bool | None, Field(description="true = open the nights for booking, false = block them.")
    ] = None,
    price: Annotated[
        float | None,
        Field(gt=0, le=calendar.MAX_PRICE, description="Nightly price, listing currency."),
    ] = None,
    min_stay: Annotated[
        int | None,
        Field(ge=1, le=calendar.MAX_MIN_STAY, description="Minimum stay in nights for arrivals."),
    ] = None,
    note: Annotated[
        Note, Field(description="Calendar note for these nights; empty clears it.")
    ] = None,
    confirm: Confirm = False,
) -> WriteResult:
    """Block or open nights, set the nightly price, minimum stay or a note for nights start_date
    to end_date (exclusive). Refuses to open nights a booking holds."""
    return await calendar.update_calendar(
        hostaway(ctx),
        listing_id=listing_id,
        start_date=start_date,
        end_date=end_date,
        available=available,
        price=price,
        min_stay=min_stay,
        note=note,
        confirm=confirm,
    )
