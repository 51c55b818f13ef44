"""Layout stage: pdfplumber characters → printed lines → blocks in reading order.

Each page is parsed once. While it is open, the page's characters are grouped into
lines (with font name, size, bold and position) and the table detector, if given, reads
its rules; then the page is closed and only plain data is kept. Once every page has been
read, running headers, footers and page numbers are set aside, and each page's lines are
put in reading order (recursive XY-cut: columns, text boxes, slides) and grouped into
blocks by geometry (vertical gap, indent, line length, bullets, font changes).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pipeline.chars import CharSpacing, centre_inside, drop_overprints, group_rows, spaced_text
from pipeline.model import BBox, Block, Document, PageInfo, QualityWarning, RawTable, TextLine
from pipeline.text import count_unmapped, format_share, is_cjk, join_wrapped_lines, normalize_text

TableDetector = Callable[[Any, int, list[dict]], tuple[list[RawTable], list[QualityWarning]]]
"""Called with an open pdfplumber page, its 1-based number and its de-duplicated characters:
the page's tables and any warnings about table regions it cannot read (a pasted picture)."""

# Fonts that print as bold or heavy: "Arial,Bold", "MS-Gothic-Bold", "HiraKakuPro-W6".
_BOLD_FONT = re.compile(r"bold|heavy|black|demi|semibold|[-_ ]W[6-9]\b|,B\b", re.IGNORECASE)
# A printed page number alone on a line: "1", "- 12 -", "－３－", "(4)", "5/22", "p.7".
_PAGE_NUMBER = re.compile(
    r"^(?:[-－‐―—–(（]?\s*\d{1,4}\s*[-－‐―—–)）]?|\d{1,4}\s*/\s*\d{1,4}|[pPＰ][.．]?\s*\d{1,4}|\d{1,4}\s*頁|[ⅰ-ⅿiIvVxX]{1,5})$"
)
_DIGITS = re.compile(r"[0-9０-９]+")
_KANA_ONLY = re.compile(r"^[\u3040-\u30ff\s]+$")


@dataclass
class LayoutConfig:
    """Settings of the layout stage (units are PDF points unless said otherwise)."""

    margin_share: float = 0.1
    """Share of page height at the top and bottom where running headers and footers live."""
    side_margin_share: float = 0.1
    """Share of page width at the left and right where thumb indexes and side page numbers live."""
    repeat_share: float = 0.4
    """A margin line that recurs (digits ignored) on at least this share of pages is a running header/footer."""
    spacing: CharSpacing = field(default_factory=CharSpacing)
    """How characters are read into rows and words (the same rules as table cells)."""
    superscript_ratio: float = 0.75
    """A raised character smaller than this share of the line's size is a footnote marker."""
    ruby_ratio: float = 0.62
    """A line of kana smaller than this share of the line below, right above it, is ruby (furigana)."""
    fragment_gap_em: float = 1.5
    """A horizontal gap wider than this many ems splits a printed line into separate fragments."""
    column_gap: float = 9.0
    """Smallest white gutter (points) that separates two columns or text boxes."""
    paragraph_gap_ratio: float = 1.3
    """A line pitch larger than this multiple of the page's usual pitch starts a new block."""
    band_gap_lines: float = 2.5
    """A white band this many line heights tall, across the whole region, is cut before columns."""
    overprint_tolerance: float = 1.0
    """Same character drawn again within this distance is fake-bold overprinting and dropped."""


@dataclass
class PageLayout:
    """Plain data read from one page while it was open."""

    info: PageInfo
    lines: list[TextLine]
    tables: list[RawTable]
    unmapped: int
    footnote_marks: dict[int, list[str]] = field(default_factory=dict)
    """Index of a line → superscript marks that followed words in it."""
    image_area_share: float = 0.0
    warnings: list[QualityWarning] = field(default_factory=list)
    """Warnings found while the page was open (e.g. a table pasted as a picture)."""


# ---------------------------------------------------------------- page reading


