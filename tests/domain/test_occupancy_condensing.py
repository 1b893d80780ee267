"""Condensing the occupancy answer keeps the orphan gaps that can still be sold: upcoming first."""

from __future__ import annotations

from datetime import date, timedelta

from hostaway_mcp.domain.models.reports import GapNights, ListingOccupancy, OccupancyReport

TODAY = date.today()


def gap(offset: int, nights: int = 2) -> GapNights:
    start = TODAY + timedelta(days=offset)
    return GapNights(start_date=start, end_date=start + timedelta(days=nights), nights=nights)


def report(gaps: list[GapNights]) -> OccupancyReport:
    row = ListingOccupancy(
        listing_id=1,
        name="Loft",
        nights_in_period=365,
        booked_nights=200,
        owner_nights=0,
        blocked_nights=0,
        available_nights=365,
        occupancy_rate=0.55,
        revenue=1000.0,
        adr=5.0,
        revpar=2.74,
        currency="EUR",
        gap_nights=gaps,
        gap_count=len(gaps),
    )
    return OccupancyReport(
        start_date=TODAY - timedelta(days=180),
        end_date=TODAY + timedelta(days=185),
        gap_max_nights=3,
        statuses_counted=["new", "modified"],
        portfolio=[],
        listings_total=1,
        revenue_other_currencies=[],
        listings=[row],
    )


def test_upcoming_gaps_are_kept_before_past_ones_even_when_a_past_one_is_nearer() -> None:
    gaps = [gap(-40), gap(-3), gap(-1, 1), gap(5), gap(60), gap(90)]
    condensed = report(gaps).condensed(3)  # level 3 keeps 2 gaps per listing
    assert condensed is not None and condensed.gaps_condensed
    [row] = condensed.listings
    assert row.gap_nights == [gap(5), gap(60)]
    assert row.gap_count == 6


def test_a_gap_under_way_today_still_counts_as_upcoming() -> None:
    current = GapNights(
        start_date=TODAY - timedelta(days=1), end_date=TODAY + timedelta(days=1), nights=2
    )
    condensed = report([gap(-2), current, gap(30)]).condensed(4)  # keeps 1
    assert condensed is not None
    assert condensed.listings[0].gap_nights == [current]


def test_past_gaps_fill_in_only_when_there_are_not_enough_upcoming_ones() -> None:
    condensed = report([gap(-30), gap(-5), gap(10)]).condensed(3)
    assert condensed is not None
    assert condensed.listings[0].gap_nights == [gap(-5), gap(10)]
