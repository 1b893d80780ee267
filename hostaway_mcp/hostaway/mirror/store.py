"""The mirror's SQLite file: opening it (a corrupt, newer or foreign file is set aside and
rebuilt; the schema and its migrations are in `schema`), and the writes the sync makes. Every
method blocks: callers run them off the event loop (`Mirror` does, through `anyio.to_thread`)."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .datasets import DATASET_FIELDS, Dataset, save_dataset
from .files import COMPANIONS, FILE_MODE, create_private, prepare_directory, set_aside
from .rows import (
    CalendarRow,
    ConversationRow,
    ExpenseRow,
    ListingRow,
    ReservationRow,
    ReviewRow,
    TaskRow,
)
from .schema import (
    DATA_TABLES,
    RESERVATIONS_EPOCH,
    RESERVATIONS_SEQ,
    UnusableStore,
    bump,
    connect,
    prepare,
)

logger = logging.getLogger(__name__)
T = TypeVar("T")


def is_damage(exc: BaseException) -> bool:
    """SQLite's error for a damaged file ("database disk image is malformed", "file is not a
    database") is the bare DatabaseError; its subclasses are something else (a lock held by
    another process is an OperationalError): only damage sets a file aside."""
    return type(exc) is sqlite3.DatabaseError


class MirrorStore:
    """One store file with a writer and a reader connection (WAL lets them work side by side)."""

    def __init__(self, path: Path, writer: sqlite3.Connection, reader: sqlite3.Connection) -> None:
        self.path = path
        self._writer = writer
        self._reader = reader
        self._write_lock = threading.Lock()
        self._read_lock = threading.Lock()

    # ---- opening ------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, account_id: str, base_url: str, fingerprint: str) -> MirrorStore:
        """Open (or create) the store; a file that cannot serve this account is set aside and a
        new one built in its place."""
        prepare_directory(path.parent)
        try:
            return cls._open(path, account_id, base_url, fingerprint)
        except UnusableStore as exc:
            logger.warning(
                "mirror store unusable", extra={"reason": exc.reason, "detail": str(exc)}
            )
            set_aside(path, exc.reason)
        return cls._open(path, account_id, base_url, fingerprint)

    @classmethod
    def _open(cls, path: Path, account_id: str, base_url: str, fingerprint: str) -> MirrorStore:
        create_private(path)
        try:
            writer = connect(path)
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            raise UnusableStore("corrupt", str(exc)) from None
        try:
            prepare(writer, account_id, base_url, fingerprint)
            reader = connect(path)
        except UnusableStore:
            writer.close()
            raise
        except sqlite3.DatabaseError as exc:
            writer.close()
            if not is_damage(exc):  # e.g. locked a long while by another process: not its fault
                raise
            raise UnusableStore("corrupt", str(exc)) from None
        for suffix in COMPANIONS:
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                companion.chmod(FILE_MODE)
        return cls(path, writer, reader)

    def close(self) -> None:
        with self._write_lock, self._read_lock:
            self._reader.close()
            self._writer.close()

    # ---- plumbing -----------------------------------------------------------------------------

    def read(self, query: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``query`` in one read transaction (a consistent snapshot)."""
        with self._read_lock:
            self._reader.execute("BEGIN")
            try:
                return query(self._reader)
            finally:
                self._reader.execute("COMMIT")

    def write(self, change: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``change`` in one write transaction."""
        with self._write_lock:
            self._writer.execute("BEGIN IMMEDIATE")
            try:
                result = change(self._writer)
            except BaseException:
                self._writer.execute("ROLLBACK")
                raise
            self._writer.execute("COMMIT")
            return result

    # ---- meta and datasets --------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.read(
            lambda c: c.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        )
        return None if row is None else str(row[0])

    def set_meta(self, values: dict[str, str]) -> None:
        self.write(
            lambda c: c.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )
        )

    def datasets(self) -> dict[str, Dataset]:
        columns = ", ".join(DATASET_FIELDS)
        rows = self.read(lambda c: c.execute(f"SELECT {columns} FROM datasets").fetchall())  # noqa: S608
        return {row[0]: Dataset(*row) for row in rows}

    def dataset(self, name: str) -> Dataset:
        return self.datasets().get(name) or Dataset(name)

    def save_dataset(self, dataset: Dataset) -> None:
        self.write(lambda c: save_dataset(c, dataset))

    # ---- writes the sync makes (each one transaction, with its dataset bookkeeping) ---------------

    def put_listings(
        self,
        rows: Sequence[ListingRow],
        *,
        first_position: int | None = None,
        dataset: Dataset | None = None,
    ) -> None:
        """Upsert listings; ``first_position`` numbers them in Hostaway's order (a full read)."""

        def change(c: sqlite3.Connection) -> None:
            for index, row in enumerate(rows):
                position = None if first_position is None else first_position + index
                c.execute(
                    "INSERT INTO listings (id, position, city, country, country_code, name, "
                    "internal_name, capacity, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET position = coalesce(excluded.position, "
                    "listings.position), city = excluded.city, country = excluded.country, "
                    "country_code = excluded.country_code, name = excluded.name, "
                    "internal_name = excluded.internal_name, capacity = excluded.capacity, "
                    "body = excluded.body",
                    (
                        row.id,
                        position,
                        row.city,
                        row.country,
                        row.country_code,
                        row.name,
                        row.internal_name,
                        row.capacity,
                        row.body,
                    ),
                )
            if dataset is not None:
                save_dataset(c, dataset)

        self.write(change)

    def put_reservations(
        self, rows: Sequence[ReservationRow], dataset: Dataset | None = None
    ) -> list[tuple[str | None, ReservationRow]]:
        """Upsert reservations; returns the rows that changed, each with its previous body."""

        def change(c: sqlite3.Connection) -> list[tuple[str | None, ReservationRow]]:
            changed: list[tuple[str | None, ReservationRow]] = []
            seq = bump(c, RESERVATIONS_SEQ)  # readers catch up with `WHERE seq > theirs`
            for row in rows:
                before = c.execute(
                    "SELECT body FROM reservations WHERE id = ?", (row.id,)
                ).fetchone()
                old = None if before is None else str(before[0])
                if old == row.body:
                    continue
                changed.append((old, row))
                c.execute(
                    "INSERT OR REPLACE INTO reservations (id, listing_id, channel_id, arrival, "
                    "departure, guest_name, guest_email, updated_on, status, stay_arrival, "
                    "stay_departure, reservation_date, total_price, currency, channel, "
                    "listing_name, seq, body) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        row.id,
                        row.listing_id,
                        row.channel_id,
                        row.arrival,
                        row.departure,
                        row.guest_name,
                        row.guest_email,
                        row.updated_on,
                        *row.stay,
                        seq,
                        row.body,
                    ),
                )
            if dataset is not None:
                save_dataset(c, dataset)
            return changed

        return self.write(change)

    def active_conversations(self, rows: Sequence[ConversationRow]) -> list[int]:
        """The ids of those that are new or whose latest activity moved (nothing is written)."""

        def moved(c: sqlite3.Connection) -> list[int]:
            changed: list[int] = []
            for row in rows:
                before = c.execute(
                    "SELECT activity FROM conversations WHERE id = ?", (row.id,)
                ).fetchone()
                if before is None or before[0] != row.activity:
                    changed.append(row.id)
            return changed

        return self.read(moved)

    def put_conversations(
        self, rows: Sequence[ConversationRow], dataset: Dataset | None = None
    ) -> list[int]:
        """Upsert conversations; returns the ids of those that are new or changed."""

        def change(c: sqlite3.Connection) -> list[int]:
            changed: list[int] = []
            for row in rows:
                before = c.execute(
                    "SELECT body FROM conversations WHERE id = ?", (row.id,)
                ).fetchone()
                if before is not None and before[0] == row.body:
                    continue
                changed.append(row.id)
                c.execute(
                    "INSERT OR REPLACE INTO conversations (id, reservation_id, activity, waiting, "
                    "body) VALUES (?, ?, ?, ?, ?)",
                    (row.id, row.reservation_id, row.activity, int(row.waiting), row.body),
                )
            if dataset is not None:
                save_dataset(c, dataset)
            return changed

        return self.write(change)

    def put_reviews(self, rows: Sequence[ReviewRow], dataset: Dataset | None = None) -> None:
        self._put(
            "INSERT OR REPLACE INTO reviews (id, listing_id, departure, body) VALUES (?, ?, ?, ?)",
            [(r.id, r.listing_id, r.departure, r.body) for r in rows],
            dataset,
        )

    def put_tasks(self, rows: Sequence[TaskRow], dataset: Dataset | None = None) -> None:
        self._put(
            "INSERT OR REPLACE INTO tasks (id, listing_id, reservation_id, status, can_start, "
            "body) VALUES (?, ?, ?, ?, ?, ?)",
            [(r.id, r.listing_id, r.reservation_id, r.status, r.can_start, r.body) for r in rows],
            dataset,
        )

    def put_expenses(self, rows: Sequence[ExpenseRow], dataset: Dataset | None = None) -> None:
        self._put(
            "INSERT OR REPLACE INTO expenses (id, body) VALUES (?, ?)",
            [(r.id, r.body) for r in rows],
            dataset,
        )

    def put_calendar(self, rows: Sequence[CalendarRow], dataset: Dataset | None = None) -> None:
        self._put(
            "INSERT OR REPLACE INTO calendar (listing_id, day, available, status, price, "
            "min_stay, max_stay, closed_on_arrival, closed_on_departure, note, checked_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            list(rows),
            dataset,
        )

    def _put(self, sql: str, values: list[Any], dataset: Dataset | None) -> None:
        def change(c: sqlite3.Connection) -> None:
            c.executemany(sql, values)
            if dataset is not None:
                save_dataset(c, dataset)

        self.write(change)

    def delete_ids(self, table: str, ids: Iterable[int]) -> int:
        doomed = [(i,) for i in ids]
        if table not in DATA_TABLES or not doomed:
            return 0

        def change(c: sqlite3.Connection) -> int:
            if table == "reservations":
                bump(c, RESERVATIONS_EPOCH)  # readers reload what they keep in memory
            return int(c.executemany(f"DELETE FROM {table} WHERE id = ?", doomed).rowcount)  # noqa: S608

        return self.write(change)

    def keep_only(self, table: str, seen: set[int]) -> int:
        """Delete the rows of ``table`` whose id was not seen (after a complete re-read)."""
        if table not in DATA_TABLES:
            raise ValueError(table)

        def change(c: sqlite3.Connection) -> int:
            c.execute("CREATE TEMP TABLE IF NOT EXISTS seen (id INTEGER PRIMARY KEY)")
            c.execute("DELETE FROM seen")
            c.executemany("INSERT OR IGNORE INTO seen (id) VALUES (?)", [(i,) for i in seen])
            if table == "reservations":
                bump(c, RESERVATIONS_EPOCH)
            gone = c.execute(
                f"DELETE FROM {table} WHERE id NOT IN (SELECT id FROM seen)"  # noqa: S608
            ).rowcount
            c.execute("DELETE FROM seen")
            return int(gone)

        return self.write(change)

    def prune_calendar(self, before_day: str) -> None:
        self.write(lambda c: c.execute("DELETE FROM calendar WHERE day < ?", (before_day,)))

    # ---- pending work (survives a restart) ------------------------------------------------------

    def add_pending(self, kind: str, keys: Iterable[str]) -> None:
        values = [(kind, key) for key in keys]
        if values:
            self.write(
                lambda c: c.executemany(
                    "INSERT OR IGNORE INTO pending (kind, key) VALUES (?, ?)", values
                )
            )

    def pending_keys(self, kind: str) -> list[str]:
        return self.read(
            lambda c: [
                str(row[0])
                for row in c.execute(
                    "SELECT key FROM pending WHERE kind = ? ORDER BY key", (kind,)
                ).fetchall()
            ]
        )

    def done_pending(self, kind: str, keys: Iterable[str]) -> None:
        values = [(kind, key) for key in keys]
        if values:
            self.write(
                lambda c: c.executemany("DELETE FROM pending WHERE kind = ? AND key = ?", values)
            )

    # ---- status -------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        def count(c: sqlite3.Connection) -> dict[str, int]:
            found = {}
            for table in ("listings", "reservations", "conversations", "reviews", "tasks"):
                found[table] = int(c.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608
            found["expenses"] = int(c.execute("SELECT count(*) FROM expenses").fetchone()[0])
            found["calendar_nights"] = int(c.execute("SELECT count(*) FROM calendar").fetchone()[0])
            return found

        return self.read(count)

    def reset(self) -> None:
        """Forget every mirrored row and all sync bookkeeping (the next sync starts over)."""

        def change(c: sqlite3.Connection) -> None:
            for table in (*DATA_TABLES, "datasets"):
                c.execute(f"DELETE FROM {table}")  # noqa: S608
            bump(c, RESERVATIONS_EPOCH)

        self.write(change)
