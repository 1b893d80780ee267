"""How old the mirrored data behind one answer is. A tool call opens `track_provenance()`; every
read the store answers notes the moment its data is as of; the MCP layer then stamps the answer
with the oldest of them (`data_as_of`, and `calendar_as_of` when calendars were used)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass
class Provenance:
    data_as_of: datetime | None = None
    calendar_as_of: datetime | None = None

    def saw(self, moment: float | None, *, calendar: bool = False) -> None:
        if moment is None:
            return
        stamp = datetime.fromtimestamp(moment, UTC).replace(microsecond=0)
        if calendar:
            self.calendar_as_of = min(self.calendar_as_of or stamp, stamp)
        else:
            self.data_as_of = min(self.data_as_of or stamp, stamp)


_current: ContextVar[Provenance | None] = ContextVar("hostaway_provenance", default=None)


@contextmanager
def track_provenance() -> Iterator[Provenance]:
    """Collect, for the reads made inside this block (and the tasks it starts), how old the
    mirrored data they used is. Both fields stay None when everything was read live."""
    seen = Provenance()
    token = _current.set(seen)
    try:
        yield seen
    finally:
        _current.reset(token)


def note(moment: float | None, *, calendar: bool = False) -> None:
    """Record that an answer used mirrored data as of ``moment`` (Unix seconds)."""
    seen = _current.get()
    if seen is not None:
        seen.saw(moment, calendar=calendar)
