"""Resumable cursors: a round trip, bound to the tool and its filters."""

from __future__ import annotations

import pytest

from hostaway_mcp.domain.cursor import decode_cursor, encode_cursor
from hostaway_mcp.errors import ValidationFailed


def test_cursor_round_trip_and_binding() -> None:
    token = encode_cursor("search_bookings", 1234, {"status": ["new"]})
    assert decode_cursor(token, "search_bookings", {"status": ["new"]}) == 1234
    assert decode_cursor(None, "search_bookings", {}) is None
    with pytest.raises(ValidationFailed, match="different"):
        decode_cursor(token, "search_bookings", {"status": ["cancelled"]})
    with pytest.raises(ValidationFailed, match="not valid"):
        decode_cursor("garbage!", "search_bookings", {})
