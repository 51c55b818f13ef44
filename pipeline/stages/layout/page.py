"""Reading one open page: characters → printed lines, with ruby, footnote marks and
vertical labels taken out, and the page's tables found (through the injected detector)."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from pipeline.japanese.fonts import base_font, is_bold_font
from pipeline.japanese.glyphs import CLOSING_BRACKETS, KANA_ONLY, OPENING_BRACKETS, count_unmapped
from pipeline.japanese.markers import FOOTNOTE_MARKS_ONLY
from pipeline.japanese.normalize import normalize_text
from pipeline.model import BBox, PageInfo, QualityWarning
from pipeline.pdf.chars import chars_outside, drop_overprints, group_rows, spaced_text
from pipeline.pdf.page import PdfPage, decode_font_name, rgb_of
from pipeline.stages.layout.config import LayoutConfig
from pipeline.stages.layout.decorations import mark_decorations
from pipeline.stages.layout.vertical import is_vertical_writing, lift_vertical_runs, vertical_lines
from pipeline.stages.working import RawTable, TextLine

TableDetector = Callable[[PdfPage, list[dict]], tuple[list[RawTable], list[QualityWarning]]]
"""Called with an open page and its de-duplicated, mapped characters: the page's tables and
any warnings about table regions it cannot read (a pasted picture). The tables stage
provides it; the layout stage only calls it, so neither imports the other."""

MARK_REACH = 2.0
"""Points a footnote mark may stand right of the fragment it belongs to (センター¹)."""


@dataclass
class PageLayout:
    """Plain data read from one page while it was open."""

    info: PageInfo
    lines: list[TextLine]
    tables: list[RawTable]
    footnote_marks: dict[int, list[str]] = field(default_factory=dict)
    """Index of a line → superscript marks that followed words in it."""
    warnings: list[QualityWarning] = field(default_factory=list)
    """Warnings found while the page was open (e.g. a table pasted as a picture)."""


def unreadable_page(page: PdfPage, reason: str) -> PageLayout:
    """The place of a page neither reader could read: no text, a ``page_failed`` warning."""
    try:
        width, height, rotation = round(page.width, 2), round(page.height, 2), page.rotation
    except Exception:  # the page dictionary itself is damaged
        width, height, rotation = 0.0, 0.0, 0
    info = PageInfo(number=page.number, width=width, height=height, n_chars=0, rotation=rotation, failed=True)
    warning = QualityWarning("page_failed", f"page {page.number} could not be read and was left out: {reason}",
                             page.number)
    return PageLayout(info, [], [], {}, [warning])


def read_page(page: PdfPage, config: LayoutConfig, detect_tables: TableDetector | None) -> PageLayout:
    """Read one open page into lines and tables (no PDF objects kept)."""
    chars = drop_overprints(page.chars, config.overprint_tolerance)
    has_text_layer = any(c["text"].strip() for c in chars)
    # Counted before table cells are set aside, so broken fonts inside tables are reported too.
    unmapped_flags = [count_unmapped(c["text"]) for c in chars]
    unmapped = sum(unmapped_flags)
    if unmapped:
        chars = [c for c, flag in zip(chars, unmapped_flags) if not flag]
    tables, table_warnings = detect_tables(page, chars) if detect_tables else ([], [])
    if tables:
        chars = chars_outside(chars, [t.bbox for t in tables])
    chars = [c for c in chars if c["text"] == " " or c["text"].strip()]
    if is_vertical_writing(chars, config.vertical):
        lines, marks = vertical_lines(chars, page.number, config.vertical), {}
    else:
        lines, marks = _lines_from_chars(chars, page.number, config)
        if page.has_lines_or_rects:
            mark_decorations(lines, page, config.decorations)
    info = PageInfo(
        number=page.number,
        width=round(page.width, 2),
        height=round(page.height, 2),
        n_chars=len(chars),
        rotation=page.rotation,
        needs_ocr=not has_text_layer,
        unmapped_chars=unmapped,
    )
    return PageLayout(info, lines, tables, marks, table_warnings)


def _lines_from_chars(
    chars: list[dict], number: int, config: LayoutConfig
) -> tuple[list[TextLine], dict[int, list[str]]]:
    rows = group_rows(chars, config.spacing.line_merge_share)
    rows = _drop_ruby_rows(rows, config)
    lines: list[TextLine] = []
    marks: dict[int, list[str]] = {}
    rows = lift_vertical_runs(rows, number, lines, config.vertical)
    rows, marks_by_row = _split_superscripts(rows, config)
    for row_index, row in enumerate(rows):
        for fragment in _split_fragments(row, config):
            line = make_line(fragment, number, config)
            if line.text:
                inside = [
                    text for x, text in marks_by_row.get(row_index, [])
                    if fragment[0]["x0"] <= x <= fragment[-1]["x1"] + MARK_REACH
                ]
                if inside:
                    marks[len(lines)] = inside
                lines.append(line)
    return lines, marks


def row_size(row: list[dict]) -> float:
    """The median size of a row's printed characters (0 for a row of spaces)."""
    sizes = [c["size"] for c in row if c["text"].strip()]
    return statistics.median(sizes) if sizes else 0.0