def read_page(page: Any, number: int, config: LayoutConfig, detect_tables: TableDetector | None) -> PageLayout:
    """Read one open pdfplumber page into lines and tables (no pdfplumber objects kept)."""
    chars = drop_overprints(page.chars, config.overprint_tolerance)
    has_text_layer = any(c["text"].strip() for c in chars)
    # Counted before table cells are set aside, so broken fonts inside tables are reported too.
    unmapped_flags = [count_unmapped(c["text"]) for c in chars]
    unmapped = sum(unmapped_flags)
    if unmapped:
        chars = [c for c, flag in zip(chars, unmapped_flags) if not flag]
    tables, table_warnings = detect_tables(page, number, chars) if detect_tables else ([], [])
    if tables:
        chars = [c for c in chars if not any(centre_inside(c, t.bbox) for t in tables)]
    chars = [c for c in chars if c["text"] == " " or c["text"].strip()]
    if is_vertical_writing(chars):
        lines, marks = _vertical_lines(chars, number), {}
    else:
        lines, marks = _lines_from_chars(chars, number, config)
    width, height = float(page.width), float(page.height)
    image_area = sum(
        max(0.0, (min(i["x1"], width) - max(i["x0"], 0)) * (min(i["bottom"], height) - max(i["top"], 0)))
        for i in page.images
    )
    info = PageInfo(
        number=number,
        width=round(width, 2),
        height=round(height, 2),
        n_chars=len(chars),
        rotation=int(page.rotation or 0),
        needs_ocr=not has_text_layer,
        unmapped_chars=unmapped,
    )
    return PageLayout(
        info, lines, tables, unmapped, marks, image_area / (width * height) if width and height else 0.0, table_warnings
    )


def _lines_from_chars(
    chars: list[dict], number: int, config: LayoutConfig
) -> tuple[list[TextLine], dict[int, list[str]]]:
    rows = group_rows(chars, config.spacing.line_merge_share)
    rows = _drop_ruby_rows(rows, config)
    lines: list[TextLine] = []
    marks: dict[int, list[str]] = {}
    rows = _lift_vertical_runs(rows, number, lines)
    rows, marks_by_row = _split_superscripts(rows, config)
    for row_index, row in enumerate(rows):
        for fragment in _split_fragments(row, config):
            line = _make_line(fragment, number, config)
            if line.text:
                inside = [
                    text for x, text in marks_by_row.get(row_index, [])
                    if fragment[0]["x0"] <= x <= fragment[-1]["x1"] + 2
                ]
                if inside:
                    marks[len(lines)] = inside
                lines.append(line)
    return lines, marks


def _lift_vertical_runs(rows: list[list[dict]], number: int, lines: list[TextLine]) -> list[list[dict]]:
    """Take out vertical labels on a horizontal page (厚/生/労/働/省 stacked in one column).

    Single characters standing alone in their row, at the same x, one below the other,
    become one vertical line appended to ``lines``; the remaining rows are returned.
    """
    lonely: list[tuple[int, dict]] = []
    for index, row in enumerate(rows):
        printed = [c for c in row if c["text"].strip()]
        if len(printed) == 1 and is_cjk(printed[0]["text"]):
            lonely.append((index, printed[0]))
    if len(lonely) < 3:
        return rows
    lonely.sort(key=lambda item: (round(item[1]["x0"]), item[1]["top"]))
    taken: set[int] = set()
    run: list[tuple[int, dict]] = []

    def close_run() -> None:
        if len(run) >= 3:
            taken.update(index for index, _ in run)
            lines.append(_vertical_segment_line([c for _, c in run], number))

    for item in lonely:
        char = item[1]
        if run:
            last = run[-1][1]
            size = max(last["size"], 1.0)
            if abs(char["x0"] - last["x0"]) < 0.3 * size and 0 < char["top"] - last["top"] < 1.8 * size:
                run.append(item)
                continue
            close_run()
        run = [item]
    close_run()
    return [row for index, row in enumerate(rows) if index not in taken]


def _row_size(row: list[dict]) -> float:
    sizes = [c["size"] for c in row if c["text"].strip()]
    return statistics.median(sizes) if sizes else 0.0


