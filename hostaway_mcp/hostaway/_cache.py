"""A small in-memory TTL cache whose loads are single-flight: concurrent identical requests share
one upstream call. Bounded by an estimate of the bytes it holds (a 500-listing account's year of
calendars is tens of megabytes), with expired entries swept as it goes."""

from __future__ import annotations

import sys
import time
from collections.abc import Awaitable, Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

import anyio
from pydantic import BaseModel

T = TypeVar("T")

MAX_BYTES = 64 * 1024 * 1024
SAMPLE_ITEMS = 8  # a container's size is estimated from its first items, times its length
SAMPLE_DEPTH = 4
SWEEP_EVERY = 64  # stores between sweeps of the expired entries


def estimate_size(value: Any, depth: int = SAMPLE_DEPTH) -> int:
    """Roughly the bytes `value` holds, cheaply: containers are sampled, not walked whole."""
    if isinstance(value, str | bytes):
        return sys.getsizeof(value)
    if value is None or isinstance(value, bool | int | float | date | datetime):
        return 32
    if depth <= 0:
        return 256
    if isinstance(value, BaseModel):
        return 64 + estimate_size(value.__dict__, depth - 1)
    if isinstance(value, Mapping):
        return 64 + _sampled(len(value), value.items(), depth)
    if isinstance(value, list | tuple | set | frozenset):
        return 56 + _sampled(len(value), value, depth)
    return sys.getsizeof(value)


def _sampled(count: int, items: Any, depth: int) -> int:
    if count == 0:
        return 0
    total = seen = 0
    for item in items:
        total += estimate_size(item, depth - 1) + 8
        seen += 1
        if seen >= SAMPLE_ITEMS:
            break
    return total * count // seen


@dataclass
class _Entry:
    value: Any
    expires_at: float
    size: int


class TTLCache:
    def __init__(
        self,
        ttl: float,
        *,
        max_entries: int = 2048,
        max_bytes: int = MAX_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._clock = clock
        self._entries: dict[Hashable, _Entry] = {}
        self._locks: dict[Hashable, anyio.Lock] = {}
        self._bytes = 0
        self._stores = 0

    @property
    def enabled(self) -> bool:
        return self.ttl > 0

    @property
    def size_bytes(self) -> int:
        """The estimated bytes held now."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def _fresh(self, key: Hashable) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires_at > self._clock():
            return entry
        self._drop(key)
        return None

    async def get_or_load(self, key: Hashable, load: Callable[[], Awaitable[T]]) -> T:
        if (entry := self._fresh(key)) is not None:
            return entry.value  # type: ignore[no-any-return]
        lock = self._locks.setdefault(key, anyio.Lock())
        async with lock:
            if (entry := self._fresh(key)) is not None:  # loaded while we waited
                return entry.value  # type: ignore[no-any-return]
            value = await load()
            if self.enabled:
                self._store(key, value)
        if not lock.locked() and not lock.statistics().tasks_waiting:
            self._locks.pop(key, None)
        return value

    def _drop(self, key: Hashable) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None:
            self._bytes -= entry.size

    def sweep(self) -> int:
        """Drop every expired entry; returns how many were dropped."""
        now = self._clock()
        stale = [key for key, entry in self._entries.items() if entry.expires_at <= now]
        for key in stale:
            self._drop(key)
        return len(stale)

    def _store(self, key: Hashable, value: Any) -> None:
        size = estimate_size(value)
        if size > self.max_bytes:
            return  # larger than the whole cache: serve it, keep nothing
        self._drop(key)
        self._stores += 1
        full = len(self._entries) >= self.max_entries or self._bytes + size > self.max_bytes
        if full or self._stores % SWEEP_EVERY == 0:
            self.sweep()
        # Oldest first (dicts keep insertion order) until the new entry fits.
        while self._entries and (
            len(self._entries) >= self.max_entries or self._bytes + size > self.max_bytes
        ):
            self._drop(next(iter(self._entries)))
        self._entries[key] = _Entry(value, self._clock() + self.ttl, size)
        self._bytes += size

    def invalidate(self, predicate: Callable[[Hashable], bool]) -> int:
        """Drop every entry whose key matches; returns how many were dropped."""
        doomed = [key for key in self._entries if predicate(key)]
        for key in doomed:
            self._drop(key)
        return len(doomed)
