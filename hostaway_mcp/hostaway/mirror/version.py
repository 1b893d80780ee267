"""What the rows in a store were built with. When the entities (or the way rows are made) change,
a store written by older code no longer holds what the live path would build: it starts over."""

from __future__ import annotations

import hashlib
import json
from functools import cache

from ..entities import CalendarDay, Conversation, Expense, Listing, Reservation, Review, Task

# Bump when rows.py changes what it stores for the same entities.
ROW_FORMAT = 2


@cache
def fingerprint() -> str:
    schemas = [
        model.model_json_schema()
        for model in (Listing, Reservation, CalendarDay, Conversation, Review, Task, Expense)
    ]
    canonical = json.dumps([ROW_FORMAT, schemas], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]
