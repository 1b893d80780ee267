"""`Hostaway`: typed queries and commands over the HTTP client. Raw Hostaway dicts are mapped to
entities here, once; slow-changing reads are cached."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Hashable, Mapping
from datetime import date
from typing import Any, TypeVar

import httpx

from ..config import Settings
from ..errors import NotFound, UpstreamUnavailable
from . import _params as params
from ._cache import TTLCache
from ._client import HostawayClient, RequestStats, RetryPolicy
from ._values import as_int
from .entities import (
    CalendarDay,
    Conversation,
    Expense,
    FinanceTable,
    Listing,
    Message,
    OwnerStatementData,
    OwnerStatementRef,
    PriceDetails,
    Reservation,
    Review,
    Task,
)
from .types import (
    Command,
    DateRange,
    FinanceDateType,
    Progress,
    ReservationQuery,
    RowPage,
    no_progress,
)

T = TypeVar("T")

LISTING_PAGE_SIZE = 200
RESERVATION_PAGE_SIZE = 100


def _key(*parts: Any) -> tuple[Any, ...]:
    return tuple(tuple(sorted(p.items())) if isinstance(p, Mapping) else p for p in parts)


def _listing_missing(listing_id: int) -> NotFound:
    return NotFound(
        f"Listing {listing_id} was not found.", hint="Use list_all_properties to find listing ids."
    )


class Hostaway:
    """The one door to Hostaway: every read and write of the account goes through one of these."""

    def __init__(self, client: HostawayClient, cache_ttl: float) -> None:
        self._client = client
        self._cache = TTLCache(cache_ttl)

    @classmethod
    def connect(
        cls,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        token_warmup: float | None = None,
    ) -> Hostaway:
        """One per process. ``transport`` lets the demo and tests stand in for the network."""
        options: dict[str, Any] = {}
        if token_warmup is not None:
            options["token_warmup"] = token_warmup
        client = HostawayClient(settings, transport=transport, retry=retry, **options)
        return cls(client, settings.cache_ttl)

    async def aclose(self) -> None:
        await self._client.aclose()

    @property
    def stats(self) -> RequestStats:
        """Upstream traffic so far (requests, token mints, retries, 429s)."""
        return self._client.stats

    async def check(self) -> int | None:
        """Mint a token and read one listing; the account's listing count."""
        return await self._client.check()

    # ---- listings -----------------------------------------------------------------------------

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
        query = params.listing_params(
            name=name, city=city, country=country, free=free, guests=guests
        )

        async def load() -> list[Listing]:
            found: list[Listing] = []
            async for page in self._client.iter_offset_pages(
                "/listings", query, page_size=LISTING_PAGE_SIZE
            ):
                found.extend(Listing.from_api(raw) for raw in page.items)
                await progress(len(found), page.count, f"read {len(found)} listings")
            return found

        return await self._cache.get_or_load(_key("listings", query), load)

    async def listings_by_id(self) -> dict[int, Listing]:
        """Every listing by id (one cached scan), e.g. to name the listings of bookings."""
        return {listing.id: listing for listing in await self.listings()}

    async def _one(self, path: str, missing: NotFound, query: params.Params | None = None) -> Any:
        """GET one object; ``missing`` when Hostaway has none (404, a fail, or an empty result)."""
        try:
            raw = await self._client.get(path, query)
        except NotFound:
            raw = None
        if not isinstance(raw, dict) or as_int(raw.get("id")) is None:
            raise missing
        return raw

    async def listing(self, listing_id: int) -> Listing:
        async def load() -> Listing:
            raw = await self._one(f"/listings/{listing_id}", _listing_missing(listing_id))
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
                raise _listing_missing(listing_id) from None
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

    # ---- reservations ---------------------------------------------------------------------------

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
            params.reservation_params(query),
            page_size=page_size,
            after_id=after_id,
        )
        async for page in pages:
            rows = [Reservation.from_api(raw) for raw in page.items]
            yield RowPage(rows=[(r.id, r) for r in rows], last=page.last)

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
            "/reservations", {**params.reservation_params(query), "limit": limit}
        )
        rows = result if isinstance(result, list) else []
        return [Reservation.from_api(raw) for raw in rows if isinstance(raw, dict)]

    @staticmethod
    def upstream_filters(query: ReservationQuery) -> list[str]:
        """The filters Hostaway is asked to apply, as `name=value` (for `filters_applied`)."""
        return [f"{name}={value}" for name, value in params.reservation_params(query).items()]

    # ---- conversations and messages -------------------------------------------------------------

    async def conversation(self, conversation_id: int) -> Conversation:
        """One conversation with its embedded reservation and latest message."""
        raw = await self._one(
            f"/conversations/{conversation_id}",
            NotFound(
                f"Conversation {conversation_id} was not found.",
                hint="Use list_conversations (or get_inbox_triage) to find conversation ids.",
            ),
            params.WITH_RESOURCES,
        )
        return Conversation.from_api(raw)

    def conversation_pages(
        self, *, reservation_id: int | None = None, offset: int = 0, page_size: int = 100
    ) -> AsyncGenerator[RowPage[Conversation], None]:
        """Conversations in Hostaway's order, each with its reservation and latest message."""
        query = params.clean({**params.WITH_RESOURCES, "reservationId": reservation_id})
        return self._offset_rows(
            "/conversations", query, Conversation.from_api, offset=offset, page_size=page_size
        )

    async def message_page(
        self, conversation_id: int, *, limit: int, offset: int = 0
    ) -> tuple[list[Message], int | None]:
        """One page of a conversation's messages (in Hostaway's order) and its message count."""
        envelope = await self._client.request(
            "GET",
            f"/conversations/{conversation_id}/messages",
            params={"limit": limit, "offset": offset},
        )
        result = envelope.get("result")
        rows: list[Any] = result if isinstance(result, list) else []
        messages = [Message.from_api(r) for r in rows if isinstance(r, dict)]
        return messages, as_int(envelope.get("count"))

    def message_pages(
        self, conversation_id: int, *, offset: int, page_size: int
    ) -> AsyncGenerator[RowPage[Message], None]:
        """A conversation's messages from ``offset`` on, page by page."""
        return self._offset_rows(
            f"/conversations/{conversation_id}/messages",
            {},
            Message.from_api,
            offset=offset,
            page_size=page_size,
        )

    # ---- reviews, tasks, expenses ---------------------------------------------------------------

    def guest_review_pages(
        self,
        *,
        listing_id: int | None,
        departing: DateRange | None,
        offset: int = 0,
        page_size: int = 100,
    ) -> AsyncGenerator[RowPage[Review], None]:
        """Reviews guests wrote about their stay, latest check-out first."""
        return self._offset_rows(
            "/reviews",
            params.review_params(listing_id, departing),
            Review.from_api,
            offset=offset,
            page_size=page_size,
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
        """Tasks; ``can_start`` bounds their start time (UTC days, as Hostaway reads them)."""
        query = params.task_params(
            listing_id=listing_id, reservation_id=reservation_id, status=status, can_start=can_start
        )
        return self._offset_rows("/tasks", query, Task.from_api, offset=offset, page_size=page_size)

    def expense_pages(
        self, *, offset: int = 0, page_size: int = 100
    ) -> AsyncGenerator[RowPage[Expense], None]:
        """Expenses and extras (Hostaway's list has no filters)."""
        return self._offset_rows(
            "/expenses", {}, Expense.from_api, offset=offset, page_size=page_size
        )

    async def _offset_rows(
        self,
        path: str,
        query: params.Params,
        mapper: Callable[[dict[str, Any]], T],
        *,
        offset: int,
        page_size: int,
    ) -> AsyncGenerator[RowPage[T], None]:
        """Offset pages, each row mapped once and positioned by the offset of the row after it, so a
        cursor built from that position resumes exactly there."""
        pages = self._client.iter_offset_pages(path, query, page_size=page_size, offset=offset)
        async for page in pages:
            end = page.offset + len(page.items)
            last = not page.items or (page.count is not None and end >= page.count)
            rows = [(page.offset + i + 1, mapper(raw)) for i, raw in enumerate(page.items)]
            yield RowPage(rows=rows, last=last)

    # ---- finance --------------------------------------------------------------------------------

    async def financial_report(
        self,
        *,
        days: DateRange,
        listing_ids: list[int],
        date_type: FinanceDateType,
        channel_ids: list[int],
        statuses: list[str],
    ) -> FinanceTable:
        """Hostaway's consolidated report for reservations whose `date_type` falls in ``days``.
        It creates nothing, so it may be retried."""
        envelope = await self._client.request(
            "POST",
            "/finance/report/consolidated",
            data=params.finance_form(
                days=days,
                listing_ids=listing_ids,
                date_type=date_type,
                channel_ids=channel_ids,
                statuses=statuses,
            ),
        )
        result = envelope.get("result")
        if not isinstance(result, dict) and result not in (None, [], {}):
            raise UpstreamUnavailable(
                "Hostaway answered the financial report in an unexpected shape (not a JSON table)."
            )
        return FinanceTable.from_api(result)

    async def owner_statements(self) -> list[OwnerStatementRef]:
        result = await self._client.get("/ownerStatements")
        rows = result if isinstance(result, list) else []
        return [OwnerStatementRef.from_api(raw) for raw in rows if isinstance(raw, dict)]

    async def owner_statement(self, statement_id: int) -> OwnerStatementData:
        try:
            raw = await self._client.get(f"/ownerStatement/{statement_id}")  # singular path
        except NotFound:
            raw = None
        if not isinstance(raw, dict) or not raw.get("id"):
            raise NotFound(
                f"Owner statement {statement_id} was not found.",
                hint="Use list_owner_statements to find statement ids.",
            )
        return OwnerStatementData.from_api(raw)

    # ---- writes ---------------------------------------------------------------------------------

    async def execute(self, command: Command[T]) -> T:
        """Send one prepared write and read its answer. Cached data of the listing it touches is
        dropped, even when it fails: it may have landed."""
        try:
            envelope = await self._client.request(
                command.method,
                command.path,
                json_body=command.body,
                creates=not command.idempotent,
            )
        finally:
            if command.listing_id is not None:
                self.forget_listing(command.listing_id)
        return command.decode(envelope.get("result"))
