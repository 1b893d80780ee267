"""Offset-paged Hostaway lists as RowPages: each row mapped once, positioned by the upstream offset
of the row after it, so a cursor built from that position resumes exactly there."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Mapping
from typing import Any, TypeVar

from ..hostaway.adapter import Gateway, RowPage

T = TypeVar("T")


async def offset_rows(
    gateway: Gateway,
    path: str,
    params: Mapping[str, Any],
    mapper: Callable[[dict[str, Any]], T],
    *,
    offset: int = 0,
    page_size: int = 100,
) -> AsyncGenerator[RowPage[T], None]:
    clean = {key: value for key, value in params.items() if value is not None}
    pages = gateway.client.iter_offset_pages(path, clean, page_size=page_size, offset=offset)
    async for page in pages:
        end = page.offset + len(page.items)
        last = not page.items or (page.count is not None and end >= page.count)
        rows = [(page.offset + i + 1, mapper(raw)) for i, raw in enumerate(page.items)]
        yield RowPage(rows=rows, last=last)