def _drop_ruby_rows(rows: list[list[dict]], config: LayoutConfig) -> list[list[dict]]:
    """Drop rows of small kana sitting right above a row of normal text (furigana)."""
    kept = []
    for index, row in enumerate(rows):
        text = "".join(c["text"] for c in row)
        below = rows[index + 1] if index + 1 < len(rows) else None
        if below and _KANA_ONLY.match(text):
            size, below_size = _row_size(row), _row_size(below)
            gap = min(c["top"] for c in below) - max(c["bottom"] for c in row)
            if below_size and size < config.ruby_ratio * below_size and gap < 0.5 * below_size:
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
        size = _row_size(row)
        text = "".join(c["text"] for c in row).strip()
        # A row made only of small digits/asterisks is a set of superscripts of the row below or above.
        if text and len(text) <= 6 and re.fullmatch(r"[\d*※†‡,\s]+", text) and result:
            previous = result[-1]
            if size < config.superscript_ratio * _row_size(previous) and (
                min(c["top"] for c in row) < max(c["bottom"] for c in previous)
            ):
                marks.setdefault(len(result) - 1, []).extend((c["x0"], c["text"]) for c in row if c["text"].strip())
                continue
            result.append(row)
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
        if char["x0"] - previous["x1"] > max(config.fragment_gap_em * size, config.column_gap):
            fragments.append([char])
        else:
            fragments[-1].append(char)
    return fragments


def _make_line(chars: list[dict], number: int, config: LayoutConfig) -> TextLine:
    text = normalize_text(spaced_text(chars, config.spacing))
    fonts = Counter(c["fontname"] for c in chars if c["text"].strip())
    font_name = fonts.most_common(1)[0][0] if fonts else ""
    sizes = [c["size"] for c in chars if c["text"].strip()]
    bbox: BBox = (
        round(min(c["x0"] for c in chars), 2),
        round(min(c["top"] for c in chars), 2),
        round(max(c["x1"] for c in chars), 2),
        round(max(c["bottom"] for c in chars), 2),
    )
    return TextLine(
        text=text,
        page=number,
        bbox=bbox,
        font_name=_base_font(font_name),
        font_size=round(statistics.median(sizes), 2) if sizes else 0.0,
        bold=bool(_BOLD_FONT.search(font_name)),
    )


def _base_font(font_name: str) -> str:
    """Drop the subset tag: 'BAAAAA+IPAexGothic' → 'IPAexGothic'."""
    return font_name.split("+", 1)[1] if "+" in font_name[:8] else font_name


def is_vertical_writing(chars: list[dict]) -> bool:
    """True when most consecutive characters step downwards in one column (縦書き)."""
    steps = vertical = 0
    for a, b in zip(chars, chars[1:]):
        if not a["text"].strip() or not b["text"].strip():
            continue
        steps += 1
        size = max(a["size"], 1.0)
        if abs(a["x0"] - b["x0"]) < 0.3 * size and 0 < b["top"] - a["top"] < 1.6 * size:
            vertical += 1
    return steps >= 10 and vertical > 0.6 * steps


def _vertical_lines(chars: list[dict], number: int) -> list[TextLine]:
    """Vertical (縦書き) text: columns read top to bottom, right to left, tier by tier."""
    by_x = sorted(chars, key=lambda c: -(c["x0"] + c["x1"]) / 2)
    columns: list[list[dict]] = []
    for char in by_x:
        middle = (char["x0"] + char["x1"]) / 2
        if columns and abs(middle - (columns[-1][0]["x0"] + columns[-1][0]["x1"]) / 2) < 0.5 * max(char["size"], 1):
            columns[-1].append(char)
        else:
            columns.append([char])
    segments: list[list[dict]] = []
    for column in columns:
        column.sort(key=lambda c: c["top"])
        segment = [column[0]]
        for previous, char in zip(column, column[1:]):
            if char["top"] - previous["bottom"] > 2 * max(char["size"], 1):
                segments.append(segment)
                segment = []
            segment.append(char)
        segments.append(segment)
    lines = [_vertical_segment_line(s, number) for s in segments]
    lines = [line for line in lines if line.text]
    # Tiers: segments whose vertical spans overlap are read together, right to left.
    lines.sort(key=lambda l: l.bbox[1])
    tiers: list[list[TextLine]] = []
    reach = -1e9
    for line in lines:
        if tiers and line.bbox[1] < reach:
            tiers[-1].append(line)
            reach = max(reach, line.bbox[3])
        else:
            tiers.append([line])
            reach = line.bbox[3]
    return [line for tier in tiers for line in sorted(tier, key=lambda l: -l.bbox[2])]


