"""A fake monotonic clock for the limiter, the cache, the client's retries and the sandbox."""

from __future__ import annotations

import anyio


class FakeClock:
    """A monotonic clock that only moves when someone sleeps (or a test moves it)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        await anyio.lowlevel.checkpoint()
