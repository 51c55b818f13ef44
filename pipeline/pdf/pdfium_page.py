"""A second reader for pages pdfminer cannot read: PDFium (pypdfium2, installed with pdfplumber).

PDFium is a different parser: a page whose fonts or content pdfminer fails on (a broken font
dictionary, an object it cannot resolve) is often read whole by it. ``PdfiumPage`` gives the
layout stage what it needs from such a page (characters with boxes, sizes and font names, the
page size); as the second reader it reports no drawings, so the page's text is kept though its
ruled tables are read as text, and as the first reader (``--reader pdfium|auto``) it reads the
drawings too (``pdfium_graphics``). Coordinates are turned into pdfplumber's (points from the
top-left corner).
"""

from __future__ import annotations

import bisect
import ctypes
import math
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pipeline.pdf.page import BBox, decode_font_name
from pipeline.pdf.pdfium_calls import PlainCalls, address, out
from pipeline.pdf.pdfium_graphics import Graphics, GraphicsReader, RgbReader

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
        self.unread_text_chars = 0
        """Characters the page's text objects hold that PDFium read none of (a font it cannot draw)."""

    @property
    def bbox(self) -> BBox:
        return self._box

    def font_name(self, char: dict) -> str:
        return decode_font_name(char["fontname"])


def read_pdfium_page(path: Path, number: int) -> PdfiumPage:
    """Page ``number`` (1-based) of the PDF at ``path``, read by PDFium.

    Raises whatever PDFium raises when it cannot read the page either."""
    with PdfiumReader(path) as reader:
        return reader.read(number, graphics=False)


PAGES_PER_OPENING = 50
"""PDFium keeps what it has parsed of a document (fonts, pictures, content streams) until the
document is closed; opened afresh every 50 pages, a 1,000-page report is read in about 110 MB
instead of 300 MB, for one more parse of its cross-reference table every 50 pages."""


class PdfiumReader:
    """The pages of one PDF read by PDFium, the document closed and opened again after every
    ``pages_per_opening`` pages read (see ``PAGES_PER_OPENING``)."""

    def __init__(self, path: Path, pages_per_opening: int = PAGES_PER_OPENING) -> None:
        if pages_per_opening < 1:
            raise ValueError(f"pages_per_opening must be at least 1, not {pages_per_opening}")
        self.path = Path(path)
        self.pages_per_opening = pages_per_opening
        self._document: Any = None
        self._calls: PlainCalls | None = None
        self._pages_read = 0
        """Pages read since the document was last opened."""
        self.document  # (opened now, so that a file PDFium cannot open fails here)

    @property
    def document(self) -> Any:
        """The open ``pypdfium2.PdfDocument``."""
        if self._document is None:
            import pypdfium2 as pdfium

            self._document = pdfium.PdfDocument(str(self.path))
        return self._document

    def __len__(self) -> int:
        return len(self.document)

    def __bool__(self) -> bool:
        return True  # (not its page count: asking whether there is a reader opens no document)

    def read(self, number: int, graphics: bool = True) -> PdfiumPage:
        """Page ``number`` (1-based); with ``graphics`` its drawings too."""
        if self._pages_read >= self.pages_per_opening:
            self.close()
        self._pages_read += 1
        if self._calls is None:
            import pypdfium2.raw as raw

            self._calls = PlainCalls(raw)
        return _read(self.document, number, graphics, self._calls)

    def close(self) -> None:
        if self._document is not None:
            self._document.close()
            self._document = None
        self._pages_read = 0

    def __enter__(self) -> PdfiumReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def open_pdfium(path: Path) -> Iterator[tuple[int, dict[str, str], Iterator[PdfiumPage]]]:
    """A whole PDF read by PDFium: its page count, its metadata and its pages one by one."""
    with PdfiumReader(path) as reader:
        document = reader.document
        metadata = {k: v for k, v in document.get_metadata_dict(skip_empty=True).items() if isinstance(v, str)}
        n_pages = len(document)
        yield n_pages, metadata, (reader.read(number, graphics=False) for number in range(1, n_pages + 1))


