"""What the packaging tests share: the repository's files, read as a release would read them."""

from __future__ import annotations

import json
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = Path(__file__).resolve().parent / "schemas"

# Root directories that hold Python packages but are not part of the distribution.
NOT_DISTRIBUTED = {"tests", "benchmarks", "scripts"}

# hatch's default pattern for `[tool.hatch.version] path = ...`.
_VERSION = re.compile(r"""^__version__\s*=\s*["']([^"']+)["']""", re.MULTILINE)
_USER_CONFIG_REF = re.compile(r"\$\{user_config\.([A-Za-z0-9_]+)\}")


@cache
def pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def load_json(name: str) -> Any:
    return json.loads((ROOT / name).read_text(encoding="utf-8"))


def package_version() -> str:
    """The version hatch puts into the wheel: `__version__` in the file pyproject points at."""
    path = ROOT / pyproject()["tool"]["hatch"]["version"]["path"]
    match = _VERSION.search(path.read_text(encoding="utf-8"))
    assert match, f"no __version__ = '...' line in {path}"
    return match.group(1)


def distributed_packages() -> list[str]:
    """Every top-level package directory at the repository root that ships in the distribution."""
    return sorted(
        child.name
        for child in ROOT.iterdir()
        if child.is_dir()
        and (child / "__init__.py").is_file()
        and child.name not in NOT_DISTRIBUTED
        and not child.name.startswith(".")
    )


def package_source_text() -> str:
    """All Python source of the distributed packages, to find the names the server reads."""
    return "\n".join(
        path.read_text(encoding="utf-8")
        for package in distributed_packages()
        for path in sorted((ROOT / package).rglob("*.py"))
    )


def manifest_env_mapping(manifest: dict[str, Any]) -> dict[str, str]:
    """Environment variable -> the user_config key its value comes from (`${user_config.KEY}`)."""
    mapping: dict[str, str] = {}
    for name, value in manifest["server"]["mcp_config"].get("env", {}).items():
        refs = _USER_CONFIG_REF.findall(value)
        assert len(refs) == 1 and value == f"${{user_config.{refs[0]}}}", (name, value)
        mapping[name] = refs[0]
    return mapping


def user_config_refs(manifest: dict[str, Any]) -> set[str]:
    """Every user_config key that mcp_config (command, args or env) refers to."""
    return set(_USER_CONFIG_REF.findall(json.dumps(manifest["server"]["mcp_config"])))


def pypi_package(server: dict[str, Any]) -> dict[str, Any]:
    packages = [p for p in server["packages"] if p["registryType"] == "pypi"]
    assert len(packages) == 1, server["packages"]
    package: dict[str, Any] = packages[0]
    return package
