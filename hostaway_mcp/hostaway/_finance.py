"""Hostaway's own finance data: the consolidated report and owner statements."""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import NotFound, UpstreamUnavailable
from ._base import Params, Reads, day
from .entities import FinanceTable, OwnerStatementData, OwnerStatementRef
from .types import DateRange, FinanceDateType


def finance_form(
    *,
    days: DateRange,
    listing_ids: Sequence[int],
    date_type: FinanceDateType,
    channel_ids: Sequence[int],
    statuses: Sequence[str],
) -> Params:
    form: Params = {
        "fromDate": day(days.first),
        "toDate": day(days.last),
        "dateType": date_type,
        "format": "json",
    }
    if listing_ids:
        form["listingMapIds[]"] = list(listing_ids)
    if channel_ids:
        form["channelIds[]"] = list(channel_ids)
    if statuses:
        form["statuses[]"] = list(statuses)
    return form


class FinanceReads(Reads):
    async def financial_report(
        self,
        *,
        days: DateRange,
        listing_ids: list[int],
        date_type: FinanceDateType,
        channel_ids: list[int],
        statuses: list[str],
    ) -> FinanceTable:
        """Hostaway's consolidated report for reservations whose `date_type` falls in ``days``.
        It creates nothing, so it may be retried."""
        envelope = await self._client.request(
            "POST",
            "/finance/report/consolidated",
            data=finance_form(
                days=days,
                listing_ids=listing_ids,
                date_type=date_type,
                channel_ids=channel_ids,
                statuses=statuses,
            ),
        )
        result = envelope.get("result")
        if not isinstance(result, dict) and result not in (None, [], {}):
            raise UpstreamUnavailable(
                "Hostaway answered the financial report in an unexpected shape (not a JSON table)."
            )
        return FinanceTable.from_api(result)

    async def owner_statements(self) -> list[OwnerStatementRef]:
        result = await self._client.get("/ownerStatements")
        rows = result if isinstance(result, list) else []
        return [OwnerStatementRef.from_api(raw) for raw in rows if isinstance(raw, dict)]

    async def owner_statement(self, statement_id: int) -> OwnerStatementData:
        try:
            raw = await self._client.get(f"/ownerStatement/{statement_id}")  # singular path
        except NotFound:
            raw = None
        if not isinstance(raw, dict) or not raw.get("id"):
            raise NotFound(
                f"Owner statement {statement_id} was not found.",
                hint="Use list_owner_statements to find statement ids.",
            )
        return OwnerStatementData.from_api(raw)
