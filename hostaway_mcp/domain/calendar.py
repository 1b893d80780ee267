"""The multi-calendar (show_calendar): per property, its bookings, owner stays, closed nights and
orphan gaps over a window of nights. Blocked nights and gaps follow the occupancy report's
definitions (`occupancy`); the rows, runs and today are pure functions below the reads."""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import anyio

from ..errors import ValidationFailed
from ..hostaway import (
    CONFIRMED_STATUSES,
    CalendarDay,
    DateRange,
    Hostaway,
    Listing,
    Progress,
    Reservation,
    ReservationQuery,
    Stay,
    no_progress,
)
from .analytics import OWNER_STAY, overlap
from .concurrency import concurrently
from .models.calendar import (
    GAP_MAX_NIGHTS,
    Calendar,
    CalendarRow,
    CalendarStay,
    NightRun,
    OwnerStay,
)
from .models.common import Output
from .occupancy import blocked_nights, closed_nights, orphan_gaps
from .reports import CALENDAR_WORKERS, check_listing_ids

logger = logging.getLogger(__name__)

MAX_DAYS = 62
# Bookings drawn as bars: confirmed ones solid, holds that may still become one striped. Inquiries,
# cancelled, declined and expired bookings hold no night and are left out.
TENTATIVE_STATUSES = frozenset(
    {"pending", "awaitingPayment", "awaitingGuestVerification", "unconfirmed"}
)
SHOWN_STATUSES = CONFIRMED_STATUSES | TENTATIVE_STATUSES


# ---- pure ---------------------------------------------------------------------------------------


def night_runs(nights: Iterable[date]) -> list[NightRun]:
    """Nights grouped into runs of consecutive nights, in date order."""
    runs: list[list[date]] = []
    for night in sorted(set(nights)):
        if runs and runs[-1][1] == night:
            runs[-1][1] = night + timedelta(days=1)
        else:
            runs.append([night, night + timedelta(days=1)])
    return [NightRun.of(first, stop) for first, stop in runs]


class _Span(NamedTuple):
    booking: Reservation
    arrival: date
    departure: date


def _spans_inside(reservations: Iterable[Reservation], start: date, end: date) -> list[_Span]:
    """The bookings with a night in [start, end), by arrival."""
    spans = [
        _Span(r, r.arrival, r.departure)
        for r in reservations
        if r.arrival is not None and r.departure is not None and overlap(r, start, end)
    ]
    return sorted(spans, key=lambda span: (span.arrival, span.booking.id))


def calendar_row(
    listing: Listing,
    reservations: Iterable[Reservation],
    start: date,
    end: date,
    days: Mapping[date, CalendarDay] | None,
) -> CalendarRow:
    """One property over the nights [start, end). ``reservations`` may hold other listings' rows
    (skipped) and stays that only touch the window (a departure on ``start`` or an arrival on
    ``end`` can close an orphan gap). ``days`` None: the calendar is not read yet, so the row has no
    blocked nights and no gaps (its smallest form)."""
    mine = list({r.id: r for r in reservations if r.listing_id == listing.id}.values())
    inside = _spans_inside(mine, start, end)
    blocked: list[NightRun] = []
    gaps: list[NightRun] = []
    if days is not None:
        closed = closed_nights(days)
        stays = [Stay.of(r) for r in mine]
        blocked = night_runs(blocked_nights(stays, closed, start, end))
        found = orphan_gaps(stays, closed, start, end, GAP_MAX_NIGHTS)
        gaps = [NightRun.of(gap.start, gap.end) for gap in found]
    return CalendarRow(
        id=listing.id,
        name=listing.name,
        city=listing.city,
        stays=[CalendarStay.of(*span) for span in inside if span.booking.status in SHOWN_STATUSES],
        owner_stays=[
            OwnerStay(reservation_id=r.id, arrival_date=arrival, departure_date=departure)
            for r, arrival, departure in inside
            if r.status == OWNER_STAY
        ],
        blocked=blocked,
        gaps=gaps,
    )


def local_today(now: datetime, time_zones: Iterable[str | None]) -> date:
    """Today in the time zone most of these listings share (the first one listed on a tie); the
    server's own date when none is known or installed."""
    for zone, _ in Counter(zone for zone in time_zones if zone).most_common():
        try:
            return now.astimezone(ZoneInfo(zone)).date()
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return now.astimezone().date()


def json_chars(model: Output) -> int:
    """Characters of a model as JSON, measured as the output budget measures a result."""
    return len(json.dumps(model.model_dump(mode="json"), ensure_ascii=False))


