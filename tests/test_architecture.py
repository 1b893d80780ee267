"""The layers hold: only hostaway_mcp/hostaway/ knows Hostaway's API, and imports point one way
(MCP layer -> domain -> adapter; the base modules config, errors and logs import no layer)."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import get_args

import pytest

from hostaway_mcp.hostaway import FinanceDateType, ReservationStatus, TaskStatus

PACKAGE = Path(__file__).resolve().parents[1] / "hostaway_mcp"
ADAPTER = PACKAGE / "hostaway"
LAYERS = ("hostaway", "domain", "server")
BASE = ("config", "errors", "logs")

# Query parameters, form fields and body keys Hostaway defines (see shared/HOSTAWAY_API.md).
HOSTAWAY_KEYS = {
    "listingId", "listingMapId", "listingMapIds", "listingMapIds[]", "channelId", "channelIds[]",
    "arrivalStartDate", "arrivalEndDate", "departureStartDate", "departureEndDate",
    "departureDateStart", "departureDateEnd", "guestEmail", "guestName", "guestFirstName",
    "guestLastName", "numberOfGuests", "includeResources", "afterId", "sortOrder", "sortBy",
    "startDate", "endDate", "startingDate", "endingDate", "isAvailable", "minimumStay",
    "maximumStay", "communicationType", "canStartFrom", "shouldEndBy", "canStartFromStart",
    "canStartFromEnd", "categoriesMap", "categoriesNames", "assigneeUserId", "expenseDate",
    "cancelledBy", "fromDate", "toDate", "dateType", "statuses[]", "reservationId",
    "totalPrice", "hostNote", "guestNote", "availabilityDateStart", "availabilityDateEnd",
    "availabilityGuestNumber", "latestActivityStart", "latestActivityEnd", "client_secret",
    "grant_type", "access_token",
}  # fmt: skip
# A path literal (or a request line), not a path mentioned inside a sentence of documentation.
HOSTAWAY_PATH = re.compile(
    r"^((GET|POST|PUT|DELETE) )?/(listings|reservations|conversations|reviews|tasks|expenses|"
    r"finance|ownerStatements?|accessTokens|users?|webhooks)\b"
)
CAMEL_CASE = re.compile(r"^[a-z]+[A-Z][A-Za-z]*(\[\])?$")
# Hostaway's values that are also ours to show and accept (statuses, the finance date types).
OUR_VALUES = {*get_args(ReservationStatus), *get_args(TaskStatus), *get_args(FinanceDateType)}
# A LogRecord attribute (logs.py); the MCP Apps `_meta.ui` keys (server/apps.py).
NOT_HOSTAWAY = {"taskName", "resourceUri", "prefersBorder"}
OUR_ROUTES = {"/webhooks/hostaway"}  # the team server's own endpoint, which Hostaway calls
# JSON Schema's own keywords (the server layer reads and compacts tool schemas).
NOT_HOSTAWAY |= {
    "anyOf", "oneOf", "allOf", "additionalProperties", "maxLength", "minLength", "maxItems",
    "minItems", "exclusiveMinimum", "exclusiveMaximum", "inputSchema", "outputSchema",
}  # fmt: skip


def _modules(root: Path) -> list[Path]:
    return sorted(root.rglob("*.py"))


def _outside_adapter() -> list[Path]:
    return [path for path in _modules(PACKAGE) if ADAPTER not in path.parents]


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string literal, including the literal parts of f-strings (not docstrings)."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def test_no_hostaway_key_or_path_outside_the_adapter() -> None:
    found = []
    for path in _outside_adapter():
        for line, text in _strings(ast.parse(path.read_text())):
            key = text in HOSTAWAY_KEYS
            camel = CAMEL_CASE.match(text) and text not in OUR_VALUES | NOT_HOSTAWAY
            path_like = HOSTAWAY_PATH.search(text) and text not in OUR_ROUTES
            if key or camel or path_like:
                found.append(f"{_name(path)}:{line}: {text!r}")
    assert found == [], "Hostaway's API belongs in hostaway_mcp/hostaway/:\n" + "\n".join(found)


def test_the_check_itself_finds_keys_and_paths() -> None:
    planted = 'params = {"arrivalStartDate": day}\npath = f"/listings/{i}/calendar"\n'
    strings = [text for _, text in _strings(ast.parse(planted))]
    assert "arrivalStartDate" in strings
    assert any(HOSTAWAY_PATH.search(text) for text in strings)


def _imports(path: Path) -> list[str]:
    """Absolute names of the hostaway_mcp modules this module imports."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            names.append(target)
            names.extend(f"{target}.{alias.name}" for alias in node.names)
    return names


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "mcp":
        return "mcp"
    if parts[0] != "hostaway_mcp" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in (*LAYERS, *BASE) else None


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("hostaway", {"domain", "server", "mcp"}),
        ("domain", {"server", "mcp"}),
        ("config", {"hostaway", "domain", "server", "mcp"}),
        ("errors", {"hostaway", "domain", "server", "mcp", "config", "logs"}),
        ("logs", {"hostaway", "domain", "server", "mcp"}),
    ],
)
def test_imports_point_one_way(layer: str, forbidden: set[str]) -> None:
    root = PACKAGE / layer
    paths = _modules(root) if root.is_dir() else [PACKAGE / f"{layer}.py"]
    wrong = [
        f"{_name(path)} imports {name}"
        for path in paths
        for name in _imports(path)
        if _layer(name) in forbidden
    ]
    assert wrong == []


def test_the_adapter_is_reached_only_through_its_public_names() -> None:
    private = [
        f"{_name(path)} imports {name}"
        for path in _outside_adapter()
        for name in _imports(path)
        if name.startswith("hostaway_mcp.hostaway.")
        and name.split(".")[2] not in {"__init__"}
        and name.split(".")[2] not in _public_names()
    ]
    assert private == []


def _public_names() -> set[str]:
    import hostaway_mcp.hostaway as adapter

    return set(adapter.__all__)
