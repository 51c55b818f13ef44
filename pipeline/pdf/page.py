"""One open PDF page as the stages read it: characters, ruling lines, images, size.

This is the reader contract. The layout and tables stages see a ``PdfPage`` and never a
pdfplumber object: characters and graphics come as plain dicts with pdfplumber's keys
(``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``size``, ``fontname``, ``upright`` for a
character; ``x0``, ``top``, ``x1``, ``bottom``, ``orientation`` and the colour keys for an
edge), coordinates in points from the top-left corner. Everything is read lazily: a page
of plain text never has its edges computed.
"""

from __future__ import annotations

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

    def find_table_cells(self, table_settings: dict[str, Any]) -> list[list[BBox]]:
        """Cell boxes of each table pdfplumber's table finder sees with ``table_settings``
        (its ``lines`` or ``explicit`` strategies: grids drawn with rules)."""
        return [
            [tuple(map(float, cell)) for cell in table.cells]  # type: ignore[misc]
            for table in self._page.find_tables(table_settings=table_settings)
        ]
