"""Build the MCP Apps views: inline views/bridge.js, views/base.css and each view's own CSS and JS
into one self-contained HTML document per view, written to hostaway_mcp/ui/.

    uv run python scripts/build_views.py          # write the built files
    uv run python scripts/build_views.py --check  # exit 1 if a built file is out of date
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "views"
OUTPUT = ROOT / "hostaway_mcp" / "ui"
VIEWS = ("calendar", "report", "approve")
MAX_BYTES = 150_000  # hosts load these into a frame on every render; keep them small

# A line that is only "/* @inline name.css */" or "// @inline name.js" is replaced by that file.
INLINE = re.compile(
    r"^[ \t]*(?:/\*[ \t]*@inline[ \t]+(\S+)[ \t]*\*/|//[ \t]*@inline[ \t]+(\S+))[ \t]*$", re.M
)
# Text that would end the inline <style> or <script> element early.
CLOSERS = {".css": "</style", ".js": "</script"}


def _inline(match: re.Match[str]) -> str:
    name = match.group(1) or match.group(2)
    path = SOURCES / name
    text = path.read_text(encoding="utf-8").rstrip("\n")
    closer = CLOSERS.get(path.suffix)
    if closer is None:
        raise ValueError(f"{name}: only .css and .js files can be inlined")
    if closer in text.lower():
        raise ValueError(f"{name} contains {closer!r}, which would end its element early")
    return text


def build(view: str) -> str:
    """The self-contained HTML of one view."""
    template = (SOURCES / f"{view}.html").read_text(encoding="utf-8")
    html = INLINE.sub(_inline, template)
    size = len(html.encode("utf-8"))
    if size > MAX_BYTES:
        raise ValueError(f"{view}.html is {size} bytes, over the {MAX_BYTES}-byte budget")
    return html


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for view in VIEWS:
        target = OUTPUT / f"{view}.html"
        html = build(view)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == html:
            continue
        stale.append(str(target.relative_to(ROOT)))
        if not check:
            OUTPUT.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
    if check and stale:
        sys.stderr.write("out of date (run scripts/build_views.py): " + ", ".join(stale) + "\n")
        return 1
    for path in stale:
        sys.stderr.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
