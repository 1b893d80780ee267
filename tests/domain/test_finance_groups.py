"""Pure pieces of the finance answers: grouping listings by currency, naming channels."""

from __future__ import annotations

import pytest

from hostaway_mcp.domain.finance import currency_groups
from hostaway_mcp.hostaway import Listing, channel_label


def listing(listing_id: int, currency: str | None) -> Listing:
    return Listing(id=listing_id, name=f"L{listing_id}", currency=currency)


def test_listings_are_grouped_by_currency_in_the_order_given() -> None:
    listings = {1: listing(1, "EUR"), 2: listing(2, "USD"), 3: listing(3, "EUR")}
    assert currency_groups([3, 2, 1, 9], listings) == {"EUR": [3, 1], "USD": [2], None: [9]}


@pytest.mark.parametrize(
    ("channel_id", "name", "label"),
    [
        (2018, "airbnbOfficial", "airbnb"),
        (None, "airbnbOfficial", "airbnb"),
        (None, "bookingcom", "booking.com"),
        (None, "homeaway", "vrbo"),
        (None, "direct", "direct"),
        (None, "Some new channel", "Some new channel"),
        (None, None, None),
    ],
)
def test_channels_have_one_name_everywhere(
    channel_id: int | None, name: str | None, label: str | None
) -> None:
    assert channel_label(channel_id, name) == label
