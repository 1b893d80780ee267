"""Where the mirror lives on disk: one file per account and API base URL, a private directory
(0700) and private files (0600), and setting a bad file aside instead of failing."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
import time
from pathlib import Path

logger = logging.getLogger(__name__)

FILE_SUFFIXES = (".sqlite3", ".sqlite", ".db")
COMPANIONS = ("-wal", "-shm", "-journal")
LOCK_SUFFIX = ".lock"
DIR_MODE = 0o700
FILE_MODE = 0o600


def store_file(location: str, account_id: str, base_url: str) -> Path:
    """The store for this account: ``location`` itself when it names a file (ends in .sqlite3,
    .sqlite or .db), else a file named after the account and API inside that directory."""
    path = Path(location)
    if path.suffix.lower() in FILE_SUFFIXES:
        return path
    safe_account = re.sub(r"[^A-Za-z0-9_-]", "_", account_id)[:40] or "account"
    api = hashlib.sha256(base_url.encode()).hexdigest()[:8]
    return path / f"hostaway-{safe_account}-{api}.sqlite3"


def lock_file(store: Path) -> Path:
    return store.with_name(store.name + LOCK_SUFFIX)


def prepare_directory(directory: Path) -> None:
    """Create the directory private to the user (0700); an existing one keeps its mode unless
    we created it."""
    if not directory.exists():
        directory.mkdir(parents=True, mode=DIR_MODE, exist_ok=True)
        os.chmod(directory, DIR_MODE)


def create_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if it does not exist; tighten it if it does."""
    fd = os.open(path, os.O_CREAT | os.O_RDWR, FILE_MODE)
    os.close(fd)
    os.chmod(path, FILE_MODE)


def set_aside(path: Path, reason: str) -> Path | None:
    """Rename a store that cannot be used (corrupt, newer, another account's) so a new one can be
    built; its WAL and shared-memory files go with it. Returns the new name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{reason}-{stamp}")
    try:
        path.rename(target)
    except FileNotFoundError:
        return None
    for suffix in COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.rename(target.with_name(target.name + suffix))
    logger.warning("mirror store set aside", extra={"reason": reason, "kept_as": target.name})
    return target


def delete_store(path: Path) -> list[Path]:
    """Remove the store, its companions, its lock file and copies set aside earlier."""
    removed: list[Path] = []
    candidates = [path, lock_file(path), *(path.with_name(path.name + s) for s in COMPANIONS)]
    if path.parent.exists():
        candidates += sorted(path.parent.glob(path.name + ".*-*"))
    for candidate in candidates:
        if candidate.exists():
            candidate.unlink()
            removed.append(candidate)
    return removed


def throwaway_directory() -> Path:
    """A private temporary directory for demo mode's store (removed when the server stops)."""
    return Path(tempfile.mkdtemp(prefix="hostaway-mcp-demo-"))


def remove_directory(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)
