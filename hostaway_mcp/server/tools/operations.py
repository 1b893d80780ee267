"""Operations tools: guest reviews, tasks, expenses and extras."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from pydantic import Field

from ...domain import operations
from ...domain.models.operations import ExpenseList, ReviewList, TaskList
from ..params import Cursor, OptionalDate
from .registry import gateway, progress, read_tool

OnlyListing = Annotated[
    int | None, Field(ge=1, le=2_147_483_647, description="Only this listing (property).")
]
Rating = Annotated[float | None, Field(ge=0, le=10, description="Rating bound, 0-10, inclusive.")]
PeriodStart = Annotated[date | None, Field(description="First day, YYYY-MM-DD, inclusive.")]
PeriodEnd = Annotated[
    date | None,
    Field(description="End of the period, YYYY-MM-DD, exclusive (the day after the last day)."),
]
Limit = Annotated[int, Field(ge=1, le=200, description="Items per page.")]
TaskStatus = Literal["pending", "confirmed", "inProgress", "completed", "cancelled"]


@read_tool("List reviews")
async def list_reviews(
    ctx: Context,
    listing_id: OnlyListing = None,
    min_rating: Rating = None,
    max_rating: Rating = None,
    departure_from: OptionalDate = None,
    departure_to: OptionalDate = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ReviewList:
    """Reviews guests left (rating 0-10, public text, private feedback, your response), newest
    stay first, with the average rating of those shown. Filter by property, rating or check-out
    dates."""
    return await operations.list_reviews(
        gateway(ctx),
        listing_id=listing_id,
        min_rating=min_rating,
        max_rating=max_rating,
        departure_from=departure_from,
        departure_to=departure_to,
        limit=limit,
        cursor=cursor,
        progress=progress(ctx),
    )


@read_tool("List tasks")
async def list_tasks(
    ctx: Context,
    listing_id: OnlyListing = None,
    reservation_id: Annotated[
        int | None, Field(ge=1, le=2_147_483_647, description="Only tasks of this booking.")
    ] = None,
    status: Annotated[TaskStatus | None, Field(description="Only tasks in this status.")] = None,
    start_date: PeriodStart = None,
    end_date: PeriodEnd = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> TaskList:
    """Cleaning, maintenance, check-in/out and other tasks: what, where, when (can start / due),
    status, assignee and cost. start_date/end_date select tasks by the day they can start."""
    return await operations.list_tasks(
        gateway(ctx),
        listing_id=listing_id,
        reservation_id=reservation_id,
        status=status,
        start_date=start_date,
        end_date=end_date,
        limit=limit,
        cursor=cursor,
        progress=progress(ctx),
    )


@read_tool("List expenses")
async def list_expenses(
    ctx: Context,
    listing_id: OnlyListing = None,
    start_date: PeriodStart = None,
    end_date: PeriodEnd = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ExpenseList:
    """Expenses (costs, negative) and extras (income, positive) recorded in Hostaway, with totals
    per currency. Filter by property or expense date (filtered here: Hostaway has no filters)."""
    return await operations.list_expenses(
        gateway(ctx),
        listing_id=listing_id,
        start_date=start_date,
        end_date=end_date,
        limit=limit,
        cursor=cursor,
        progress=progress(ctx),
    )
