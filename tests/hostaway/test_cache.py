"""The TTL cache: shared concurrent loads, expiry on a fake clock, invalidation."""

from __future__ import annotations

import anyio
import pytest

from hostaway_mcp.hostaway._cache import TTLCache
from tests.support.clock import FakeClock


@pytest.mark.anyio
async def test_cache_shares_concurrent_loads_and_expires() -> None:
    clock = FakeClock(0.0)
    cache = TTLCache(60, clock=clock)
    loads = 0

    async def load() -> int:
        nonlocal loads
        loads += 1
        await anyio.sleep(0.01)
        return loads

    results: list[int] = []

    async def get() -> None:
        results.append(await cache.get_or_load("k", load))

    async with anyio.create_task_group() as tg:
        for _ in range(5):
            tg.start_soon(get)
    assert results == [1] * 5 and loads == 1
    clock.now += 61
    assert await cache.get_or_load("k", load) == 2
    assert cache.invalidate(lambda key: key == "k") == 1
    assert await cache.get_or_load("k", load) == 3


@pytest.mark.anyio
async def test_cache_with_zero_ttl_stores_nothing() -> None:
    cache = TTLCache(0)
    calls = 0

    async def load() -> int:
        nonlocal calls
        calls += 1
        return calls

    await cache.get_or_load("k", load)
    await cache.get_or_load("k", load)
    assert calls == 2
