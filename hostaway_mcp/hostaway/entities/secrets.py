"""Access codes inside text: the codes known for listings and bookings (door codes, wifi
passwords), found and masked in any text, and the invisible characters removed first that could
hide one. Pure; used where answers are built (domain/fencing) and where the local copy stores a
text (mirror/rows), so both mask alike."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .core import AccessInfo, Listing, Reservation

KEEP = {"\n", "\t"}
# Besides every format (Cf) and control (Cc) character: variation selectors, which can smuggle
# hidden bytes after a visible character, and the Hangul fillers that render as nothing.
INVISIBLE_EXTRA = re.compile(
    "[\ufe00-\ufe0f\U000e0100-\U000e01ef\u115f\u1160\u3164\uffa0\u034f\u180b-\u180f]"
)
# Shorter values would mask ordinary words and numbers; WPA needs 8 characters anyway.
MIN_CODE_CHARS = 4
MIN_WIFI_PASSWORD_CHARS = 8


def _invisible(char: str) -> bool:
    return char not in KEEP and unicodedata.category(char) in ("Cf", "Cc")


def clean_text(text: str | None) -> str | None:
    """The text without invisible or direction-changing characters (bidi overrides, zero-width
    and tag characters, variation selectors, controls other than newline and tab); `\\r\\n`
    becomes `\\n`."""
    if text is None:
        return None
    text = text.replace("\r\n", "\n")
    if text.isascii() and text.isprintable():
        return text
    kept = "".join(char for char in text if not _invisible(char))
    return INVISIBLE_EXTRA.sub("", kept)


@dataclass(frozen=True)
class KnownSecrets:
    """Access codes known for the listings and bookings of one answer, by value -> what it is."""

    labels: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls, listings: Iterable[Listing] = (), reservations: Iterable[Reservation | None] = ()
    ) -> KnownSecrets:
        return cls.of_access(
            (listing.access for listing in listings),
            (reservation.access for reservation in reservations if reservation is not None),
        )

    @classmethod
    def of_access(
        cls, listings: Iterable[AccessInfo] = (), reservations: Iterable[AccessInfo] = ()
    ) -> KnownSecrets:
        """The same from the access parts alone (listings' first, then bookings')."""
        labels: dict[str, str] = {}

        def add(value: str | None, label: str, shortest: int) -> None:
            value = (value or "").strip()
            if len(value) >= shortest:
                labels.setdefault(value, label)

        for access in listings:
            add(access.door_security_code, "door code", MIN_CODE_CHARS)
            add(access.wifi_password, "wifi password", MIN_WIFI_PASSWORD_CHARS)
        for access in reservations:
            add(access.door_code, "door code", MIN_CODE_CHARS)
        return cls(labels)

    def __bool__(self) -> bool:
        return bool(self.labels)

    def __or__(self, other: KnownSecrets) -> KnownSecrets:
        return KnownSecrets({**other.labels, **self.labels})

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        alternatives = "|".join(re.escape(v) for v in sorted(self.labels, key=len, reverse=True))
        # A code is masked as a whole token, not inside a longer word or number.
        return re.compile(rf"(?<![0-9A-Za-z])(?:{alternatives})(?![0-9A-Za-z])")

    def mask(self, text: str | None) -> str | None:
        if not text or not self.labels:
            return text
        return self._pattern.sub(lambda m: f"[{self.labels[m.group(0)]} hidden]", text)

    def found_in(self, text: str) -> list[str]:
        """What kinds of known codes appear in this text (e.g. a message about to be sent)."""
        if not self.labels:
            return []
        return sorted({self.labels[m.group(0)] for m in self._pattern.finditer(text)})
