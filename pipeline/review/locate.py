"""Where a mention is printed: the boxes of its characters on the page.

A mention gives its block (or table cell) and its offsets in that block's text; the page gives
its characters with boxes. The characters inside the block's box are matched to the block's
text with both sides folded (NFKC, white space removed: ２００ 万円 and 200万円 match), and the
occurrence nearest the mention's offset is taken. When the characters cannot be matched (a
glyph with no text, a vertical page), the mention is drawn over its whole block.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from pipeline.pdf.page import BBox
from pipeline.pdf.render import PageChar

BOX_SLACK = 1.5
"""Points a character's centre may stand outside its block's box and still belong to it."""
LINE_OVERLAP = 0.5
"""Share of a character's height it must share with a line's to be drawn in the same rectangle."""


def fold(text: str) -> str:
    """Text as it is matched: NFKC, no white space (ＡＢＣ 株式会社 → ABC株式会社)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())


def chars_in(chars: Sequence[PageChar], box: BBox) -> list[PageChar]:
    """The characters whose centres lie in ``box`` (give or take ``BOX_SLACK``), in file order."""
    x0, top, x1, bottom = box
    found = []
    for char in chars:
        cx = (char.bbox[0] + char.bbox[2]) / 2
        cy = (char.bbox[1] + char.bbox[3]) / 2
        if x0 - BOX_SLACK <= cx <= x1 + BOX_SLACK and top - BOX_SLACK <= cy <= bottom + BOX_SLACK:
            found.append(char)
    return found


def mention_rects(chars: Sequence[PageChar], text: str, start: int, end: int) -> list[BBox]:
    """The rectangles (one per printed line) of ``text[start:end]`` among ``chars``, the
    characters of the block or cell ``text`` is the text of; empty when it cannot be found."""
    folded_chars: list[tuple[str, PageChar]] = [(c, char) for char in chars for c in fold(char.text)]
    printed = "".join(c for c, _ in folded_chars)
    wanted = fold(text[start:end])
    if not wanted:
        return []
    expected = len(fold(text[:start]))
    best: int | None = None
    position = printed.find(wanted)
    while position >= 0:
        if best is None or abs(position - expected) < abs(best - expected):
            best = position
        position = printed.find(wanted, position + 1)
    if best is None:
        return []
    return line_rects([char for _, char in folded_chars[best:best + len(wanted)]])


def line_rects(chars: Sequence[PageChar]) -> list[BBox]:
    """The characters' boxes joined into one rectangle per line they are printed on."""
    rects: list[list[float]] = []
    for char in chars:
        x0, top, x1, bottom = char.bbox
        if rects and _same_line(rects[-1], top, bottom):
            rect = rects[-1]
            rect[0], rect[1], rect[2], rect[3] = min(rect[0], x0), min(rect[1], top), max(rect[2], x1), max(rect[3], bottom)
        else:
            rects.append([x0, top, x1, bottom])
    return [(round(a, 1), round(b, 1), round(c, 1), round(d, 1)) for a, b, c, d in rects]


def _same_line(rect: list[float], top: float, bottom: float) -> bool:
    shared = min(rect[3], bottom) - max(rect[1], top)
    return shared >= LINE_OVERLAP * max(min(rect[3] - rect[1], bottom - top), 0.1)
