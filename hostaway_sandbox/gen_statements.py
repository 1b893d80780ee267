"""Owner statements: one per portfolio for each of the last three full months, computed (as a
snapshot) from the reservations arriving in the period and the portfolio's expenses."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from .catalog import ACCOUNT_ID, MANAGER, OWNERS
from .finance import consolidated_report, select_reservations
from .shapes import fmt_dt

STATEMENT_MONTHS = 3
STATUSES = ["new", "modified"]
SUMMARY_FORMULAS = ["ownerPayout", "pmCommission", "accommodationFee", "totalGuestFees"]


def _month_bounds(today: date, months_back: int) -> tuple[date, date]:
    year, month = divmod(today.year * 12 + today.month - 1 - months_back, 12)
    first = date(year, month + 1, 1)
    next_year, next_month = divmod(year * 12 + month + 1, 12)
    return first, date(next_year, next_month + 1, 1) - timedelta(days=1)


def generate_statements(
    reservations: list[dict[str, Any]],
    listings: dict[int, dict[str, Any]],
    expenses: list[dict[str, Any]],
    today: date,
    now: datetime,
) -> list[dict[str, Any]]:
    statements: list[dict[str, Any]] = []
    link_id = 0
    for months_back in range(STATEMENT_MONTHS, 0, -1):
        first, last = _month_bounds(today, months_back)
        for portfolio, cities, owner_first, owner_last in OWNERS:
            statement_id = len(statements) + 1
            name = f"{portfolio} - {first:%B %Y}"
            listing_ids = sorted(i for i, listing in listings.items() if listing["city"] in cities)
            selected = select_reservations(
                reservations,
                listing_ids=listing_ids,
                from_date=first,
                to_date=last,
                statuses=STATUSES,
            )
            selected.sort(key=lambda r: (r["arrivalDate"], r["id"]))
            report = consolidated_report(selected)
            if report["currency"] is None:
                report["currency"] = listings[listing_ids[0]]["currencyCode"]
            totals = dict(
                zip((c["name"] for c in report["columns"]), report["totals"], strict=True)
            )
            own_expenses = [
                e
                for e in expenses
                if e["listingMapId"] in listing_ids
                and first.isoformat() <= e["expenseDate"] <= last.isoformat()
            ]
            for expense in own_expenses:
                link_id += 1
                expense.update(
                    ownerStatementId=statement_id,
                    ownerStatementIds=[statement_id],
                    ownerStatementNames=[name],
                    ownerStatementExpenseId=link_id,
                )
            expenses_total = round(sum(e["amount"] for e in own_expenses), 2)
            issued = min(
                now - timedelta(hours=1), datetime.combine(last + timedelta(days=3), time(9))
            )
            statements.append(
                {
                    "id": statement_id,
                    "accountId": str(ACCOUNT_ID),
                    "statementName": name,
                    "invoiceName": f"INV-{first:%Y%m}-{statement_id:03d}",
                    "filterParametersJson": {
                        "listingMapIds": listing_ids,
                        "quickDate": None,
                        "fromDate": first.isoformat(),
                        "toDate": last.isoformat(),
                        "statuses": STATUSES,
                        "dateType": "arrivalDate",
                        "tags": [],
                        "channelIds": [],
                        "columns": [c["name"] for c in report["columns"]],
                        "summaryDataFormulaNames": SUMMARY_FORMULAS,
                    },
                    "summaryDataJson": [
                        {"formulaName": formula, "totalValue": totals[formula]}
                        for formula in SUMMARY_FORMULAS
                    ],
                    "financeDataJson": report,
                    "propertyManagerName": MANAGER[0],
                    "propertyManagerEmail": MANAGER[3],
                    "propertyManagerAddress": "Rua Augusta 100, 1100-053 Lisboa, Portugal",
                    "propertyManagerPhone": MANAGER[4],
                    "propertyOwnerName": f"{owner_first} {owner_last}",
                    "propertyOwnerEmail": f"{owner_first.lower()}.{owner_last.lower()}@owners.example.com",
                    "propertyOwnerAddress": None,
                    "propertyOwnerPhone": None,
                    "grandTotalJson": {
                        "expensesTotal": expenses_total,
                        "grandTotalAmount": round(totals["ownerPayout"] + expenses_total, 2),
                        "formulasTotal": [{"name": "ownerPayout", "amount": totals["ownerPayout"]}],
                    },
                    "notes": f"Statement for {first:%B %Y}. Payout by bank transfer within 5 working days.",
                    "insertedOn": fmt_dt(issued),
                    "updatedOn": fmt_dt(issued),
                    "expenses": [
                        {
                            key: e[key]
                            for key in (
                                "id",
                                "listingMapId",
                                "reservationId",
                                "expenseDate",
                                "concept",
                                "amount",
                            )
                        }
                        for e in own_expenses
                    ],
                    "accessByUsers": [],
                }
            )
    return statements
