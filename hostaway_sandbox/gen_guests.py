"""A pool of fictional guests; about one booking in ten is a returning guest (same email)."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from .catalog import FIRST_NAMES, GUEST_COUNTRIES, LAST_NAMES

DIAL_CODES = {
    "US": "1",
    "CA": "1",
    "GB": "44",
    "DE": "49",
    "FR": "33",
    "PT": "351",
    "ES": "34",
    "NL": "31",
    "BR": "55",
    "IT": "39",
    "AU": "61",
    "IE": "353",
}
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")  # reserved: never deliverable
RETURNING_SHARE = 0.1


@dataclass
class Guest:
    first_name: str
    last_name: str
    email: str
    phone: str
    country: str
    locale: str
    city: str
    stays: int = 0

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


class GuestBook:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self.guests: list[Guest] = []
        self._emails: set[str] = set()

    def pick(self) -> Guest:
        """A new guest, or now and then one who has stayed before."""
        rng = self._rng
        if self.guests and rng.random() < RETURNING_SHARE:
            guest = rng.choice(self.guests)
        else:
            guest = self._new_guest()
            self.guests.append(guest)
        guest.stays += 1
        return guest

    def _new_guest(self) -> Guest:
        rng = self._rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        country, locale, city = rng.choice(GUEST_COUNTRIES)
        local = f"{_ascii(first)}.{_ascii(last)}"
        email = f"{local}@{rng.choice(EMAIL_DOMAINS)}"
        suffix = 1
        while email in self._emails:
            suffix += 1
            email = f"{local}{suffix}@{rng.choice(EMAIL_DOMAINS)}"
        self._emails.add(email)
        number = " ".join(f"{rng.randint(0, 999):03d}" for _ in range(3))
        phone = f"+{DIAL_CODES[country]} {number}"
        return Guest(first, last, email, phone, country, locale, city)