def _read(document: Any, number: int, graphics: bool, pdfium: PlainCalls) -> PdfiumPage:
    """Page ``number``: its characters, and with ``graphics`` its drawings too."""
    raw = pdfium.raw
    page = document[number - 1]
    try:
        width = float(page.get_width())
        _, media_bottom, _, media_top = page.get_mediabox()
        height = float(media_top - media_bottom)  # pdfplumber counts tops down from the media box's height
        left, bottom, right, top = (float(v) for v in page.get_cropbox())
        textpage = page.get_textpage()
        try:
            chars, read_from = _page_chars(pdfium, textpage, height)
            drawings = GraphicsReader(pdfium, height) if graphics else None
            blanks, unread = _text_objects(pdfium, address(page.raw), address(textpage.raw), height, read_from, drawings)
        finally:
            textpage.close()
        read = PdfiumPage(number, width, height, _with_printed_spaces(chars, blanks), int(page.get_rotation()),
                          drawings.graphics if drawings else None, (left, height - top, right, height - bottom))
        read.unread_text_chars = unread
        return read
    finally:
        page.close()


Blank = tuple[float, float, float]
"""A text object PDFium reads no character from: its left edge, vertical middle and right edge."""


def _with_printed_spaces(chars: list[dict], blanks: list[Blank]) -> list[dict]:
    """The characters, with a space for each blank text object PDFium reports nothing from
    between two of them (第１節␣␣␣多様な…: pdfminer reads the spaces, and they hold the line
    together). Each space is as wide as its object within the gap: a footnote number, blanks
    and a wider gap (3␣␣ 富士通…) keep their gap, as pdfminer reads them."""
    if not blanks:
        return chars
    blanks = sorted(blanks)
    found: list[dict] = []
    for before, after in zip(chars, chars[1:] + [None]):
        found.append(before)
        if after is None:
            continue
        for left, _, right in _blanks_between(before, after, blanks):
            x0, x1 = max(before["x1"], left), min(after["x0"], right)
            if x1 >= x0:
                found.append({**before, "text": " ", "x0": x0, "x1": x1})
    return found


def _blanks_between(before: dict, after: dict, blanks: list[Blank]) -> list[Blank]:
    """The blank text objects standing in the gap between two characters of one line, left to
    right (``blanks`` sorted by x)."""
    if after["x0"] - before["x1"] < BLANK_GAP or abs(before["top"] - after["top"]) > 0.3 * before["size"]:
        return []  # touching characters (most pairs): nothing can stand between them
    found: list[Blank] = []
    start = bisect.bisect_left(blanks, (before["x1"] - BLANK_GAP, -math.inf, -math.inf))
    for blank in blanks[start:]:
        if blank[0] > after["x0"] + BLANK_GAP:
            break
        if before["top"] <= blank[1] <= before["bottom"]:
            found.append(blank)
    return found


BLANK_GAP = 0.5
"""Points: a narrower gap between two characters holds no space glyph."""


