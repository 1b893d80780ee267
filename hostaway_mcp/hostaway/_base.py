"""What every area of the adapter shares: the client, the cache, and reading one object or
offset-paged rows. Also the small helpers that write Hostaway's query values."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Mapping
from datetime import date
from typing import Any, TypeVar

from ..errors import NotFound
from ._cache import TTLCache
from ._client import HostawayClient
from ._values import as_int
from .types import RowPage

T = TypeVar("T")
Params = dict[str, Any]
# Without it, embedded objects (a conversation's reservation and messages) come back empty.
WITH_RESOURCES: Params = {"includeResources": 1}


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def clean(params: Params) -> Params:
    return {key: value for key, value in params.items() if value is not None}


def cache_key(*parts: Any) -> tuple[Any, ...]:
    return tuple(tuple(sorted(p.items())) if isinstance(p, Mapping) else p for p in parts)


class Reads:
    """The state the area mixins of `Hostaway` work on."""

    def __init__(self, client: HostawayClient, cache_ttl: float) -> None:
        self._client = client
        self._cache = TTLCache(cache_ttl)

    async def _one(self, path: str, missing: NotFound, query: Params | None = None) -> Any:
        """GET one object; ``missing`` when Hostaway has none (404, a fail, or an empty result)."""
        try:
            raw = await self._client.get(path, query)
        except NotFound:
            raw = None
        if not isinstance(raw, dict) or as_int(raw.get("id")) is None:
            raise missing
        return raw

    async def _offset_rows(
        self,
        path: str,
        query: Params,
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
            yield RowPage(rows=rows, last=last, count=page.count)
