"""A small in-memory TTL cache whose loads are single-flight: concurrent identical requests share
one upstream call."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio

T = TypeVar("T")


@dataclass
class _Entry:
    value: Any
    expires_at: float


class TTLCache:
    def __init__(
        self, ttl: float, *, max_entries: int = 2048, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._entries: dict[Hashable, _Entry] = {}
        self._locks: dict[Hashable, anyio.Lock] = {}

    @property
    def enabled(self) -> bool:
        return self.ttl > 0

    def _fresh(self, key: Hashable) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is not None and entry.expires_at > self._clock():
            return entry
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

    def _store(self, key: Hashable, value: Any) -> None:
        if len(self._entries) >= self.max_entries:
            now = self._clock()
            for stale in [k for k, e in self._entries.items() if e.expires_at <= now]:
                del self._entries[stale]
            while len(self._entries) >= self.max_entries:
                del self._entries[next(iter(self._entries))]
        self._entries[key] = _Entry(value, self._clock() + self.ttl)

    def invalidate(self, predicate: Callable[[Hashable], bool]) -> int:
        """Drop every entry whose key matches; returns how many were dropped."""
        doomed = [key for key in self._entries if predicate(key)]
        for key in doomed:
            del self._entries[key]
        return len(doomed)