def _vertical_segment_line(column: list[dict], number: int) -> TextLine:
    text = normalize_text("".join(c["text"] for c in column))
    sizes = [c["size"] for c in column]
    return TextLine(
        text=text,
        page=number,
        bbox=(
            round(min(c["x0"] for c in column), 2),
            round(min(c["top"] for c in column), 2),
            round(max(c["x1"] for c in column), 2),
            round(max(c["bottom"] for c in column), 2),
        ),
        font_name=_base_font(column[0]["fontname"]),
        font_size=round(statistics.median(sizes), 2),
        bold=bool(_BOLD_FONT.search(column[0]["fontname"])),
        vertical=True,
    )


# ---------------------------------------------------------------- document assembly


def assemble(doc: Document, pages: Iterable[PageLayout], config: LayoutConfig) -> None:
    """Add pages, warnings, raw tables and blocks (in reading order) to ``doc``."""
    page_list = list(pages)
    running = _running_lines(page_list, config)
    counter = _Counter()
    for layout in page_list:
        doc.pages.append(layout.info)
        _page_warnings(doc, layout)
        table_ids: list[str] = []
        for table in layout.tables:
            doc.raw_tables.append(table)
            table_ids.append("%02d" % len(doc.raw_tables))
        margin_blocks: list[Block] = []
        body_items: list[_Item] = []
        for index, line in enumerate(layout.lines):
            kind = running.get((layout.info.number, index))
            if kind:
                if kind == "page_number":
                    layout.info.printed_page = line.text.strip("-－‐―—–()（） ")
                margin_blocks.append(_single_line_block(counter.next(), kind, line))
            else:
                body_items.append(_Item(line.bbox, line=line, marks=layout.footnote_marks.get(index, [])))
        for table, table_id in zip(layout.tables, table_ids):
            body_items.append(_Item(table.bbox, table_id=table_id))
        ordered = _reading_order(body_items, config)
        page_blocks = _group_blocks(ordered, layout.info.number, counter, config)
        header = [b for b in margin_blocks if b.bbox and b.bbox[1] < layout.info.height / 2]
        footer = [b for b in margin_blocks if b not in header]
        doc.blocks.extend(header + page_blocks + footer)
    doc.blocks = _join_across_pages(doc.blocks)


def _join_across_pages(blocks: list[Block]) -> list[Block]:
    """A paragraph cut by a page or column break (no sentence end, last line full) continues after it."""
    result: list[Block] = []
    last_text: Block | None = None
    for block in blocks:
        if block.kind in ("header", "footer", "page_number"):
            result.append(block)
            continue
        if (
            last_text is not None
            and block.kind == "paragraph"
            and (block.page == last_text.page + 1 or _next_column(last_text, block))
            and _continues(last_text, block)
        ):
            last_text.lines.extend(block.lines)
            last_text.text = join_wrapped_lines([last_text.text, block.text])
            last_text.footnote_marks.extend(block.footnote_marks)
            last_text = None
            continue
        result.append(block)
        last_text = block if block.kind == "paragraph" and block.lines else None
    return result


def _next_column(previous: Block, block: Block) -> bool:
    """``block`` starts the next column of the same page: higher up and to the right of ``previous``."""
    if block.page != previous.page or previous.bbox is None or block.bbox is None:
        return False
    return block.bbox[1] < previous.bbox[1] and block.bbox[0] >= previous.bbox[2] - 2


def _continues(previous: Block, block: Block) -> bool:
    if not previous.lines or not block.lines or previous.text.endswith(_BLOCK_ENDS):
        return False
    last, first = previous.lines[-1], block.lines[0]
    if (
        _STARTS_ITEM.match(first.text)
        or abs(last.font_size - first.font_size) > 0.6
        or last.font_name != first.font_name
        or last.bold != first.bold
    ):
        return False
    right_edge = max(l.bbox[2] for l in previous.lines)
    return last.bbox[2] >= right_edge - 1.5 * max(last.font_size, 1.0)


