"""The store's schema with its forward migrations, and opening a connection to the file: an older
file is migrated forward, a newer one or another account's is refused (`UnusableStore`). Also the
change counters in `meta` that readers of the reservations follow."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

logger = logging.getLogger(__name__)

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


class UnusableStore(Exception):
    """The file cannot be used as this account's store; ``reason`` names how it is set aside."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


BUSY_TIMEOUT_S = 10.0  # how long a statement waits for another process's transaction


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()
    if mode is None or str(mode[0]).lower() != "wal":
        raise sqlite3.DatabaseError("the store could not switch to WAL mode")
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


def prepare(c: sqlite3.Connection, account_id: str, base_url: str, fingerprint: str) -> None:
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
        bump(c, RESERVATIONS_EPOCH)
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


def bump(c: sqlite3.Connection, key: str) -> int:
    row = c.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    value = (int(row[0]) if row else 0) + 1
    c.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, str(value)),
    )
    return value
