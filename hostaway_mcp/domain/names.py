"""Naming the listings that rows refer to, with one cached scan of the account's listings; and
the access codes of those listings and bookings, to mask in the text we return."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from ..errors import NotFound
from ..hostaway import Hostaway, Listing, Reservation
from .fencing import KnownSecrets


async def listings_for(hostaway: Hostaway, listing_ids: Iterable[int | None]) -> dict[int, Listing]:
    """The account's listings by id when any of these ids is set, else nothing (no request)."""
    if all(listing_id is None for listing_id in listing_ids):
        return {}
    return await hostaway.listings_by_id()


def listing_name(listings: dict[int, Listing], listing_id: int | None) -> str | None:
    listing = listings.get(listing_id) if listing_id is not None else None
    return listing.name if listing else None


async def secrets_for(
    hostaway: Hostaway,
    listing_ids: Iterable[int | None],
    reservations: Iterable[Reservation | None] = (),
) -> KnownSecrets:
    """The codes known for these listings (one cached read each: one listing, or the cached scan
    for several) and bookings."""
    wanted = {listing_id for listing_id in listing_ids if listing_id is not None}
    listings: list[Listing] = []
    if len(wanted) == 1:
        with contextlib.suppress(NotFound):
            listings.append(await hostaway.listing(wanted.pop()))
    elif wanted:
        everything = await hostaway.listings_by_id()
        listings = [everything[i] for i in wanted if i in everything]
    return KnownSecrets.of(listings, reservations)
