"""Fill a page of results from upstream pages while filtering client-side, remembering where each
item sits so a cursor can resume right after it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from dataclasses import dataclass
from typing import Generic, TypeVar

from ..hostaway.adapter import Progress, RowPage, no_progress

T = TypeVar("T")


@dataclass
class Collected(Generic[T]):
    items: list[T]
    positions: list[int]  # upstream position right after each item
    more: bool  # rows may remain after the last item


async def collect(
    pages: AsyncIterator[RowPage[T]],
    accept: Callable[[T], bool],
    limit: int,
    progress: Progress = no_progress,
) -> Collected[T]:
    items: list[T] = []
    positions: list[int] = []
    scanned = 0
    async with aclosing(pages) as stream:  # type: ignore[type-var]
        async for page in stream:
            for index, (position, row) in enumerate(page.rows):
                if not accept(row):
                    continue
                items.append(row)
                positions.append(position)
                if len(items) == limit:
                    more = index < len(page.rows) - 1 or not page.last
                    return Collected(items, positions, more)
            scanned += len(page.rows)
            await progress(scanned, None, f"scanned {scanned} rows, {len(items)} match")
    return Collected(items, positions, False)
