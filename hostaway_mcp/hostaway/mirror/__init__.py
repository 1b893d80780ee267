"""The local mirror of the account (a SQLite file): the sync that fills it and keeps it current,
and the list queries it answers exactly as Hostaway would. Used only by the `Hostaway` adapter."""

from .mirror import FIRST_SYNC_CALL_LIMIT, Mirror, SyncStatus
from .provenance import Provenance, track_provenance
from .queries import NotMirrored

__all__ = [
    "FIRST_SYNC_CALL_LIMIT",
    "Mirror",
    "NotMirrored",
    "Provenance",
    "SyncStatus",
    "track_provenance",
]
