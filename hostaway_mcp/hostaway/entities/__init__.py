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
    Stay,
)
from .finance import (
    FinanceColumn,
    FinanceTable,
    FormulaValue,
    OwnerStatementData,
    OwnerStatementRef,
)
from .messaging import Conversation, Message
from .operations import TASK_CATEGORIES, TASK_CATEGORY_IDS, Expense, Review, Task, User
from .secrets import KnownSecrets, clean_text
from .writes import ConversationRef, CreatedObject

__all__ = [
    "BLOCKING_STATUSES",
    "CONFIRMED_STATUSES",
    "TASK_CATEGORIES",
    "TASK_CATEGORY_IDS",
    "AccessInfo",
    "CalendarDay",
    "Conversation",
    "ConversationRef",
    "CreatedObject",
    "Expense",
    "FinanceColumn",
    "FinanceTable",
    "FormulaValue",
    "KnownSecrets",
    "Listing",
    "Message",
    "OwnerStatementData",
    "OwnerStatementRef",
    "PriceComponent",
    "PriceDetails",
    "Reservation",
    "Review",
    "Stay",
    "Task",
    "User",
    "clean_text",
]
