"""A second reader for pages pdfminer cannot read: PDFium (pypdfium2, installed with pdfplumber).

PDFium is a different parser: a page whose fonts or content pdfminer fails on (a broken font
dictionary, an object it cannot resolve) is often read whole by it. ``PdfiumPage`` gives the
layout stage what it needs from such a page (characters with boxes, sizes and font names, the
page size) and reports no drawings, so the page's text is kept though its ruled tables are
read as text. Coordinates are turned into pdfplumber's (points from the top-left corner).
"""

from __future__ import annotations

import bisect
import ctypes
import math
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pipeline.pdf.page import BBox, decode_font_name
from pipeline.pdf.pdfium_graphics import Graphics, read_graphics, rgb_from

FONT_NAME_BYTES = 256
"""Room for a font name read from PDFium."""


class PdfiumPage:
    """One page read by PDFium: characters and size, and (as the first reader, ``--reader pdfium``)
    its drawings; as the second reader of a damaged page, no drawings."""

    def __init__(self, number: int, width: float, height: float, chars: list[dict], rotation: int = 0,
                 graphics: Graphics | None = None, box: BBox | None = None) -> None:
        self.number = number
        self.width = width
        self.height = height
        self.rotation = rotation
        self.chars = chars
        graphics = graphics or Graphics()
        self.images = graphics.images
        self.curves = graphics.curves
        self.rects = graphics.rects
        self.lines = graphics.lines
        self.edges = graphics.edges
        self.has_drawings = bool(self.lines or self.rects or self.curves)
        self.has_lines_or_rects = bool(self.lines or self.rects)
        self._box = box or (0.0, 0.0, width, height)
        self.text_object_chars = 0
        """Characters the page's text objects hold (read with the drawings; 0 otherwise)."""

    @property
    def bbox(self) -> BBox:
        return self._box

    def font_name(self, char: dict) -> str:
        return decode_font_name(char["fontname"])

    def find_table_cells(self, table_settings: dict[str, Any]) -> list[list[BBox]]:
        """pdfplumber's table finder on this page's edges (its ``lines`` strategies read no more)."""
        if not self.edges:
            return []
        from pdfplumber.table import TableFinder

        finder = TableFinder(self, table_settings)  # type: ignore[arg-type]
        return [[tuple(map(float, cell)) for cell in table.cells] for table in finder.tables]  # type: ignore[misc]


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


def _read(document: Any, number: int, graphics: bool = False) -> PdfiumPage:
    """Page ``number``: its characters, and with ``graphics`` its drawings and colours too."""
    import pypdfium2.raw as raw

    page = document[number - 1]
    try:
        width, height = float(page.get_width()), float(page.get_height())
        box = None
        if graphics:
            _, media_bottom, _, media_top = page.get_mediabox()
            height = float(media_top - media_bottom)  # pdfplumber counts tops down from the media box's height
            left, bottom, right, top = (float(v) for v in page.get_cropbox())
            box = (left, height - top, right, height - bottom)
        textpage = page.get_textpage()
        try:
            chars = [_char(textpage, raw, index, height, graphics) for index in range(textpage.count_chars())]
            held = 0
            if graphics:
                blanks, held = _text_objects(raw, page.raw, textpage, height)
                chars = _with_printed_spaces(chars, blanks)
        finally:
            textpage.close()
        drawn = read_graphics(raw, page.raw, height) if graphics else None
        read = PdfiumPage(number, width, height, [c for c in chars if c is not None], int(page.get_rotation()),
                          drawn, box)
        read.text_object_chars = held
        return read
    finally:
        page.close()


def _with_printed_spaces(chars: list[dict | None], blanks: list[tuple[float, float]]) -> list[dict | None]:
    """The characters, with a space spanning each gap of a line where the file printed space
    glyphs PDFium does not report (第１節␣␣␣多様な…: pdfminer reads the spaces, and they hold the
    line together)."""
    if not blanks:
        return chars
    blanks = sorted(blanks)
    printed = [c for c in chars if c is not None]
    found: list[dict | None] = []
    for before, after in zip(printed, printed[1:] + [None]):
        found.append(before)
        if after is not None and _spaces_between(before, after, blanks):
            found.append({**before, "text": " ", "x0": before["x1"], "x1": after["x0"]})
    return found


