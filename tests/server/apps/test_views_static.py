"""The built views, read as files: up to date with their sources, small, self-contained, and never
parsing data as HTML. No browser needed."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]
BUILT = ROOT / "hostaway_mcp" / "ui"
VIEWS = ("calendar", "report", "approve")


def build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_views", ROOT / "scripts" / "build_views.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("view", VIEWS)
def test_built_view_is_up_to_date_with_its_sources(view: str) -> None:
    built = (BUILT / f"{view}.html").read_text(encoding="utf-8")
    assert built == build_script().build(view), "run: uv run python scripts/build_views.py"


@pytest.mark.parametrize("view", VIEWS)
def test_view_is_one_small_document(view: str) -> None:
    html = (BUILT / f"{view}.html").read_bytes()
    assert len(html) < 150_000
    text = html.decode("utf-8")
    assert text.lower().startswith("<!doctype html>")
    assert text.count("<script") == 1
    assert "@inline" not in text  # every source was inlined


# Anything that would reach the network or load a file from outside the document.
EXTERNAL = [
    r"https?://",
    r"//[a-z0-9.-]+\.[a-z]{2,}/",  # protocol-relative URLs
    r"<link\b",
    r"<script[^>]*\bsrc\s*=",
    r"<img\b",
    r"<iframe\b",
    r"@import",
    r"url\(",
    r"\bfetch\(",
    r"XMLHttpRequest",
    r"WebSocket",
    r"EventSource",
    r"sendBeacon",
    r"\bimport\(",
]

# Anything that parses a string as markup or code: data must only ever become text nodes.
MARKUP = [
    r"innerHTML",
    r"outerHTML",
    r"insertAdjacentHTML",
    r"document\.write",
    r"createContextualFragment",
    r"DOMParser",
    r"\beval\(",
    r"new Function",
    r"setTimeout\(\s*[\"'`]",
    r"srcdoc",
]


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("pattern", EXTERNAL + MARKUP)
def test_view_has_no_external_reference_and_no_markup_sink(view: str, pattern: str) -> None:
    text = (BUILT / f"{view}.html").read_text(encoding="utf-8")
    found = re.findall(pattern, text, flags=re.IGNORECASE)
    assert found == [], f"{view}.html contains {pattern!r}"
