"""The mirror's SQLite file: schema with forward migrations, opening (a corrupt, newer or foreign
file is set aside and rebuilt), and the writes the sync makes. Every method blocks: callers run
them off the event loop (`Mirror` does, through `anyio.to_thread`)."""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

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

logger = logging.getLogger(__name__)
T = TypeVar("T")

SCHEMA_VERSION = 1
DATA_TABLES = (
    "listings",
    "reservations",
    "calendar",
    "conversations",
    "reviews",
    "tasks",
    "expenses",
    "pending",
)
# Forward migrations: MIGRATIONS[n] takes a file from schema version n to n + 1.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    0: (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE datasets (
            name TEXT PRIMARY KEY, complete INTEGER NOT NULL DEFAULT 0, cursor TEXT,
            started_at REAL, finished_at REAL, refreshed_at REAL, mark TEXT, total INTEGER,
            requests_done INTEGER NOT NULL DEFAULT 0, requests_total INTEGER, page_cap INTEGER,
            pass_at REAL)""",
        """CREATE TABLE listings (
            id INTEGER PRIMARY KEY, position INTEGER, city TEXT, country TEXT, country_code TEXT,
            name TEXT, internal_name TEXT, capacity INTEGER, body TEXT NOT NULL)""",
        # arrival .. updated_on: Hostaway's raw values (filters, order); status .. channel: what
        # the reports read (`Stay`), so they need not parse the whole reservation.
        """CREATE TABLE reservations (
            id INTEGER PRIMARY KEY, listing_id INTEGER, channel_id INTEGER, arrival TEXT,
            departure TEXT, guest_name TEXT, guest_email TEXT, updated_on TEXT NOT NULL,
            status TEXT NOT NULL, stay_arrival TEXT, stay_departure TEXT, reservation_date TEXT,
            total_price REAL, currency TEXT, channel TEXT, listing_name TEXT,
            seq INTEGER NOT NULL, body TEXT NOT NULL)""",
        "CREATE INDEX reservations_seq ON reservations (seq)",
        "CREATE INDEX reservations_order ON reservations (updated_on, id)",
        "CREATE INDEX reservations_arrival ON reservations (arrival)",
        "CREATE INDEX reservations_departure ON reservations (departure)",
        "CREATE INDEX reservations_listing ON reservations (listing_id, arrival)",
        """CREATE TABLE calendar (
            listing_id INTEGER NOT NULL, day TEXT NOT NULL, available INTEGER NOT NULL,
            status TEXT, price REAL, min_stay INTEGER, max_stay INTEGER,
            closed_on_arrival INTEGER NOT NULL, closed_on_departure INTEGER NOT NULL, note TEXT,
            checked_at REAL NOT NULL, PRIMARY KEY (listing_id, day)) WITHOUT ROWID""",
        """CREATE TABLE conversations (
            id INTEGER PRIMARY KEY, reservation_id INTEGER, activity TEXT NOT NULL,
            waiting INTEGER NOT NULL, body TEXT NOT NULL)""",
        "CREATE INDEX conversations_order ON conversations (activity, id)",
        "CREATE INDEX conversations_reservation ON conversations (reservation_id)",
        "CREATE INDEX conversations_waiting ON conversations (waiting)",
        """CREATE TABLE reviews (
            id INTEGER PRIMARY KEY, listing_id INTEGER, departure TEXT NOT NULL,
            body TEXT NOT NULL)""",
        "CREATE INDEX reviews_order ON reviews (departure, id)",
        """CREATE TABLE tasks (
            id INTEGER PRIMARY KEY, listing_id INTEGER, reservation_id INTEGER, status TEXT,
            can_start TEXT NOT NULL, body TEXT NOT NULL)""",
        "CREATE TABLE expenses (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
        """CREATE TABLE pending (kind TEXT NOT NULL, key TEXT NOT NULL,
            PRIMARY KEY (kind, key)) WITHOUT ROWID""",
    ),
}


def is_damage(exc: BaseException) -> bool:
    """SQLite's error for a damaged file ("database disk image is malformed", "file is not a
    database") is the bare DatabaseError; its subclasses are something else (a lock held by
    another process is an OperationalError): only damage sets a file aside."""
    return type(exc) is sqlite3.DatabaseError


class UnusableStore(Exception):
    """The file cannot be used as this account's store; ``reason`` names how it is set aside."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


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


