"""Output models for revenue, occupancy, Hostaway's financial report and owner statements. Money is
rounded to 2 decimals here, at the output, and always sits next to its currency."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from pydantic import Field

from ...hostaway import FormulaValue
from ..analytics import Tally
from ..formatting import round2
from ..occupancy import Occupancy, PortfolioTotals
from .common import Cuttable, FromStore, FromStoreCalendar, Output

RATE_DIGITS = 4
Value = str | int | float | None


def money2(value: float | None) -> float | None:
    return None if value is None else round2(value)


def rate4(value: float | None) -> float | None:
    return None if value is None else round(value, RATE_DIGITS)


# ---- revenue ------------------------------------------------------------------------------------


class CurrencyTotals(Output):
    currency: str
    revenue: float = Field(description="Sum of totalPrice of confirmed bookings (pro-rated).")
    booked_nights: int
    bookings: int = Field(description="Confirmed bookings counted.")
    adr: float | None = Field(description="revenue / booked_nights; null without nights.")
    cancelled_bookings: int = Field(description="Cancelled bookings in the window (no revenue).")
    unpriced_bookings: int = Field(
        default=0, description="Confirmed bookings without a totalPrice (counted as 0 revenue)."
    )

    @classmethod
    def of(cls, currency: str, tally: Tally) -> CurrencyTotals:
        return cls(
            currency=currency,
            revenue=round2(tally.revenue),
            booked_nights=tally.booked_nights,
            bookings=len(tally.bookings),
            adr=money2(tally.adr),
            cancelled_bookings=len(tally.cancelled),
            unpriced_bookings=len(tally.unpriced),
        )


class RevenueGroup(Output):
    key: str = Field(description="Listing id, channel, or YYYY-MM.")
    label: str
    currency: str
    revenue: float
    booked_nights: int
    bookings: int
    adr: float | None
    cancelled_bookings: int = 0

    @classmethod
    def of(cls, key: str, label: str, currency: str, tally: Tally) -> RevenueGroup:
        return cls(
            key=key,
            label=label,
            currency=currency,
            revenue=round2(tally.revenue),
            booked_nights=tally.booked_nights,
            bookings=len(tally.bookings),
            adr=money2(tally.adr),
            cancelled_bookings=len(tally.cancelled),
        )


class RevenueReport(Cuttable, FromStore):
    items_field: ClassVar[str] = "groups"
    start_date: date
    end_date: date = Field(description="Exclusive.")
    date_basis: str
    group_by: str
    listing_ids: list[int] | None = Field(description="The listings asked for; null = all.")
    statuses_counted: list[str] = Field(description="Statuses counted as revenue.")
    currency_totals: list[CurrencyTotals] = Field(description="One entry per currency.")
    groups: list[RevenueGroup] = Field(description="One entry per group and currency.")
    notes: list[str] = Field(default_factory=list, description="What to know about the numbers.")


# ---- occupancy ----------------------------------------------------------------------------------


class GapNights(Output):
    start_date: date = Field(description="First free night (the previous stay's check-out day).")
    end_date: date = Field(description="The next stay's arrival day (exclusive).")
    nights: int


class OtherCurrencyRevenue(Output):
    listing_id: int
    currency: str
    revenue: float


def _night_figures(row: Occupancy | PortfolioTotals) -> dict[str, Any]:
    """The nights and money a listing row and a portfolio total both report, rounded alike."""
    return {
        "nights_in_period": row.nights_in_period,
        "booked_nights": row.booked_nights,
        "owner_nights": row.owner_nights,
        "blocked_nights": row.blocked_nights,
        "available_nights": row.available_nights,
        "occupancy_rate": rate4(row.occupancy_rate),
        "revenue": round2(row.revenue),
        "adr": money2(row.adr),
        "revpar": money2(row.revpar),
    }


class ListingOccupancy(Output):
    listing_id: int
    name: str
    nights_in_period: int
    booked_nights: int = Field(description="Nights of confirmed bookings (new, modified).")
    owner_nights: int
    blocked_nights: int = Field(
        description="Calendar nights not available and not covered by a booking or owner stay."
    )
    available_nights: int = Field(description="nights_in_period - owner_nights - blocked_nights.")
    occupancy_rate: float | None = Field(description="booked / available (0-1); null if none.")
    revenue: float = Field(description="Stay basis: totalPrice pro-rated to nights inside.")
    adr: float | None
    revpar: float | None = Field(description="revenue / available_nights; null if none.")
    currency: str | None
    gap_nights: list[GapNights] = Field(description="Orphan gaps between two stays.")
    gap_count: int = Field(
        description="Orphan gaps found; more than gap_nights lists when the answer was condensed."
    )

    @classmethod
    def of(cls, row: Occupancy) -> ListingOccupancy:
        return cls(
            listing_id=row.listing_id,
            name=row.name,
            **_night_figures(row),
            currency=row.currency,
            gap_nights=[
                GapNights(start_date=gap.start, end_date=gap.end, nights=gap.nights)
                for gap in row.gaps
            ],
            gap_count=len(row.gaps),
        )


class PortfolioOccupancy(Output):
    currency: str
    listings: int
    nights_in_period: int
    booked_nights: int
    owner_nights: int
    blocked_nights: int
    available_nights: int
    occupancy_rate: float | None
    revenue: float
    adr: float | None
    revpar: float | None
    gap_night_count: int = Field(description="Nights in orphan gaps across these listings.")

    @classmethod
    def of(cls, t: PortfolioTotals) -> PortfolioOccupancy:
        return cls(
            currency=t.currency,
            listings=t.listings,
            **_night_figures(t),
            gap_night_count=t.gap_nights,
        )


class OccupancyReport(Cuttable, FromStoreCalendar):
    items_field: ClassVar[str] = "listings"
    start_date: date
    end_date: date = Field(description="Exclusive.")
    gap_max_nights: int
    statuses_counted: list[str] = Field(description="Statuses counted as booked nights.")
    portfolio: list[PortfolioOccupancy] = Field(
        description="Totals per currency over every listing, even when `listings` is cut."
    )
    listings_total: int = Field(description="Listings in the report (`listings` may be cut).")
    revenue_other_currencies: list[OtherCurrencyRevenue] = Field(
        description="Stay revenue of bookings whose currency differs from their listing row's "
        "(not in that row's revenue; never added)."
    )
    listings: list[ListingOccupancy] = Field(description="By name, or in the order asked.")
    gaps_condensed: bool = Field(
        default=False,
        description="True when gap_nights lists only some gaps, upcoming first (see gap_count), so "
        "every listing still fits the output budget.",
    )

    def condensed(self, level: int) -> OccupancyReport | None:
        """Before dropping listings, list fewer orphan gaps per listing: the upcoming ones first
        (a past gap cannot be sold), then the most recent past ones."""
        if level > len(GAPS_KEPT):
            return None
        keep = GAPS_KEPT[level - 1]
        today = date.today()
        rows = [
            row.model_copy(update={"gap_nights": _nearest(row.gap_nights, today, keep)})
            for row in self.listings
        ]
        return self.model_copy(update={"listings": rows, "gaps_condensed": True})


GAPS_KEPT = (8, 4, 2, 1, 0)  # gaps per listing at each condensing level


def _nearest(gaps: list[GapNights], today: date, keep: int) -> list[GapNights]:
    """The ``keep`` gaps nearest today (upcoming ones first), in date order."""
    ranked = sorted(gaps, key=lambda g: (g.end_date <= today, abs((g.start_date - today).days)))
    return sorted(ranked[:keep], key=lambda g: g.start_date)


# ---- Hostaway's financial report ----------------------------------------------------------------


class ReportColumn(Output):
    name: str
    title: str
    value_type: str = Field(description="money, number or string.")


class ColumnTotals(Output):
    currency: str | None
    row_count: int
    totals: dict[str, float] = Field(description="By column name, in this currency only.")


class StatementCurrencyTotals(ColumnTotals):
    expenses_total: float | None = Field(description="The statement's expenses in this currency.")


class FinancialReport(Cuttable):
    items_field: ClassVar[str] = "rows"
    start_date: date
    end_date: date = Field(description="Exclusive.")
    from_date: date = Field(description="fromDate sent to Hostaway (inclusive).")
    to_date: date = Field(description="toDate sent to Hostaway (inclusive: end_date - 1 day).")
    date_type: str
    currency: str | None = Field(description="Null when the rows span several currencies.")
    row_count: int = Field(description="Rows Hostaway returned (before any cut).")
    columns: list[ReportColumn] = Field(description="Columns with data, in Hostaway's order.")
    empty_columns: list[str] = Field(description="Columns that are zero or empty everywhere.")
    totals: dict[str, float] | None = Field(
        description="Hostaway's totals by column name; null when several currencies (never added)."
    )
    totals_by_currency: list[ColumnTotals] = Field(
        description="Hostaway's totals per currency (one report per currency's listings)."
    )
    rows: list[dict[str, Value]] = Field(
        description="One record per reservation: Hostaway's columns and its listing's currency."
    )


# ---- owner statements ---------------------------------------------------------------------------


class OwnerStatementItem(Output):
    id: int
    name: str


class OwnerStatementList(Cuttable):
    items_field: ClassVar[str] = "statements"
    total: int
    statements: list[OwnerStatementItem]


class FormulaTotal(Output):
    name: str
    total: float | None

    @classmethod
    def of(cls, item: FormulaValue) -> FormulaTotal:
        return cls(name=item.name, total=money2(item.value))


class OwnerStatementDetails(Output):
    id: int
    name: str
    invoice_name: str | None
    period_from: date | None = Field(description="First day covered (inclusive).")
    period_to: date | None = Field(description="Last day covered (inclusive, as Hostaway says).")
    date_type: str | None = Field(description="Which reservation date placed bookings in it.")
    listing_ids: list[int]
    statuses: list[str]
    channel_ids: list[int]
    currency: str | None = Field(description="Null when its listings use several currencies.")
    summary: list[FormulaTotal] = Field(
        description="The statement's summary formulas (totals null when currencies are mixed)."
    )
    grand_total: float | None
    expenses_total: float | None
    formula_totals: list[FormulaTotal]
    totals: dict[str, float] | None = Field(
        description="Non-zero column totals of its table; null when currencies are mixed."
    )
    totals_by_currency: list[StatementCurrencyTotals] = Field(
        description="Column totals and expenses per currency (from its rows when mixed)."
    )
    row_count: int = Field(description="Reservation rows in the statement.")
    expense_count: int
    owner_name: str | None
    notes: str | None
    updated_at: datetime | None
    warnings: list[str] = Field(default_factory=list)
