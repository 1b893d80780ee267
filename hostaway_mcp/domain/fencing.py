"""Third-party text, fenced: what a guest or a booking channel wrote reaches the model only inside
an `Untrusted` object, cleaned of invisible and direction-control characters; and the access codes
we know for a listing or booking (door codes, key-box codes, wifi passwords) are masked in any
text we return unless the call asked for access codes (`KnownSecrets`, from the adapter: the local
copy masks the texts it stores the same way). Pure functions, no I/O."""

from __future__ import annotations

from ..hostaway import KnownSecrets, clean_text
from .models.common import Untrusted

__all__ = ["NO_SECRETS", "KnownSecrets", "clean_text", "fence", "scrub"]

NO_SECRETS = KnownSecrets()


def scrub(text: str | None, secrets: KnownSecrets = NO_SECRETS) -> str | None:
    """Cleaned, with the known codes masked: before any shortening, which could cut a code in
    half and show the rest."""
    return secrets.mask(clean_text(text))


def fence(**texts: str | None) -> Untrusted | None:
    """Third-party texts in their wrapper (None when there are none), cleaned. Texts that may
    hold codes go through `scrub` first."""
    untrusted = Untrusted(**{name: clean_text(value) for name, value in texts.items()})
    return None if untrusted.is_empty() else untrusted
