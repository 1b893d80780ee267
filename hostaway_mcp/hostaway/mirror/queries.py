"""Hostaway's list endpoints, answered from the store: the same filters (by their Hostaway
names), the same order and the same pages, so a cursor from either side resumes on the other.
Each function runs inside one read transaction (`MirrorStore.read`)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .rows import ListingRow


class NotMirrored(Exception):
    """The store cannot give the exact answer to this query (a filter it does not emulate, or
    rows outside what it mirrors): ask Hostaway."""


@dataclass(frozen=True)
class Rows:
    bodies: list[str]
    count: int  # rows matching the filters, as Hostaway's `count`


# ---- reservations: updatedOn DESC, id DESC, afterId cursor ---------------------------------------

_RESERVATION_FILTERS: dict[str, str] = {
    "listingId": "listing_id = ?",
    "channelId": "channel_id = ?",
    "arrivalStartDate": "arrival >= ?",
    "arrivalEndDate": "arrival <= ?",
    "departureStartDate": "departure >= ?",
    "departureEndDate": "departure <= ?",
    "match": "instr(guest_name, ?) > 0",
    "guestEmail": "guest_email = ?",
}


def _reservation_where(params: Mapping[str, Any]) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    for key, value in params.items():
        clause = _RESERVATION_FILTERS.get(key)
        if clause is None:
            raise NotMirrored(f"reservation filter {key}")
        if key in {"match", "guestEmail"}:
            value = str(value).strip().lower() if key == "guestEmail" else str(value).lower()
        clauses.append(clause)
        args.append(value)
    return (" AND ".join(clauses) or "1"), args


def covered(params: Mapping[str, Any], first: str, last: str) -> bool:
    """Does every reservation matching ``params`` lie in the mirrored window (departure on or
    after ``first``, arrival on or before ``last``)?"""
    starts = [params.get("departureStartDate"), params.get("arrivalStartDate")]
    ends = [params.get("arrivalEndDate"), params.get("departureEndDate")]
    return any(s is not None and str(s) >= first for s in starts) and any(
        e is not None and str(e) <= last for e in ends
    )


def reservation_page(
    c: sqlite3.Connection, params: Mapping[str, Any], after_id: int | None, limit: int
) -> Rows:
    where, args = _reservation_where(params)
    count = int(c.execute(f"SELECT count(*) FROM reservations WHERE {where}", args).fetchone()[0])  # noqa: S608
    if after_id is not None:
        anchor = c.execute(
            "SELECT updated_on, id FROM reservations WHERE id = ?", (after_id,)
        ).fetchone()
        if anchor is not None:
            where += " AND (updated_on, id) < (?, ?)"
            args += [anchor[0], anchor[1]]
        else:  # an id Hostaway never had: id order
            where += " AND id < ?"
            args.append(after_id)
    rows = c.execute(
        f"SELECT body FROM reservations WHERE {where} "  # noqa: S608
        "ORDER BY updated_on DESC, id DESC LIMIT ?",
        [*args, limit],
    ).fetchall()
    return Rows([str(r[0]) for r in rows], count)


def all_reservations(c: sqlite3.Connection, params: Mapping[str, Any]) -> list[str]:
    """Every matching reservation in the order the pages would give them (one query)."""
    where, args = _reservation_where(params)
    rows = c.execute(
        f"SELECT body FROM reservations WHERE {where} ORDER BY updated_on DESC, id DESC",  # noqa: S608
        args,
    ).fetchall()
    return [str(r[0]) for r in rows]


# ---- offset lists --------------------------------------------------------------------------------


def _offset(
    c: sqlite3.Connection,
    table: str,
    where: str,
    args: list[Any],
    order: str,
    offset: int,
    limit: int,
) -> Rows:
    count = int(c.execute(f"SELECT count(*) FROM {table} WHERE {where}", args).fetchone()[0])  # noqa: S608
    rows = c.execute(
        f"SELECT body FROM {table} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",  # noqa: S608
        [*args, limit, offset],
    ).fetchall()
    return Rows([str(r[0]) for r in rows], count)


def conversation_page(
    c: sqlite3.Connection, reservation_id: int | None, offset: int, limit: int
) -> Rows:
    """Latest activity first (a message sent or received, else the booking), then id."""
    where, args = (
        ("reservation_id = ?", [reservation_id]) if reservation_id is not None else ("1", [])
    )
    return _offset(c, "conversations", where, args, "activity DESC, id DESC", offset, limit)


def waiting_conversations(c: sqlite3.Connection) -> tuple[dict[int, str], int]:
    """Every conversation whose latest message is the guest's (by id), and how many
    conversations there are in all."""
    rows = c.execute("SELECT id, body FROM conversations WHERE waiting = 1 ORDER BY id")
    bodies = {int(r[0]): str(r[1]) for r in rows}
    total = int(c.execute("SELECT count(*) FROM conversations").fetchone()[0])
    return bodies, total


_REVIEW_FILTERS = {
    "listingMapIds[]": "listing_id = ?",
    "departureDateStart": "substr(departure, 1, 10) >= ?",
    "departureDateEnd": "substr(departure, 1, 10) <= ?",
}
# The parameters every mirrored review list sends (the sync reads these reviews only).
REVIEW_SCOPE = {"type": "guest-to-host", "sortBy": "departureDate", "sortOrder": "desc"}


def review_page(c: sqlite3.Connection, params: Mapping[str, Any], offset: int, limit: int) -> Rows:
    clauses, args = _filters(params, _REVIEW_FILTERS, REVIEW_SCOPE)
    return _offset(c, "reviews", clauses, args, "departure DESC, id DESC", offset, limit)


_TASK_FILTERS = {
    "listingMapId": "listing_id = ?",
    "reservationId": "reservation_id = ?",
    "status": "status = ?",
    "canStartFromStart": "can_start != '' AND substr(can_start, 1, 10) >= ?",
    "canStartFromEnd": "can_start != '' AND substr(can_start, 1, 10) <= ?",
}


def task_page(c: sqlite3.Connection, params: Mapping[str, Any], offset: int, limit: int) -> Rows:
    clauses, args = _filters(params, _TASK_FILTERS, {})
    return _offset(c, "tasks", clauses, args, "id", offset, limit)


def expense_page(c: sqlite3.Connection, offset: int, limit: int) -> Rows:
    return _offset(c, "expenses", "1", [], "id", offset, limit)


def _filters(
    params: Mapping[str, Any], known: Mapping[str, str], fixed: Mapping[str, Any]
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    for key, value in params.items():
        if key in fixed:
            if fixed[key] != value:
                raise NotMirrored(f"{key}={value}")
            continue
        clause = known.get(key)
        if clause is None:
            raise NotMirrored(f"filter {key}")
        clauses.append(clause)
        args.append(value)
    return (" AND ".join(clauses) or "1"), args


# ---- listings ------------------------------------------------------------------------------------


def listings(c: sqlite3.Connection) -> list[ListingRow]:
    """Every listing in Hostaway's order."""
    rows = c.execute(
        "SELECT id, body, city, country, country_code, name, internal_name, capacity "
        "FROM listings ORDER BY position IS NULL, position, id"
    ).fetchall()
    return [ListingRow(*row) for row in rows]