def _spaces_between(before: dict, after: dict, blanks: list[tuple[float, float]]) -> bool:
    """Whether a blank text object stands in the gap between two characters of one line
    (``blanks`` sorted by x)."""
    if after["x0"] - before["x1"] < BLANK_GAP or abs(before["top"] - after["top"]) > 0.3 * before["size"]:
        return False  # touching characters (most pairs): nothing can stand between them
    start = bisect.bisect_left(blanks, (before["x1"] - BLANK_GAP, -math.inf))
    for x, y in blanks[start:]:
        if x > after["x0"] + BLANK_GAP:
            return False
        if before["top"] <= y <= before["bottom"]:
            return True
    return False


BLANK_GAP = 0.5
"""Points: a narrower gap between two characters holds no space glyph."""


def _text_objects(raw: Any, page_handle: Any, textpage: Any, height: float) -> tuple[list[tuple[float, float]], int]:
    """One pass over the page's text objects: where it printed ones PDFium reads no characters
    from (space glyphs: their left edge and vertical middle, in pdfplumber's coordinates), and how
    many characters all of them hold."""
    blanks: list[tuple[float, float]] = []
    held = 0
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for index in range(raw.FPDFPage_CountObjects(page_handle)):
        obj = raw.FPDFPage_GetObject(page_handle, index)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_TEXT:
            continue
        length = max(raw.FPDFTextObj_GetText(obj, textpage.raw, None, 0) // 2 - 1, 0)  # UTF-16 with a NUL
        held += length
        if length == 0:
            raw.FPDFPageObj_GetBounds(obj, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right),
                                      ctypes.byref(top))
            blanks.append((left.value, height - (bottom.value + top.value) / 2))
    return blanks, held


def read_full_page(document: Any, number: int) -> PdfiumPage:
    """Page ``number`` of an open ``pypdfium2.PdfDocument`` with everything the layout and tables
    stages read (``--reader pdfium``)."""
    return _read(document, number, graphics=True)


MISSING_TEXT_SHARE = 0.5
"""A page whose text objects hold twice the characters PDFium reads is read by pdfplumber (``auto``)."""


def missing_text(read: PdfiumPage) -> bool:
    """PDFium may draw no text for a font the file does not embed (a vertical 官報 page read as a
    few characters where pdfminer reads thousands): the page's text objects hold far more
    characters than PDFium read (``read_full_page`` counts them)."""
    return read.text_object_chars > 0 and len(read.chars) < MISSING_TEXT_SHARE * read.text_object_chars


def char_box(textpage: Any, raw: Any, index: int, height: float) -> tuple[str, BBox] | None:
    """One printed character of a PDFium text page and its box in pdfplumber's coordinates
    (``height``: the media box's height); None for what PDFium adds between characters."""
    if raw.FPDFText_IsGenerated(textpage.raw, index) == 1:
        return None  # a space or line end PDFium adds between printed characters (IT導 入 補 助 金)
    code = raw.FPDFText_GetUnicode(textpage.raw, index)
    if code in (0, 10, 13) or 0xDC00 <= code <= 0xDFFF:
        return None  # (the second half of a character outside the BMP: read with its first half)
    text = textpage.get_text_range(index, 2) if 0xD800 <= code <= 0xDBFF else chr(code)  # 𠮷: two UTF-16 units
    left, bottom, right, top = textpage.get_charbox(index, loose=True)
    return text, (float(left), height - float(top), float(right), height - float(bottom))


def _char(textpage: Any, raw: Any, index: int, height: float, colours: bool = False) -> dict | None:
    found = char_box(textpage, raw, index, height)
    if found is None:
        return None
    text, (left, top, right, bottom) = found
    fill = rgb_from(raw.FPDFText_GetFillColor, textpage.raw, index) if colours else None
    upright = abs(math.sin(raw.FPDFText_GetCharAngle(textpage.raw, index))) < UPRIGHT_SINE if colours else True
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
        # pdfminer's size is the box's height (its width in vertical text), the text matrix included:
        # FPDFText_GetFontSize leaves the matrix out (a 6 pt footnote mark set as 10.5 pt scaled down)
        "size": (bottom - top if upright else right - left) if colours else (size or bottom - top),
        "fontname": buffer.value.decode("utf-8", "replace"),
        "upright": upright,
        "non_stroking_color": fill,
        "stroking_color": None,
    }


UPRIGHT_SINE = 0.1
"""A character turned less than this (sine of its angle) is upright; vertical text turns 90°."""


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