def _drop_ruby_rows(rows: list[list[dict]], config: LayoutConfig) -> list[list[dict]]:
    """Drop rows of small kana sitting right above a row of normal text (ふりがな over 漢字)."""
    kept = []
    for index, row in enumerate(rows):
        text = "".join(c["text"] for c in row)
        below = rows[index + 1] if index + 1 < len(rows) else None
        if below and KANA_ONLY.match(text):
            size, below_size = row_size(row), row_size(below)
            gap = min(c["top"] for c in below) - max(c["bottom"] for c in row)
            if below_size and size < config.ruby_ratio * below_size and gap < config.ruby_max_gap_ratio * below_size:
                continue
        kept.append(row)
    return kept


def _split_superscripts(
    rows: list[list[dict]], config: LayoutConfig
) -> tuple[list[list[dict]], dict[int, list[tuple[float, str]]]]:
    """Move small raised digits (footnote markers, センター¹) out of the text of their line."""
    result: list[list[dict]] = []
    marks: dict[int, list[tuple[float, str]]] = {}
    for row in rows:
        size = row_size(row)
        text = "".join(c["text"] for c in row).strip()
        # A row made only of small digits/asterisks is a set of superscripts of the row below or above.
        if text and len(text) <= config.superscript_row_max_chars and FOOTNOTE_MARKS_ONLY.fullmatch(text) and result:
            previous = result[-1]
            if size < config.superscript_ratio * row_size(previous) and (
                min(c["top"] for c in row) < max(c["bottom"] for c in previous)
            ):
                marks.setdefault(len(result) - 1, []).extend((c["x0"], c["text"]) for c in row if c["text"].strip())
                continue
            result.append(row)
            continue
        if not size or min(map(_SIZE, row)) >= config.superscript_ratio * size:
            result.append(row)  # (most rows: no character small enough to be raised)
            continue
        body = [c for c in row if not _is_superscript(c, size, config)]
        raised = [c for c in row if _is_superscript(c, size, config)]
        if raised and body:
            marks.setdefault(len(result), []).extend((c["x0"], c["text"]) for c in raised)
            row = body
        result.append(row)
    return result, marks


def _is_superscript(char: dict, row_size: float, config: LayoutConfig) -> bool:
    return bool(
        row_size
        and char["size"] < config.superscript_ratio * row_size
        and char["text"].isdigit()
        and char["text"].isascii()
    )


def _split_fragments(row: list[dict], config: LayoutConfig) -> list[list[dict]]:
    """Split a row where a wide horizontal gap separates columns, boxes or table cells."""
    fragments: list[list[dict]] = [[row[0]]]
    for previous, char in zip(row, row[1:]):
        size = max(previous["size"], char["size"], 1.0)
        if char["text"] in OPENING_BRACKETS or previous["text"] in CLOSING_BRACKETS:
            gap = _ink_x0(char) - _ink_x1(previous)
        else:
            gap = char["x0"] - previous["x1"]  # (what _ink_x0 and _ink_x1 give for other characters)
        if gap > max(config.fragment_gap_em * size, config.column_gap):
            fragments.append([char])
        else:
            fragments[-1].append(char)
    return fragments


def _ink_x0(char: dict) -> float:
    """Where a character's ink starts: half-way into a full-width opening bracket (（ 「 【)."""
    if char["text"] in OPENING_BRACKETS:
        return (char["x0"] + char["x1"]) / 2
    return char["x0"]


def _ink_x1(char: dict) -> float:
    """Where a character's ink ends: half-way into a full-width closing bracket or stop (） 。)."""
    if char["text"] in CLOSING_BRACKETS:
        return (char["x0"] + char["x1"]) / 2
    return char["x1"]


def make_line(chars: list[dict], number: int, config: LayoutConfig) -> TextLine:
    """One printed line from its characters: text with spaces, main font, median size, box."""
    text = normalize_text(spaced_text(chars, config.spacing))
    printed = [c for c in chars if c["text"].strip()]
    fonts = _counted(Counter(c["fontname"] for c in printed), decode_font_name)
    font_name = fonts.most_common(1)[0][0] if fonts else ""
    colors = _counted(_colour_counts(printed), rgb_of)
    sizes = [c["size"] for c in printed]
    bbox: BBox = (
        round(min(map(_X0, chars)), 2),
        round(min(map(_TOP, chars)), 2),
        round(max(map(_X1, chars)), 2),
        round(max(map(_BOTTOM, chars)), 2),
    )
    return TextLine(
        text=text,
        page=number,
        bbox=bbox,
        font_name=base_font(font_name),
        font_size=round(statistics.median(sizes), 2) if sizes else 0.0,
        bold=is_bold_font(font_name),
        color=colors.most_common(1)[0][0] if colors else None,
    )


def _counted(raw: Counter, convert: Callable[[Any], Any]) -> Counter:
    """Counts of raw values (font names as read, colours as printed) turned into counts of what
    they stand for: each distinct raw value is converted once, not once a character."""
    converted: Counter = Counter()
    for value, count in raw.items():
        converted[convert(value)] += count
    return converted


_X0, _TOP, _X1, _BOTTOM = itemgetter("x0"), itemgetter("top"), itemgetter("x1"), itemgetter("bottom")
_SIZE = itemgetter("size")


def _colour_counts(chars: list[dict]) -> Counter:
    """How many characters are printed in each colour, as the reader gives colours."""
    colours = [c.get("non_stroking_color") for c in chars]
    try:
        return Counter(colours)
    except TypeError:  # (a colour given as a list of components)
        return Counter(map(_hashable, colours))


def _hashable(value: Any) -> Any:
    """A colour as pdfplumber reports it, usable as a key (a list of components becomes a tuple)."""
    return tuple(value) if isinstance(value, list) else value
