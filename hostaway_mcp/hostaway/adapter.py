"""Typed, cached reads over the client. Raw Hostaway dicts are mapped to entities here, once."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Generic, TypeVar

from ..errors import NotFound
from ._cache import TTLCache
from ._client import HostawayClient
from ._values import as_int
from .entities import CalendarDay, Conversation, Listing, PriceDetails, Reservation

T = TypeVar("T")
Progress = Callable[[float, float | None, str], Awaitable[None]]

LISTING_PAGE_SIZE = 200
# Without it, embedded objects (a conversation's reservation and messages) come back empty.
WITH_RESOURCES = {"includeResources": 1}
RESERVATION_PAGE_SIZE = 100


async def no_progress(done: float, total: float | None, message: str) -> None:
    """The default progress sink: nobody is listening."""


@dataclass(frozen=True)
class RowPage(Generic[T]):
    """One upstream page as (resume position, row) pairs; `last` when no page follows."""

    rows: list[tuple[int, T]]
    last: bool


def _key(*parts: Any) -> tuple[Any, ...]:
    return tuple(tuple(sorted(p.items())) if isinstance(p, Mapping) else p for p in parts)


class Gateway:
    """The one door to Hostaway for the services: typed results, TTL cache for slow-changing data."""

    def __init__(self, client: HostawayClient, cache_ttl: float) -> None:
        self.client = client
        self.cache = TTLCache(cache_ttl)

    # ---- listings ---------------------------------------------------------------------------

    async def listings(
        self, filters: Mapping[str, Any] | None = None, progress: Progress = no_progress
    ) -> list[Listing]:
        """Every listing matching Hostaway's own filters (all pages), cached."""
        params = {k: v for k, v in (filters or {}).items() if v is not None}

        async def load() -> list[Listing]:
            found: list[Listing] = []
            async for page in self.client.iter_offset_pages(
                "/listings", params, page_size=LISTING_PAGE_SIZE
            ):
                found.extend(Listing.from_api(raw) for raw in page.items)
                await progress(len(found), page.count, f"read {len(found)} listings")
            return found

        return await self.cache.get_or_load(_key("listings", params), load)

    async def one(
        self, path: str, missing: NotFound, params: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """GET one object; ``missing`` when Hostaway has none (404, a fail, or an empty result)."""
        try:
            raw = await self.client.get(path, params)
        except NotFound:
            raw = None
        if not isinstance(raw, dict) or as_int(raw.get("id")) is None:
            raise missing
        return raw

    async def listing(self, listing_id: int) -> Listing:
        async def load() -> Listing:
            raw = await self.one(
                f"/listings/{listing_id}",
                NotFound(
                    f"Listing {listing_id} was not found.",
                    hint="Use list_all_properties to find listing ids.",
                ),
            )
            return Listing.from_api(raw)

        return await self.cache.get_or_load(("listing", listing_id), load)

    async def listing_names(self) -> dict[int, Listing]:
        """All listings by id (one cached scan) for naming things in bookings and reports."""
        return {listing.id: listing for listing in await self.listings()}

    # ---- calendar ---------------------------------------------------------------------------

    async def calendar(self, listing_id: int, first: date, last: date) -> dict[date, CalendarDay]:
        """Calendar days first..last (both inclusive, as Hostaway's range is), by date."""

        async def load() -> dict[date, CalendarDay]:
            try:
                raw = await self.client.get(
                    f"/listings/{listing_id}/calendar",
                    {"startDate": first.isoformat(), "endDate": last.isoformat()},
                )
            except NotFound:
                raise NotFound(
                    f"Listing {listing_id} was not found.",
                    hint="Use list_all_properties to find listing ids.",
                ) from None
            days = (CalendarDay.from_api(item) for item in raw if isinstance(item, dict))
            return {day.date: day for day in days if day is not None and first <= day.date <= last}

        return await self.cache.get_or_load(("calendar", listing_id, first, last), load)

    async def price_details(
        self, listing_id: int, start: date, end: date, guests: int
    ) -> PriceDetails:
        """Hostaway's own quote (a POST that creates nothing, so it may be retried)."""
        envelope = await self.client.request(
            "POST",
            f"/listings/{listing_id}/calendar/priceDetails",
            json_body={
                "startingDate": start.isoformat(),
                "endingDate": end.isoformat(),  # the departure day, per the docs
                "numberOfGuests": guests,
                "version": 2,
            },
        )
        return PriceDetails.from_api(envelope.get("result"))

    def invalidate_listing(self, listing_id: int) -> None:
        """A write touched this listing: forget its details and calendars."""

        def touches(key: Hashable) -> bool:
            return (
                isinstance(key, tuple)
                and len(key) > 1
                and key[0] in {"calendar", "listing"}
                and key[1] == listing_id
            )

        self.cache.invalidate(touches)

    # ---- reservations -----------------------------------------------------------------------

    async def reservation(self, reservation_id: int) -> Reservation:
        raw = await self.one(
            f"/reservations/{reservation_id}",
            NotFound(
                f"Reservation {reservation_id} was not found.",
                hint="Use search_bookings to find reservation ids.",
            ),
        )
        return Reservation.from_api(raw)

    # ---- conversations ----------------------------------------------------------------------

    async def conversation(self, conversation_id: int) -> Conversation:
        """One conversation with its embedded reservation and latest message."""
        raw = await self.one(
            f"/conversations/{conversation_id}",
            NotFound(
                f"Conversation {conversation_id} was not found.",
                hint="Use list_conversations (or get_inbox_triage) to find conversation ids.",
            ),
            WITH_RESOURCES,
        )
        return Conversation.from_api(raw)

    async def reservation_pages(
        self,
        params: Mapping[str, Any],
        *,
        after_id: int | None = None,
        page_size: int = RESERVATION_PAGE_SIZE,
    ) -> AsyncIterator[RowPage[Reservation]]:
        """Reservations page by page (afterId cursor); each row's position is its id."""
        clean = {k: v for k, v in params.items() if v is not None}
        pages = self.client.iter_after_id_pages(
            "/reservations", clean, page_size=page_size, after_id=after_id
        )
        async for page in pages:
            rows = [Reservation.from_api(raw) for raw in page.items]
            yield RowPage(rows=[(r.id, r) for r in rows], last=page.last)

    async def reservations_page(
        self, params: Mapping[str, Any], limit: int = RESERVATION_PAGE_SIZE
    ) -> list[Reservation]:
        """One request: the first page of reservations matching the filters."""
        clean = {k: v for k, v in params.items() if v is not None}
        result = await self.client.get("/reservations", {**clean, "limit": limit})
        rows = result if isinstance(result, list) else []
        return [Reservation.from_api(raw) for raw in rows if isinstance(raw, dict)]

    async def reservations(
        self, params: Mapping[str, Any], progress: Progress = no_progress
    ) -> list[Reservation]:
        """Every reservation matching the upstream filters."""
        found: list[Reservation] = []
        async for page in self.reservation_pages(params):
            found.extend(row for _, row in page.rows)
            await progress(len(found), None, f"read {len(found)} reservations")
        return found


def last_night(end_date: date) -> date:
    """Our periods end on the check-out day (exclusive); Hostaway's ranges end on the last night."""
    return end_date - timedelta(days=1)
