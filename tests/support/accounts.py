"""The sandbox accounts the server tests run against.

- ``seeded()``: an empty sandbox given three listings and six reservations around TODAY
  (2026-06-10), built from the official examples; most tool tests start here.
- ``demo_account()``: the generated demo account (24 listings, a year of bookings, messages...),
  dated relative to the real today as in production.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from hostaway_sandbox import Sandbox

from .records import TODAY, listing, reservation, stamp
from .servers import CLIENT_ID, SECRET

# Every day of a seeded listing's calendar starts from these (per-day overrides win).
NIGHTLY = {"price": 200, "minimumStay": 1}
DEMO_SEED = 7
DEMO_TODAY = date.today()


def demo_account(*, today: date = DEMO_TODAY) -> Sandbox:
    """The generated demo account; tokens work at once and no rate limit is felt."""
    sandbox = Sandbox(seed=DEMO_SEED, today=today)
    sandbox.token_warmup = 0.0
    sandbox.set_rate_limits(ip=10_000, account=10_000, window=10.0)
    return sandbox


def account(today: date = TODAY) -> Sandbox:
    """An empty sandbox for the test credentials: tokens work at once, no rate limits felt."""
    sandbox = Sandbox.empty(today)
    sandbox.client_id, sandbox.client_secret = CLIENT_ID, SECRET
    sandbox.token_warmup = 0.0
    sandbox.set_rate_limits(ip=100_000, account=100_000)
    return sandbox


def listings() -> list[dict[str, Any]]:
    return [
        listing(40160),  # Bremerhaven, 1 bedroom, sleeps 6, USD
        listing(
            40161,
            name="Seaside Loft",
            city="Lisbon",
            country="Portugal",
            countryCode="PT",
            bedroomsNumber=2,
            bathroomsNumber=1,
            personCapacity=4,
            price=150,
            currencyCode="EUR",
        ),
        listing(
            40162,
            name="Family House",
            city="Lisbon",
            country="Portugal",
            countryCode="PT",
            bedroomsNumber=4,
            bathroomsNumber=3,
            personCapacity=8,
            price=400,
            currencyCode="EUR",
            wifiPassword="house-wifi-pass",
            doorSecurityCode="4242",
        ),
    ]


def reservations() -> list[dict[str, Any]]:
    def d(days: int = 0) -> str:
        return (TODAY + timedelta(days=days)).isoformat()

    return [
        reservation(101, listingMapId=40161, listingName="Seaside Loft", arrivalDate=d(),
                    departureDate=d(3), status="new", channelId=2018,
                    channelName="airbnbOfficial", guestName="Ana Smith",
                    guestEmail="ana@example.com", totalPrice=450, currency="EUR",
                    doorCode="9911"),
        reservation(102, listingMapId=40161, listingName="Seaside Loft", arrivalDate=d(-4),
                    departureDate=d(), status="modified", channelId=2005,
                    channelName="bookingcom", guestName="Bruno Costa",
                    guestEmail="bruno@example.com"),
        reservation(103, listingMapId=40162, arrivalDate=d(), departureDate=d(7),
                    status="cancelled", channelId=2000, channelName="direct",
                    guestName="Carla Smith", guestEmail="carla@example.com"),
        reservation(104, listingMapId=40162, arrivalDate=d(1), departureDate=d(5),
                    status="ownerStay", channelId=2000, channelName="direct", guestName="Owner",
                    guestEmail=None, totalPrice=0),
        reservation(105, listingMapId=40160, arrivalDate=d(-300), departureDate=d(-296),
                    status="new", channelId=2018, channelName="airbnbOfficial",
                    guestName="Ana Smith", guestEmail="ANA@example.com"),
        reservation(106, listingMapId=40160, arrivalDate=d(20), departureDate=d(22),
                    status="inquiry", channelId=2002, channelName="homeaway",
                    guestName="Dan Inquirer", guestEmail="dan@example.com"),
    ]  # fmt: skip


def seeded(
    listing_rows: Iterable[dict[str, Any]] | None = None,
    reservation_rows: Iterable[dict[str, Any]] | None = None,
    *,
    today: date = TODAY,
) -> Sandbox:
    """The account with these listings and reservations (default: the three and the six above).

    Reservations without ``updatedOn`` get one that decreases along the list, so Hostaway's
    default order (latest update first) is the order given here.
    """
    sandbox = account(today)
    for raw in listings() if listing_rows is None else listing_rows:
        sandbox.add_listing(raw, calendar=NIGHTLY)
    latest = datetime.combine(today, time(8, 0), tzinfo=UTC)
    for position, raw in enumerate(
        reservations() if reservation_rows is None else reservation_rows
    ):
        raw.setdefault("updatedOn", stamp(latest - timedelta(minutes=position)))
        sandbox.add_reservation(raw)
    return sandbox
