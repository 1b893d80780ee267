"""Reviews, tasks, and expenses with extras."""

from __future__ import annotations

from collections.abc import AsyncGenerator

from ._base import Params, Reads, clean, day
from .entities import Expense, Review, Task, User
from .entities.operations import GUEST_TO_HOST
from .types import DateRange, RowPage


def review_params(listing_id: int | None, departing: DateRange | None) -> Params:
    departing = departing or DateRange()
    return clean(
        {
            "type": GUEST_TO_HOST,
            # Hostaway ignores a plain `listingMapIds=`: the array must be sent in bracket form.
            "listingMapIds[]": listing_id,
            "departureDateStart": day(departing.first),
            "departureDateEnd": day(departing.last),
            "sortBy": "departureDate",
            "sortOrder": "desc",
        }
    )


def task_params(
    *,
    listing_id: int | None,
    reservation_id: int | None,
    status: str | None,
    can_start: DateRange | None,
) -> Params:
    can_start = can_start or DateRange()
    return clean(
        {
            "listingMapId": listing_id,
            "reservationId": reservation_id,
            "status": status,
            "canStartFromStart": day(can_start.first),
            "canStartFromEnd": day(can_start.last),
        }
    )


class OperationReads(Reads):
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
            review_params(listing_id, departing),
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
        query = task_params(
            listing_id=listing_id, reservation_id=reservation_id, status=status, can_start=can_start
        )
        return self._offset_rows("/tasks", query, Task.from_api, offset=offset, page_size=page_size)

    async def users_by_id(self) -> dict[int, User]:
        """The account's users by id (all pages, cached), e.g. to name task assignees."""

        async def load() -> dict[int, User]:
            users: dict[int, User] = {}
            async for page in self._client.iter_offset_pages("/users", page_size=100):
                for raw in page.items:
                    user = User.from_api(raw)
                    users[user.id] = user
            return users

        return await self._cache.get_or_load(("users",), load)

    def expense_pages(
        self, *, offset: int = 0, page_size: int = 100
    ) -> AsyncGenerator[RowPage[Expense], None]:
        """Expenses and extras (Hostaway's list has no filters)."""
        return self._offset_rows(
            "/expenses", {}, Expense.from_api, offset=offset, page_size=page_size
        )
