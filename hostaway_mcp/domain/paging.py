"""Fill a page of results from upstream pages while filtering client-side, remembering where each
item sits so a cursor can resume right after it, and counting how many match in all."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Mapping
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from ..hostaway import Progress, RowPage, no_progress
from .cursor import encode_cursor

T = TypeVar("T")
# After the page is full, read at most this many more upstream pages just to count the matches
# (a few requests: enough to be exact on most filtered questions, bounded on a big account).
COUNT_PAGES = 5


@dataclass
class Collected(Generic[T]):
    items: list[T]
    positions: list[int]  # upstream position right after each item
    more: bool  # rows may remain after the last item
    total: int = 0  # matches in all, earlier pages included (a lower bound unless total_exact)
    total_exact: bool = True
    shown_before: int = 0  # matches earlier pages showed

    def cursors(self, tool: str, filters: Mapping[str, Any]) -> tuple[str | None, list[str | None]]:
        """`next_cursor` for the page, and per item the cursor that resumes right after it (the
        output budget may cut the page short)."""
        resume: list[str | None] = [
            encode_cursor(tool, position, filters, shown=self.shown_before + index + 1)
            for index, position in enumerate(self.positions)
        ]
        return (resume[-1] if self.more and resume else None), resume


async def collect(
    pages: AsyncGenerator[RowPage[T], None],
    accept: Callable[[T], bool],
    limit: int,
    progress: Progress = no_progress,
    *,
    shown_before: int = 0,
    count_pages: int = COUNT_PAGES,
    upstream_count_is_exact: bool = False,
    on_match: Callable[[T], None] | None = None,
) -> Collected[T]:
    """The first `limit` accepted rows, then up to `count_pages` more pages read only to count the
    matches (and show each to `on_match`). `upstream_count_is_exact`: every filter ran at Hostaway,
    so its `count` is the number of matches and nothing more needs reading."""
    items: list[T] = []
    positions: list[int] = []
    more = False
    matched = 0
    scanned = 0
    extra_pages = 0
    complete = False
    async with aclosing(pages) as stream:
        async for page in stream:
            for position, row in page.rows:
                if not accept(row):
                    continue
                matched += 1
                if on_match is not None:
                    on_match(row)
                if len(items) < limit:
                    items.append(row)
                    positions.append(position)
                else:
                    more = True
            scanned += len(page.rows)
            if len(items) == limit and not page.last:
                more = True
            await progress(scanned, None, f"scanned {scanned} rows, {matched} match")
            if page.last:
                complete = True
                break
            if len(items) == limit:
                if upstream_count_is_exact and page.count is not None and on_match is None:
                    return _done(items, positions, more, page.count, True, shown_before)
                extra_pages += 1
                if extra_pages > count_pages:
                    break
    if complete:
        more = matched > len(items)
    return _done(items, positions, more, shown_before + matched, complete, shown_before)


def _done(
    items: list[T],
    positions: list[int],
    more: bool,
    total: int,
    exact: bool,
    shown_before: int,
) -> Collected[T]:
    return Collected(items, positions, more, total, exact, shown_before)