def listing_matches(row: ListingRow, params: Mapping[str, Any]) -> bool:
    """Hostaway's listing filters (city, country, match = name search, guest capacity)."""
    city = params.get("city")
    if city is not None and row.city != str(city).lower():
        return False
    country = params.get("country")
    if country is not None and str(country).lower() not in (row.country, row.country_code):
        return False
    needle = params.get("match")
    if needle is not None and not (
        str(needle).lower() in row.name or str(needle).lower() in row.internal_name
    ):
        return False
    guests = params.get("availabilityGuestNumber")
    return guests is None or (row.capacity is not None and row.capacity >= int(guests))


# ---- calendars -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarSpan:
    rows: list[
        tuple[Any, ...]
    ]  # (day, available, status, price, min_stay, max_stay, coa, cod, note)
    complete: bool  # every day of the range is in the store
    checked_at: float | None  # the oldest read among the days that can still change


def nights_between(first: date, last: date) -> int:
    return (last - first).days + 1


def calendar_span(
    c: sqlite3.Connection, listing_id: int, first: date, last: date, today: date
) -> CalendarSpan:
    rows = c.execute(
        "SELECT day, available, status, price, min_stay, max_stay, closed_on_arrival, "
        "closed_on_departure, note, checked_at FROM calendar WHERE listing_id = ? "
        "AND day BETWEEN ? AND ? ORDER BY day",
        (listing_id, first.isoformat(), last.isoformat()),
    ).fetchall()
    return CalendarSpan(
        rows=[row[:9] for row in rows],
        complete=len(rows) == nights_between(first, last),
        checked_at=_as_of([(row[0], row[9]) for row in rows], today),
    )


@dataclass(frozen=True)
class ClosedNights:
    days: set[date]  # nights the calendar marks unavailable
    complete: bool
    checked_at: float | None


def closed_nights(
    c: sqlite3.Connection, first: date, last: date, today: date
) -> dict[int, ClosedNights]:
    """For every listing with calendar days in [first, last]: the nights marked unavailable,
    whether every day is stored, and how current they are (one pass over the calendar)."""
    nights = nights_between(first, last)
    parse = date.fromisoformat
    found: dict[int, ClosedNights] = {}
    for listing_id, stored, oldest_open, newest, closed in c.execute(
        "SELECT listing_id, count(*), min(CASE WHEN day >= ? THEN checked_at END), "
        "max(checked_at), group_concat(CASE WHEN available = 0 THEN day END) FROM calendar "
        "WHERE day BETWEEN ? AND ? GROUP BY listing_id",
        (today.isoformat(), first.isoformat(), last.isoformat()),
    ):
        days = {parse(day) for day in closed.split(",")} if closed else set()
        # Only settled nights (before today): as of their own latest read.
        as_of = oldest_open if oldest_open is not None else newest
        found[int(listing_id)] = ClosedNights(days, int(stored) == nights, as_of)
    return found


def _as_of(days: list[tuple[str, float]], today: date) -> float | None:
    """Nights before today are settled; the answer is as old as the oldest read of the others."""
    current = [at for day, at in days if day >= today.isoformat()]
    if current:
        return min(current)
    return max((at for _, at in days), default=None)


def calendar_ages(
    c: sqlite3.Connection, first: date, last: date
) -> dict[int, tuple[float | None, int]]:
    """Per listing: the oldest read of its days in [first, last], and how many days are stored."""
    rows = c.execute(
        "SELECT listing_id, min(checked_at), count(*) FROM calendar WHERE day BETWEEN ? AND ? "
        "GROUP BY listing_id",
        (first.isoformat(), last.isoformat()),
    ).fetchall()
    return {int(r[0]): (r[1], int(r[2])) for r in rows}


def day_range(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range(nights_between(first, last))]
