"""Revenue and occupancy reports computed from reservations and calendars (see `analytics` for the
arithmetic). Scans are bounded by the period; calendars are read concurrently and cached."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from itertools import pairwise

import anyio
import anyio.abc

from ..errors import ValidationFailed
from ..hostaway import (
    DateRange,
    Hostaway,
    Listing,
    Progress,
    ReservationQuery,
    Stay,
    no_progress,
)
from .analytics import (
    REVENUE_STATUSES,
    UNKNOWN,
    DateBasis,
    GroupBy,
    Tally,
    in_window,
    month_label,
    months_of,
    revenue_summary,
    sort_groups,
)
from .availability import validate_period
from .concurrency import concurrently
from .formatting import round2
from .models.reports import (
    CurrencyTotals,
    ListingOccupancy,
    OccupancyReport,
    OtherCurrencyRevenue,
    PortfolioOccupancy,
    RevenueGroup,
    RevenueReport,
)
from .occupancy import listing_occupancy, portfolio_totals

logger = logging.getLogger(__name__)

MAX_REPORT_NIGHTS = 366  # one request per listing calendar covers a whole (leap) year
MAX_REPORT_LISTINGS = 200
MAX_GAP_NIGHTS = 30
# While the reservation scan (a chain of dependent pages) runs, only a few calendar reads queue in
# front of it at the rate limiter; once it is done, calendars get the whole pipe.
CALENDAR_WORKERS_WHILE_SCANNING = 2
CALENDAR_WORKERS = 10
SLICE_NIGHTS = 92  # revenue scans of longer periods page in concurrent slices (about quarters)
MAX_SLICES = 4


# ---- validation (shared with the finance report) ------------------------------------------------


def check_listing_ids(listing_ids: Sequence[int] | None) -> list[int] | None:
    """Unique ids in the order given; None means every listing."""
    if not listing_ids:
        return None
    unique = list(dict.fromkeys(listing_ids))
    if len(unique) > MAX_REPORT_LISTINGS:
        raise ValidationFailed(
            f"{len(unique)} listing ids given; at most {MAX_REPORT_LISTINGS} per report. Omit "
            "listing_ids for the whole portfolio."
        )
    if any(i < 1 for i in unique):
        raise ValidationFailed("listing_ids must be positive Hostaway listing ids.")
    return unique


def reservation_query(
    basis: DateBasis, start: date, end: date, listing_ids: list[int] | None
) -> ReservationQuery:
    """What bounds the scan to the window; every row is re-checked here. `booked` has no upstream
    filter (reservation date): a full scan."""
    nights = DateRange.of_nights(start, end)
    if basis == "stay":
        # A stay leaving on `start` has no night inside; fetching it is harmless.
        return ReservationQuery(
            listing_ids, arriving=DateRange(last=nights.last), departing=DateRange(start)
        )
    if basis == "arrival":
        return ReservationQuery(listing_ids, arriving=nights)
    if basis == "departure":
        return ReservationQuery(listing_ids, departing=nights)
    return ReservationQuery(listing_ids)


def scan_slices(
    basis: DateBasis, start: date, end: date, listing_ids: list[int] | None
) -> list[ReservationQuery]:
    """The reservation scan split into disjoint date slices that page concurrently.

    A reservation scan is a chain: each page waits for the previous one, so one long chain is bound
    by latency rather than by the rate limit. Periods longer than SLICE_NIGHTS are split by arrival
    (departure for that basis) into up to MAX_SLICES chains; under `stay` one more slice holds the
    stays that began before start_date. Each reservation falls in exactly one slice; the price is
    at most one partly filled page per extra slice."""
    nights = (end - start).days
    count = min(MAX_SLICES, -(-nights // SLICE_NIGHTS))
    if basis == "booked" or count <= 1:
        return [reservation_query(basis, start, end, listing_ids)]
    edges = [start + timedelta(days=nights * i // count) for i in range(count + 1)]
    by_departure = basis == "departure"
    slices = [
        ReservationQuery(
            listing_ids,
            arriving=None if by_departure else DateRange.of_nights(first, stop),
            departing=DateRange.of_nights(first, stop) if by_departure else None,
        )
        for first, stop in pairwise(edges)
    ]
    if basis == "stay":
        arrived_before = DateRange(last=start - timedelta(days=1))
        slices.insert(
            0,
            ReservationQuery(
                listing_ids=listing_ids, departing=DateRange(start), arriving=arrived_before
            ),
        )
    return slices


class _Steps:
    """One increasing progress counter shared by concurrent work (pages and calendars)."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.pages = 0
        self.calendars = 0
        self.calendars_total: int | None = None

    async def page(self, done: float, total: float | None, message: str) -> None:
        self.pages += 1
        await self._report(message)

    async def calendar(self) -> None:
        self.calendars += 1
        await self._report(f"read calendar {self.calendars} of {self.calendars_total or '?'}")

    async def _report(self, message: str) -> None:
        await self.progress(self.pages + self.calendars, None, message)


