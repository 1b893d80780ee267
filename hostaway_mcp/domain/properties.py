"""Properties, availability and price quotes."""

from __future__ import annotations

from datetime import date

from ..config import Settings
from ..errors import BadRequest
from ..hostaway import DateRange, Hostaway, Listing, PriceDetails, Progress, SyncStatus, no_progress
from .availability import capacity_reason, evaluate_stay, validate_period
from .concurrency import concurrently
from .cursor import decode_cursor, encode_cursor
from .dates import nights_of
from .models.properties import (
    Availability,
    AvailableProperties,
    AvailableProperty,
    ConnectionStatus,
    NightDetail,
    PriceQuote,
    PropertyDetails,
    PropertyList,
    PropertySummary,
    QuoteComponent,
    SyncCounts,
    SyncReport,
)

CALENDAR_BATCH = 10


async def connection_status(hostaway: Hostaway, settings: Settings) -> ConnectionStatus:
    listings_total = await hostaway.check()
    mirror = await hostaway.sync_status()
    return ConnectionStatus(
        ok=True,
        account_id=settings.client_id,
        listings_total=listings_total,
        read_only=settings.read_only,
        demo=settings.demo,
        api_base_url="built-in demo sandbox (simulated data)"
        if settings.demo
        else settings.base_url,
        upstream_requests=hostaway.stats.requests,
        sync_state=mirror.state,
    )


async def sync_status(hostaway: Hostaway) -> SyncReport:
    status = await hostaway.sync_status()
    return SyncReport(
        state=status.state,
        progress=status.progress,
        counts=SyncCounts(
            **{k: v for k, v in status.counts.items() if k in SyncCounts.model_fields}
        ),
        last_full_sync_at=status.last_full_sync_at,
        last_refresh_at=status.last_refresh_at,
        store_path=status.store_path,
        error=status.error,
        seconds_left=None if status.seconds_left is None else int(status.seconds_left),
        summary=_sync_summary(status),
    )


def _sync_summary(status: SyncStatus) -> str:
    if status.state == "off":
        return "No local copy (HOSTAWAY_STORE=off): every answer is read live from Hostaway."
    if status.state == "error":
        return f"The local copy has a problem, so answers are read live: {status.error}"
    if status.state == "syncing":
        left = status.seconds_left
        when = f", about {max(1, round(left / 60))} min left" if left else ""
        return (
            f"Copying the account to this computer: {status.progress:.0%} done{when}. Until "
            "then, questions are answered live when that is quick enough."
        )
    return "The local copy is ready: portfolio answers come from it, kept current every minute."


async def list_all_properties(
    hostaway: Hostaway,
    *,
    search: str | None,
    city: str | None,
    country: str | None,
    min_bedrooms: int | None,
    min_guests: int | None,
    limit: int,
    cursor: str | None,
    progress: Progress = no_progress,
) -> PropertyList:
    filters = {
        "search": search,
        "city": city,
        "country": country,
        "min_bedrooms": min_bedrooms,
        "min_guests": min_guests,
    }
    start = decode_cursor(cursor, "list_all_properties", filters) or 0
    listings = await hostaway.listings(name=search, city=city, country=country, progress=progress)
    matches = [
        listing
        for listing in listings
        if (min_bedrooms is None or (listing.bedrooms or 0) >= min_bedrooms)
        and (min_guests is None or (listing.max_guests or 0) >= min_guests)
    ]
    shown = matches[start : start + limit]
    resume: list[str | None] = [
        encode_cursor("list_all_properties", start + i + 1, filters) for i in range(len(shown))
    ]
    end = start + len(shown)
    return PropertyList(
        properties=[PropertySummary.of(listing) for listing in shown],
        total=len(matches),
        total_is_exact=True,
        next_cursor=encode_cursor("list_all_properties", end, filters)
        if end < len(matches)
        else None,
    ).with_resume(resume)


async def get_property_details(
    hostaway: Hostaway, listing_id: int, *, include_access_codes: bool, full_text: bool
) -> PropertyDetails:
    listing = await hostaway.listing(listing_id)
    return PropertyDetails.of(
        listing, include_access_codes=include_access_codes, full_text=full_text
    )


