"""Pure inbox computations: message order, triage ranking, waiting hours."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hostaway_mcp.domain.inbox import (
    hours_between,
    latest_in_reading_order,
    newest_first,
    triage_key,
)
from hostaway_mcp.hostaway.entities import Message


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def msg(message_id: int, at: str | None) -> Message:
    return Message(id=message_id, sent_at=utc(at) if at else None)


def test_message_order_detection_and_reading_order() -> None:
    oldest_first = [
        msg(1, "2026-06-01 10:00"),
        msg(2, "2026-06-01 11:00"),
        msg(3, "2026-06-01 12:00"),
    ]
    assert newest_first(oldest_first) is False
    assert newest_first(list(reversed(oldest_first))) is True
    assert newest_first(oldest_first[:1]) is False  # undecidable
    assert newest_first([msg(5, None), msg(4, None)]) is True  # no dates: ids decide
    again = [*reversed(oldest_first), oldest_first[0]]
    assert [m.id for m in latest_in_reading_order(again, 2)] == [2, 3]
    assert [m.id for m in latest_in_reading_order(again, 10)] == [1, 2, 3]


TODAY = date(2026, 6, 10)


@pytest.mark.parametrize(
    ("arrival", "departure", "status", "expected_group", "expected_day"),
    [
        (date(2026, 6, 12), date(2026, 6, 14), "new", 0, date(2026, 6, 12)),
        (date(2026, 6, 10), date(2026, 6, 14), "new", 0, TODAY),
        (date(2026, 6, 8), date(2026, 6, 11), "modified", 0, TODAY),  # staying now
        (date(2026, 6, 8), date(2026, 6, 10), "new", 0, TODAY),  # leaving today
        (date(2026, 6, 1), date(2026, 6, 9), "new", 1, None),  # gone
        (date(2026, 6, 12), date(2026, 6, 14), "cancelled", 1, None),
        (date(2026, 6, 12), date(2026, 6, 14), "inquiry", 0, date(2026, 6, 12)),
        (None, None, None, 1, None),
    ],
)
def test_triage_key_groups(
    arrival: date | None,
    departure: date | None,
    status: str | None,
    expected_group: int,
    expected_day: date | None,
) -> None:
    key = triage_key(
        arrival=arrival,
        departure=departure,
        status=status,
        waiting_since=None,
        conversation_id=1,
        today=TODAY,
    )
    assert key[0] == expected_group
    assert key[1] == (expected_day.toordinal() if expected_day else 0)


def test_triage_key_prefers_the_longest_waiting_within_a_day() -> None:
    def key(since: str | None, conversation_id: int) -> tuple[int, int, datetime, int]:
        return triage_key(
            arrival=TODAY,
            departure=None,
            status="new",
            waiting_since=utc(since) if since else None,
            conversation_id=conversation_id,
            today=TODAY,
        )

    assert key("2026-06-09 10:00", 2) < key("2026-06-10 10:00", 1) < key(None, 0)


def test_hours_between() -> None:
    now = utc("2026-06-10 12:00:00")
    assert hours_between(utc("2026-06-10 09:10:00"), now) == 2.8
    assert hours_between(utc("2026-06-10 12:30:00"), now) == 0.0  # clocks disagree: not negative
    assert hours_between(None, now) is None
