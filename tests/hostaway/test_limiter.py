"""The sliding-window limiter on a fake clock: windows, two budgets, the shared pause, and a request
counted from admission until its answer has arrived, plus the window."""

from __future__ import annotations

import math

import anyio
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


@pytest.mark.anyio
async def test_a_slow_answer_keeps_its_place_until_a_window_after_it_arrived() -> None:
    clock = FakeClock(0.0)
    limiter = SlidingWindowLimiter([(2, 10.0)], clock=clock, sleep=clock.sleep)
    async with limiter.slot():
        clock.now = 4.0  # the answer takes 4 s: the upstream may have counted it at 3.9 s
    await limiter.acquire()  # the second place, at 4 s
    assert limiter.delay() == pytest.approx(14.0 - 4.0)  # not 10 - 4: the first ended at 4 s
    await limiter.acquire()
    assert clock() == pytest.approx(14.0, abs=1e-3)


@pytest.mark.anyio
async def test_a_request_in_flight_holds_its_place_until_it_ends() -> None:
    clock = FakeClock(0.0)
    limiter = SlidingWindowLimiter([(1, 10.0)], clock=clock, sleep=clock.sleep)
    admitted_at: list[float] = []
    release = anyio.Event()

    async def slow() -> None:
        async with limiter.slot():
            await release.wait()
            clock.now = 30.0  # answered long after a window would have passed

    async def next_one() -> None:
        await limiter.acquire()
        admitted_at.append(clock())

    async with anyio.create_task_group() as group:
        group.start_soon(slow)
        await anyio.wait_all_tasks_blocked()
        assert math.isinf(limiter.delay())  # only the end of the request in flight makes room
        group.start_soon(next_one)
        await anyio.wait_all_tasks_blocked()
        assert admitted_at == []
        release.set()
    assert admitted_at == [pytest.approx(40.0, abs=1e-3)]  # a whole window after the answer


@pytest.mark.anyio
async def test_a_failed_attempt_also_ends_its_slot() -> None:
    clock = FakeClock(0.0)
    limiter = SlidingWindowLimiter([(1, 10.0)], clock=clock, sleep=clock.sleep)

    async def dropped() -> None:
        async with limiter.slot():
            clock.now = 2.0
            raise RuntimeError("connection dropped")

    with pytest.raises(RuntimeError):
        await dropped()
    assert limiter.delay() == pytest.approx(10.0)  # counted until 2 s + the window


@pytest.mark.anyio
async def test_limiter_serves_a_waiting_interactive_request_before_background_ones() -> None:
    from hostaway_mcp.hostaway._limiter import background_priority

    now = [0.0]

    async def nap(_: float) -> None:  # time moves only when the test moves it
        await anyio.lowlevel.checkpoint()

    limiter = SlidingWindowLimiter([(1, 10.0)], clock=lambda: now[0], sleep=nap)
    await limiter.acquire()  # the window is full until t = 10
    order: list[str] = []

    async def background() -> None:
        with background_priority():
            await limiter.acquire()
        order.append("background")

    async def interactive() -> None:
        await limiter.acquire()
        order.append("interactive")

    async with anyio.create_task_group() as group:
        group.start_soon(background)  # waits first
        for _ in range(5):
            await anyio.lowlevel.checkpoint()
        group.start_soon(interactive)
        for _ in range(5):
            await anyio.lowlevel.checkpoint()
        now[0] = 10.5  # one slot frees: the interactive request takes it
        for _ in range(5):
            await anyio.lowlevel.checkpoint()
        assert order == ["interactive"]
        now[0] = 21.0  # the next slot goes to the background request
    assert order == ["interactive", "background"]


@pytest.mark.anyio
async def test_limiter_gives_background_requests_extra_room_beyond_the_window() -> None:
    from hostaway_mcp.hostaway._limiter import BACKGROUND_SLACK_SECONDS, background_priority

    clock = FakeClock(0.0)
    limiter = SlidingWindowLimiter([(1, 10.0)], clock=clock, sleep=clock.sleep)
    await limiter.acquire()
    with background_priority():
        await limiter.acquire()
    assert clock() >= 10.0 + BACKGROUND_SLACK_SECONDS
    await limiter.acquire()  # an interactive request needs no extra room
    assert clock() < 2 * 10.0 + 2 * BACKGROUND_SLACK_SECONDS
