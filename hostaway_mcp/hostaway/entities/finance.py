"""Financial reporting and owner statements, mapped once from Hostaway's payloads: the positional
`{columns, rows, totals, currency}` tables become records keyed by column name."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from .._values import as_date, as_datetime, as_float, as_int, as_str
from ..channels import channel_label

NUMERIC_TYPES = frozenset({"money", "number"})
CHANNEL_COLUMN = "channelName"
LISTING_NAME_COLUMN = "listingName"
Value = str | int | float | None


class FinanceColumn(BaseModel):
    name: str
    title: str
    value_type: str  # money | number | string

    @property
    def is_id(self) -> bool:
        return self.name == "id" or self.name.endswith("Id")


def _value(raw: Any, value_type: str) -> Value:
    if value_type in NUMERIC_TYPES:
        number = as_float(raw)
        if number is not None and value_type == "number" and number.is_integer():
            return int(number)  # ids arrive as strings ("755143")
        return number if number is not None else as_str(raw)
    if isinstance(raw, bool):
        return int(raw)
    if isinstance(raw, int | float):
        return raw
    return as_str(raw)


def _cell(column: FinanceColumn, raw: Any) -> Value:
    value = _value(raw, column.value_type)
    if column.name == CHANNEL_COLUMN and isinstance(value, str):
        return channel_label(None, value)  # the channel names every other answer uses
    return value


def _json(raw: Any) -> Any:
    """Some `...Json` fields may arrive as JSON text rather than as objects."""
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except ValueError:
            return None
    return raw


class FinanceTable(BaseModel):
    """A Hostaway report table: records keyed by column name, totals by column name (numeric,
    non-id columns only), full precision."""

    columns: list[FinanceColumn] = []
    rows: list[dict[str, Value]] = []
    totals: dict[str, float] = {}
    currency: str | None = None

    def row_listing_names(self) -> list[str | None]:
        """Each row's listing name (the column that tells which listing a row belongs to)."""
        return [as_str(row.get(LISTING_NAME_COLUMN)) for row in self.rows]

    def money_columns(self) -> list[str]:
        """Columns holding amounts that add up (not ids)."""
        return [c.name for c in self.columns if c.value_type == "money" and not c.is_id]

    @classmethod
    def from_api(cls, raw: Any) -> FinanceTable:
        raw = _json(raw)
        raw = raw if isinstance(raw, dict) else {}
        columns = [
            FinanceColumn(
                name=name,
                title=as_str(c.get("title")) or name,
                value_type=as_str(c.get("valueType")) or "string",
            )
            for c in raw.get("columns") or []
            if isinstance(c, dict) and (name := as_str(c.get("name")))
        ]
        rows = [
            {col.name: _cell(col, value) for col, value in zip(columns, row, strict=False)}
            for row in raw.get("rows") or []
            if isinstance(row, list)
        ]
        return cls(
            columns=columns,
            rows=rows,
            totals=_totals(columns, raw.get("totals")),
            currency=as_str(raw.get("currency")),
        )


def _totals(columns: list[FinanceColumn], raw: Any) -> dict[str, float]:
    """Totals are positional like the rows, with a "Totals" label in the first cell; some tables
    send only the label, or one cell more than there are columns."""
    if not isinstance(raw, list):
        return {}
    cells = raw[1:] if len(raw) == len(columns) + 1 else raw
    if len(cells) != len(columns):
        return {}
    totals: dict[str, float] = {}
    for col, cell in zip(columns, cells, strict=True):
        number = as_float(cell)
        if col.value_type in NUMERIC_TYPES and not col.is_id and number is not None:
            totals[col.name] = number
    return totals


class OwnerStatementRef(BaseModel):
    id: int
    name: str

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> OwnerStatementRef:
        statement_id = as_int(raw.get("id")) or 0
        return cls(id=statement_id, name=as_str(raw.get("statementName")) or f"#{statement_id}")


class FormulaValue(BaseModel):
    name: str
    value: float | None


def _ints(raw: Any) -> list[int]:
    return [n for item in raw if (n := as_int(item)) is not None] if isinstance(raw, list) else []


def _strs(raw: Any) -> list[str]:
    return [s for item in raw if (s := as_str(item))] if isinstance(raw, list) else []


class StatementExpense(BaseModel):
    listing_id: int | None
    amount: float | None


class OwnerStatementData(BaseModel):
    id: int
    name: str
    invoice_name: str | None = None
    from_date: date | None = None
    to_date: date | None = None
    date_type: str | None = None
    listing_ids: list[int] = []
    statuses: list[str] = []
    channel_ids: list[int] = []
    summary: list[FormulaValue] = []
    grand_total: float | None = None
    expenses_total: float | None = None
    formula_totals: list[FormulaValue] = []
    expense_count: int = 0
    expenses: list[StatementExpense] = []
    table: FinanceTable = FinanceTable()
    owner_name: str | None = None
    notes: str | None = None
    inserted_on: datetime | None = None
    updated_on: datetime | None = None

    @classmethod
    def from_api(cls, raw: dict[str, Any]) -> OwnerStatementData:
        filters = _json(raw.get("filterParametersJson"))
        filters = filters if isinstance(filters, dict) else {}
        summary = _json(raw.get("summaryDataJson"))
        grand = _json(raw.get("grandTotalJson"))
        grand = grand if isinstance(grand, dict) else {}
        statement_id = as_int(raw.get("id")) or 0
        return cls(
            id=statement_id,
            name=as_str(raw.get("statementName")) or f"#{statement_id}",
            invoice_name=as_str(raw.get("invoiceName")),
            from_date=as_date(filters.get("fromDate")),
            to_date=as_date(filters.get("toDate")),
            date_type=as_str(filters.get("dateType")),
            listing_ids=_ints(filters.get("listingMapIds")),
            statuses=_strs(filters.get("statuses")),
            channel_ids=_ints(filters.get("channelIds")),
            summary=[
                FormulaValue(name=name, value=as_float(item.get("totalValue")))
                for item in (summary if isinstance(summary, list) else [])
                if isinstance(item, dict) and (name := as_str(item.get("formulaName")))
            ],
            grand_total=as_float(grand.get("grandTotalAmount")),
            expenses_total=as_float(grand.get("expensesTotal")),
            formula_totals=[
                FormulaValue(name=name, value=as_float(item.get("amount")))
                for item in grand.get("formulasTotal") or []
                if isinstance(item, dict) and (name := as_str(item.get("name")))
            ],
            expense_count=len(expenses) if isinstance(expenses := raw.get("expenses"), list) else 0,
            expenses=[
                StatementExpense(
                    listing_id=as_int(item.get("listingMapId")), amount=as_float(item.get("amount"))
                )
                for item in (expenses if isinstance(expenses, list) else [])
                if isinstance(item, dict)
            ],
            table=FinanceTable.from_api(raw.get("financeDataJson")),
            owner_name=as_str(raw.get("propertyOwnerName")),
            notes=as_str(raw.get("notes")),
            inserted_on=as_datetime(raw.get("insertedOn")),
            updated_on=as_datetime(raw.get("updatedOn")),
        )
