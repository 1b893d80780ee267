"""The sdist and wheel `uv build` makes, as PyPI and a user's `uvx hostaway-mcp` get them.

Builds both (the wheel from the sdist, as uv does), checks what is inside, installs the wheel into a
fresh virtualenv and runs `hostaway-mcp check --demo` from it. No network: the build backend and the
locked dependencies come from uv's cache, which `uv sync` fills (CI syncs before testing).
"""

from __future__ import annotations

import email
import email.message
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from .common import ROOT, distributed_packages, load_json, package_version

pytestmark = pytest.mark.slow

# Nothing from a developer's machine may reach the sdist.
JUNK_PARTS = {
    ".venv",
    "venv",
    "dist",
    "build",
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".hypothesis",
    "htmlcov",
    ".git",
}
JUNK_NAMES = {".env", ".coverage", "coverage.xml", ".DS_Store"}
JUNK_SUFFIXES = (".pyc", ".pyo", ".mcpb", ".whl", ".tar.gz", ".egg-info")


def _uv() -> str:
    uv = os.environ.get("UV") or shutil.which("uv")  # `uv run` sets UV to itself
    if not uv:
        pytest.skip("uv is not available")
    return uv


def _env() -> dict[str, str]:
    """This environment without what would point uv or the server elsewhere."""
    drop = ("HOSTAWAY_", "VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "UV_PYTHON")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


def _run(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(  # noqa: S603 - uv and the freshly installed console script
        [str(a) for a in args],
        cwd=cwd,
        env=env if env is not None else _env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("dist")
    _run(_uv(), "build", "--offline", "--python", sys.executable, "--out-dir", out)
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return sdist, wheel


def _metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return email.message_from_bytes(archive.read(name))


def test_file_names_carry_the_version(built: tuple[Path, Path]) -> None:
    sdist, wheel = built
    version = package_version()
    assert sdist.name == f"hostaway_mcp-{version}.tar.gz"
    assert wheel.name == f"hostaway_mcp-{version}-py3-none-any.whl"


def test_wheel_ships_every_package_with_its_data(built: tuple[Path, Path]) -> None:
    _, wheel = built
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    top_level = {name.split("/", 1)[0] for name in names if "/" in name}
    assert "hostaway_mcp/py.typed" in names
    for package in distributed_packages():
        assert package in top_level, (
            f"{package}/ is not in the wheel: add it to pyproject's packages"
        )
        # Every file of the package, not only its modules (py.typed, the sandbox's README, views).
        for path in (ROOT / package).rglob("*"):
            if (
                path.is_file()
                and "__pycache__" not in path.parts
                and path.suffix not in {".pyc", ".pyo"}
            ):
                relative = path.relative_to(ROOT).as_posix()
                assert relative in names, f"{relative} is missing from the wheel"
    assert not [n for n in names if n.endswith((".pyc", ".pyo")) or "__pycache__" in n]


def test_sdist_holds_the_sources_and_no_junk(built: tuple[Path, Path]) -> None:
    sdist, _ = built
    prefix = f"hostaway_mcp-{package_version()}/"
    with tarfile.open(sdist) as archive:
        names = [name.removeprefix(prefix) for name in archive.getnames()]
    for required in ("pyproject.toml", "README.md", "PKG-INFO", "hostaway_mcp/__init__.py"):
        assert required in names
    for package in distributed_packages():
        assert f"{package}/__init__.py" in names
    junk = [
        name
        for name in names
        if JUNK_PARTS.intersection(name.split("/"))
        or name.rsplit("/", 1)[-1] in JUNK_NAMES
        or name.endswith(JUNK_SUFFIXES)
    ]
    assert not junk, junk


def test_wheel_metadata_is_ready_for_pypi(built: tuple[Path, Path]) -> None:
    _, wheel = built
    metadata = _metadata(wheel)
    assert metadata["Name"] == "hostaway-mcp"
    assert metadata["Version"] == package_version()
    assert metadata["Requires-Python"] == ">=3.11"
    assert metadata["Description-Content-Type"] == "text/markdown"
    # Every runtime dependency has an upper bound: a new major release cannot break an install.
    requirements = metadata.get_all("Requires-Dist") or []
    assert requirements
    unbounded = [r for r in requirements if "extra ==" not in r and "<" not in r]
    assert not unbounded, unbounded
    # The MCP Registry verifies ownership by finding this line in the description PyPI shows.
    description = metadata.get_payload()
    assert isinstance(description, str)
    assert f"mcp-name: {load_json('server.json')['name']}" in description


def test_wheel_installs_into_a_fresh_venv_and_runs(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    _, wheel = built
    uv = _uv()
    venv = tmp_path / "venv"
    python = venv / "bin" / "python"
    _run(uv, "venv", "--python", sys.executable, venv)
    # The locked dependencies, offline, from uv's cache: the versions a user's uvx resolves today.
    env = _env() | {"UV_PROJECT_ENVIRONMENT": str(venv)}
    _run(
        uv, "sync", "--frozen", "--offline", "--no-dev", "--no-install-project",
        "--python", python, env=env,
    )  # fmt: skip
    _run(uv, "pip", "install", "--offline", "--no-deps", "--python", python, wheel)
    _run(uv, "pip", "check", "--python", python)  # the wheel's own requirements hold

    where = _run(python, "-c", "import hostaway_mcp; print(hostaway_mcp.__file__)", cwd=tmp_path)
    assert Path(where.strip()).is_relative_to(venv), where

    script = venv / "bin" / "hostaway-mcp"
    assert package_version() in _run(script, "--version", cwd=tmp_path)
    result = subprocess.run(  # noqa: S603 - the console script just installed
        [str(script), "check", "--demo"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines, result
    assert lines[-1].startswith("OK: Hostaway account "), result.stderr
    assert "demo sandbox" in lines[-1]
