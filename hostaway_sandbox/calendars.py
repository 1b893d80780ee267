"""Listing calendars computed lazily: pricing rules (or a seeded listing's own defaults), plus
per-day overrides, plus occupied nights."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from .pricing import rule_minimum_stay, rule_price
from .shapes import CALENDAR_DAY_KEYS, blank

EPOCH = date(2000, 1, 1)
OVERRIDABLE = (
    "status",  # seeded days only: the calendar PUT never sets it
    "isAvailable",
    "price",
    "minimumStay",
    "maximumStay",
    "closedOnArrival",
    "closedOnDeparture",
    "note",
)


def nights(arrival: date, departure: date) -> list[date]:
    return [arrival + timedelta(days=n) for n in range((departure - arrival).days)]


def day_id(listing_id: int, day: date) -> int:
    """Stable id per (listing, date), like Hostaway's calendar row ids."""
    return listing_id * 100_000 + (day - EPOCH).days


class Calendar:
    def __init__(self, listings: dict[int, dict[str, Any]]) -> None:
        self._listings = listings
        # listing id -> night -> ids of the blocking reservations on it (two only when overbooked)
        self._occupied: dict[int, dict[date, list[int]]] = defaultdict(dict)
        self._overrides: dict[int, dict[date, dict[str, Any]]] = defaultdict(dict)
        # listing id -> values every day starts from instead of the pricing rules (seeded listings)
        self._defaults: dict[int, dict[str, Any]] = {}

    def occupy(self, listing_id: int, arrival: date, departure: date, reservation_id: int) -> None:
        occupied = self._occupied[listing_id]
        for night in nights(arrival, departure):
            occupied.setdefault(night, []).append(reservation_id)

    def release(self, listing_id: int, arrival: date, departure: date, reservation_id: int) -> None:
        occupied = self._occupied[listing_id]
        for night in nights(arrival, departure):
            holders = occupied.get(night, [])
            if reservation_id in holders:
                holders.remove(reservation_id)
            if not holders:
                occupied.pop(night, None)

    def holders(self, listing_id: int, day: date) -> list[int]:
        return list(self._occupied[listing_id].get(day, ()))

    def set_defaults(self, listing_id: int, values: dict[str, Any]) -> None:
        """Every day of this listing starts from ``values`` (price, minimumStay, ...), not the
        pricing rules; per-day overrides still win."""
        self._defaults[listing_id] = {key: values[key] for key in OVERRIDABLE if key in values}

    def _custom(self, listing_id: int, day: date) -> dict[str, Any]:
        return {**self._defaults.get(listing_id, {}), **self._overrides[listing_id].get(day, {})}

    def override(self, listing_id: int, day: date, changes: dict[str, Any]) -> None:
        current = self._overrides[listing_id].setdefault(day, {})
        current.update({key: changes[key] for key in OVERRIDABLE if key in changes})

    def price(self, listing_id: int, day: date) -> float:
        custom = self._custom(listing_id, day).get("price")
        return float(custom) if custom is not None else rule_price(self._listings[listing_id], day)

    def is_free(self, listing_id: int, day: date, ignore: int | None = None) -> bool:
        """No other blocking reservation on this night and not blocked by hand."""
        if any(holder != ignore for holder in self._occupied[listing_id].get(day, ())):
            return False
        return bool(self._custom(listing_id, day).get("isAvailable", 1) != 0)

    def first_unavailable(
        self, listing_id: int, arrival: date, departure: date, ignore: int | None = None
    ) -> date | None:
        for night in nights(arrival, departure):
            if not self.is_free(listing_id, night, ignore):
                return night
        return None

    def day(self, listing_id: int, day: date) -> dict[str, Any]:
        """The day object as GET calendar returns it (``reservations`` left empty)."""
        listing = self._listings[listing_id]
        custom = self._custom(listing_id, day)
        reserved = bool(self._occupied[listing_id].get(day))
        blocked = custom.get("isAvailable", 1) == 0
        result = blank(CALENDAR_DAY_KEYS)
        result.update(
            id=day_id(listing_id, day),
            date=day.isoformat(),
            isAvailable=0 if reserved or blocked else 1,
            isProcessed=1,
            status=custom.get("status")
            or ("reserved" if reserved else "blocked" if blocked else "available"),
            price=self.price(listing_id, day),
            minimumStay=custom.get("minimumStay", rule_minimum_stay(listing, day)),
            maximumStay=custom.get("maximumStay", listing["maxNights"]),
            closedOnArrival=custom.get("closedOnArrival"),
            closedOnDeparture=custom.get("closedOnDeparture"),
            note=custom.get("note"),
            reservations=[],
        )
        return result
