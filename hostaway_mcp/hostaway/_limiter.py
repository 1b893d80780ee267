"""A sliding-window rate limiter that keeps a process under several (limit, window) budgets at once."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar

import anyio

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

# Requests made under `background_priority()` (the mirror's sync) yield to any request a tool call
# is waiting to send: a background caller takes a slot only when no interactive caller waits.
_background: ContextVar[bool] = ContextVar("hostaway_background_request", default=False)
BACKGROUND_POLL_SECONDS = 0.02
# A background request also leaves this much room beyond the window: Hostaway counts a request
# when it arrives, which can lag its admission here when the upstream is slow to take requests.
BACKGROUND_SLACK_SECONDS = 0.4


@contextmanager
def background_priority() -> Iterator[None]:
    """Requests sent inside this block (and the tasks it starts) wait behind interactive ones."""
    token = _background.set(True)
    try:
        yield
    finally:
        _background.reset(token)


class SlidingWindowLimiter:
    """Admit a request only when every budget has room in the trailing window.

    A request is stamped when admitted; callers wait in FIFO order. ``margin`` widens each window a
    little, so jitter between our clock and the server's never lets one window hold one too many.
    """

    def __init__(
        self,
        limits: Sequence[tuple[int, float]],
        *,
        margin: float = 0.0,
        clock: Clock = time.monotonic,
        sleep: Sleep = anyio.sleep,
    ) -> None:
        if not limits or any(limit < 1 or window <= 0 for limit, window in limits):
            raise ValueError("limits must be (count >= 1, window > 0) pairs")
        self._limits = [(limit, window + margin) for limit, window in limits]
        self._horizon = max(window for _, window in self._limits)
        self._stamps: deque[float] = deque()
        self._paused_until = 0.0
        self._clock = clock
        self._sleep = sleep
        self._lock = anyio.Lock()
        self._background_lock = anyio.Lock()
        self._interactive_waiting = 0

    def delay(self, now: float | None = None) -> float:
        """Seconds until the next request may start (0 when it may start now)."""
        now = self._clock() if now is None else now
        while self._stamps and self._stamps[0] <= now - self._horizon:
            self._stamps.popleft()
        wait = max(0.0, self._paused_until - now)
        for limit, window in self._limits:
            in_window = sum(1 for stamp in self._stamps if stamp > now - window)
            if in_window >= limit:
                # The request that must leave the window before another may enter.
                blocking = self._stamps[len(self._stamps) - limit]
                wait = max(wait, blocking + window - now)
        return wait

    async def acquire(self) -> None:
        if _background.get():
            await self._acquire_background()
            return
        self._interactive_waiting += 1
        try:
            async with self._lock:
                while (wait := self.delay()) > 0:
                    await self._sleep(wait + 1e-4)
                self._stamps.append(self._clock())
        finally:
            self._interactive_waiting -= 1

    async def _acquire_background(self) -> None:
        async with self._background_lock:  # background callers keep their FIFO order
            while True:
                wait = self.delay(self._clock() - BACKGROUND_SLACK_SECONDS)
                if wait <= 0 and not self._interactive_waiting:
                    self._stamps.append(self._clock())
                    return
                await self._sleep(max(wait, BACKGROUND_POLL_SECONDS) + 1e-4)

    def pause(self, seconds: float) -> None:
        """Hold every caller back (the server said we are over its limit)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)
