"""Hostaway channel ids (a static table: the API has no endpoint for it) and friendly names."""

from __future__ import annotations

from ..errors import ValidationFailed

CHANNELS: dict[int, str] = {
    2000: "direct",
    2001: "airbnb",
    2002: "vrbo",
    2005: "booking.com",
    2007: "expedia",
    2009: "vrbo-ical",
    2010: "vrbo-ical",
    2013: "booking-engine",
    2015: "ical",
    2016: "tripadvisor-ical",
    2017: "wordpress",
    2018: "airbnb",
    2019: "marriott",
    2020: "partner",
    2021: "gds",
    2022: "google",
}

_ALIASES: dict[str, tuple[int, ...]] = {
    "direct": (2000,),
    "airbnb": (2018, 2001),
    "airbnbofficial": (2018,),
    "vrbo": (2002, 2009, 2010),
    "homeaway": (2002, 2009, 2010),
    "booking.com": (2005,),
    "booking": (2005,),
    "bookingcom": (2005,),
    "expedia": (2007,),
    "bookingengine": (2013,),
    "booking-engine": (2013,),
    "ical": (2015, 2009, 2010, 2016),
    "customical": (2015,),
    "tripadvisor": (2016,),
    "wordpress": (2017,),
    "marriott": (2019,),
    "partner": (2020,),
    "gds": (2021,),
    "google": (2022,),
}


# Hostaway's own channel names (its `channelName`), by id.
HOSTAWAY_NAMES: dict[int, str] = {
    2000: "direct",
    2001: "airbnb",
    2002: "homeaway",
    2005: "bookingcom",
    2007: "expedia",
    2009: "homeawayical",
    2010: "vrboical",
    2013: "bookingengine",
    2015: "customIcal",
    2016: "tripadvisorical",
    2017: "wordpress",
    2018: "airbnbOfficial",
    2019: "marriott",
    2020: "partner",
    2021: "gds",
    2022: "google",
}
_BY_HOSTAWAY_NAME = {name.lower(): CHANNELS[i] for i, name in HOSTAWAY_NAMES.items()}


def channel_label(channel_id: int | None, channel_name: str | None = None) -> str | None:
    """A short, stable label, the same in every answer: our name for a known id or a known
    Hostaway channel name (`airbnbOfficial` is `airbnb`), else Hostaway's channelName."""
    if channel_id is not None and channel_id in CHANNELS:
        return CHANNELS[channel_id]
    if channel_name is not None:
        return _BY_HOSTAWAY_NAME.get(channel_name.strip().lower(), channel_name)
    return None


def resolve_channel(value: str) -> tuple[int, ...]:
    """'airbnb', 'Booking.com', '2005' -> channel ids; anything else is a clear error."""
    text = value.strip().lower()
    if text.isdigit():
        return (int(text),)
    key = text.replace(" ", "").replace("_", "")
    ids = _ALIASES.get(key) or _ALIASES.get(text)
    if ids is None:
        raise ValidationFailed(
            f"Unknown channel {value!r}. Use a channel id (e.g. 2005) or one of: "
            f"airbnb, booking.com, vrbo, direct, expedia, google, booking-engine, partner, ical."
        )
    return ids
