"""Draw the bundle's icon.png (512x512: a white house on a teal rounded square), with no dependencies.

    python3 scripts/make_icon.py            # writes icon.png at the repository root

The PNG is committed; run this only to change it.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

SIZE = 512
SAMPLES = 3  # per axis: 3x3 samples a pixel smooth the edges
TEAL = (14, 124, 134)
WHITE = (255, 255, 255)
CORNER = 104  # radius of the background's rounded corners


def _in_rounded_square(x: float, y: float) -> bool:
    cx = min(max(x, CORNER), SIZE - CORNER)
    cy = min(max(y, CORNER), SIZE - CORNER)
    return (x - cx) ** 2 + (y - cy) ** 2 <= CORNER**2


def _in_triangle(
    x: float, y: float, a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]
) -> bool:
    def side(p: tuple[float, float], q: tuple[float, float]) -> float:
        return (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0])

    d1, d2, d3 = side(a, b), side(b, c), side(c, a)
    return (d1 >= 0 and d2 >= 0 and d3 >= 0) or (d1 <= 0 and d2 <= 0 and d3 <= 0)


def _in_house(x: float, y: float) -> bool:
    roof = _in_triangle(x, y, (256, 100), (84, 262), (428, 262))
    chimney = 330 <= x <= 372 and 124 <= y <= 220
    body = 136 <= x <= 376 and 250 <= y <= 412
    door = 224 <= x <= 288 and 318 <= y <= 412
    window = (156 <= x <= 204 or 308 <= x <= 356) and 282 <= y <= 330
    return (roof or chimney or body) and not door and not window


def _pixel(px: int, py: int) -> tuple[int, int, int, int]:
    inside = house = 0
    for i in range(SAMPLES):
        for j in range(SAMPLES):
            x = px + (i + 0.5) / SAMPLES
            y = py + (j + 0.5) / SAMPLES
            if _in_rounded_square(x, y):
                inside += 1
                house += _in_house(x, y)
    if not inside:
        return (0, 0, 0, 0)
    share = house / inside
    r, g, b = (round(t + (w - t) * share) for t, w in zip(TEAL, WHITE, strict=True))
    return (r, g, b, round(255 * inside / SAMPLES**2))


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def render() -> bytes:
    rows = bytearray()
    for py in range(SIZE):
        rows.append(0)  # filter: none
        for px in range(SIZE):
            rows.extend(_pixel(px, py))
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )


def main() -> int:
    target = Path(__file__).resolve().parent.parent / "icon.png"
    target.write_bytes(render())
    sys.stderr.write(f"wrote {target}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
