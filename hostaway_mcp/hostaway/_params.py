"""Our query values -> Hostaway's query parameters and form fields (names, date forms, the
bracketed array syntax). The only place that writes them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from .entities.operations import GUEST_TO_HOST
from .types import DateRange, FinanceDateType, ReservationQuery

Params = dict[str, Any]
# Without it, embedded objects (a conversation's reservation and messages) come back empty.
WITH_RESOURCES: Params = {"includeResources": 1}


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def clean(params: Params) -> Params:
    return {key: value for key, value in params.items() if value is not None}


def one_listing(listing_ids: Sequence[int] | None) -> int | None:
    """Hostaway filters reservations by one listing at most; more are checked by the caller."""
    return listing_ids[0] if listing_ids and len(listing_ids) == 1 else None


def reservation_params(query: ReservationQuery) -> Params:
    arriving = query.arriving or DateRange()
    departing = query.departing or DateRange()
    return clean(
        {
            "listingId": one_listing(query.listing_ids),
            "arrivalStartDate": _day(arriving.first),
            "arrivalEndDate": _day(arriving.last),
            "departureStartDate": _day(departing.first),
            "departureEndDate": _day(departing.last),
            "match": query.guest_name,
            "guestEmail": query.guest_email,
            "channelId": query.channel_id,
        }
    )


def listing_params(
    *,
    name: str | None,
    city: str | None,
    country: str | None,
    free: DateRange | None,
    guests: int | None,
) -> Params:
    return clean(
        {
            "match": name,
            "city": city,
            "country": country,
            "availabilityDateStart": _day(free.first) if free else None,
            "availabilityDateEnd": _day(free.last) if free else None,
            "availabilityGuestNumber": guests,
        }
    )


def review_params(listing_id: int | None, departing: DateRange | None) -> Params:
    departing = departing or DateRange()
    return clean(
        {
            "type": GUEST_TO_HOST,
            # Hostaway ignores a plain `listingMapIds=`: the array must be sent in bracket form.
            "listingMapIds[]": listing_id,
            "departureDateStart": _day(departing.first),
            "departureDateEnd": _day(departing.last),
            "sortBy": "departureDate",
            "sortOrder": "desc",
        }
    )


def task_params(
    *,
    listing_id: int | None,
    reservation_id: int | None,
    status: str | None,
    can_start: DateRange | None,
) -> Params:
    can_start = can_start or DateRange()
    return clean(
        {
            "listingMapId": listing_id,
            "reservationId": reservation_id,
            "status": status,
            "canStartFromStart": _day(can_start.first),
            "canStartFromEnd": _day(can_start.last),
        }
    )


def finance_form(
    *,
    days: DateRange,
    listing_ids: Sequence[int],
    date_type: FinanceDateType,
    channel_ids: Sequence[int],
    statuses: Sequence[str],
) -> Params:
    form: Params = {
        "fromDate": _day(days.first),
        "toDate": _day(days.last),
        "dateType": date_type,
        "format": "json",
    }
    if listing_ids:
        form["listingMapIds[]"] = list(listing_ids)
    if channel_ids:
        form["channelIds[]"] = list(channel_ids)
    if statuses:
        form["statuses[]"] = list(statuses)
    return form
