"""The `Mirror`'s answers: the list queries Hostaway would answer, read from the store (see
queries.py) and parsed into the entities the live path builds."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import anyio
from pydantic import BaseModel

from ..entities import CalendarDay, Conversation, Expense, Listing, Reservation, Review, Stay, Task
from . import queries
from .provenance import note
from .queries import NotMirrored, Rows
from .rows import calendar_day
from .state import MirrorState

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

CLOSED_FOR = 5.0  # seconds one portfolio-wide read of closed nights serves a report's listings


class MirrorAnswers(MirrorState):
    """Answers note how old their data is (`note`); `NotMirrored` means the store cannot give
    this one: it is read live."""

    async def _read(self, query: Callable[[sqlite3.Connection], T]) -> T:
        if self._damaged:
            raise NotMirrored("the store is damaged")
        try:
            return await self.db(self.db.store.read, query)
        except sqlite3.Error as exc:
            self._store_failed(exc)
            raise NotMirrored("the store failed") from None

    async def listings(
        self, params: dict[str, Any], free: tuple[date, date] | None
    ) -> list[Listing]:
        rows = await self._read(queries.listings)
        chosen = [row for row in rows if queries.listing_matches(row, params)]
        if free is not None:
            first, last, today = *free, self._today()
            open_ids, checked_at = await self._read(
                lambda c: _open_throughout(c, [r.id for r in chosen], first, last, today)
            )
            chosen = [row for row in chosen if row.id in open_ids]
            note(checked_at, calendar=True)
        note(self._as_of("listings"))
        # With their access codes, as the live path has them (to mask them in texts).
        syncer = self._syncer()
        await syncer.ensure_listing_access()
        codes = syncer.listing_access

        def parse() -> list[Listing]:
            found = [Listing.model_validate_json(r.body) for r in chosen]
            return [
                listing.model_copy(update={"access": codes[listing.id]})
                if listing.id in codes
                else listing
                for listing in found
            ]

        return await anyio.to_thread.run_sync(parse)

    def covers(self, params: dict[str, Any]) -> bool:
        first, last = self._meta.get("reservations_first"), self._meta.get("reservations_last")
        return first is not None and last is not None and queries.covered(params, first, last)

    async def reservation_page(
        self, params: dict[str, Any], after_id: int | None, limit: int
    ) -> tuple[list[Reservation], int]:
        rows = await self._read(lambda c: queries.reservation_page(c, params, after_id, limit))
        note(self._as_of("reservations"))
        return await self._parse(rows, Reservation), rows.count

    async def conversation_page(
        self, reservation_id: int | None, offset: int, limit: int
    ) -> tuple[list[Conversation], int]:
        limit = self._capped("conversations", limit)
        rows = await self._read(
            lambda c: queries.conversation_page(c, reservation_id, offset, limit)
        )
        note(self._as_of("conversations"))
        return await self._parse(rows, Conversation), rows.count

    async def waiting_conversations(self) -> tuple[list[Conversation], int]:
        """Every waiting conversation. They stay parsed in memory between calls (a few thousand
        on a big account): each call reads the rows again and parses only what changed."""
        bodies, total = await self._read(queries.waiting_conversations)
        note(self._as_of("conversations"))
        async with self._waiting_lock:
            known = self._waiting

            def parse() -> dict[int, tuple[str, Conversation]]:
                return {
                    cid: known[cid]
                    if cid in known and known[cid][0] == body
                    else (body, Conversation.model_validate_json(body))
                    for cid, body in bodies.items()
                }

            self._waiting = await anyio.to_thread.run_sync(parse)
            return [conversation for _, conversation in self._waiting.values()], total

    async def review_page(
        self, params: dict[str, Any], offset: int, limit: int
    ) -> tuple[list[Review], int]:
        limit = self._capped("reviews", limit)
        rows = await self._read(lambda c: queries.review_page(c, params, offset, limit))
        note(self._as_of("reviews"))
        return await self._parse(rows, Review), rows.count

    async def task_page(
        self, params: dict[str, Any], offset: int, limit: int
    ) -> tuple[list[Task], int]:
        limit = self._capped("tasks", limit)
        rows = await self._read(lambda c: queries.task_page(c, params, offset, limit))
        note(self._as_of("tasks"))
        return await self._parse(rows, Task), rows.count

    async def expense_page(self, offset: int, limit: int) -> tuple[list[Expense], int]:
        limit = self._capped("expenses", limit)
        rows = await self._read(lambda c: queries.expense_page(c, offset, limit))
        note(self._as_of("expenses"))
        return await self._parse(rows, Expense), rows.count

    def _capped(self, name: str, limit: int) -> int:
        """Hostaway serves at most `page_cap` rows per page of some lists (seen while syncing)."""
        ds = self._datasets.get(name)
        return min(limit, ds.page_cap) if ds is not None and ds.page_cap else limit

    async def _parse(self, rows: Rows, model: type[M]) -> list[M]:
        return await anyio.to_thread.run_sync(
            lambda: [model.model_validate_json(b) for b in rows.bodies]
        )

    async def calendar(self, listing_id: int, first: date, last: date) -> dict[date, CalendarDay]:
        today = self._today()
        span = await self._read(lambda c: queries.calendar_span(c, listing_id, first, last, today))
        if not span.complete:
            raise NotMirrored(f"calendar of listing {listing_id} from {first} to {last}")
        note(span.checked_at, calendar=True)
        return {d.date: d for d in (calendar_day(row) for row in span.rows)}

    async def closed_nights(self, listing_id: int, first: date, last: date) -> set[date]:
        """A portfolio report asks this for every listing over the same nights: the first call
        reads them for all listings at once, the others are served from that read."""
        nights = await self._closed_for_all(first, last)
        found = nights.get(listing_id)
        if found is None or not found.complete:
            raise NotMirrored(f"calendar of listing {listing_id} from {first} to {last}")
        note(found.checked_at, calendar=True)
        return set(found.days)

    async def _closed_for_all(self, first: date, last: date) -> dict[int, queries.ClosedNights]:
        version = self.syncer.calendar_writes if self.syncer is not None else 0
        key = (first, last, version)
        async with self._closed_lock:
            cached = self._closed
            if cached is not None and cached[0] == key and self._clock() - cached[1] < CLOSED_FOR:
                return cached[2]
            today = self._today()
            found = await self._read(lambda c: queries.closed_nights(c, first, last, today))
            self._closed = (key, self._clock(), found)
            return found

    async def stays(self, params: dict[str, Any]) -> list[Stay]:
        index = self._stays
        found = await self._read(lambda c: index.query(c, params))
        note(self._as_of("reservations"))
        return found

    async def all_reservations(self, params: dict[str, Any]) -> list[Reservation]:
        bodies = await self._read(lambda c: queries.all_reservations(c, params))
        note(self._as_of("reservations"))
        return await anyio.to_thread.run_sync(
            lambda: [Reservation.model_validate_json(b) for b in bodies]
        )


def _open_throughout(
    c: sqlite3.Connection, ids: list[int], first: date, last: date, today: date
) -> tuple[set[int], float | None]:
    """Listings whose every night in [first, last] is stored and available (Hostaway's
    availability filter), and the oldest read of those nights that can still change; a listing
    with a night missing from the store is not mirrored."""
    nights = (last - first).days + 1
    found: set[int] = set()
    for listing_id, stored, open_nights in c.execute(
        "SELECT listing_id, count(*), sum(available) FROM calendar WHERE day BETWEEN ? AND ? "
        "GROUP BY listing_id",
        (first.isoformat(), last.isoformat()),
    ):
        if stored == nights and open_nights == nights:
            found.add(int(listing_id))
    stored_ids = {
        int(r[0])
        for r in c.execute(
            "SELECT listing_id FROM calendar WHERE day BETWEEN ? AND ? GROUP BY listing_id "
            "HAVING count(*) = ?",
            (first.isoformat(), last.isoformat(), nights),
        )
    }
    if any(i not in stored_ids for i in ids):
        raise NotMirrored("a listing's calendar is not in the store for these nights")
    oldest_open, newest = c.execute(
        "SELECT min(CASE WHEN day >= ? THEN checked_at END), max(checked_at) FROM calendar "
        "WHERE day BETWEEN ? AND ?",
        (today.isoformat(), first.isoformat(), last.isoformat()),
    ).fetchone()
    # Nights before today are settled: then the answer is as of their latest read.
    return found, oldest_open if oldest_open is not None else newest