@dataclass
class _Item:
    bbox: BBox
    line: TextLine | None = None
    table_id: str | None = None
    marks: list[str] = field(default_factory=list)


class _Counter:
    """Block ids in document order: b0001, b0002, …"""

    def __init__(self) -> None:
        self.value = 0

    def next(self) -> str:
        self.value += 1
        return "b%04d" % self.value


def _single_line_block(block_id: str, kind: str, line: TextLine) -> Block:
    return Block(
        block_id=block_id,
        kind=kind,  # type: ignore[arg-type]
        text=line.text,
        page=line.page,
        bbox=line.bbox,
        font_size=line.font_size,
        bold=line.bold,
        lines=[line],
    )


def _page_warnings(doc: Document, layout: PageLayout) -> None:
    info = layout.info
    doc.warnings.extend(layout.warnings)
    if info.needs_ocr:
        doc.warnings.append(
            QualityWarning("no_text_layer", "page has no text layer (scanned or image only); OCR needed", info.number)
        )
    if layout.unmapped:
        total = layout.unmapped + info.n_chars
        doc.warnings.append(
            QualityWarning(
                "unmapped_glyphs",
                f"{layout.unmapped} of {total} characters ({format_share(layout.unmapped / total)}) have no Unicode "
                "mapping ((cid:NN) or private-use glyphs) and were left out",
                info.number,
            )
        )


def _running_lines(pages: list[PageLayout], config: LayoutConfig) -> dict[tuple[int, int], str]:
    """Find running headers, footers and page numbers: (page, line index) → kind."""
    result: dict[tuple[int, int], str] = {}
    keys_per_page: Counter[str] = Counter()
    candidates: list[tuple[int, int, str, str]] = []
    # Zones are measured on the area text actually covers: crop boxes can shift coordinates.
    boxes = [line.bbox for layout in pages for line in layout.lines]
    if not boxes:
        return result
    left, upper = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, lower = max(b[2] for b in boxes), max(b[3] for b in boxes)
    height, width = max(lower - upper, 1.0), max(right - left, 1.0)
    for layout in pages:
        seen: set[str] = set()
        for index, line in enumerate(layout.lines):
            x0, top, x1, bottom = line.bbox
            if bottom <= upper + height * config.margin_share:
                zone = "header"
            elif top >= lower - height * config.margin_share:
                zone = "footer"
            elif x1 <= left + width * config.side_margin_share or x0 >= right - width * config.side_margin_share:
                zone = "header"  # thumb index and page numbers printed in the side margin
            else:
                continue
            key = zone + ":" + _DIGITS.sub("#", line.text.replace(" ", ""))
            candidates.append((layout.info.number, index, zone, key))
            if key not in seen:
                seen.add(key)
                keys_per_page[key] += 1
    needed = max(2, round(config.repeat_share * len(pages)))
    for number, index, zone, key in candidates:
        text = key.split(":", 1)[1]
        if _PAGE_NUMBER.match(text.replace("#", "1")) and len(pages) > 1:
            result[(number, index)] = "page_number"
        elif keys_per_page[key] >= needed:
            result[(number, index)] = zone
    return result