_DATASET_FIELDS = [f.name for f in fields(Dataset)]


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
            writer = _connect(path)
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            raise UnusableStore("corrupt", str(exc)) from None
        try:
            _prepare(writer, account_id, base_url, fingerprint)
            reader = _connect(path)
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
        columns = ", ".join(_DATASET_FIELDS)
        rows = self.read(lambda c: c.execute(f"SELECT {columns} FROM datasets").fetchall())  # noqa: S608
        return {row[0]: Dataset(*row) for row in rows}

    def dataset(self, name: str) -> Dataset:
        return self.datasets().get(name) or Dataset(name)

    def save_dataset(self, dataset: Dataset) -> None:
        self.write(lambda c: _save_dataset(c, dataset))

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
                _save_dataset(c, dataset)

        self.write(change)

    def put_reservations(
        self, rows: Sequence[ReservationRow], dataset: Dataset | None = None
    ) -> list[tuple[str | None, ReservationRow]]:
        """Upsert reservations; returns the rows that changed, each with its previous body."""

        def change(c: sqlite3.Connection) -> list[tuple[str | None, ReservationRow]]:
            changed: list[tuple[str | None, ReservationRow]] = []
            seq = _bump(c, RESERVATIONS_SEQ)  # readers catch up with `WHERE seq > theirs`
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
                _save_dataset(c, dataset)
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
                _save_dataset(c, dataset)
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
                _save_dataset(c, dataset)

        self.write(change)

    def delete_ids(self, table: str, ids: Iterable[int]) -> int:
        doomed = [(i,) for i in ids]
        if table not in DATA_TABLES or not doomed:
            return 0

        def change(c: sqlite3.Connection) -> int:
            if table == "reservations":
                _bump(c, RESERVATIONS_EPOCH)  # readers reload what they keep in memory
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
                _bump(c, RESERVATIONS_EPOCH)
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
            _bump(c, RESERVATIONS_EPOCH)

        self.write(change)


BUSY_TIMEOUT_S = 10.0  # how long a statement waits for another process's transaction


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()
    if mode is None or str(mode[0]).lower() != "wal":
        raise sqlite3.DatabaseError("the store could not switch to WAL mode")
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


def _prepare(c: sqlite3.Connection, account_id: str, base_url: str, fingerprint: str) -> None:
    """Check the file belongs to this account and this code, migrating it forward if older."""
    while True:
        # The version is read inside the write transaction: another process opening the same
        # new file may have migrated it meanwhile.
        c.execute("BEGIN IMMEDIATE")
        try:
            version = int(c.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise UnusableStore(
                    "newer", f"schema version {version} is newer than {SCHEMA_VERSION}"
                )
            if version == 0 and c.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise UnusableStore("corrupt", "tables without a schema version")
            if version == SCHEMA_VERSION:
                c.execute("COMMIT")
                break
            for statement in MIGRATIONS[version]:
                c.execute(statement)
            c.execute(f"PRAGMA user_version = {version + 1}")
        except BaseException:
            c.execute("ROLLBACK")
            raise
        c.execute("COMMIT")
    meta = dict(c.execute("SELECT key, value FROM meta").fetchall())
    if (
        meta.get("account_id", account_id) != account_id
        or meta.get("base_url", base_url) != base_url
    ):
        raise UnusableStore("other-account", "the store belongs to another account or API")
    c.execute("BEGIN IMMEDIATE")
    if meta.get("fingerprint") not in (None, fingerprint):
        # The entities changed shape since this file was written: its rows would no longer be
        # what the live path builds. Start the copy over (the sync reads everything again).
        logger.info("mirror entities changed; the store starts over")
        for table in (*DATA_TABLES, "datasets"):
            c.execute(f"DELETE FROM {table}")  # noqa: S608
        _bump(c, RESERVATIONS_EPOCH)
    for key, value in (
        ("account_id", account_id),
        ("base_url", base_url),
        ("fingerprint", fingerprint),
    ):
        c.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
    c.execute("COMMIT")


RESERVATIONS_SEQ = "reservations_seq"  # the last change number given to a reservation row
RESERVATIONS_EPOCH = "reservations_epoch"  # bumped when rows are deleted: readers reload


def _bump(c: sqlite3.Connection, key: str) -> int:
    row = c.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    value = (int(row[0]) if row else 0) + 1
    c.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, str(value)),
    )
    return value


def _save_dataset(c: sqlite3.Connection, dataset: Dataset) -> None:
    values = asdict(dataset)
    columns = ", ".join(_DATASET_FIELDS)
    marks = ", ".join("?" for _ in _DATASET_FIELDS)
    c.execute(
        f"INSERT OR REPLACE INTO datasets ({columns}) VALUES ({marks})",  # noqa: S608
        [values[name] for name in _DATASET_FIELDS],
    )
