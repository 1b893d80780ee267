"""Owner statements and financial reports (form-encoded POSTs, like Hostaway's)."""

from __future__ import annotations

import csv
import io
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .errors import BadRequest, Forbidden
from .finance import (
    DATE_TYPES,
    consolidated_report,
    listing_financials,
    select_reservations,
    sort_reservations,
)
from .store import Store
from .values import as_int, as_optional_date
from .web import bracket_values, form_pairs, page_params, paginated, success

FINANCE_DISABLED = "Financial reporting is not enabled for this account"


async def list_statements(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    page = page_params(request)
    rows = [{"id": s["id"], "statementName": s["statementName"]} for s in store.owner_statements]
    return paginated(rows, page)


async def get_statement(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    statement_id = request.path_params["statement_id"]
    return success(store.find(store.owner_statements, statement_id, "Owner statement"))


async def _selection(request: Request) -> tuple[list[dict[str, Any]], str, str]:
    """(reservations, format, delimiter) from the report form."""
    if not request.app.state.sandbox.finance_enabled:
        raise Forbidden(FINANCE_DISABLED)
    store: Store = request.app.state.store
    pairs = await form_pairs(request)
    fields = dict(pairs)
    report_format = fields.get("format") or ""
    if report_format not in ("json", "csv"):
        raise BadRequest("format is required: csv or json")
    date_type = fields.get("dateType") or "arrivalDate"
    if date_type not in DATE_TYPES:
        raise BadRequest(f"dateType must be one of {', '.join(DATE_TYPES)}")
    sort_order = (fields.get("sortOrder") or "asc").lower()
    if sort_order not in ("asc", "desc"):
        raise BadRequest("sortOrder must be asc or desc")
    selected = select_reservations(
        store.reservations,
        listing_ids=[as_int(v, "listingMapIds") for v in bracket_values(pairs, "listingMapIds")],
        from_date=as_optional_date(fields.get("fromDate"), "fromDate"),
        to_date=as_optional_date(fields.get("toDate"), "toDate"),
        date_type=date_type,
        channel_ids=[as_int(v, "channelIds") for v in bracket_values(pairs, "channelIds")],
        statuses=bracket_values(pairs, "statuses"),
    )
    ordered = sort_reservations(selected, fields.get("sortBy"), sort_order == "desc")
    delimiter = "\t" if fields.get("delimiter") == "tab" else ","
    return ordered, report_format, delimiter


def _respond(report: dict[str, Any], report_format: str, delimiter: str) -> Response:
    if report_format == "json":
        return success(report)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(column["title"] for column in report["columns"])
    writer.writerows(report["rows"])
    writer.writerow(report["totals"])
    return Response(buffer.getvalue(), media_type="text/csv")


async def consolidated(request: Request) -> Response:
    reservations, report_format, delimiter = await _selection(request)
    return _respond(consolidated_report(reservations), report_format, delimiter)


async def financials_by_listing(request: Request) -> Response:
    store: Store = request.app.state.store
    reservations, report_format, delimiter = await _selection(request)
    names = {listing["id"]: listing["name"] for listing in store.listings}
    return _respond(listing_financials(reservations, names), report_format, delimiter)


routes = [
    Route("/v1/ownerStatements", list_statements, methods=["GET"]),
    Route("/v1/ownerStatement/{statement_id:int}", get_statement, methods=["GET"]),
    Route("/v1/finance/report/consolidated", consolidated, methods=["POST"]),
    Route("/v1/finance/report/listingFinancials", financials_by_listing, methods=["POST"]),
]