def _reading_order(items: list[_Item], config: LayoutConfig) -> list[_Item]:
    """Recursive XY-cut: split at white gutters (columns, boxes) first, then at the widest gap."""
    if len(items) <= 1:
        return list(items)
    line_heights = [i.bbox[3] - i.bbox[1] for i in items if i.line is not None]
    usual_height = statistics.median(line_heights) if line_heights else 10.0
    wide_gap = _widest_horizontal_gap(items, minimum=config.band_gap_lines * usual_height)
    if wide_gap is not None:
        # A clear band of white across the whole region (title above boxes, caption below) comes first.
        upper = [i for i in items if i.bbox[3] <= wide_gap]
        lower = [i for i in items if i.bbox[3] > wide_gap]
        if upper and lower:
            return _reading_order(upper, config) + _reading_order(lower, config)
    vertical = _best_vertical_cut(items, config)
    if vertical is not None:
        left = [i for i in items if (i.bbox[0] + i.bbox[2]) / 2 < vertical]
        right = [i for i in items if (i.bbox[0] + i.bbox[2]) / 2 >= vertical]
        return _reading_order(left, config) + _reading_order(right, config)
    horizontal = _widest_horizontal_gap(items)
    if horizontal is not None:
        upper = [i for i in items if i.bbox[3] <= horizontal]
        lower = [i for i in items if i.bbox[3] > horizontal]
        if upper and lower:
            return _reading_order(upper, config) + _reading_order(lower, config)
    return sorted(items, key=lambda i: (round(i.bbox[1], 0), i.bbox[0]))


def _best_vertical_cut(items: list[_Item], config: LayoutConfig) -> float | None:
    """A white gutter crossing the whole region, with real content on both sides."""
    spans = sorted((i.bbox[0], i.bbox[2]) for i in items)
    left_edge = spans[0][0]
    right_edge = max(s[1] for s in spans)
    width = right_edge - left_edge
    if width <= 0:
        return None
    best: tuple[float, float] | None = None
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        gap = x0 - reach
        if gap >= config.column_gap:
            cut = reach + gap / 2
            left_width = reach - left_edge
            right_width = right_edge - x0
            if min(left_width, right_width) >= 0.15 * width and (best is None or gap > best[0]):
                best = (gap, cut)
        reach = max(reach, x1)
    if best is None:
        return None
    cut = best[1]
    left_count = sum(1 for i in items if i.bbox[2] <= cut)
    # Two or more lines on each side: a lone label beside a paragraph is not a column.
    if left_count < 2 or len(items) - left_count < 2:
        return None
    return cut


def _widest_horizontal_gap(items: list[_Item], minimum: float = 0.5) -> float | None:
    """The middle of the widest white band crossing the whole region, if wider than ``minimum``."""
    spans = sorted((i.bbox[1], i.bbox[3]) for i in items)
    best: tuple[float, float] | None = None
    reach = spans[0][1]
    for top, bottom in spans[1:]:
        gap = top - reach
        if gap > minimum and (best is None or gap > best[0]):
            best = (gap, reach + gap / 2)
        reach = max(reach, bottom)
    return best[1] if best else None


# A line that starts a new item: bullets, numbering, heading markers.
_STARTS_ITEM = re.compile(
    r"^(?:[•・○●◦▪■□◆◇▼▽▶▷►★☆◎※－\-–‐]|[①-⑳㉑-㉟]|[（(][0-9０-９一二三四五六七八九十ア-ンa-zA-Z]{1,3}[）)]"
    r"|[0-9０-９]{1,2}[.．)）](?!\d)|第[0-9０-９一二三四五六七八九十百]+[章節条項部編款]|【|[ア-ン][.．、)）]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ])"
)


# Bullets proper (not numbering): these always open a new list item.
_BULLET_START = re.compile(r"^[•・○●◦▪■□◆◇▼▽▶▷►★☆◎※]")


def _group_blocks(items: list[_Item], page: int, counter: _Counter, config: LayoutConfig) -> list[Block]:
    """Group ordered lines into paragraphs and list items by geometry and typography."""
    pitches = [
        b.line.bbox[1] - a.line.bbox[1]
        for a, b in zip(items, items[1:])
        if a.line and b.line and 0 < b.line.bbox[1] - a.line.bbox[1] < 3 * max(a.line.font_size, 1)
    ]
    usual_pitch = statistics.median(pitches) if pitches else 0.0
    blocks: list[Block] = []
    current: list[TextLine] = []
    current_marks: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(_text_block(counter.next(), list(current), list(current_marks)))
            current.clear()
            current_marks.clear()

    for item in items:
        if item.table_id is not None:
            flush()
            blocks.append(Block(counter.next(), "table", "", page, item.bbox, table_id=item.table_id))
            continue
        line = item.line
        assert line is not None
        if current and _starts_new_block(current, line, usual_pitch, config):
            flush()
        current.append(line)
        current_marks.extend(item.marks)
    flush()
    return blocks


