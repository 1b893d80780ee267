"""Financial reporting computed from reservations: the consolidated report, listing financials.

Money per reservation (cancelled and owner stays carry none):
  accommodationFee = totalPrice - cleaningFee - taxAmount   (nightly rates + extra-guest fees)
  baseRate         = accommodationFee - extra-guest fees
  subTotalPrice    = accommodationFee + cleaningFeeValue    (before tax)
  pmCommission     = 20% of accommodationFee
  ownerPayout      = accommodationFee - hostChannelFee - pmCommission
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

PM_COMMISSION_RATE = 0.2
DEFAULT_STATUSES = ("new", "modified", "cancelled")
DATE_TYPES = ("arrivalDate", "departureDate", "reservationDate")

RESERVATION_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("id", "Reservation ID", "number"),
    ("guestName", "Guest name", "string"),
    ("channelName", "Channel name", "string"),
    ("status", "Reservation status", "string"),
    ("arrivalDate", "Arrival date", "string"),
    ("departureDate", "Departure date", "string"),
    ("listingName", "Listing name", "string"),
    ("nights", "Number of nights", "number"),
    ("numberOfGuests", "Number of guests", "number"),
    ("baseRate", "Base rate", "money"),
    ("priceForExtraPerson", "Price for extra person", "money"),
    ("accommodationFee", "Accommodation fee", "money"),
    ("cleaningFeeValue", "Cleaning fee value", "money"),
    ("totalGuestFees", "Total guest fees", "money"),
    ("totalTax", "Total tax", "money"),
    ("subTotalPrice", "Sub total price", "money"),
    ("hostChannelFee", "Host channel fee", "money"),
    ("pmCommission", "PM Commission", "money"),
    ("ownerPayout", "Owner payout", "money"),
)
MONEY_COLUMNS = tuple(name for name, _, kind in RESERVATION_COLUMNS if kind == "money")
LISTING_COLUMNS = (("listingName", "Listing name", "string"), *(
    column for column in RESERVATION_COLUMNS if column[2] == "money"
))  # fmt: skip


def reservation_money(reservation: dict[str, Any]) -> dict[str, float]:
    if reservation["status"] in ("cancelled", "ownerStay"):
        return dict.fromkeys(MONEY_COLUMNS, 0.0)
    total = float(reservation["totalPrice"] or 0)
    cleaning = float(reservation["cleaningFee"] or 0)
    tax = float(reservation["taxAmount"] or 0)
    extra = sum(
        float(field["total"] or 0)
        for field in reservation["financeField"] or []
        if field["name"] == "priceForExtraPerson"
    )
    accommodation = round(total - cleaning - tax, 2)
    channel_fee = float(reservation["channelCommissionAmount"] or 0)
    commission = round(accommodation * PM_COMMISSION_RATE, 2)
    return {
        "baseRate": round(accommodation - extra, 2),
        "priceForExtraPerson": round(extra, 2),
        "accommodationFee": accommodation,
        "cleaningFeeValue": cleaning,
        "totalGuestFees": cleaning,
        "totalTax": tax,
        "subTotalPrice": round(accommodation + cleaning, 2),
        "hostChannelFee": channel_fee,
        "pmCommission": commission,
        "ownerPayout": round(accommodation - channel_fee - commission, 2),
    }


def select_reservations(
    reservations: Iterable[dict[str, Any]],
    *,
    listing_ids: Iterable[int] = (),
    from_date: date | None = None,
    to_date: date | None = None,
    date_type: str = "arrivalDate",
    channel_ids: Iterable[int] = (),
    statuses: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """Reservations whose ``date_type`` falls within [from_date, to_date] (inclusive)."""
    wanted_listings, wanted_channels = set(listing_ids), set(channel_ids)
    wanted_statuses = set(statuses) or set(DEFAULT_STATUSES)
    selected = []
    for reservation in reservations:
        day = reservation[date_type][:10]
        if from_date and day < from_date.isoformat():
            continue
        if to_date and day > to_date.isoformat():
            continue
        if wanted_listings and reservation["listingMapId"] not in wanted_listings:
            continue
        if wanted_channels and reservation["channelId"] not in wanted_channels:
            continue
        if reservation["status"] not in wanted_statuses:
            continue
        selected.append(reservation)
    return selected


def _table(
    columns: tuple[tuple[str, str, str], ...], records: list[dict[str, Any]], currency: str | None
) -> dict[str, Any]:
    rows = [[record[name] for name, _, _ in columns] for record in records]
    totals: list[Any] = ["Totals"]
    for position, (_, _, kind) in enumerate(columns[1:], start=1):
        if kind == "string":
            totals.append(0)
        else:
            totals.append(round(sum(row[position] or 0 for row in rows), 2))
    return {
        "columns": [
            {"name": name, "title": title, "valueType": kind} for name, title, kind in columns
        ],
        "rows": rows,
        "totals": totals,
        "currency": currency,
    }


def consolidated_report(reservations: list[dict[str, Any]]) -> dict[str, Any]:
    """One row per reservation. Ids are strings, as in Hostaway's example. With several
    currencies mixed, ``currency`` is that of the first row (amounts are not converted)."""
    records = []
    for reservation in reservations:
        record: dict[str, Any] = {name: reservation.get(name) for name, _, _ in RESERVATION_COLUMNS}
        record["id"] = str(reservation["id"])
        record.update(reservation_money(reservation))
        records.append(record)
    currency = reservations[0]["currency"] if reservations else None
    return _table(RESERVATION_COLUMNS, records, currency)


def listing_financials(
    reservations: list[dict[str, Any]], listing_names: dict[int, str]
) -> dict[str, Any]:
    """One row per listing with summed money columns (same currency rule as consolidated)."""
    records: dict[int, dict[str, Any]] = {}
    for reservation in reservations:
        listing_id = reservation["listingMapId"]
        record = records.setdefault(
            listing_id,
            {"listingName": listing_names.get(listing_id), **dict.fromkeys(MONEY_COLUMNS, 0.0)},
        )
        for name, value in reservation_money(reservation).items():
            record[name] = round(record[name] + value, 2)
    currency = reservations[0]["currency"] if reservations else None
    return _table(LISTING_COLUMNS, list(records.values()), currency)


def sort_reservations(
    reservations: list[dict[str, Any]], sort_by: str | None, descending: bool
) -> list[dict[str, Any]]:
    key = sort_by if sort_by in {name for name, _, _ in RESERVATION_COLUMNS} else "arrivalDate"

    def sort_key(reservation: dict[str, Any]) -> tuple[Any, int]:
        if key in MONEY_COLUMNS:
            return reservation_money(reservation)[key], reservation["id"]
        value = reservation.get(key)
        return (value if value is not None else ""), reservation["id"]

    return sorted(reservations, key=sort_key, reverse=descending)
