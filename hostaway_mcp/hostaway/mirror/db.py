"""The store, reached from async code: every call runs in a worker thread, never on the event
loop (a big read or write must not stall the MCP session)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import anyio
import anyio.to_thread

from .store import MirrorStore

T = TypeVar("T")
THREADS = 2  # one reader and one writer at a time (the store serialises each side)


class Db:
    def __init__(self, store: MirrorStore) -> None:
        self.store = store
        self._threads = anyio.CapacityLimiter(THREADS)

    async def __call__(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs), limiter=self._threads)
