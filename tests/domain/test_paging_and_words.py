"""Collecting a page while counting every match; reading status words."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import pytest

from hostaway_mcp.domain.cursor import decode_cursor, shown_before
from hostaway_mcp.domain.paging import collect
from hostaway_mcp.domain.status_words import BOOKING_WORDS, TASK_WORDS, expand
from hostaway_mcp.hostaway import RowPage

pytestmark = pytest.mark.anyio


async def pages(
    rows: list[int], size: int, *, count: bool = False, read: list[int] | None = None
) -> AsyncGenerator[RowPage[int], None]:
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        if read is not None:
            read.append(start)
        yield RowPage(
            rows=[(start + i + 1, row) for i, row in enumerate(chunk)],
            last=start + size >= len(rows),
            count=len(rows) if count else None,
        )


def even(n: int) -> bool:
    return n % 2 == 0


async def test_the_page_fills_and_every_match_is_counted_to_the_end() -> None:
    found = await collect(pages(list(range(40)), 10), even, 3)
    assert found.items == [0, 2, 4]
    assert (found.total, found.total_exact, found.more) == (20, True, True)


async def test_counting_stops_at_the_page_bound_and_says_it_is_a_lower_bound() -> None:
    read: list[int] = []
    found = await collect(pages(list(range(100)), 10, read=read), even, 3, count_pages=2)
    assert found.items == [0, 2, 4]
    assert (found.total, found.total_exact) == (15, False)  # pages 1-3 read: 15 even numbers
    assert read == [0, 10, 20]


async def test_an_upstream_count_is_used_when_every_filter_ran_upstream() -> None:
    read: list[int] = []
    found = await collect(
        pages(list(range(100)), 10, count=True, read=read),
        lambda n: True,
        5,
        upstream_count_is_exact=True,
    )
    assert (found.total, found.total_exact) == (100, True)
    assert read == [0]  # nothing more read to count


async def test_a_short_result_has_no_next_page() -> None:
    found = await collect(pages(list(range(10)), 4), even, 10)
    assert found.items == [0, 2, 4, 6, 8]
    assert (found.total, found.total_exact, found.more) == (5, True, False)
    assert found.cursors("t", {})[0] is None


async def test_cursors_carry_how_many_earlier_pages_showed() -> None:
    found = await collect(pages(list(range(40)), 10), even, 3, shown_before=6)
    next_cursor, _ = found.cursors("t", {"a": 1})
    assert decode_cursor(next_cursor, "t", {"a": 1}) == found.positions[-1]
    assert shown_before(next_cursor) == 9
    assert found.total == 6 + 20


@pytest.mark.parametrize(
    ("words", "meanings", "statuses", "read_as"),
    [
        (["confirmed"], BOOKING_WORDS, ["new", "modified"], ["status confirmed = new, modified"]),
        (
            ["new", "confirmed"],
            BOOKING_WORDS,
            ["new", "modified"],
            ["status confirmed = new, modified"],
        ),
        (["cancelled"], BOOKING_WORDS, ["cancelled"], []),
        (
            ["open", "completed"],
            TASK_WORDS,
            ["pending", "confirmed", "inProgress", "completed"],
            ["status open = pending, confirmed, inProgress"],
        ),
        ([], TASK_WORDS, [], []),
    ],
)
def test_status_words(
    words: list[str], meanings: dict[str, tuple[str, ...]], statuses: list[str], read_as: list[str]
) -> None:
    assert expand(words, meanings) == (statuses, read_as)
