"""The cache is bounded by (estimated) bytes, not only by entries, and sweeps expired entries."""

from __future__ import annotations

import pytest

from hostaway_mcp.hostaway import Listing
from hostaway_mcp.hostaway._cache import SWEEP_EVERY, TTLCache, estimate_size
from tests.support.clock import FakeClock
from tests.support.records import example

pytestmark = pytest.mark.anyio


async def value(v: object) -> object:
    return v


def test_size_estimates_grow_with_content_and_sample_big_containers() -> None:
    listing = Listing.from_api(example("listing_listingObject"))
    one = estimate_size(listing)
    assert 2_000 < one < 50_000
    assert estimate_size([listing] * 500) == pytest.approx(500 * one, rel=0.05)
    assert estimate_size("x" * 10_000) > estimate_size("x" * 10)
    assert estimate_size({"a": list(range(1000))}) > estimate_size({"a": [1]})


async def test_entries_beyond_the_byte_budget_evict_the_oldest() -> None:
    big = "x" * 4_000
    cache = TTLCache(60, max_bytes=3 * estimate_size(big) + 10, clock=FakeClock())
    for key in range(5):
        await cache.get_or_load(key, lambda: value(big))
    assert len(cache) == 3
    assert cache.size_bytes <= cache.max_bytes
    loads = []

    async def load() -> str:
        loads.append(1)
        return big

    await cache.get_or_load(0, load)  # evicted: loaded again
    await cache.get_or_load(4, load)  # the newest stayed
    assert loads == [1]


async def test_a_value_larger_than_the_whole_cache_is_served_but_not_kept() -> None:
    cache = TTLCache(60, max_bytes=1_000, clock=FakeClock())
    assert await cache.get_or_load("k", lambda: value("y" * 5_000)) == "y" * 5_000
    assert len(cache) == 0 and cache.size_bytes == 0


async def test_expired_entries_are_swept_and_their_bytes_released() -> None:
    clock = FakeClock()
    cache = TTLCache(10, clock=clock)
    for key in range(SWEEP_EVERY - 1):
        await cache.get_or_load(("old", key), lambda: value("z" * 100))
    held = cache.size_bytes
    clock.now += 11
    await cache.get_or_load("new", lambda: value("n"))  # the 64th store sweeps
    assert len(cache) == 1
    assert 0 < cache.size_bytes < held
    assert cache.invalidate(lambda key: key == "new") == 1
    assert cache.size_bytes == 0
