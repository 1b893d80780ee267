"""Pure pieces: limiter, cache, cursor, output budget, availability rules, value coercion."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import ClassVar

import anyio
import pytest

from hostaway_mcp.domain.availability import evaluate_stay, validate_period
from hostaway_mcp.domain.cursor import decode_cursor, encode_cursor
from hostaway_mcp.domain.formatting import shorten
from hostaway_mcp.domain.models.common import Output, Page
from hostaway_mcp.errors import ValidationFailed
from hostaway_mcp.hostaway._cache import TTLCache
from hostaway_mcp.hostaway._limiter import SlidingWindowLimiter
from hostaway_mcp.hostaway._values import as_bool, as_date, as_datetime, as_int
from hostaway_mcp.hostaway.channels import channel_label, resolve_channel
from hostaway_mcp.hostaway.entities import CalendarDay
from hostaway_mcp.server.budget import fit_to_budget, serialized_size

from .helpers import FakeClock

# ---- limiter ----------------------------------------------------------------------------------


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


# ---- cache ------------------------------------------------------------------------------------


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


# ---- cursor -----------------------------------------------------------------------------------


def test_cursor_round_trip_and_binding() -> None:
    token = encode_cursor("search_bookings", 1234, {"status": ["new"]})
    assert decode_cursor(token, "search_bookings", {"status": ["new"]}) == 1234
    assert decode_cursor(None, "search_bookings", {}) is None
    with pytest.raises(ValidationFailed, match="different"):
        decode_cursor(token, "search_bookings", {"status": ["cancelled"]})
    with pytest.raises(ValidationFailed, match="not valid"):
        decode_cursor("garbage!", "search_bookings", {})


# ---- budget -----------------------------------------------------------------------------------


class Item(Output):
    id: int
    text: str


class Items(Page):
    items_field: ClassVar[str] = "items"
    items: list[Item]


class Thread(Page):
    items_field: ClassVar[str] = "items"
    cut_from_start: ClassVar[bool] = True
    items: list[Item]


class Note(Output):
    body: str


def test_budget_cuts_lists_at_item_boundaries_with_a_resume_cursor() -> None:
    page = Items(items=[Item(id=i, text="x" * 90) for i in range(50)], next_cursor="end")
    page.with_resume([f"after-{i}" for i in range(50)])
    cut = fit_to_budget(page, 1500)
    assert serialized_size(cut) <= 1500
    kept = len(cut.items)
    assert 0 < kept < 50
    assert [item.id for item in cut.items] == list(range(kept))
    assert cut.truncated is True
    assert cut.next_cursor == f"after-{kept - 1}"
    assert fit_to_budget(page, 100_000) is page


def test_budget_keeps_the_newest_items_of_a_thread() -> None:
    thread = Thread(items=[Item(id=i, text="y" * 90) for i in range(50)])
    cut = fit_to_budget(thread, 1500)
    assert cut.items[-1].id == 49 and cut.truncated


def test_budget_shortens_free_text_with_a_marker() -> None:
    note = Note(body="word " * 5000)
    cut = fit_to_budget(note, 3000)
    assert serialized_size(cut) <= 3000
    assert "cut" in cut.body and "output budget" in cut.body


# ---- availability rules -----------------------------------------------------------------------

D0 = date(2026, 7, 1)


def days(n: int, **overrides: dict[str, object]) -> dict[date, CalendarDay]:
    out = {}
    for i in range(n):
        day = D0 + timedelta(days=i)
        fields: dict[str, object] = {"date": day, "available": True, "price": 100.0, "min_stay": 1}
        fields.update(overrides.get(day.isoformat(), {}))
        out[day] = CalendarDay(**fields)  # type: ignore[arg-type]
    return out


@pytest.mark.parametrize(
    ("calendar", "nights", "available", "unavailable", "total"),
    [
        (days(5), 3, True, [], 300.0),
        (days(5, **{"2026-07-02": {"available": False}}), 3, False, [date(2026, 7, 2)], 300.0),
        (days(5, **{"2026-07-04": {"available": False}}), 3, True, [], 300.0),  # check-out day
        (days(5, **{"2026-07-01": {"min_stay": 4}}), 3, False, [], 300.0),
        (days(5, **{"2026-07-02": {"min_stay": 4}}), 3, True, [], 300.0),  # arrival night rules
        (days(5, **{"2026-07-01": {"max_stay": 2}}), 3, False, [], 300.0),
        (days(5, **{"2026-07-01": {"closed_on_arrival": True}}), 3, False, [], 300.0),
        (days(5, **{"2026-07-04": {"closed_on_departure": True}}), 3, False, [], 300.0),
        (days(2), 3, False, [date(2026, 7, 3)], None),  # no data for a night
        (days(5, **{"2026-07-02": {"price": None}}), 3, True, [], None),
    ],
)
def test_evaluate_stay(
    calendar: dict[date, CalendarDay],
    nights: int,
    available: bool,
    unavailable: list[date],
    total: float | None,
) -> None:
    check = evaluate_stay(calendar, D0, D0 + timedelta(days=nights))
    assert check.available is available
    assert check.unavailable_dates == unavailable
    assert check.total_price == total
    assert bool(check.reasons) is (not available)


def test_validate_period() -> None:
    assert validate_period(D0, D0 + timedelta(days=1)) == 1
    with pytest.raises(ValidationFailed, match="exclusive"):
        validate_period(D0, D0)
    with pytest.raises(ValidationFailed, match="maximum"):
        validate_period(D0, D0 + timedelta(days=400))


# ---- values and channels ----------------------------------------------------------------------


def test_value_coercion_handles_hostaway_quirks() -> None:
    assert as_int("40160") == 40160 and as_int("12.0") == 12 and as_int(None) is None
    assert as_bool(1) is True and as_bool("0") is False and as_bool(None) is None
    assert as_bool(True) is True and as_bool("false") is False
    assert as_date("2021-05-11 22:00:00") == date(2021, 5, 11) and as_date("bad") is None
    assert as_datetime("2018-07-16 10:12:52") == datetime(2018, 7, 16, 10, 12, 52, tzinfo=UTC)
    assert as_datetime("nope") is None


def test_shorten_marks_the_cut() -> None:
    assert shorten("short", 10) == "short"
    cut = shorten("alpha beta gamma delta", 12, "ask for more")
    assert cut is not None and cut.startswith("alpha beta") and "ask for more" in cut


def test_channels() -> None:
    assert resolve_channel("Booking.com") == (2005,)
    assert resolve_channel("airbnb") == (2018, 2001)
    assert resolve_channel("2013") == (2013,)
    assert channel_label(2005) == "booking.com"
    assert channel_label(9999, "someChannel") == "someChannel"
    with pytest.raises(ValidationFailed, match="Unknown channel"):
        resolve_channel("fax")


class Shelf(Page):
    items_field: ClassVar[str] = "items"
    items: list[Item]

    def condensed(self, level: int) -> Shelf | None:
        if level > 2:
            return None
        keep = (40, 10)[level - 1]
        return self.model_copy(
            update={"items": [Item(id=i.id, text=i.text[:keep]) for i in self.items]}
        )


def test_budget_condenses_before_cutting_items() -> None:
    shelf = Shelf(items=[Item(id=i, text="z" * 90) for i in range(20)])
    mild = fit_to_budget(shelf, 1400)
    assert len(mild.items) == 20
    assert len(mild.items[0].text) == 40
    assert mild.truncated is False
    hard = fit_to_budget(shelf, 500)  # even the most condensed form is too big: cut items
    assert hard.truncated is True
    assert 0 < len(hard.items) < 20
    assert len(hard.items[0].text) == 10


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
