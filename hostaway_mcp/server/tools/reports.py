"""Report tools: revenue, occupancy, Hostaway's financial report and owner statements."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context
from pydantic import Field

from ...domain import finance, reports
from ...domain.analytics import DateBasis, GroupBy
from ...domain.finance import DateType
from ...domain.models.reports import (
    FinancialReport,
    OccupancyReport,
    OwnerStatementDetails,
    OwnerStatementList,
    RevenueReport,
)
from ..params import AnyId, BookingStatuses, EndDate, ListingId, OneOrMore, StartDate
from ..state import hostaway, progress

ListingIds = Annotated[
    Annotated[list[ListingId], Field(max_length=reports.MAX_REPORT_LISTINGS)] | None,
    OneOrMore,
    Field(
        description="Only these listings; omit for all.",
    ),
]
ReportStart = Annotated[StartDate, Field(description="First night of the period.")]
ReportEnd = Annotated[
    EndDate,
    Field(
        description="End of the period, exclusive (for June use 07-01). At most "
        "366 nights after start_date."
    ),
]


async def get_revenue_report(
    ctx: Context,
    start_date: ReportStart,
    end_date: ReportEnd,
    listing_ids: ListingIds = None,
    group_by: Annotated[
        GroupBy, Field(description="listing, channel, or month (YYYY-MM).")
    ] = "listing",
    date_basis: Annotated[
        DateBasis,
        Field(
            description="stay (nights inside the period, pro-rated), arrival, departure, or "
            "booked (reservation date; slowest: reads every reservation)."
        ),
    ] = "stay",
) -> RevenueReport:
    """Revenue, booked nights, bookings and ADR per currency and per listing, channel or month.
    Revenue = totalPrice of confirmed bookings (new, modified); cancelled ones are counted apart,
    other statuses count nothing. date_basis=stay (default) counts a booking's nights inside the
    period, revenue pro-rated (totalPrice * nights inside / nights; split by month);
    arrival/departure/booked count whole bookings whose arrival, departure or reservation date is
    in the period. ADR = revenue / booked nights."""
    return await reports.get_revenue_report(
        hostaway(ctx),
        start=start_date,
        end=end_date,
        listing_ids=listing_ids,
        group_by=group_by,
        date_basis=date_basis,
        progress=progress(ctx),
    )


async def get_occupancy_report(
    ctx: Context,
    start_date: ReportStart,
    end_date: ReportEnd,
    listing_ids: ListingIds = None,
    gap_max_nights: Annotated[
        int,
        Field(
            ge=1,
            le=reports.MAX_GAP_NIGHTS,
            description="Longest free run reported as an orphan gap.",
        ),
    ] = 3,
) -> OccupancyReport:
    """Occupancy, ADR, RevPAR and orphan gaps per listing, totals per currency. booked_nights: confirmed bookings (new, modified); owner_nights: owner stays;
    blocked_nights: unavailable nights no booking or owner stay covers; available_nights =
    nights_in_period - owner - blocked; occupancy_rate = booked / available; revenue pro-rated to
    the nights inside; revpar = revenue / available. Orphan gaps: free runs strictly between two
    stays, at most gap_max_nights long."""
    return await reports.get_occupancy_report(
        hostaway(ctx),
        start=start_date,
        end=end_date,
        listing_ids=listing_ids,
        gap_max_nights=gap_max_nights,
        progress=progress(ctx),
    )


async def get_financial_report(
    ctx: Context,
    start_date: ReportStart,
    end_date: ReportEnd,
    listing_ids: ListingIds = None,
    date_type: Annotated[
        DateType, Field(description="Which reservation date must fall in the period.")
    ] = "arrivalDate",
    channel_ids: Annotated[
        list[AnyId] | None,
        Field(
            max_length=finance.MAX_CHANNEL_IDS,
            description="Only these channel ids (2000 direct, 2005 booking.com, 2018 airbnb, "
            "2002 vrbo, 2007 expedia, 2013 booking engine, 2022 google).",
        ),
    ] = None,
    statuses: BookingStatuses = None,
) -> FinancialReport:
    """Hostaway's own consolidated financial report (accounting figures: fees, taxes, commissions,
    owner payout) per reservation, with totals per currency.
    Needs financial reporting enabled on the Hostaway account; otherwise use get_revenue_report."""
    return await finance.get_financial_report(
        hostaway(ctx),
        start=start_date,
        end=end_date,
        listing_ids=listing_ids,
        date_type=date_type,
        channel_ids=channel_ids,
        statuses=statuses,
        progress=progress(ctx),
    )


async def list_owner_statements(ctx: Context) -> OwnerStatementList:
    """The owner statements saved in Hostaway (id and name); open one with get_owner_statement."""
    return await finance.list_owner_statements(hostaway(ctx))


async def get_owner_statement(
    ctx: Context,
    statement_id: Annotated[AnyId, Field(description="Id from list_owner_statements.")],
) -> OwnerStatementDetails:
    """One owner statement, compact: period, listings, filters, summary formulas with totals,
    grand total and expenses, per currency when its listings use several."""
    return await finance.get_owner_statement(hostaway(ctx), statement_id)
