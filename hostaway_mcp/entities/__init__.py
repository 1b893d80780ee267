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
from .writes import ConversationRef, CreatedObject

__all__ = [
    "BLOCKING_STATUSES",
    "CONFIRMED_STATUSES",
    "AccessInfo",
    "CalendarDay",
    "ConversationRef",
    "CreatedObject",
    "Listing",
    "PriceComponent",
    "PriceDetails",
    "Reservation",
]

from .messaging import Conversation, Message
from .operations import TASK_CATEGORIES, Expense, Review, Task

__all__ += ["TASK_CATEGORIES", "Conversation", "Expense", "Message", "Review", "Task"]
