"""Naming the listings that rows refer to, with one cached scan of the account's listings."""

from __future__ import annotations

from collections.abc import Iterable

from ..hostaway import Hostaway, Listing


async def listings_for(hostaway: Hostaway, listing_ids: Iterable[int | None]) -> dict[int, Listing]:
    """The account's listings by id when any of these ids is set, else nothing (no request)."""
    if all(listing_id is None for listing_id in listing_ids):
        return {}
    return await hostaway.listings_by_id()


def listing_name(listings: dict[int, Listing], listing_id: int | None) -> str | None:
    listing = listings.get(listing_id) if listing_id is not None else None
    return listing.name if listing else None
