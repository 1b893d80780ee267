"""Reservations: one by id, and scans narrowed by Hostaway's own filters."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Sequence

from ..errors import NotFound
from ._base import Params, Reads, clean, day
from .entities import Reservation
from .types import DateRange, Progress, ReservationQuery, RowPage, no_progress

RESERVATION_PAGE_SIZE = 100


def one_listing(listing_ids: Sequence[int] | None) -> int | None:
    """Hostaway filters reservations by one listing at most; more are checked by the caller."""
    return listing_ids[0] if listing_ids and len(listing_ids) == 1 else None


def reservation_params(query: ReservationQuery) -> Params:
    arriving = query.arriving or DateRange()
    departing = query.departing or DateRange()
    return clean(
        {
            "listingId": one_listing(query.listing_ids),
            "arrivalStartDate": day(arriving.first),
            "arrivalEndDate": day(arriving.last),
            "departureStartDate": day(departing.first),
            "departureEndDate": day(departing.last),
            "match": query.guest_name,
            "guestEmail": query.guest_email,
            "channelId": query.channel_id,
        }
    )


class ReservationReads(Reads):
    async def reservation(self, reservation_id: int) -> Reservation:
        raw = await self._one(
            f"/reservations/{reservation_id}",
            NotFound(
                f"Reservation {reservation_id} was not found.",
                hint="Use search_bookings to find reservation ids.",
            ),
        )
        return Reservation.from_api(raw)

    async def reservation_pages(
        self,
        query: ReservationQuery,
        *,
        after_id: int | None = None,
        page_size: int = RESERVATION_PAGE_SIZE,
    ) -> AsyncGenerator[RowPage[Reservation], None]:
        """Reservations page by page, most recently updated first; each row's position is its id
        (resume after it with ``after_id``)."""
        pages = self._client.iter_after_id_pages(
            "/reservations",
            reservation_params(query),
            page_size=page_size,
            after_id=after_id,
        )
        async for page in pages:
            rows = [Reservation.from_api(raw) for raw in page.items]
            yield RowPage(rows=[(r.id, r) for r in rows], last=page.last, count=page.count)

    async def reservations(
        self, query: ReservationQuery, progress: Progress = no_progress
    ) -> list[Reservation]:
        """Every reservation the query keeps upstream."""
        found: list[Reservation] = []
        async for page in self.reservation_pages(query):
            found.extend(row for _, row in page.rows)
            await progress(len(found), None, f"read {len(found)} reservations")
        return found

    async def first_reservations(
        self, query: ReservationQuery, limit: int = RESERVATION_PAGE_SIZE
    ) -> list[Reservation]:
        """One request: the first page of reservations the query keeps."""
        result = await self._client.get(
            "/reservations", {**reservation_params(query), "limit": limit}
        )
        rows = result if isinstance(result, list) else []
        return [Reservation.from_api(raw) for raw in rows if isinstance(raw, dict)]

    @staticmethod
    def upstream_filters(query: ReservationQuery) -> list[str]:
        """The filters Hostaway is asked to apply, as `name=value` (for `filters_applied`)."""
        return [f"{name}={value}" for name, value in reservation_params(query).items()]