_BLOCK_ENDS = ("。", "．", "：", ":", "」。", "）。")


def _starts_new_block(current: list[TextLine], line: TextLine, usual_pitch: float, config: LayoutConfig) -> bool:
    previous = current[-1]
    size = max(line.font_size, 1.0)
    right_edge = max(l.bbox[2] for l in current + [line])
    previous_full = previous.bbox[2] >= right_edge - 1.0 * size and not previous.text.endswith(_BLOCK_ENDS)
    continuation_left = current[1].bbox[0] if len(current) > 1 else None
    at_continuation = continuation_left is not None and abs(line.bbox[0] - continuation_left) < 0.4 * size
    if len(current) == 1 and line.bbox[0] < current[0].bbox[0] - 0.4 * size:
        at_continuation = True  # the first line was indented; this is where the paragraph's lines start
    if _STARTS_ITEM.match(line.text) and not (previous_full and at_continuation and not _BULLET_START.match(line.text)):
        return True
    if abs(line.font_size - previous.font_size) > 0.6 or line.bold != previous.bold:
        return True
    if line.font_name != previous.font_name and not _same_family(line.font_name, previous.font_name):
        return True
    pitch = line.bbox[1] - previous.bbox[1]
    if pitch <= 0 or line.bbox[1] < previous.bbox[1] - 0.5 * size:
        return True  # went back up: another box
    if usual_pitch and pitch > config.paragraph_gap_ratio * usual_pitch + 1:
        return True
    if not usual_pitch and line.bbox[1] - previous.bbox[3] > 0.8 * size:
        return True
    centre, previous_centre = (line.bbox[0] + line.bbox[2]) / 2, (previous.bbox[0] + previous.bbox[2]) / 2
    if abs(centre - previous_centre) < size and line.bbox[0] > previous.bbox[0] and not previous.text.endswith(_BLOCK_ENDS):
        return False  # centred text (a caption) wrapping onto a shorter centred line
    if previous.bbox[2] < right_edge - 2.0 * size and len(previous.text) > 0:
        return True  # the previous line stopped short: its paragraph ended
    if len(current) == 1:
        first = current[0]
        # Hanging indent under a bullet is a continuation; an indented line after a plain line starts anew.
        if line.bbox[0] > first.bbox[0] + 0.4 * size and not _STARTS_ITEM.match(first.text):
            return True
        return False
    continuation_left = current[1].bbox[0]
    if line.bbox[0] > continuation_left + 0.4 * size or line.bbox[0] < continuation_left - 0.4 * size:
        return True
    return False


def _same_family(a: str, b: str) -> bool:
    """IPAexMincho and IPAexMincho-subset variants are one family; Gothic vs Mincho are not."""
    def family(name: str) -> str:
        return re.sub(r"[-,_ ]?(bold|regular|medium|light|w\d)$", "", name, flags=re.IGNORECASE).lower()

    return family(a) == family(b)


def _text_block(block_id: str, lines: list[TextLine], marks: list[str]) -> Block:
    first = lines[0]
    bbox: BBox = (
        min(l.bbox[0] for l in lines),
        min(l.bbox[1] for l in lines),
        max(l.bbox[2] for l in lines),
        max(l.bbox[3] for l in lines),
    )
    return Block(
        block_id=block_id,
        kind="paragraph",
        text=join_wrapped_lines([l.text for l in lines]),
        page=first.page,
        bbox=bbox,
        font_size=first.font_size,
        bold=first.bold,
        lines=lines,
        footnote_marks=marks,
    )


def iter_page_layouts(
    pdf: Any, config: LayoutConfig, detect_tables: TableDetector | None, max_pages: int | None = None
) -> Iterator[PageLayout]:
    """Read each page of an open pdfplumber PDF once, closing it as soon as it is read."""
    for index, page in enumerate(pdf.pages):
        if max_pages is not None and index >= max_pages:
            break
        try:
            yield read_page(page, index + 1, config, detect_tables)
        finally:
            page.close()
