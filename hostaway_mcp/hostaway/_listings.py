"""Listings, their calendars and Hostaway's price quotes."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date

from ..errors import NotFound
from ._base import Params, Reads, cache_key, clean, day
from .entities import CalendarDay, Listing, PriceDetails
from .types import DateRange, Progress, no_progress

LISTING_PAGE_SIZE = 200


def listing_missing(listing_id: int) -> NotFound:
    return NotFound(
        f"Listing {listing_id} was not found.", hint="Use list_all_properties to find listing ids."
    )


def listing_params(
    *,
    name: str | None,
    city: str | None,
    country: str | None,
    free: DateRange | None,
    guests: int | None,
) -> Params:
    return clean(
        {
            "match": name,
            "city": city,
            "country": country,
            "availabilityDateStart": day(free.first) if free else None,
            "availabilityDateEnd": day(free.last) if free else None,
            "availabilityGuestNumber": guests,
        }
    )


class ListingReads(Reads):
    async def listings(
        self,
        *,
        name: str | None = None,
        city: str | None = None,
        country: str | None = None,
        free: DateRange | None = None,
        guests: int | None = None,
        progress: Progress = no_progress,
    ) -> list[Listing]:
        """Every listing Hostaway's own filters keep (all pages), cached. `free` and `guests` use
        Hostaway's availability filter: a narrowing, not a guarantee."""
        query = listing_params(name=name, city=city, country=country, free=free, guests=guests)

        async def load() -> list[Listing]:
            found: list[Listing] = []
            async for page in self._client.iter_offset_pages(
                "/listings", query, page_size=LISTING_PAGE_SIZE
            ):
                found.extend(Listing.from_api(raw) for raw in page.items)
                await progress(len(found), page.count, f"read {len(found)} listings")
            return found

        return await self._cache.get_or_load(cache_key("listings", query), load)

    async def listings_by_id(self) -> dict[int, Listing]:
        """Every listing by id (one cached scan), e.g. to name the listings of bookings."""
        return {listing.id: listing for listing in await self.listings()}

    async def listing(self, listing_id: int) -> Listing:
        async def load() -> Listing:
            raw = await self._one(f"/listings/{listing_id}", listing_missing(listing_id))
            return Listing.from_api(raw)

        return await self._cache.get_or_load(("listing", listing_id), load)

    # ---- calendar and prices --------------------------------------------------------------------

    async def calendar(
        self, listing_id: int, days: DateRange, *, fresh: bool = False
    ) -> dict[date, CalendarDay]:
        """Calendar days of one listing, by date. ``fresh`` reads past the cache: a write is checked
        against the calendar as Hostaway has it now."""
        first, last = days.bounds()
        if fresh:
            self.forget_listing(listing_id)

        async def load() -> dict[date, CalendarDay]:
            try:
                raw = await self._client.get(
                    f"/listings/{listing_id}/calendar",
                    {"startDate": first.isoformat(), "endDate": last.isoformat()},
                )
            except NotFound:
                raise listing_missing(listing_id) from None
            mapped = (CalendarDay.from_api(item) for item in raw if isinstance(item, dict))
            return {d.date: d for d in mapped if d is not None and first <= d.date <= last}

        return await self._cache.get_or_load(("calendar", listing_id, first, last), load)

    async def price_quote(self, listing_id: int, stay: DateRange, guests: int) -> PriceDetails:
        """Hostaway's own price for a stay (a POST that creates nothing, so it may be retried)."""
        arrival, departure = stay.bounds()
        envelope = await self._client.request(
            "POST",
            f"/listings/{listing_id}/calendar/priceDetails",
            json_body={
                "startingDate": arrival.isoformat(),
                "endingDate": departure.isoformat(),  # the departure day, per the docs
                "numberOfGuests": guests,
                "version": 2,
            },
        )
        return PriceDetails.from_api(envelope.get("result"))

    def forget_listing(self, listing_id: int) -> None:
        """Drop the cached details and calendars of this listing (a write touched it)."""

        def touches(key: Hashable) -> bool:
            return (
                isinstance(key, tuple)
                and len(key) > 1
                and key[0] in {"calendar", "listing"}
                and key[1] == listing_id
            )

        self._cache.invalidate(touches)
