"""Fill a page of results from upstream pages while filtering client-side, remembering where each
item sits so a cursor can resume right after it."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Mapping
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..hostaway import Progress, RowPage, no_progress
from .cursor import encode_cursor

T = TypeVar("T")


@dataclass
class Collected(Generic[T]):
    items: list[T]
    positions: list[int]  # upstream position right after each item
    more: bool  # rows may remain after the last item

    def cursors(self, tool: str, filters: Mapping[str, Any]) -> tuple[str | None, list[str | None]]:
        """`next_cursor` for the page, and per item the cursor that resumes right after it (the
        output budget may cut the page short)."""
        resume: list[str | None] = [
            encode_cursor(tool, position, filters) for position in self.positions
        ]
        return (resume[-1] if self.more and resume else None), resume


async def collect(
    pages: AsyncGenerator[RowPage[T], None],
    accept: Callable[[T], bool],
    limit: int,
    progress: Progress = no_progress,
) -> Collected[T]:
    items: list[T] = []
    positions: list[int] = []
    scanned = 0
    async with aclosing(pages) as stream:
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
