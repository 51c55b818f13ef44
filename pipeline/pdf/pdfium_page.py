"""A second reader for pages pdfminer cannot read: PDFium (pypdfium2, installed with pdfplumber).

PDFium is a different parser: a page whose fonts or content pdfminer fails on (a broken font
dictionary, an object it cannot resolve) is often read whole by it. ``PdfiumPage`` gives the
layout stage what it needs from such a page (characters with boxes, sizes and font names, the
page size) and reports no drawings, so the page's text is kept though its ruled tables are
read as text. Coordinates are turned into pdfplumber's (points from the top-left corner).
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pipeline.pdf.page import BBox, decode_font_name

FONT_NAME_BYTES = 256
"""Room for a font name read from PDFium."""


class PdfiumPage:
    """One page read by PDFium: characters and size only (no rules, rectangles or images)."""

    def __init__(self, number: int, width: float, height: float, chars: list[dict], rotation: int = 0) -> None:
        self.number = number
        self.width = width
        self.height = height
        self.rotation = rotation
        self.chars = chars
        self.images: list[dict] = []
        self.curves: list[dict] = []
        self.rects: list[dict] = []
        self.lines: list[dict] = []
        self.edges: list[dict] = []
        self.has_drawings = False
        self.has_lines_or_rects = False

    @property
    def bbox(self) -> BBox:
        return 0.0, 0.0, self.width, self.height

    def font_name(self, char: dict) -> str:
        return decode_font_name(char["fontname"])

    def find_table_cells(self, table_settings: dict[str, Any]) -> list[list[BBox]]:
        return []


def read_pdfium_page(path: Path, number: int) -> PdfiumPage:
    """Page ``number`` (1-based) of the PDF at ``path``, read by PDFium.

    Raises whatever PDFium raises when it cannot read the page either."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return _read(document, number)
    finally:
        document.close()


@contextmanager
def open_pdfium(path: Path) -> Iterator[tuple[int, dict[str, str], Iterator[PdfiumPage]]]:
    """A whole PDF read by PDFium: its page count, its metadata and its pages one by one."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        metadata = {k: v for k, v in document.get_metadata_dict(skip_empty=True).items() if isinstance(v, str)}
        n_pages = len(document)
        yield n_pages, metadata, (_read(document, number) for number in range(1, n_pages + 1))
    finally:
        document.close()


def _read(document: Any, number: int) -> PdfiumPage:
    import pypdfium2.raw as raw

    page = document[number - 1]
    try:
        width, height = float(page.get_width()), float(page.get_height())
        textpage = page.get_textpage()
        try:
            chars = [_char(textpage, raw, index, height) for index in range(textpage.count_chars())]
        finally:
            textpage.close()
        return PdfiumPage(number, width, height, [c for c in chars if c is not None], int(page.get_rotation()))
    finally:
        page.close()


def char_box(textpage: Any, raw: Any, index: int, height: float) -> tuple[str, BBox] | None:
    """One printed character of a PDFium text page and its box in pdfplumber's coordinates
    (``height``: the media box's height); None for what PDFium adds between characters."""
    if raw.FPDFText_IsGenerated(textpage.raw, index) == 1:
        return None  # a space or line end PDFium adds between printed characters (IT導 入 補 助 金)
    text = textpage.get_text_range(index, 1)
    if not text or text in ("\r", "\n"):
        return None
    left, bottom, right, top = textpage.get_charbox(index, loose=True)
    return text, (float(left), height - float(top), float(right), height - float(bottom))


def _char(textpage: Any, raw: Any, index: int, height: float) -> dict | None:
    found = char_box(textpage, raw, index, height)
    if found is None:
        return None
    text, (left, top, right, bottom) = found
    size = float(raw.FPDFText_GetFontSize(textpage.raw, index))
    buffer = ctypes.create_string_buffer(FONT_NAME_BYTES)
    flags = ctypes.c_int(0)
    raw.FPDFText_GetFontInfo(textpage.raw, index, buffer, FONT_NAME_BYTES, ctypes.byref(flags))
    return {
        "text": text,
        "x0": left,
        "x1": right,
        "top": top,
        "bottom": bottom,
        "size": size or bottom - top,
        "fontname": buffer.value.decode("utf-8", "replace"),
        "upright": True,
        "non_stroking_color": None,
        "stroking_color": None,
    }


def pdfium_page_count(path: Path) -> int | None:
    """How many pages PDFium finds in the file (None when it cannot open it)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except Exception:  # PDFium cannot open it: nothing to compare with
        return None
    try:
        return len(document)
    finally:
        document.close()
