"""One open PDF page as the stages read it: characters, ruling lines, images, size.

This is the reader contract. The layout and tables stages see a ``PdfPage`` and never a
pdfplumber object: characters and graphics come as plain dicts with pdfplumber's keys
(``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``size``, ``fontname``, ``upright`` for a
character; ``x0``, ``top``, ``x1``, ``bottom``, ``orientation`` and the colour keys for an
edge), coordinates in points from the top-left corner. Everything is read lazily: a page
of plain text never has its edges computed.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from typing import Any

BBox = tuple[float, float, float, float]


class PdfPage:
    """An open page, 1-based ``number``, read through pdfplumber."""

    def __init__(self, page: Any, number: int) -> None:
        self._page = page
        self.number = number

    @property
    def width(self) -> float:
        return float(self._page.width)

    @property
    def height(self) -> float:
        return float(self._page.height)

    @property
    def bbox(self) -> BBox:
        """The page's visible box (x0, top, x1, bottom); a crop box may not start at 0."""
        left, top, right, bottom = (float(v) for v in self._page.bbox)
        return left, top, right, bottom

    @property
    def rotation(self) -> int:
        return int(self._page.rotation or 0)

    @property
    def chars(self) -> list[dict]:
        """Every printed character, as pdfplumber reads it (overprints included)."""
        return self._page.chars

    @property
    def images(self) -> list[dict]:
        return self._page.images

    @property
    def curves(self) -> list[dict]:
        return self._page.curves

    @property
    def rects(self) -> list[dict]:
        """Rectangles as drawn (``fill``, ``stroke``, ``non_stroking_color`` give their look)."""
        return self._page.rects

    @property
    def lines(self) -> list[dict]:
        """Straight lines as drawn (rules, underlines, borders)."""
        return self._page.lines

    @property
    def edges(self) -> list[dict]:
        """Ruling lines, rectangle sides and curve segments, each horizontal or vertical."""
        return self._page.edges

    @property
    def has_drawings(self) -> bool:
        """Lines, rectangles or curves are drawn (a grid is possible); cheap to ask."""
        page = self._page
        return bool(page.lines or page.rects or page.curves)

    @property
    def has_lines_or_rects(self) -> bool:
        page = self._page
        return bool(page.lines or page.rects)

    def font_name(self, char: dict) -> str:
        """The character's font name as text (names pdfminer left as Shift_JIS bytes decoded)."""
        return decode_font_name(char["fontname"])


def decode_font_name(name: object) -> str:
    """A font name as text. pdfminer keeps a name it cannot read as ASCII as bytes, so a Japanese
    font name arrives as ``b'JCNMGD+\\x82l\\x82r\\x96\\xbe\\x92\\xa9'``: decoded as Shift_JIS
    that is ``JCNMGD+ＭＳ明朝``."""
    if isinstance(name, (bytes, str)):
        return _decode_font_name(name)  # a page's characters share a few font names
    return str(name)


@lru_cache(maxsize=1024)
def _decode_font_name(name: bytes | str) -> str:
    if isinstance(name, bytes):
        raw = name
    elif name.startswith(("b'", 'b"')) and name.endswith(("'", '"')):
        try:
            raw = ast.literal_eval(name)
        except (ValueError, SyntaxError):
            return name
        if not isinstance(raw, bytes):
            return name
    else:
        return name
    for encoding in ("utf-8", "cp932"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def rgb_of(color: object) -> tuple[float, float, float] | None:
    """A colour as pdfplumber reports it (gray, RGB or CMYK components) as RGB in 0–1, two
    decimals; None for patterns and anything else."""
    if isinstance(color, (int, float)):
        color = (float(color),)
    if not isinstance(color, (tuple, list)) or not all(isinstance(v, (int, float)) for v in color):
        return None
    values = [min(max(float(v), 0.0), 1.0) for v in color]
    if len(values) == 1:
        rgb = (values[0],) * 3
    elif len(values) == 3:
        rgb = (values[0], values[1], values[2])
    elif len(values) == 4:
        c, m, y, k = values
        rgb = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    else:
        return None
    return (round(rgb[0], 2), round(rgb[1], 2), round(rgb[2], 2))
