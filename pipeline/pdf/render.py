"""Pages as pictures, with the boxes of their characters: what the review page draws on.

PDFium (pypdfium2, installed with pdfplumber) renders each page to a JPEG (Pillow, also
installed with pdfplumber) and gives every printed character with its box, turned into
pdfplumber's coordinates (points from the top-left corner), the ones the Document uses.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.pdf.page import BBox

DEFAULT_RENDER_SCALE = 1.25
"""Pixels per point: 1.25 draws an A4 page 744 pixels wide, legible, about 150 KB as JPEG."""
DEFAULT_JPEG_QUALITY = 70


@dataclass(frozen=True)
class PageChar:
    text: str
    bbox: BBox


@dataclass
class RenderedPage:
    """One page: its size in points, its picture, and its characters in reading order of the file."""

    number: int
    width: float
    height: float
    jpeg: bytes
    chars: list[PageChar] = field(default_factory=list)
    origin: tuple[float, float] = (0.0, 0.0)
    """Where the picture's top-left corner is in page coordinates: not (0, 0) when the page's
    box does not start at the origin (a white paper's page cut out of a larger sheet)."""


@contextmanager
def open_rendered(path: Path, scale: float = DEFAULT_RENDER_SCALE,
                  quality: int = DEFAULT_JPEG_QUALITY) -> Iterator[Iterator[RenderedPage]]:
    """The pages of a PDF rendered one at a time (each closed before the next is read)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        yield (_render(document, number, scale, quality) for number in range(1, len(document) + 1))
    finally:
        document.close()


def _render(document: Any, number: int, scale: float, quality: int) -> RenderedPage:
    page = document[number - 1]
    try:
        width, height = float(page.get_width()), float(page.get_height())
        picture = page.render(scale=scale).to_pil().convert("RGB")
        buffer = io.BytesIO()
        picture.save(buffer, format="JPEG", quality=quality, optimize=True)
        textpage = page.get_textpage()
        try:
            chars = [_char(textpage, index, height) for index in range(textpage.count_chars())]
        finally:
            textpage.close()
        left, _, _, crop_top = page.get_cropbox()
        origin = (round(float(left), 2), round(height - float(crop_top), 2))
        return RenderedPage(number, width, height, buffer.getvalue(), [c for c in chars if c is not None], origin)
    finally:
        page.close()


def _char(textpage: Any, index: int, height: float) -> PageChar | None:
    text = textpage.get_text_range(index, 1)
    if not text or text.isspace():
        return None
    left, bottom, right, top = textpage.get_charbox(index, loose=True)
    return PageChar(text, (float(left), height - float(top), float(right), height - float(bottom)))
