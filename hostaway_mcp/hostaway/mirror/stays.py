"""What the reports read of every mirrored reservation, kept in memory (a `Stay` and Hostaway's
filter values per reservation, about half a kilobyte each), so a year's report over hundreds of
listings needs no parsing. Kept current from the store's change numbers: rows written since the
last look are read again; a deletion (rare) reloads everything."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..entities import Stay
from .queries import NotMirrored
from .rows import STAY_COLUMNS, stay_from
from .schema import RESERVATIONS_EPOCH, RESERVATIONS_SEQ

COLUMNS = f"updated_on, channel_id, arrival, departure, guest_name, guest_email, {STAY_COLUMNS}"


@dataclass(frozen=True, slots=True)
class Entry:
    updated_on: str  # Hostaway's order: updatedOn DESC, id DESC
    channel_id: int | None
    arrival: str  # the raw values Hostaway's filters compare
    departure: str
    guest_name: str
    guest_email: str
    stay: Stay

    @classmethod
    def of(cls, row: tuple[Any, ...]) -> Entry:
        updated_on, channel_id, arrival, departure, guest_name, guest_email, *stay = row
        shared = sys.intern
        return cls(
            updated_on=updated_on,
            channel_id=channel_id,
            arrival=shared(arrival),
            departure=shared(departure),
            guest_name=guest_name,
            guest_email=guest_email,
            stay=_shared_stay(stay_from(tuple(stay))),
        )


def _shared_stay(stay: Stay) -> Stay:
    """The same Stay with its repeated strings (status, currency, channel, name) shared."""
    words = [None if w is None else sys.intern(w) for w in (stay.currency, stay.channel)]
    name = None if stay.listing_name is None else sys.intern(stay.listing_name)
    return Stay(
        id=stay.id,
        listing_id=stay.listing_id,
        listing_name=name,
        status=sys.intern(stay.status),
        arrival=stay.arrival,
        departure=stay.departure,
        reservation_date=stay.reservation_date,
        total_price=stay.total_price,
        currency=words[0],
        channel=words[1],
    )


def _check(key: str, value: Any) -> Callable[[Entry], bool]:
    """Hostaway's reservation filter ``key`` (the store's SQL reads them the same way)."""
    if key == "listingId":
        wanted = int(value)
        return lambda e: e.stay.listing_id == wanted
    if key == "channelId":
        channel = int(value)
        return lambda e: e.channel_id == channel
    if key in ("arrivalStartDate", "departureStartDate"):
        low = str(value)
        return (lambda e: e.arrival >= low) if key[0] == "a" else (lambda e: e.departure >= low)
    if key in ("arrivalEndDate", "departureEndDate"):
        high = str(value)
        return (lambda e: e.arrival <= high) if key[0] == "a" else (lambda e: e.departure <= high)
    if key == "match":
        needle = str(value).lower()
        return lambda e: needle in e.guest_name
    if key == "guestEmail":
        email = str(value).strip().lower()
        return lambda e: e.guest_email == email
    raise NotMirrored(f"reservation filter {key}")


class StayIndex:
    def __init__(self) -> None:
        self._epoch: str | None = None
        self._seq = 0
        self._by_id: dict[int, Entry] = {}
        self._ordered: list[Entry] = []

    def query(self, c: sqlite3.Connection, params: Mapping[str, Any]) -> list[Stay]:
        """The stays matching ``params`` in page order; run inside one read transaction."""
        checks = [_check(key, value) for key, value in params.items()]
        self.catch_up(c)
        return [e.stay for e in self._ordered if all(check(e) for check in checks)]

    def catch_up(self, c: sqlite3.Connection) -> None:
        """Read the rows written since the last look (all of them after a deletion)."""
        meta = dict(
            c.execute(
                "SELECT key, value FROM meta WHERE key IN (?, ?)",
                (RESERVATIONS_EPOCH, RESERVATIONS_SEQ),
            ).fetchall()
        )
        epoch, seq = meta.get(RESERVATIONS_EPOCH, "0"), int(meta.get(RESERVATIONS_SEQ, "0"))
        if epoch != self._epoch:
            rows = c.execute(f"SELECT {COLUMNS} FROM reservations").fetchall()  # noqa: S608
            self._by_id = {}
        elif seq > self._seq:
            rows = c.execute(
                f"SELECT {COLUMNS} FROM reservations WHERE seq > ?",  # noqa: S608
                (self._seq,),
            ).fetchall()
        else:
            return
        for row in rows:
            entry = Entry.of(row)
            self._by_id[entry.stay.id] = entry
        self._ordered = sorted(
            self._by_id.values(), key=lambda e: (e.updated_on, e.stay.id), reverse=True
        )
        self._epoch, self._seq = epoch, seq