async def check_availability(
    hostaway: Hostaway, listing_id: int, start: date, end: date, progress: Progress = no_progress
) -> Availability:
    nights = validate_period(start, end)
    listing = await hostaway.listing(listing_id)
    await progress(1, 2, "read the listing")
    # Read through the check-out day too: its closedOnDeparture flag matters.
    # One property, asked about now: its calendar as Hostaway has it, not the mirror's copy.
    days = await hostaway.calendar(listing_id, DateRange(start, end), live=True)
    check = evaluate_stay(days, start, end)
    await progress(2, 2, "read the calendar")
    return Availability(
        listing_id=listing_id,
        start_date=start,
        end_date=end,
        nights=nights,
        available=check.available,
        reasons=check.reasons,
        unavailable_dates=check.unavailable_dates,
        total_nightly_price=check.total_price,
        currency=listing.currency,
        nights_detail=[
            NightDetail(
                date=night,
                available=night in days and days[night].available,
                status=days[night].status if night in days else None,
                price=days[night].price if night in days else None,
                min_stay=days[night].min_stay if night in days else None,
            )
            for night in nights_of(start, end)
        ],
    )


async def find_available_properties(
    hostaway: Hostaway,
    *,
    start: date,
    end: date,
    guests: int | None,
    city: str | None,
    limit: int,
    progress: Progress = no_progress,
) -> AvailableProperties:
    nights = validate_period(start, end)
    # Hostaway's availability filter narrows the candidates; its end-date semantics are not
    # documented, so it gets the last night (never stricter than the truth) and every candidate
    # is confirmed against its own calendar below.
    candidates = await hostaway.listings(
        city=city, free=DateRange.of_nights(start, end), guests=guests
    )
    if guests is not None:
        candidates = [c for c in candidates if (c.max_guests or 0) >= guests]
    found: list[AvailableProperty] = []
    checked = 0
    await progress(0, len(candidates), f"checking {len(candidates)} calendars")
    for offset in range(0, len(candidates), CALENDAR_BATCH):
        batch = candidates[offset : offset + CALENDAR_BATCH]
        results: dict[int, AvailableProperty | None] = {}

        async def check(listing: Listing, results: dict[int, AvailableProperty | None]) -> None:
            days = await hostaway.calendar(listing.id, DateRange(start, end))
            stay = evaluate_stay(days, start, end)
            results[listing.id] = (
                AvailableProperty(
                    id=listing.id,
                    name=listing.name,
                    city=listing.city,
                    bedrooms=listing.bedrooms,
                    max_guests=listing.max_guests,
                    total_nightly_price=stay.total_price,
                    currency=listing.currency,
                )
                if stay.available
                else None
            )

        async with concurrently() as group:
            for listing in batch:
                group.start_soon(check, listing, results)
        checked += len(batch)
        found.extend(r for listing in batch if (r := results[listing.id]) is not None)
        await progress(checked, len(candidates), f"checked {checked} of {len(candidates)}")
        if len(found) >= limit:
            break
    return AvailableProperties(
        start_date=start,
        end_date=end,
        nights=nights,
        guests=guests,
        properties=found[:limit],
        candidates_checked=checked,
        candidates_total=len(candidates),
        complete=checked == len(candidates) and len(found) <= limit,
    )


async def get_price_quote(
    hostaway: Hostaway,
    listing_id: int,
    start: date,
    end: date,
    guests: int,
    progress: Progress = no_progress,
    *,
    today: date | None = None,
) -> PriceQuote:
    """Hostaway's price, and whether the stay can be booked at all (check_availability's rules
    plus the party size): a price is never quoted for an impossible stay without saying so."""
    validate_period(start, end)
    listing = await hostaway.listing(listing_id)
    await progress(1, 3, "read the listing")
    # Through the check-out day: its closedOnDeparture flag matters. Live, like the quote: one
    # stay asked about now, not the local copy's calendar (up to half an hour old).
    days = await hostaway.calendar(listing_id, DateRange(start, end), live=True)
    check = evaluate_stay(days, start, end, today=today or date.today())
    reasons = [*check.reasons, *filter(None, [capacity_reason(listing, guests)])]
    await progress(2, 3, "read the calendar")
    try:
        # Hostaway's quote range ends on the departure day itself.
        quote = await hostaway.price_quote(listing_id, DateRange(start, end), guests)
    except BadRequest as exc:
        if not reasons:
            raise
        quote = PriceDetails()  # it would not price an impossible stay: say why, price none
        reasons.append(f"Hostaway would not price it: {exc.message}")
    await progress(3, 3, "priced the stay")
    return PriceQuote(
        listing_id=listing_id,
        start_date=start,
        end_date=end,
        guests=guests,
        bookable=not reasons,
        reasons=reasons,
        total_price=quote.total_price,
        currency=listing.currency,
        components=[
            QuoteComponent(
                name=c.name, type=c.type, amount=c.amount, included_in_total=c.included_in_total
            )
            for c in quote.components
        ],
    )
