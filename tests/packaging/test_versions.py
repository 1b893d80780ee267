"""One version and one configuration contract across the package, the bundle and the registry entry.

`hostaway_mcp/__init__.py` holds the only version; manifest.json (the MCP Bundle) and server.json (the
MCP Registry) repeat it and must agree. Both describe the same environment variables, and every one of
them must be a variable the server reads.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from .common import (
    ROOT,
    SCHEMAS,
    load_json,
    manifest_env_mapping,
    package_source_text,
    package_version,
    pypi_package,
    pyproject,
    user_config_refs,
)

# What the bundle's form sets, and from which field. The values are the server's own contract
# (README "Configuration"): the bundle adds no variable of its own.
EXPECTED_ENV = {
    "HOSTAWAY_CLIENT_ID": "client_id",
    "HOSTAWAY_CLIENT_SECRET": "client_secret",
    "HOSTAWAY_READ_ONLY": "read_only",
    "HOSTAWAY_WRITE_APPROVAL": "approval_mode",
}
# Variables the bundle and the registry entry pass but the server does not read yet (none now).
NOT_YET_READ: set[str] = set()
SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    data: dict[str, Any] = load_json("manifest.json")
    return data


@pytest.fixture(scope="module")
def server() -> dict[str, Any]:
    data: dict[str, Any] = load_json("server.json")
    return data


def _server_env(server: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {var["name"]: var for var in pypi_package(server).get("environmentVariables", [])}


def test_hatch_reads_the_version_from_the_package() -> None:
    project = pyproject()
    assert "version" in project["project"]["dynamic"]
    assert "version" not in project["project"]
    assert project["tool"]["hatch"]["version"]["path"] == "hostaway_mcp/__init__.py"


def test_manifest_and_server_json_carry_the_package_version(
    manifest: dict[str, Any], server: dict[str, Any]
) -> None:
    version = package_version()
    assert SEMVER.match(version), f"{version!r} is not semver (the bundle and the registry need it)"
    assert manifest["version"] == version
    assert server["version"] == version
    assert pypi_package(server)["version"] == version


def test_the_installed_package_reports_the_same_version() -> None:
    import hostaway_mcp

    assert hostaway_mcp.__version__ == package_version()


def test_manifest_env_comes_from_the_form(manifest: dict[str, Any]) -> None:
    assert manifest_env_mapping(manifest) == EXPECTED_ENV
    # Every field of the form is used, and nothing refers to a field that does not exist.
    assert user_config_refs(manifest) == set(manifest["user_config"])


def test_manifest_form_fields(manifest: dict[str, Any]) -> None:
    form = manifest["user_config"]
    assert form["client_id"]["type"] == "string"
    assert form["client_id"]["required"] is True
    assert form["client_id"].get("sensitive") is not True

    secret = form["client_secret"]
    assert secret["type"] == "string"
    assert secret["required"] is True
    assert secret["sensitive"] is True

    # A checkbox becomes "true"/"false" in the environment: exactly HOSTAWAY_READ_ONLY's values, and
    # it starts on, like the server's own default.
    read_only = form["read_only"]
    assert read_only["type"] == "boolean"
    assert read_only["default"] is True
    assert read_only.get("required") is not True

    approval = form["approval_mode"]
    assert approval["type"] == "string"
    assert approval["default"] == "host"
    assert "host" in approval["description"]
    assert "model" in approval["description"]


def test_every_variable_passed_is_read_by_the_server(
    manifest: dict[str, Any], server: dict[str, Any]
) -> None:
    source = package_source_text()
    for name in EXPECTED_ENV:
        assert f'"{name}"' in source, f"the server no longer reads {name}"
    passed = set(manifest_env_mapping(manifest)) | set(_server_env(server))
    unread = {name for name in passed if f'"{name}"' not in source}
    assert unread <= NOT_YET_READ, f"passed to the server but never read: {sorted(unread)}"


def test_server_json_and_manifest_describe_the_same_variables(
    manifest: dict[str, Any], server: dict[str, Any]
) -> None:
    env = _server_env(server)
    assert set(env) == set(EXPECTED_ENV)
    form = manifest["user_config"]
    for name, field in EXPECTED_ENV.items():
        var = env[name]
        assert var.get("description"), name
        assert var.get("isRequired", False) is form[field].get("required", False), name
        assert var.get("isSecret", False) is form[field].get("sensitive", False), name
        if "default" in form[field]:
            default = form[field]["default"]
            expected = str(default).lower() if isinstance(default, bool) else str(default)
            assert var.get("default") == expected, name
        if "choices" in var:
            assert var["default"] in var["choices"], name
    assert env["HOSTAWAY_CLIENT_SECRET"]["isSecret"] is True
    assert env["HOSTAWAY_READ_ONLY"]["choices"] == ["true", "false"]
    assert env["HOSTAWAY_WRITE_APPROVAL"]["choices"] == ["host", "model"]


def test_server_json_points_at_this_pypi_package(server: dict[str, Any]) -> None:
    package = pypi_package(server)
    assert package["identifier"] == pyproject()["project"]["name"]
    assert package["runtimeHint"] == "uvx"
    assert package["transport"] == {"type": "stdio"}
    assert re.fullmatch(r"io\.github\.[A-Za-z0-9-]+/hostaway-mcp", server["name"]), server["name"]


def test_server_json_is_valid_against_the_registry_schema(server: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((SCHEMAS / "server.schema.json").read_text(encoding="utf-8"))
    assert server["$schema"] == schema["$id"]
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(server)
    ]
    assert not errors, errors


def test_readme_carries_the_registry_ownership_marker(server: dict[str, Any]) -> None:
    # The registry proves the PyPI package is ours by finding `mcp-name: <name>` in its description
    # (the README); an HTML comment keeps it out of the rendered page.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = re.findall(r"mcp-name:\s*([A-Za-z0-9.-]+/[A-Za-z0-9._-]+)", readme)
    assert names == [server["name"]]
    assert f"<!-- mcp-name: {server['name']} -->" in readme


def test_example_desktop_config_runs_the_pypi_package() -> None:
    servers = load_json("claude_desktop_config.example.json")["mcpServers"]
    source = package_source_text()
    for name, entry in servers.items():
        assert entry["command"] == "uvx", name
        assert entry["args"][0] == pyproject()["project"]["name"], name
        for variable in entry.get("env", {}):
            assert f'"{variable}"' in source, f"{name}: the server does not read {variable}"