def _text_objects(pdfium: PlainCalls, page: int, textpage: int, height: float, read_from: set[int],
                  drawings: GraphicsReader | None = None) -> tuple[list[Blank], int]:
    """One pass over the page's objects: of the text objects PDFium read no character from
    (``read_from``: those it did), where the blank ones are (space glyphs, in pdfplumber's
    coordinates) and how many characters they hold that PDFium did not read (a blank object in
    a font the file does not embed counted from its box); every other object goes to
    ``drawings``. ``page`` and ``textpage`` are addresses (:class:`PlainCalls`)."""
    blanks: list[Blank] = []
    unread = 0
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    text_type = pdfium.raw.FPDF_PAGEOBJ_TEXT
    get_object, get_type = pdfium.FPDFPage_GetObject, pdfium.FPDFPageObj_GetType
    for index in range(pdfium.FPDFPage_CountObjects(page)):
        obj = get_object(page, index)
        kind = get_type(obj)
        if kind != text_type:
            if drawings is not None:
                drawings.read(obj, kind)
            continue
        if obj in read_from:
            continue
        length = max(pdfium.FPDFTextObj_GetText(obj, textpage, None, 0) // 2 - 1, 0)  # UTF-16 with a NUL
        unread += length
        if length == 0:
            pdfium.FPDFPageObj_GetBounds(obj, out(left), out(bottom), out(right), out(top))
            blanks.append((left.value, height - (bottom.value + top.value) / 2, right.value))
            if not pdfium.FPDFFont_GetIsEmbedded(pdfium.FPDFTextObj_GetFont(obj)):
                # nothing read in a font the file does not embed (Ryumin-Light on a 官報 page): the
                # text is there, PDFium cannot map it; about one square character per em of length
                unread += _squares(right.value - left.value, top.value - bottom.value)
    return blanks, unread


def _squares(width: float, height: float) -> int:
    """How many square (full-width) characters a box of this size holds, across or down; one at least."""
    return max(1, round(max(width, height) / max(min(width, height), 0.1)))


MISSING_TEXT_SHARE = 0.5
"""A page whose text objects hold twice the characters PDFium reads is read by pdfplumber (``auto``)."""


def missing_text(read: PdfiumPage) -> bool:
    """PDFium may draw no text for a font the file does not embed (a vertical 官報 page read as a
    few characters where pdfminer reads thousands): the text objects it read nothing from hold
    more characters than it read (every page read counts them)."""
    return len(read.chars) < MISSING_TEXT_SHARE * (len(read.chars) + read.unread_text_chars)


def _page_chars(pdfium: PlainCalls, textpage: Any, height: float) -> tuple[list[dict], set[int]]:
    """The printed characters of a PDFium text page as pdfplumber's dicts, and the addresses of
    the text objects they come from. The page's text is read in one call, and a text object's
    font, colour, angle and size once, at its first character: PDFium is called twice a
    character (its box and its object), not eight times."""
    raw = pdfium.raw
    handle = address(textpage.raw)
    count = pdfium.FPDFText_CountChars(handle)
    codes = _page_codes(pdfium, handle, count)
    object_of, box_of = pdfium.FPDFText_GetTextObject, pdfium.FPDFText_GetLooseCharBox
    rect = raw.FS_RECTF()
    rect_address = out(rect)
    read_rect = RECT_FIELDS.unpack_from
    style_of = _StyleReader(pdfium, textpage, handle)
    styles: dict[int, Style] = {}
    chars: list[dict] = []
    for index, code in enumerate(codes):
        # (most characters need no question about what PDFium added: see _printed_text)
        text = chr(code) if 32 < code < 0xD800 or code >= 0xE000 else _printed_text(textpage, raw, index, code)
        if text is None:
            continue
        if not box_of(handle, index, rect_address):
            raise ValueError(f"PDFium gives no box for character {index}")
        left, rect_top, right, rect_bottom = read_rect(rect)
        top, bottom = height - rect_top, height - rect_bottom
        obj = object_of(handle, index) or 0
        style = styles.get(obj)  # (none is kept for a character of no object, 0)
        if style is None:
            style = style_of(obj, index)
            if obj:
                styles[obj] = style
        upright, size = style[2], style[3]
        if upright and size > 0:
            top = bottom - size  # pdfminer's box: as high as the size, whatever the glyph (■ and 口 alike)
        chars.append({
            "text": text,
            "x0": left,
            "x1": right,
            "top": top,
            "bottom": bottom,
            "size": bottom - top if upright else right - left,
            "fontname": style[0],
            "upright": upright,
            "non_stroking_color": style[1],
        })
    return chars, set(styles)


Style = tuple[str, "tuple[float, float, float] | None", bool, float]
"""What a text object's characters share: font name, fill colour, upright, printed size."""


class _StyleReader:
    """A text object's style, asked of PDFium at one of its characters, with the out-parameters
    made once and each font's name read once."""

    def __init__(self, pdfium: PlainCalls, textpage: Any, handle: int) -> None:
        self.pdfium, self.textpage, self.handle = pdfium, textpage, handle
        self.font_names: dict[int, str] = {}
        self.rgb = RgbReader()
        self.matrix = pdfium.raw.FS_MATRIX()
        self.matrix_address = out(self.matrix)
        self.get_font, self.get_angle, self.get_fill = (
            pdfium.FPDFTextObj_GetFont, pdfium.FPDFText_GetCharAngle, pdfium.FPDFText_GetFillColor)
        self.get_matrix, self.get_size = pdfium.FPDFText_GetMatrix, pdfium.FPDFText_GetFontSize

    def __call__(self, obj: int, index: int) -> Style:
        handle = self.handle
        font = self.get_font(obj) if obj else None
        name = self.font_names.get(font) if font else None
        if name is None:
            name = self.font_names[font or 0] = _font_name(self.pdfium.raw, self.textpage.raw, index)
        # The size a character is printed at, as pdfminer gives it: the font size times the
        # vertical scale of the text and page matrices (a footnote mark set in 10.5 pt and scaled
        # to 60 % is 6.3 pt). PDFium's loose box is as high as the glyph's ink instead (■ 8.7 pt
        # and 人 9.2 pt beside each other in one 10.5 pt line); 0 when PDFium gives no matrix.
        size = 0.0
        matrix = self.matrix
        if self.get_matrix(handle, index, self.matrix_address):
            # upright: the sine of the angle PDFium gives (FPDFText_GetCharAngle: atan2(c, a) of
            # this matrix, so slanted 注 [1 0 0.2 1] leans 11°) is small; atan2(0, 0) is 0
            across = math.hypot(matrix.a, matrix.c)
            upright = abs(matrix.c) < UPRIGHT_SINE * across if across else True
            if upright:
                size = float(self.get_size(handle, index)) * math.hypot(matrix.c, matrix.d)
        else:
            upright = abs(math.sin(self.get_angle(handle, index))) < UPRIGHT_SINE
        rgb = self.rgb
        fill = rgb.read() if self.get_fill(handle, index, *rgb.addresses) else None
        return (name, fill, upright, size)


RECT_FIELDS = struct.Struct("4f")
"""``FS_RECTF``'s four floats (left, top, right, bottom), read in one call."""


def _printed_text(textpage: Any, raw: Any, index: int, code: int) -> str | None:
    """The text of character ``index`` (UTF-16 ``code``) as printed; None for what PDFium adds
    between printed characters and for the second half of a pair."""
    if code in PDFIUM_MAY_ADD and raw.FPDFText_IsGenerated(textpage.raw, index) == 1:
        return None  # a space or line end PDFium adds between printed characters (補 助 金)
    if code in (0, 10, 13) or 0xDC00 <= code <= 0xDFFF:
        return None  # (the second half of a character outside the BMP: read with its first half)
    return textpage.get_text_range(index, 2) if 0xD800 <= code <= 0xDBFF else chr(code)  # 𠮷: two UTF-16 units


PDFIUM_MAY_ADD = frozenset((10, 13, 32))
"""The only characters PDFium adds between printed ones (a space, a line end): only these are
asked whether they were printed."""


def _page_codes(pdfium: PlainCalls, handle: int, count: int) -> list[int]:
    """The UTF-16 code of each character of a text page, read in one call. Where that call
    replaces a character (a control character read as U+FFFE) or does not give one code a
    character, the character's own code is asked for."""
    buffer = (ctypes.c_ushort * (count + 1))()
    if count == 0 or pdfium.FPDFText_GetText(handle, 0, count, buffer) != count + 1:
        return [pdfium.FPDFText_GetUnicode(handle, index) for index in range(count)]
    return [code if 0x20 <= code < 0xFFFE else pdfium.FPDFText_GetUnicode(handle, index)
            for index, code in enumerate(buffer[:count])]


def _font_name(raw: Any, handle: Any, index: int) -> str:
    buffer = ctypes.create_string_buffer(FONT_NAME_BYTES)
    raw.FPDFText_GetFontInfo(handle, index, buffer, FONT_NAME_BYTES, None)
    return buffer.value.decode("utf-8", "replace")


def char_box(textpage: Any, raw: Any, index: int, height: float, rect: Any = None) -> tuple[str, BBox] | None:
    """One printed character of a PDFium text page and its box in pdfplumber's coordinates
    (``height``: the media box's height; ``rect``: an ``FS_RECTF`` to reuse); None for what PDFium
    adds between characters."""
    handle = textpage.raw
    text = _printed_text(textpage, raw, index, raw.FPDFText_GetUnicode(handle, index))
    if text is None:
        return None
    rect = rect if rect is not None else raw.FS_RECTF()
    if not raw.FPDFText_GetLooseCharBox(handle, index, rect):
        raise ValueError(f"PDFium gives no box for character {index}")
    return text, (float(rect.left), height - float(rect.top), float(rect.right), height - float(rect.bottom))


UPRIGHT_SINE = 0.1
"""A character turned less than this (sine of its angle) is upright; vertical text turns 90°."""


def pdfium_page_count(path: Path) -> int | None:
    """How many pages PDFium finds in the file (None when it cannot open it)."""
    try:
        reader = PdfiumReader(path)
    except Exception:  # PDFium cannot open it: nothing to compare with
        return None
    with reader:
        return len(reader)
