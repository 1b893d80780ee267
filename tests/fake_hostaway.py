"""A small respx-backed Hostaway built from the official example payloads, for tool tests.

Objects keep the real field names and quirks (0/1 flags, string ids, zone-less datetimes); only ids,
dates, names and a few numbers are varied.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx
import respx

from .helpers import BASE_URL, envelope, example, token_body

TODAY = date(2026, 6, 10)


def listing(listing_id: int, **changes: Any) -> dict[str, Any]:
    raw = example("listing_listingObject")
    raw["id"] = listing_id
    raw.update(changes)
    return raw


def reservation(reservation_id: int, **changes: Any) -> dict[str, Any]:
    raw = example("reservation_reservationObject")
    raw.update({"id": reservation_id, "hostawayReservationId": reservation_id})
    raw.update(changes)
    arrival = date.fromisoformat(raw["arrivalDate"])
    departure = date.fromisoformat(raw["departureDate"])
    raw.setdefault("nights", (departure - arrival).days)
    raw["nights"] = (departure - arrival).days
    return raw


def calendar_day(day: date, **changes: Any) -> dict[str, Any]:
    raw = example("calendar_calendarDayObject")
    raw.update(
        {
            "id": int(day.strftime("%Y%m%d")),
            "date": day.isoformat(),
            "isAvailable": 1,
            "status": "available",
            "price": 200,
            "minimumStay": 1,
            "reservations": [],
        }
    )
    raw.update(changes)
    return raw


def default_listings() -> list[dict[str, Any]]:
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


def default_reservations() -> list[dict[str, Any]]:
    d = TODAY.isoformat
    return [
        reservation(
            101,
            listingMapId=40161,
            listingName="Seaside Loft",
            arrivalDate=d(),
            departureDate=(TODAY + timedelta(days=3)).isoformat(),
            status="new",
            channelId=2018,
            channelName="airbnbOfficial",
            guestName="Ana Smith",
            guestEmail="ana@example.com",
            totalPrice=450,
            currency="EUR",
            doorCode="9911",
        ),
        reservation(
            102,
            listingMapId=40161,
            listingName="Seaside Loft",
            arrivalDate=(TODAY - timedelta(days=4)).isoformat(),
            departureDate=d(),
            status="modified",
            channelId=2005,
            channelName="bookingcom",
            guestName="Bruno Costa",
            guestEmail="bruno@example.com",
        ),
        reservation(
            103,
            listingMapId=40162,
            arrivalDate=d(),
            departureDate=(TODAY + timedelta(days=7)).isoformat(),
            status="cancelled",
            channelId=2000,
            channelName="direct",
            guestName="Carla Smith",
            guestEmail="carla@example.com",
        ),
        reservation(
            104,
            listingMapId=40162,
            arrivalDate=(TODAY + timedelta(days=1)).isoformat(),
            departureDate=(TODAY + timedelta(days=5)).isoformat(),
            status="ownerStay",
            channelId=2000,
            channelName="direct",
            guestName="Owner",
            guestEmail=None,
            totalPrice=0,
        ),
        reservation(
            105,
            listingMapId=40160,
            arrivalDate=(TODAY - timedelta(days=300)).isoformat(),
            departureDate=(TODAY - timedelta(days=296)).isoformat(),
            status="new",
            channelId=2018,
            channelName="airbnbOfficial",
            guestName="Ana Smith",
            guestEmail="ANA@example.com",
        ),
        reservation(
            106,
            listingMapId=40160,
            arrivalDate=(TODAY + timedelta(days=20)).isoformat(),
            departureDate=(TODAY + timedelta(days=22)).isoformat(),
            status="inquiry",
            channelId=2002,
            channelName="homeaway",
            guestName="Dan Inquirer",
            guestEmail="dan@example.com",
        ),
    ]


@dataclass
class FakeHostaway:
    """Mutable upstream state plus the respx router that serves it."""

    router: respx.MockRouter
    listings: list[dict[str, Any]] = field(default_factory=default_listings)
    reservations: list[dict[str, Any]] = field(default_factory=default_reservations)
    # listing id -> date -> day overrides
    calendar: dict[int, dict[date, dict[str, Any]]] = field(default_factory=dict)
    page_cap: int = 100
    # (method, path) -> canned responses served (one each) before the normal handler
    overrides: dict[tuple[str, str], list[httpx.Response]] = field(default_factory=dict)

    def fail_next(self, method: str, path: str, *responses: httpx.Response) -> None:
        self.overrides.setdefault((method, f"/v1{path}"), []).extend(responses)

    def day(self, listing_id: int, day: date) -> dict[str, Any]:
        overrides = self.calendar.get(listing_id, {}).get(day, {})
        return calendar_day(day, **overrides)

    def block(self, listing_id: int, first: date, nights: int, **changes: Any) -> None:
        days = self.calendar.setdefault(listing_id, {})
        for i in range(nights):
            days[first + timedelta(days=i)] = {"isAvailable": 0, "status": "reserved", **changes}

    def set_day(self, listing_id: int, day: date, **changes: Any) -> None:
        self.calendar.setdefault(listing_id, {}).setdefault(day, {}).update(changes)

    def calls(self, method: str, path: str) -> list[httpx.Request]:
        return [
            call.request
            for call in self.router.calls
            if call.request.method == method and call.request.url.path == f"/v1{path}"
        ]


def _page(rows: list[dict[str, Any]], request: httpx.Request, cap: int) -> httpx.Response:
    params = request.url.params
    limit = min(int(params.get("limit", 100)), cap)
    offset = int(params.get("offset", 0))
    return httpx.Response(
        200,
        json=envelope(rows[offset : offset + limit], count=len(rows), limit=limit, offset=offset),
    )


def _in_range(value: str | None, low: str | None, high: str | None) -> bool:
    if value is None:
        return low is None and high is None
    return (low is None or value >= low) and (high is None or value <= high)


@contextmanager
def fake_hostaway(**kwargs: Any) -> Iterator[FakeHostaway]:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        fake = FakeHostaway(router=router, **kwargs)

        def overridable(handler: Any) -> Any:
            def serve(request: httpx.Request, **path_args: str) -> httpx.Response:
                canned = fake.overrides.get((request.method, request.url.path))
                if canned:
                    return canned.pop(0)
                result: httpx.Response = handler(request, **path_args)
                return result

            return serve

        def listings_route(request: httpx.Request) -> httpx.Response:
            params = request.url.params
            rows = fake.listings
            if "match" in params:
                rows = [r for r in rows if params["match"].lower() in r["name"].lower()]
            if "city" in params:
                rows = [r for r in rows if r["city"].lower() == params["city"].lower()]
            if "country" in params:
                wanted = params["country"].lower()
                rows = [
                    r for r in rows if wanted in (r["country"].lower(), r["countryCode"].lower())
                ]
            return _page(rows, request, fake.page_cap)

        def listing_route(request: httpx.Request, listing_id: str) -> httpx.Response:
            for raw in fake.listings:
                if raw["id"] == int(listing_id):
                    return httpx.Response(200, json=envelope(raw))
            return httpx.Response(404, json={"status": "fail", "result": "Listing not found"})

        def calendar_route(request: httpx.Request, listing_id: str) -> httpx.Response:
            first = date.fromisoformat(request.url.params["startDate"])
            last = date.fromisoformat(request.url.params["endDate"])
            days = [
                fake.day(int(listing_id), first + timedelta(days=i))
                for i in range((last - first).days + 1)
            ]
            return httpx.Response(200, json=envelope(days))

        def reservations_route(request: httpx.Request) -> httpx.Response:
            params = request.url.params
            rows = list(fake.reservations)
            if "listingId" in params:
                rows = [r for r in rows if str(r["listingMapId"]) == params["listingId"]]
            if "guestEmail" in params:
                rows = [
                    r
                    for r in rows
                    if (r.get("guestEmail") or "").lower() == params["guestEmail"].lower()
                ]
            if "match" in params:
                rows = [r for r in rows if params["match"].lower() in r["guestName"].lower()]
            rows = [
                r
                for r in rows
                if _in_range(
                    r["arrivalDate"], params.get("arrivalStartDate"), params.get("arrivalEndDate")
                )
                and _in_range(
                    r["departureDate"],
                    params.get("departureStartDate"),
                    params.get("departureEndDate"),
                )
            ]
            total = len(rows)
            if "afterId" in params:
                ids = [r["id"] for r in rows]
                after = int(params["afterId"])
                rows = rows[ids.index(after) + 1 :] if after in ids else []
            limit = min(int(params.get("limit", 100)), fake.page_cap)
            return httpx.Response(200, json=envelope(rows[:limit], count=total, limit=limit))

        def reservation_route(request: httpx.Request, reservation_id: str) -> httpx.Response:
            for raw in fake.reservations:
                if raw["id"] == int(reservation_id):
                    return httpx.Response(200, json=envelope(raw))
            return httpx.Response(404, json={"status": "fail", "result": "Reservation not found"})

        def token_route(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, json=token_body())

        def price_route(request: httpx.Request) -> httpx.Response:
            return httpx.Response(200, json=example("calendar_priceDetails"))

        router.post("/accessTokens").mock(side_effect=overridable(token_route))
        router.delete("/accessTokens").respond(200, json=envelope([]))
        router.get("/listings").mock(side_effect=overridable(listings_route))
        router.get(path__regex=r"/listings/(?P<listing_id>\d+)$").mock(
            side_effect=overridable(listing_route)
        )
        router.get(path__regex=r"/listings/(?P<listing_id>\d+)/calendar$").mock(
            side_effect=overridable(calendar_route)
        )
        router.post(path__regex=r"/listings/\d+/calendar/priceDetails$").mock(
            side_effect=overridable(price_route)
        )
        router.get("/reservations").mock(side_effect=overridable(reservations_route))
        router.get(path__regex=r"/reservations/(?P<reservation_id>\d+)$").mock(
            side_effect=overridable(reservation_route)
        )
        yield fake
