"""The multi-calendar tool (drawn by the calendar view in hosts with MCP Apps)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from mcp.server.mcpserver import Context
from pydantic import Field

from ...domain import calendar
from ...domain.models.calendar import Calendar
from ..params import ShortText
from ..state import hostaway, progress, state
from .reports import ListingIds


async def show_calendar(
    ctx: Context,
    start_date: Annotated[
        date | None, Field(description="First night shown; default today.")
    ] = None,
    days: Annotated[int, Field(ge=1, le=calendar.MAX_DAYS, description="Nights shown.")] = 14,
    listing_ids: ListingIds = None,
    city: Annotated[ShortText, Field(description="Only this city.")] = None,
) -> Calendar:
    """Multi-calendar, properties by night: each booking (guest, channel, status, its real dates),
    owner stays, blocked nights and orphan gaps. Hosts with MCP Apps draw it as a calendar."""
    return await calendar.show_calendar(
        hostaway(ctx),
        start=start_date,
        days=days,
        listing_ids=listing_ids,
        city=city,
        max_chars=state(ctx).settings.max_result_chars,
        progress=progress(ctx),
    )
