"""Channel names and ids: what a user types, what Hostaway sends."""

from __future__ import annotations

import pytest

from hostaway_mcp.errors import ValidationFailed
from hostaway_mcp.hostaway.channels import channel_label, resolve_channel


def test_channels() -> None:
    assert resolve_channel("Booking.com") == (2005,)
    assert resolve_channel("airbnb") == (2018, 2001)
    assert resolve_channel("2013") == (2013,)
    assert channel_label(2005) == "booking.com"
    assert channel_label(9999, "someChannel") == "someChannel"
    with pytest.raises(ValidationFailed, match="Unknown channel"):
        resolve_channel("fax")
