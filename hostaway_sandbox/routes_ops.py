"""Tasks, expenses (both listed by id, ascending) and the account's users."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from .records import create_expense, create_task
from .store import Store
from .web import json_body, page_params, paginated, q, q_date, q_int, success

EXPENSE_CAP = 500


async def list_tasks(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    page = page_params(request)
    rows = store.tasks
    for name in ("listingMapId", "reservationId", "channelId"):
        if (wanted := q_int(request, name)) is not None:
            rows = [t for t in rows if t[name] == wanted]
    for name in ("status", "canStartFromEvent", "shouldEndByEvent"):
        if (text := q(request, name)) is not None:
            rows = [t for t in rows if t[name] == text]
    if match := q(request, "match"):
        needle = match.lower()
        rows = [
            t
            for t in rows
            if needle in t["title"].lower() or needle in (t["description"] or "").lower()
        ]
    for field in ("canStartFrom", "shouldEndBy"):
        start, end = q_date(request, f"{field}Start"), q_date(request, f"{field}End")
        if start:
            rows = [t for t in rows if t[field] and t[field][:10] >= start.isoformat()]
        if end:
            rows = [t for t in rows if t[field] and t[field][:10] <= end.isoformat()]
    return paginated(sorted(rows, key=lambda t: t["id"]), page)


async def get_task(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    return success(store.find(store.tasks, request.path_params["task_id"], "Task"))


async def post_task(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    return success(create_task(store, await json_body(request)))


async def list_expenses(request: Request) -> JSONResponse:
    """No filters are documented for this list: page through everything (max 500 per page)."""
    store: Store = request.app.state.store
    page = page_params(request, cap=EXPENSE_CAP)
    return paginated(sorted(store.expenses, key=lambda e: e["id"]), page)


async def get_expense(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    return success(store.find(store.expenses, request.path_params["expense_id"], "Expense"))


async def post_expense(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    return success(create_expense(store, await json_body(request)))


async def list_users(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    return paginated(sorted(store.users, key=lambda u: u["id"]), page_params(request))


async def get_user(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    return success(store.find(store.users, request.path_params["user_id"], "User"))


routes = [
    Route("/v1/tasks", list_tasks, methods=["GET"]),
    Route("/v1/tasks", post_task, methods=["POST"]),
    Route("/v1/tasks/{task_id:int}", get_task, methods=["GET"]),
    Route("/v1/expenses", list_expenses, methods=["GET"]),
    Route("/v1/expenses", post_expense, methods=["POST"]),
    Route("/v1/expenses/{expense_id:int}", get_expense, methods=["GET"]),
    Route("/v1/users", list_users, methods=["GET"]),
    Route("/v1/user/{user_id:int}", get_user, methods=["GET"]),  # singular, as Hostaway's
]
