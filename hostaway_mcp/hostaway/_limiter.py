"""A sliding-window rate limiter that keeps a process under several (limit, window) budgets at once,
with interactive requests (tool calls) ahead of background ones (the mirror's sync)."""

from __future__ import annotations

import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import anyio

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

# Requests made under `background_priority()` (the mirror's sync) yield to any request a tool call
# is waiting to send: a background caller takes a place only when no interactive caller waits.
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


@dataclass
class _Use:
    """One request's place in the windows: it counts from admission until `done` + the window."""

    admitted: float
    done: float | None = None  # None while the request is in flight


class SlidingWindowLimiter:
    """Admit a request only when every budget has room in the trailing window.

    The upstream counts a request at some moment between our sending it and its answer arriving
    (latency, a slow first response, clock granularity), so a request sent through `slot()` holds
    its place from admission until its answer has arrived, and for a whole window after that. A
    bare `acquire()` counts from admission only. Callers of each kind wait in FIFO order; a
    background caller waits while any interactive one does. ``margin`` widens each window a
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
        self._uses: list[_Use] = []
        self._paused_until = 0.0
        self._clock = clock
        self._sleep = sleep
        self._lock = anyio.Lock()
        self._background_lock = anyio.Lock()
        self._interactive_waiting = 0
        self._finished = anyio.Event()  # set (and replaced) whenever a request in flight ends

    def delay(self, now: float | None = None) -> float:
        """Seconds until the next request may start: 0 when it may start now, infinity when only
        the end of a request still in flight can make room."""
        now = self._clock() if now is None else now
        self._uses = [u for u in self._uses if u.done is None or u.done > now - self._horizon]
        wait = max(0.0, self._paused_until - now)
        for limit, window in self._limits:
            held = [u for u in self._uses if u.done is None or u.done > now - window]
            if len(held) < limit:
                continue
            # The requests that must leave the window before another may enter.
            leaving = len(held) - limit + 1
            ends = sorted(u.done for u in held if u.done is not None)
            wait = max(wait, ends[leaving - 1] + window - now if len(ends) >= leaving else math.inf)
        return wait

    async def acquire(self) -> None:
        """Wait for room and count one request from now (its end is not reported)."""
        use = await self._admit()
        use.done = use.admitted

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Wait for room, then hold it for the request sent inside the block: from now until the
        block ends (the answer arrived, or the attempt failed), and a window after that."""
        use = await self._admit()
        try:
            yield
        finally:
            use.done = max(self._clock(), use.admitted)
            self._finished.set()
            self._finished = anyio.Event()

    async def _admit(self) -> _Use:
        if _background.get():
            return await self._admit_background()
        self._interactive_waiting += 1
        try:
            async with self._lock:
                while (wait := self.delay()) > 0:
                    await self._wait(wait)
                return self._take()
        finally:
            self._interactive_waiting -= 1

    async def _admit_background(self) -> _Use:
        async with self._background_lock:  # background callers keep their FIFO order
            while True:
                wait = self.delay(self._clock() - BACKGROUND_SLACK_SECONDS)
                if wait <= 0 and not self._interactive_waiting:
                    return self._take()
                await self._wait(max(wait, BACKGROUND_POLL_SECONDS))

    async def _wait(self, seconds: float) -> None:
        if math.isinf(seconds):
            await self._finished.wait()  # only the end of a request in flight makes room
        else:
            await self._sleep(seconds + 1e-4)

    def _take(self) -> _Use:
        use = _Use(admitted=self._clock())
        self._uses.append(use)
        return use

    def pause(self, seconds: float) -> None:
        """Hold every caller back (the server said we are over its limit)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)