# ---- revenue ------------------------------------------------------------------------------------


async def get_revenue_report(
    hostaway: Hostaway,
    *,
    start: date,
    end: date,
    listing_ids: Sequence[int] | None,
    group_by: GroupBy,
    date_basis: DateBasis,
    progress: Progress = no_progress,
) -> RevenueReport:
    validate_period(start, end, max_nights=MAX_REPORT_NIGHTS)
    ids = check_listing_ids(listing_ids)
    steps = _Steps(progress)
    listings: dict[int, Listing] = {}
    found: list[Stay] = []

    async def scan(query: ReservationQuery) -> None:
        found.extend(await hostaway.stays(query, steps.page))

    async def names() -> None:
        listings.update(await hostaway.listings_by_id())

    async with concurrently() as group:
        for query in scan_slices(date_basis, start, end, ids):
            group.start_soon(scan, query)
        if group_by == "listing":
            group.start_soon(names)
    wanted = set(ids) if ids else None
    # Slices finish in any order: sum in id order, so the same data always gives the same cents.
    rows = sorted(
        (
            r
            for r in found
            if (wanted is None or r.listing_id in wanted) and in_window(r, date_basis, start, end)
        ),
        key=lambda r: r.id,
    )
    if not listings and any(r.currency is None for r in rows):
        listings.update(await hostaway.listings_by_id())
    summary = revenue_summary(
        rows,
        start,
        end,
        basis=date_basis,
        group_by=group_by,
        listing_currency={i: item.currency for i, item in listings.items()},
    )
    groups = dict(summary.groups)
    names_by_key = {str(i): item.name for i, item in listings.items()}
    for r in rows:
        if r.listing_name and r.listing_id is not None:
            names_by_key.setdefault(str(r.listing_id), r.listing_name)
    notes = _revenue_notes(summary.by_currency, date_basis, ids, listings)
    if group_by == "listing":
        considered = ids or [i for i, item in listings.items() if not item.archived]
        present = {key for key, _ in groups}
        for listing_id in considered:
            if listing_id in listings and str(listing_id) not in present:
                groups[(str(listing_id), listings[listing_id].currency or UNKNOWN)] = Tally()
    elif group_by == "month":
        for currency in summary.by_currency:
            for month in months_of(start, end):
                groups.setdefault((month, currency), Tally())

    def label(key: str) -> str:
        if group_by == "month":
            return month_label(key)
        if group_by == "listing":
            return names_by_key.get(key, f"Listing {key}")
        return key

    return RevenueReport(
        start_date=start,
        end_date=end,
        date_basis=date_basis,
        group_by=group_by,
        listing_ids=ids,
        statuses_counted=list(REVENUE_STATUSES),
        currency_totals=[
            CurrencyTotals.of(currency, summary.by_currency[currency])
            for currency in sorted(summary.by_currency)
        ],
        groups=[
            RevenueGroup.of(key, label(key), currency, tally)
            for key, currency, tally in sort_groups(groups, group_by, label)
        ],
        notes=notes,
    )