def rows_within(shell: int, row_sizes: Sequence[int], max_chars: int) -> int:
    """How many leading rows fit in ``max_chars`` next to ``shell`` (the answer without rows),
    with the ", " between rows; at least one when there is any."""
    totals = accumulate(size + 2 for size in row_sizes)
    fitting = sum(1 for total in totals if shell - 2 + total <= max_chars)
    return max(fitting, min(1, len(row_sizes)))


# ---- reads --------------------------------------------------------------------------------------


async def _choose_listings(
    hostaway: Hostaway, ids: list[int] | None, city: str | None
) -> list[Listing]:
    """Every active listing by name, or the ids asked in their order; only those in `city` (as
    Hostaway's own city filter finds them) when it is given."""
    pool = await hostaway.listings(city=city) if city else None
    if ids is None:
        every = pool if pool is not None else await hostaway.listings()
        return sorted(
            (item for item in every if not item.archived),
            key=lambda item: (item.name.lower(), item.id),
        )
    known = await hostaway.listings_by_id()
    # Not in the scan (e.g. archived): read it alone, which raises a clear NotFound.
    chosen = [known[i] if i in known else await hostaway.listing(i) for i in ids]
    if pool is None:
        return chosen
    in_city = {item.id for item in pool}
    return [item for item in chosen if item.id in in_city]


async def _read_calendars(
    hostaway: Hostaway,
    listings: Sequence[Listing],
    nights: DateRange,
    step: Callable[[str], Awaitable[None]],
) -> dict[int, Mapping[date, CalendarDay]]:
    """One calendar per listing, concurrently (bounded like the occupancy report's reads)."""
    calendars: dict[int, Mapping[date, CalendarDay]] = {}
    workers = anyio.CapacityLimiter(CALENDAR_WORKERS)

    async def read(listing_id: int) -> None:
        async with workers:
            calendars[listing_id] = await hostaway.calendar(listing_id, nights)
        await step(f"read calendar {len(calendars)} of {len(listings)}")

    async with concurrently() as group:
        for item in listings:
            group.start_soon(read, item.id)
    return calendars


async def show_calendar(
    hostaway: Hostaway,
    *,
    start: date | None,
    days: int,
    listing_ids: Sequence[int] | None,
    city: str | None,
    max_chars: int | None = None,
    now: datetime | None = None,
    progress: Progress = no_progress,
) -> Calendar:
    """``max_chars``: the output budget. Calendars are read only for the leading listings whose
    rows can fit in it (the budget would cut the others anyway); `truncated` then says so."""
    if not 1 <= days <= MAX_DAYS:
        raise ValidationFailed(f"days must be between 1 and {MAX_DAYS}.")
    ids = check_listing_ids(listing_ids)
    city = city.strip() if city and city.strip() else None
    targets = await _choose_listings(hostaway, ids, city)
    today = local_today(now or datetime.now(UTC), (item.time_zone for item in targets))
    start = start or today
    end = start + timedelta(days=days)
    done = 0

    async def step(message: str) -> None:
        nonlocal done
        done += 1
        await progress(done, None, message)

    async def page(count: float, total: float | None, message: str) -> None:
        await step(message)

    reservations: list[Reservation] = []
    if targets:
        # Departures on start_date and arrivals on end_date too: they can close an orphan gap.
        narrowed = [item.id for item in targets] if ids or city else None
        query = ReservationQuery(narrowed, departing=DateRange(start), arriving=DateRange(last=end))
        reservations = await hostaway.reservations(query, page)
    by_listing: dict[int, list[Reservation]] = defaultdict(list)
    for r in reservations:
        by_listing[r.listing_id or 0].append(r)
    shell = Calendar(
        start_date=start,
        end_date=end,
        days=days,
        today=today,
        listings_total=len(targets),
        listings=[],
    )
    smallest = [calendar_row(item, by_listing[item.id], start, end, None) for item in targets]
    keep = len(targets)
    if max_chars is not None:
        keep = rows_within(json_chars(shell), [json_chars(row) for row in smallest], max_chars)
    shown = targets[:keep]
    calendars = await _read_calendars(hostaway, shown, DateRange.of_nights(start, end), step)
    logger.info(
        "calendar",
        extra={"listings": len(targets), "shown": len(shown), "reservations": len(reservations)},
    )
    return Calendar(
        truncated=len(shown) < len(targets),
        start_date=start,
        end_date=end,
        days=days,
        today=today,
        listings_total=len(targets),
        listings=[
            calendar_row(item, by_listing[item.id], start, end, calendars[item.id])
            for item in shown
        ],
    )
