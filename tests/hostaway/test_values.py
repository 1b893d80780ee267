"""Coercion of Hostaway's loosely typed values (string ids, 0/1 flags, zone-less times)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hostaway_mcp.hostaway._values import as_bool, as_date, as_datetime, as_int


def test_value_coercion_handles_hostaway_quirks() -> None:
    assert as_int("40160") == 40160 and as_int("12.0") == 12 and as_int(None) is None
    assert as_bool(1) is True and as_bool("0") is False and as_bool(None) is None
    assert as_bool(True) is True and as_bool("false") is False
    assert as_date("2021-05-11 22:00:00") == date(2021, 5, 11) and as_date("bad") is None
    assert as_datetime("2018-07-16 10:12:52") == datetime(2018, 7, 16, 10, 12, 52, tzinfo=UTC)
    assert as_datetime("nope") is None
