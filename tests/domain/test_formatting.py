"""Text shortening with a marker saying how to get the rest."""

from __future__ import annotations

from hostaway_mcp.domain.formatting import shorten


def test_shorten_marks_the_cut() -> None:
    assert shorten("short", 10) == "short"
    cut = shorten("alpha beta gamma delta", 12, "ask for more")
    assert cut is not None and cut.startswith("alpha beta") and "ask for more" in cut
