"""The portfolio-wide reads, answered from the local mirror when it holds the exact answer and
from Hostaway otherwise. Same rows, same order, same pages (so a cursor from either side resumes
on the other); the live code of each area is untouched below this layer."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from datetime import date
from typing import TypeVar

from ._limiter import background_priority
from ._listings import ListingReads, listing_params
from ._messaging import MessageReads
from ._operations import OperationReads, review_params, task_params
from ._reservations import RESERVATION_PAGE_SIZE, ReservationReads, reservation_params
from .entities import (
    CalendarDay,
    Conversation,
    Expense,
    Listing,
    Reservation,
    Review,
    Stay,
    Task,
)
from .mirror import Mirror, NotMirrored
from .types import DateRange, Progress, ReservationQuery, RowPage, no_progress

T = TypeVar("T")
OffsetFetch = Callable[[int, int], Awaitable[tuple[list[T], int]]]


async def _offset_pages(
    fetch: OffsetFetch[T],
    live: Callable[[int], AsyncGenerator[RowPage[T], None]],
    offset: int,
    page_size: int,
) -> AsyncGenerator[RowPage[T], None]:
    """Offset pages from the store, positioned like the live ones (the offset of the row after
    each); from Hostaway from wherever the store stops being able to answer."""
    while True:
        try:
            rows, count = await fetch(offset, page_size)
        except NotMirrored:
            async for page in live(offset):
                yield page
            return
        end = offset + len(rows)
        last = not rows or end >= count
        yield RowPage(
            rows=[(offset + i + 1, row) for i, row in enumerate(rows)], last=last, count=count
        )
        if last:
            return
        offset = end


class MirroredReads(ListingReads, ReservationReads, MessageReads, OperationReads):
    _mirror: Mirror | None = None

    def _usable(self, *datasets: str) -> Mirror | None:
        mirror = self._mirror
        return mirror if mirror is not None and mirror.ready(*datasets) else None

    # ---- listings and calendars -------------------------------------------------------------------

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
        closed = free is None or (free.first is not None and free.last is not None)
        # Calendars are checked listing by listing (each must be in the store for the nights).
        if closed and (mirror := self._usable("listings")) is not None:
            if free is not None:
                await mirror.fresh("calendars")
            params = listing_params(name=name, city=city, country=country, free=None, guests=guests)
            try:
                return await mirror.listings(params, free.bounds() if free is not None else None)
            except NotMirrored:
                pass
        return await super().listings(
            name=name, city=city, country=country, free=free, guests=guests, progress=progress
        )

    async def calendar(
        self, listing_id: int, days: DateRange, *, fresh: bool = False, live: bool = False
    ) -> dict[date, CalendarDay]:
        """``live`` reads Hostaway even when the mirror has the nights (a single-listing question
        wants the calendar as it is now)."""
        if not (fresh or live) and (mirror := self._usable()) is not None:
            await mirror.fresh("calendars")
            try:
                return await mirror.calendar(listing_id, *days.bounds())
            except NotMirrored:
                pass
        return await super().calendar(listing_id, days, fresh=fresh)

    async def closed_nights(self, listing_id: int, days: DateRange) -> set[date]:
        """The nights Hostaway's calendar marks unavailable (booked, blocked), without building a
        day object per night when the mirror has them."""
        # A listing whose nights are all in the store is answered from it, even while the first
        # sync is still reading other listings' calendars.
        if (mirror := self._usable()) is not None:
            await mirror.fresh("calendars")
            try:
                return await mirror.closed_nights(listing_id, *days.bounds())
            except NotMirrored:
                pass
        calendar = await super().calendar(listing_id, days)
        return {night for night, day in calendar.items() if not day.available}

    # ---- reservations -----------------------------------------------------------------------------

    async def reservations(
        self, query: ReservationQuery, progress: Progress = no_progress
    ) -> list[Reservation]:
        """Every reservation the query keeps: from the mirror in one read (the same rows in the
        same order as the pages would give)."""
        params = reservation_params(query)
        mirror = self._usable("reservations")
        if mirror is not None and mirror.covers(params):
            await mirror.fresh("reservations")
            try:
                found = await mirror.all_reservations(params)
            except NotMirrored:
                pass
            else:
                await progress(len(found), len(found), f"read {len(found)} reservations")
                return found
        return await super().reservations(query, progress)

    async def stays(self, query: ReservationQuery, progress: Progress = no_progress) -> list[Stay]:
        """What the reports need of every reservation the query keeps (the same rows, in the
        same order, as `reservations`)."""
        params = reservation_params(query)
        mirror = self._usable("reservations")
        if mirror is not None and mirror.covers(params):
            await mirror.fresh("reservations")
            try:
                found = await mirror.stays(params)
            except NotMirrored:
                pass
            else:
                await progress(len(found), len(found), f"read {len(found)} reservations")
                return found
        return [Stay.of(r) for r in await super().reservations(query, progress)]

    async def reservation_pages(
        self,
        query: ReservationQuery,
        *,
        after_id: int | None = None,
        page_size: int = RESERVATION_PAGE_SIZE,
    ) -> AsyncGenerator[RowPage[Reservation], None]:
        params = reservation_params(query)
        mirror = self._usable("reservations")
        if mirror is None or not mirror.covers(params):
            async for page in super().reservation_pages(
                query, after_id=after_id, page_size=page_size
            ):
                yield page
            return
        await mirror.fresh("reservations")
        # The live cursor chain's rules, row for row (see HostawayClient.iter_after_id_pages).
        seen, total = 0, None
        while True:
            try:
                rows, count = await mirror.reservation_page(params, after_id, page_size)
            except NotMirrored:
                async for page in super().reservation_pages(
                    query, after_id=after_id, page_size=page_size
                ):
                    yield page
                return
            if total is None and after_id is None:
                total = count
            seen += len(rows)
            last_id = rows[-1].id if rows else None
            done = last_id is None or last_id == after_id or (total is not None and seen >= total)
            yield RowPage(rows=[(r.id, r) for r in rows], last=done, count=count)
            if done:
                return
            after_id = last_id

    # ---- conversations ----------------------------------------------------------------------------

    def conversation_pages(
        self, *, reservation_id: int | None = None, offset: int = 0, page_size: int = 100
    ) -> AsyncGenerator[RowPage[Conversation], None]:
        live = super().conversation_pages
        mirror = self._usable("conversations")
        if mirror is None:
            return live(reservation_id=reservation_id, offset=offset, page_size=page_size)
        usable = mirror

        async def fetch(at: int, size: int) -> tuple[list[Conversation], int]:
            await usable.fresh("conversations")
            return await usable.conversation_page(reservation_id, at, size)

        return _offset_pages(
            fetch,
            lambda at: live(reservation_id=reservation_id, offset=at, page_size=page_size),
            offset,
            page_size,
        )

    async def waiting_conversations(self) -> tuple[list[Conversation], int] | None:
        """Every conversation whose guest wrote last, and how many conversations there are,
        when the mirror has them all; None when only a (bounded) live scan can tell."""
        mirror = self._usable("conversations")
        if mirror is None:
            return None
        await mirror.fresh("conversations")
        try:
            return await mirror.waiting_conversations()
        except NotMirrored:
            return None

    # ---- reviews, tasks, expenses ------------------------------------------------------------------

    def guest_review_pages(
        self,
        *,
        listing_id: int | None,
        departing: DateRange | None,
        offset: int = 0,
        page_size: int = 100,
    ) -> AsyncGenerator[RowPage[Review], None]:
        live = super().guest_review_pages
        params = review_params(listing_id, departing)
        return self._mirrored_offset(
            "reviews",
            lambda mirror, at, size: mirror.review_page(params, at, size),
            lambda at: live(
                listing_id=listing_id, departing=departing, offset=at, page_size=page_size
            ),
            offset,
            page_size,
        )

    def task_pages(
        self,
        *,
        listing_id: int | None,
        reservation_id: int | None,
        status: str | None,
        can_start: DateRange | None,
        offset: int = 0,
        page_size: int = 100,
    ) -> AsyncGenerator[RowPage[Task], None]:
        live = super().task_pages
        params = task_params(
            listing_id=listing_id, reservation_id=reservation_id, status=status, can_start=can_start
        )
        return self._mirrored_offset(
            "tasks",
            lambda mirror, at, size: mirror.task_page(params, at, size),
            lambda at: live(
                listing_id=listing_id,
                reservation_id=reservation_id,
                status=status,
                can_start=can_start,
                offset=at,
                page_size=page_size,
            ),
            offset,
            page_size,
        )

    def expense_pages(
        self, *, offset: int = 0, page_size: int = 100
    ) -> AsyncGenerator[RowPage[Expense], None]:
        live = super().expense_pages
        return self._mirrored_offset(
            "expenses",
            lambda mirror, at, size: mirror.expense_page(at, size),
            lambda at: live(offset=at, page_size=page_size),
            offset,
            page_size,
        )

    def _mirrored_offset(
        self,
        dataset: str,
        fetch: Callable[[Mirror, int, int], Awaitable[tuple[list[T], int]]],
        live: Callable[[int], AsyncGenerator[RowPage[T], None]],
        offset: int,
        page_size: int,
    ) -> AsyncGenerator[RowPage[T], None]:
        mirror = self._usable(dataset)
        if mirror is None:
            return live(offset)
        usable = mirror

        async def from_store(at: int, size: int) -> tuple[list[T], int]:
            return await fetch(usable, at, size)

        return _offset_pages(from_store, live, offset, page_size)

    # ---- the mirror's own entry points --------------------------------------------------------------
    # Background work (a webhook said something changed): their requests wait behind any a tool
    # call is waiting to send, as the sync's do.

    def _refresher(self) -> Mirror | None:
        mirror = self._mirror
        return mirror if mirror is not None and mirror.syncer is not None else None

    async def refresh_reservation(self, reservation_id: int) -> bool:
        """Read one reservation into the mirror now (e.g. on a webhook); False without a mirror."""
        if (mirror := self._refresher()) is None:
            return False
        with background_priority():
            await mirror.refresh_reservation(reservation_id)
        return True

    async def refresh_conversation(self, conversation_id: int) -> bool:
        """Read one conversation (with its latest message) into the mirror now."""
        if (mirror := self._refresher()) is None:
            return False
        with background_priority():
            await mirror.refresh_conversation(conversation_id)
        return True

    async def refresh_calendar(self, listing_id: int, days: DateRange) -> bool:
        """Read one listing's calendar for these days into the mirror now."""
        if (mirror := self._refresher()) is None:
            return False
        with background_priority():
            await mirror.refresh_calendar(listing_id, *days.bounds())
        return True

    async def refresh_listing_calendar(self, listing_id: int) -> bool:
        """Read the listing's nights still to come (to the end of the mirror's calendar, one
        request) into the mirror now, e.g. on a webhook naming the listing; False without one."""
        if (mirror := self._refresher()) is None:
            return False
        with background_priority():
            await mirror.refresh_calendar_ahead(listing_id)
        return True
