"""Listings, calendars and price quotes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .errors import BadRequest
from .pricing import quote
from .shapes import LISTING_RESOURCE_KEYS
from .store import Store
from .values import as_date, as_flag, as_int, as_number
from .web import json_body, page_params, paginated, q, q_date, q_flag, q_int, success

MAX_CALENDAR_DAYS = 731  # two years
DEFAULT_CALENDAR_DAYS = 365
SortKey = Callable[[dict[str, Any], dict[int, str]], Any]
LISTING_SORTS: dict[str, tuple[SortKey, bool]] = {
    "name": (lambda listing, _: listing["name"].lower(), False),
    "nameReversed": (lambda listing, _: listing["name"].lower(), True),
    "order": (lambda listing, _: listing["id"], False),
    "orderReversed": (lambda listing, _: listing["id"], True),
    "contactName": (lambda listing, _: (listing["contactName"] or "").lower(), False),
    "contactNameReversed": (lambda listing, _: (listing["contactName"] or "").lower(), True),
    "latestActivity": (lambda listing, activity: activity.get(listing["id"], ""), False),
    "latestActivityDesc": (lambda listing, activity: activity.get(listing["id"], ""), True),
}


def render_listing(listing: dict[str, Any], include_resources: bool) -> dict[str, Any]:
    """Without includeResources=1 the resource arrays come back empty, as in Hostaway."""
    rendered = dict(listing)
    if not include_resources:
        for key in LISTING_RESOURCE_KEYS:
            rendered[key] = []
    return rendered


def _date_range(start: date, end: date) -> list[date]:
    if end < start:
        raise BadRequest("endDate must not be before startDate")
    if (end - start).days >= MAX_CALENDAR_DAYS:
        raise BadRequest("The date range must not exceed two years")
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _available_throughout(store: Store, listing_id: int, days: list[date]) -> bool:
    return all(store.calendar.is_free(listing_id, day) for day in days)


def _latest_activity(store: Store) -> dict[int, str]:
    """A listing's latest activity: the latest `latestActivityOn` of its reservations (Hostaway
    does not document what else counts; editing the listing, here, does not)."""
    activity: dict[int, str] = {}
    for reservation in store.reservations:
        listing_id = reservation["listingMapId"]
        activity[listing_id] = max(activity.get(listing_id, ""), reservation["latestActivityOn"])
    return activity


async def list_listings(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    page = page_params(request)
    rows = list(store.listings)
    if city := q(request, "city"):
        rows = [r for r in rows if r["city"].lower() == city.lower()]
    if country := q(request, "country"):
        wanted = country.lower()
        rows = [r for r in rows if wanted in (r["country"].lower(), r["countryCode"].lower())]
    if match := q(request, "match"):
        needle = match.lower()
        rows = [
            r
            for r in rows
            if needle in r["name"].lower() or needle in (r["internalListingName"] or "").lower()
        ]
    if contact := q(request, "contactName"):
        rows = [r for r in rows if contact.lower() in (r["contactName"] or "").lower()]
    if (property_type := q_int(request, "propertyTypeId")) is not None:
        rows = [r for r in rows if r["propertyTypeId"] == property_type]
    if (guests := q_int(request, "availabilityGuestNumber")) is not None:
        rows = [r for r in rows if r["personCapacity"] >= guests]
    start, end = q_date(request, "availabilityDateStart"), q_date(request, "availabilityDateEnd")
    if start or end:
        days = _date_range(start or end, end or start)
        rows = [r for r in rows if _available_throughout(store, r["id"], days)]
    sort_order = q(request, "sortOrder")
    if sort_order is not None and sort_order not in LISTING_SORTS:
        raise BadRequest(f"Invalid sortOrder; use one of {', '.join(LISTING_SORTS)}")
    since, until = q_date(request, "latestActivityStart"), q_date(request, "latestActivityEnd")
    activity = _latest_activity(store) if sort_order or since or until else {}
    if since is not None:  # a day: activity on it or later
        rows = [r for r in rows if activity.get(r["id"], "")[:10] >= since.isoformat()]
    if until is not None:
        rows = [r for r in rows if "" < activity.get(r["id"], "")[:10] <= until.isoformat()]
    if sort_order is not None:
        key, descending = LISTING_SORTS[sort_order]
        rows.sort(key=lambda listing: (key(listing, activity), listing["id"]), reverse=descending)
    include = q_flag(request, "includeResources")
    return paginated([render_listing(r, include) for r in rows], page)


async def get_listing(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    listing = store.listing(request.path_params["listing_id"])
    return success(render_listing(listing, q_flag(request, "includeResources")))


async def get_calendar(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    listing_id = request.path_params["listing_id"]
    store.listing(listing_id)
    start = q_date(request, "startDate") or store.today
    end = q_date(request, "endDate") or start + timedelta(days=DEFAULT_CALENDAR_DAYS - 1)
    include = q_flag(request, "includeResources")
    days = _date_range(start, end)
    return success([store.calendar_day(listing_id, day, include) for day in days])


async def update_calendar(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    listing_id = request.path_params["listing_id"]
    store.listing(listing_id)
    body = await json_body(request)
    for name in ("startDate", "endDate"):
        if body.get(name) in (None, ""):
            raise BadRequest(f"{name} is required")
    start, end = as_date(body["startDate"], "startDate"), as_date(body["endDate"], "endDate")
    _date_range(start, end)
    changes: dict[str, Any] = {}
    for name in ("isAvailable", "closedOnArrival", "closedOnDeparture"):
        if name in body:
            changes[name] = None if body[name] is None else as_flag(body[name], name)
    if "price" in body:
        price = as_number(body["price"], "price")
        if price <= 0:
            raise BadRequest("price must be positive")
        changes["price"] = price
    for name in ("minimumStay", "maximumStay"):
        if name in body:
            changes[name] = as_int(body[name], name, minimum=1)
    if "note" in body:
        if body["note"] is not None and not isinstance(body["note"], str):
            raise BadRequest("note must be a string")
        changes["note"] = body["note"]
    return success(store.update_calendar(listing_id, start, end, changes))


async def price_details(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    listing = store.listing(request.path_params["listing_id"])
    body = await json_body(request)
    if body.get("version") not in (2, "2"):
        raise BadRequest("version must be 2")
    for name in ("startingDate", "endingDate"):
        if body.get(name) in (None, ""):
            raise BadRequest(f"{name} is required")
    arrival = as_date(body["startingDate"], "startingDate")
    departure = as_date(body["endingDate"], "endingDate")
    if departure <= arrival:
        raise BadRequest("endingDate must be after startingDate")
    _date_range(arrival, departure)
    guests = as_int(body.get("numberOfGuests", 1), "numberOfGuests", minimum=1)
    priced = quote(
        listing, arrival, departure, guests, lambda day: store.calendar.price(listing["id"], day)
    )
    return success(
        {
            "totalPrice": priced.total,
            "originalTotalPrice": priced.total,
            "selectedComponentsAmount": 0,
            "components": priced.components(),
            "extraComponents": [],
            "selectedComponents": [],
        }
    )


routes = [
    Route("/v1/listings", list_listings, methods=["GET"]),
    Route("/v1/listings/{listing_id:int}", get_listing, methods=["GET"]),
    Route("/v1/listings/{listing_id:int}/calendar", get_calendar, methods=["GET"]),
    Route("/v1/listings/{listing_id:int}/calendar", update_calendar, methods=["PUT"]),
    Route("/v1/listings/{listing_id:int}/calendar/priceDetails", price_details, methods=["POST"]),
]
