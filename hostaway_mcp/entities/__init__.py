"""Internal models mapped once from raw Hostaway dicts (one module per area)."""

from .core import (
    BLOCKING_STATUSES,
    CONFIRMED_STATUSES,
    AccessInfo,
    CalendarDay,
    Listing,
    PriceComponent,
    PriceDetails,
    Reservation,
)
from .finance import (
    FinanceColumn,
    FinanceTable,
    FormulaValue,
    OwnerStatementData,
    OwnerStatementRef,
)

__all__ = [
    "BLOCKING_STATUSES",
    "CONFIRMED_STATUSES",
    "AccessInfo",
    "CalendarDay",
    "FinanceColumn",
    "FinanceTable",
    "FormulaValue",
    "Listing",
    "OwnerStatementData",
    "OwnerStatementRef",
    "PriceComponent",
    "PriceDetails",
    "Reservation",
]
