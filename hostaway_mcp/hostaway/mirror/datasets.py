"""The sync's bookkeeping for each kind of object: one row of the store's `datasets` table."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass
class Dataset:
    """Sync bookkeeping for one kind of object (one row of `datasets`). Times are Unix seconds."""

    name: str
    complete: int = 0  # a full read has finished once
    cursor: str | None = None  # where an unfinished full read resumes (JSON)
    started_at: float | None = None  # the current / last full read began
    finished_at: float | None = None
    refreshed_at: float | None = None  # the data is as of this moment
    mark: str | None = None  # high-water mark of the change feed
    total: int | None = None  # rows upstream, as Hostaway counted them
    requests_done: int = 0  # requests of the current full read (progress)
    requests_total: int | None = None  # its estimate
    page_cap: int | None = None  # most rows Hostaway served in one page
    pass_at: float | None = None  # the last complete re-read of a dataset without a change feed

    @property
    def is_complete(self) -> bool:
        return bool(self.complete)

    def cursor_value(self) -> dict[str, Any]:
        return json.loads(self.cursor) if self.cursor else {}


DATASET_FIELDS = [f.name for f in fields(Dataset)]


def save_dataset(c: sqlite3.Connection, dataset: Dataset) -> None:
    values = asdict(dataset)
    columns = ", ".join(DATASET_FIELDS)
    marks = ", ".join("?" for _ in DATASET_FIELDS)
    c.execute(
        f"INSERT OR REPLACE INTO datasets ({columns}) VALUES ({marks})",  # noqa: S608
        [values[name] for name in DATASET_FIELDS],
    )
