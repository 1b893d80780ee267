"""The sliding-window limiter on a fake clock: windows, two budgets, the shared pause."""

from __future__ import annotations

import pytest

from hostaway_mcp.hostaway._limiter import SlidingWindowLimiter
from tests.support.clock import FakeClock


@pytest.mark.anyio
async def test_limiter_admits_at_most_n_per_sliding_window() -> None:
    clock = FakeClock(0.0)
    limiter = SlidingWindowLimiter([(3, 10.0), (5, 10.0)], clock=clock, sleep=clock.sleep)
    stamps = []
    for _ in range(10):
        await limiter.acquire()
        stamps.append(clock())
    assert stamps[:3] == [0.0, 0.0, 0.0]
    for t in stamps:
        assert sum(1 for s in stamps if t <= s < t + 10.0) <= 3
    assert stamps[3] == pytest.approx(10.0, abs=1e-3)


@pytest.mark.anyio
async def test_limiter_honours_the_tighter_of_two_budgets() -> None:
    clock = FakeClock(0.0)
    limiter = SlidingWindowLimiter([(15, 10.0), (2, 1.0)], clock=clock, sleep=clock.sleep)
    stamps = []
    for _ in range(6):
        await limiter.acquire()
        stamps.append(clock())
    assert stamps == pytest.approx([0, 0, 1, 1, 2, 2], abs=1e-3)


@pytest.mark.anyio
async def test_limiter_pause_holds_everyone_back() -> None:
    clock = FakeClock(0.0)
    limiter = SlidingWindowLimiter([(100, 10.0)], clock=clock, sleep=clock.sleep)
    limiter.pause(4.0)
    await limiter.acquire()
    assert clock() == pytest.approx(4.0, abs=1e-3)


def test_limiter_rejects_nonsense_limits() -> None:
    with pytest.raises(ValueError, match="limits"):
        SlidingWindowLimiter([(0, 10.0)])