def _revenue_notes(
    by_currency: dict[str, Tally],
    basis: DateBasis,
    ids: list[int] | None,
    listings: dict[int, Listing],
) -> list[str]:
    notes: list[str] = []
    unpriced = sorted(i for tally in by_currency.values() for i in tally.unpriced)
    if unpriced:
        shown = ", ".join(str(i) for i in unpriced[:10])
        notes.append(
            f"{len(unpriced)} confirmed booking(s) have no totalPrice in Hostaway and count as 0 "
            f"revenue (their nights are counted): {shown}{' …' if len(unpriced) > 10 else ''}."
        )
    if len(by_currency) > 1:
        notes.append("Several currencies: amounts are reported per currency, never added.")
    if basis == "booked":
        notes.append(
            "date_basis=booked: Hostaway cannot filter by booking date, so every reservation "
            "of the account (or listing) was read and filtered here."
        )
    missing = [i for i in ids or [] if listings and i not in listings]
    if missing:
        notes.append(f"Listing ids not found among the account's listings: {missing}.")
    return notes


# ---- occupancy ----------------------------------------------------------------------------------


async def get_occupancy_report(
    hostaway: Hostaway,
    *,
    start: date,
    end: date,
    listing_ids: Sequence[int] | None,
    gap_max_nights: int,
    progress: Progress = no_progress,
) -> OccupancyReport:
    validate_period(start, end, max_nights=MAX_REPORT_NIGHTS)
    ids = check_listing_ids(listing_ids)
    if not 1 <= gap_max_nights <= MAX_GAP_NIGHTS:
        raise ValidationFailed(f"gap_max_nights must be between 1 and {MAX_GAP_NIGHTS}.")
    # Arrivals on end_date are read too: such a stay can close an orphan gap inside the period.
    query = ReservationQuery(
        listing_ids=ids, departing=DateRange(start), arriving=DateRange(last=end)
    )
    steps = _Steps(progress)
    workers = anyio.CapacityLimiter(CALENDAR_WORKERS_WHILE_SCANNING)
    reservations: list[Stay] = []
    closed: dict[int, set[date]] = {}
    targets: list[Listing] = []

    async def scan() -> None:
        try:
            reservations.extend(await hostaway.stays(query, steps.page))
        finally:
            workers.total_tokens = CALENDAR_WORKERS

    async def calendar(listing_id: int) -> None:
        async with workers:
            closed[listing_id] = await hostaway.closed_nights(
                listing_id, DateRange.of_nights(start, end)
            )
        await steps.calendar()

    async def resolve_listings() -> None:
        every = await hostaway.listings_by_id()
        if ids is None:
            chosen = sorted(
                (item for item in every.values() if not item.archived),
                key=lambda item: (item.name.lower(), item.id),
            )
        else:
            # Not in the scan (e.g. archived): read it alone, which raises a clear NotFound.
            chosen = [every[i] if i in every else await hostaway.listing(i) for i in ids]
        targets.extend(chosen)

    async with concurrently() as group:
        group.start_soon(scan)
        if ids is not None:
            steps.calendars_total = len(ids)
            for listing_id in ids:  # start at once; names arrive alongside
                group.start_soon(calendar, listing_id)
            await resolve_listings()
        else:
            await resolve_listings()
            steps.calendars_total = len(targets)
            for item in targets:
                group.start_soon(calendar, item.id)
    by_listing: dict[int, list[Stay]] = defaultdict(list)
    for r in reservations:
        by_listing[r.listing_id or 0].append(r)
    rows = [
        listing_occupancy(
            item,
            closed.get(item.id, set()),
            by_listing[item.id],
            start,
            end,
            gap_max_nights=gap_max_nights,
        )
        for item in targets
    ]
    logger.info(
        "occupancy report",
        extra={
            "listings": len(rows),
            "reservations": len(reservations),
            "nights": (end - start).days,
        },
    )
    return OccupancyReport(
        start_date=start,
        end_date=end,
        gap_max_nights=gap_max_nights,
        statuses_counted=list(REVENUE_STATUSES),
        portfolio=[PortfolioOccupancy.of(t) for t in portfolio_totals(rows)],
        listings_total=len(rows),
        revenue_other_currencies=[
            OtherCurrencyRevenue(
                listing_id=row.listing_id, currency=currency, revenue=round2(amount)
            )
            for row in rows
            for currency, amount in row.other_revenue.items()
        ],
        listings=[ListingOccupancy.of(row) for row in rows],
    )
