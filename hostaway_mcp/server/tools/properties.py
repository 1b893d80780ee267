"""Property tools: connection check, listings, details, availability, quotes."""

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
)
from ..params import Cursor, EndDate, Guests, IncludeAccessCodes, ListingId, ShortText, StartDate
from .registry import gateway, progress, read_tool, state


@read_tool("Check the Hostaway connection")
async def check_connection(ctx: Context) -> ConnectionStatus:
    """Check that the server can reach Hostaway with its credentials; use first when tools fail."""
    app = state(ctx)
    client = app.gateway.client
    listings_total = await client.check()
    settings = app.settings
    return ConnectionStatus(
        ok=True,
        account_id=settings.client_id,
        listings_total=listings_total,
        read_only=settings.read_only,
        demo=settings.demo,
        api_base_url="built-in demo sandbox (simulated data)"
        if settings.demo
        else settings.base_url,
        upstream_requests=client.stats.requests,
    )


@read_tool("List properties")
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
        gateway(ctx),
        search=search,
        city=city,
        country=country,
        min_bedrooms=min_bedrooms,
        min_guests=min_guests,
        limit=limit,
        cursor=cursor,
        progress=progress(ctx),
    )


@read_tool("Property details")
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
        gateway(ctx), listing_id, include_access_codes=include_access_codes, full_text=full_text
    )


@read_tool("Check availability")
async def check_availability(
    ctx: Context, listing_id: ListingId, start_date: StartDate, end_date: EndDate
) -> Availability:
    """Is one property bookable for a stay? Checks every night from start_date up to (not
    including) end_date, the minimum/maximum stay of the arrival night, and closed arrival or
    departure days; gives the nightly prices."""
    return await properties.check_availability(
        gateway(ctx), listing_id, start_date, end_date, progress(ctx)
    )


@read_tool("Find available properties")
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
        gateway(ctx),
        start=start_date,
        end=end_date,
        guests=guests,
        city=city,
        limit=limit,
        progress=progress(ctx),
    )


@read_tool("Price quote")
async def get_price_quote(
    ctx: Context, listing_id: ListingId, start_date: StartDate, end_date: EndDate, guests: Guests
) -> PriceQuote:
    """Hostaway's own price for a stay, with its components (base rate, cleaning fee, taxes,
    discounts). Use for "how much would 3 nights for 4 guests cost?"."""
    return await properties.get_price_quote(
        gateway(ctx), listing_id, start_date, end_date, guests, progress(ctx)
    )
