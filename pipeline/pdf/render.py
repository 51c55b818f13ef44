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
from pipeline.pdf.pdfium_page import char_box

DEFAULT_RENDER_SCALE = 1.25
"""Pixels per point: 1.25 draws an A4 page 744 pixels wide, legible, about 150 KB as JPEG."""
DEFAULT_JPEG_QUALITY = 70


@dataclass(frozen=True)
class PageChar:
    text: str
    bbox: BBox


@dataclass
class RenderedPage:
    """One page: the part of it the picture shows, the picture, and its characters."""

    number: int
    view: BBox
    """What the picture shows, in page coordinates (the crop box): x0, top, x1, bottom. It does
    not start at (0, 0) when the page's box does not (a white paper's page cut out of a larger
    sheet)."""
    jpeg: bytes
    chars: list[PageChar] = field(default_factory=list)
    """Empty on a rotated page, whose picture is turned but whose characters are not."""


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
    import pypdfium2.raw as raw

    page = document[number - 1]
    try:
        picture = page.render(scale=scale).to_pil().convert("RGB")
        buffer = io.BytesIO()
        picture.save(buffer, format="JPEG", quality=quality, optimize=True)
        _, media_bottom, _, media_top = page.get_mediabox()
        height = float(media_top - media_bottom)  # pdfplumber's tops count down from the media box's height
        left, bottom, right, top = (float(v) for v in page.get_cropbox())
        if page.get_rotation() % 360:
            # the picture is turned, the characters are not: boxes are drawn over their blocks
            return RenderedPage(number, (0.0, 0.0, float(page.get_width()), float(page.get_height())),
                                buffer.getvalue())
        textpage = page.get_textpage()
        try:
            chars = [char_box(textpage, raw, index, height) for index in range(textpage.count_chars())]
        finally:
            textpage.close()
        view = (round(left, 2), round(height - top, 2), round(right, 2), round(height - bottom, 2))
        return RenderedPage(number, view, buffer.getvalue(),
                            [PageChar(text, box) for text, box in filter(None, chars) if not text.isspace()])
    finally:
        page.close()
