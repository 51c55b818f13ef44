"""The printed table of contents (目次): where it is, its entries and their levels.

A 目次 is the author's own outline. Its lines are not content (they become ``toc`` blocks),
and each entry names a heading further on, at a depth its indentation and type size show::

    第1章 総則……………………10        level 1 (larger type)
    第1条（目的）                      level 2
      ［例1］ 時差出勤の規程例      level 3 (indented)
        第19条（勤務時間）               level 4
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.japanese.glyphs import WORDLIKE
from pipeline.japanese.markers import (
    CLAUSE_COMMAS,
    SENTENCE_END,
    TOC_HEADING,
    TOC_LEADERS,
    TOC_PAGE_REF,
    TOC_TRAILING_PAGE,
    numbering_family,
    numbering_value,
)
from pipeline.japanese.normalize import match_key
from pipeline.model import MARGIN_KINDS, Block
from pipeline.stages.sections.config import SectionConfig
from pipeline.stages.working import TextLine, WorkingDocument



@dataclass
class OutlineEntry:
    """One entry of the document's own outline (its 目次 or its bookmarks)."""

    title: str
    level: int
    """1 for the top level."""
    page: int | None = None
    """The page it points to: printed (目次) or physical (bookmarks), when known."""


@dataclass
class PrintedToc:
    """A 目次 found in the document."""

    entries: list[OutlineEntry]
    blocks: list[Block]
    """The blocks printed as its lines (they become ``toc`` blocks)."""


@dataclass
class _Row:
    """One printed row of a 目次: the title part and any page reference on the same line."""

    title: str
    x0: float
    size: float
    page_ref: str | None
    has_leaders: bool


def find_printed_toc(work: WorkingDocument, config: SectionConfig) -> PrintedToc | None:
    """The first 目次 of the document: its heading, the blocks of its lines and its entries."""
    blocks = work.doc.blocks
    start = next(
        (i for i, b in enumerate(blocks) if b.kind not in MARGIN_KINDS and TOC_HEADING.match(b.text.strip())), None
    )
    if start is None:
        return None
    heading = blocks[start]
    toc_blocks = _toc_region(blocks[start + 1:], heading.page, work, config)
    if not toc_blocks:
        return None
    pages = {b.page for b in toc_blocks}
    page_refs = [b for b in blocks if b.kind == "page_number" and b.page in pages]
    printed = [line for b in toc_blocks + page_refs for line in work.lines_of(b)]
    # Plain text has no printed lines: each block is a row, every entry at the top level.
    rows = _rows(printed, config) if printed else [_parse_row(b.text, 0.0, 0.0) for b in toc_blocks]
    entries = _levelled(_entries(rows, config), config)
    return PrintedToc(entries, toc_blocks) if entries else None


def _toc_region(following: list[Block], first_page: int, work: WorkingDocument, config: SectionConfig) -> list[Block]:
    """The blocks after a 目次 heading that are its lines: the rest of its page while they look
    like entries, then each next page that is mostly entries (a 目次 running over pages)."""
    region: list[Block] = []
    page = first_page
    by_page: dict[int, list[Block]] = {}
    for block in following:
        if block.kind not in MARGIN_KINDS and block.kind != "table":
            by_page.setdefault(block.page, []).append(block)
    seen: set[str] = set()
    for block in by_page.get(page, []):
        key = match_key(block.text)
        if not _looks_like_entries(block, work, config) or key in seen:
            break  # prose, or a title met again: the body has begun
        if not TOC_PAGE_REF.match(block.text.strip()):
            seen.add(key)
        region.append(block)
    while region and page + 1 in by_page and _is_toc_page(by_page[page + 1], work, config):
        page += 1
        region.extend(by_page[page])
    return region


def _looks_like_entries(block: Block, work: WorkingDocument, config: SectionConfig) -> bool:
    lines = work.lines_of(block) or []
    texts = [line.text for line in lines] or [block.text]
    return all(_looks_like_entry(text, config) for text in texts)


def _looks_like_entry(text: str, config: SectionConfig) -> bool:
    """A 目次 line: leader dots, a page reference, or a short title that is not a sentence."""
    text = text.strip()
    if TOC_LEADERS.search(text) or TOC_PAGE_REF.match(text):
        return True
    return (
        len(text) <= config.max_toc_entry_chars
        and WORDLIKE.search(text) is not None
        and not SENTENCE_END.search(text)
        and not text.endswith(CLAUSE_COMMAS)
    )


def _is_toc_page(blocks: list[Block], work: WorkingDocument, config: SectionConfig) -> bool:
    """A page that continues a 目次: most lines are entries, and some carry leaders or page numbers."""
    lines = [line.text for b in blocks for line in (work.lines_of(b) or [])]
    if not lines:
        return False
    entries = sum(1 for text in lines if _looks_like_entry(text, config))
    referenced = any(TOC_LEADERS.search(text) or TOC_PAGE_REF.match(text.strip()) for text in lines)
    return referenced and entries >= config.toc_page_share * len(lines)


def _rows(lines: list[TextLine], config: SectionConfig) -> list[_Row]:
    """Lines grouped into printed rows (a title at the left, its page number at the right)."""
    ordered = sorted(lines, key=lambda line: (line.page, line.bbox[1], line.bbox[0]))
    groups: list[list[TextLine]] = []
    for line in ordered:
        last = groups[-1][-1] if groups else None
        if last is not None and last.page == line.page and _same_row(last, line):
            groups[-1].append(line)
        else:
            groups.append([line])
    rows = []
    for group in groups:
        group.sort(key=lambda line: line.bbox[0])
        refs = [line for line in group if TOC_PAGE_REF.match(line.text.strip())]
        titled = [line for line in group if line not in refs]
        if not titled:
            if rows and rows[-1].page_ref is None:
                rows[-1].page_ref = refs[0].text.strip()  # a page number printed a little lower
            continue
        row = _parse_row(" ".join(line.text for line in titled), titled[0].bbox[0], titled[0].font_size)
        if row.page_ref is None and refs:
            row.page_ref = refs[-1].text.strip()
        rows.append(row)
    return rows


def _same_row(a: TextLine, b: TextLine) -> bool:
    overlap = min(a.bbox[3], b.bbox[3]) - max(a.bbox[1], b.bbox[1])
    return overlap >= 0.5 * min(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1])


def _parse_row(text: str, x0: float, size: float) -> _Row:
    """総則……10 → title 総則, page 10; 別紙1：概要 (no leaders) keeps its trailing digits."""
    leaders = TOC_LEADERS.search(text)
    page_ref = None
    if leaders:
        tail = text[leaders.end():].strip()
        page_ref = tail if TOC_PAGE_REF.match(tail) else None
        text = text[: leaders.start()] + ("" if page_ref or not tail else " " + tail)
    else:
        trailing = TOC_TRAILING_PAGE.search(text)
        if trailing:
            page_ref = trailing.group().strip()
            text = text[: trailing.start()]
    return _Row(text.strip(), x0, size, page_ref, leaders is not None)


def _entries(rows: list[_Row], config: SectionConfig) -> list[_Row]:
    """Rows with wrapped titles joined: a row indented past the one above, without numbering,
    continues it when that one had no page number (…休日として扱 / う場合)."""
    entries: list[_Row] = []
    for row in rows:
        if not WORDLIKE.search(row.title) or TOC_HEADING.match(row.title):
            continue
        previous = entries[-1] if entries else None
        if (
            previous is not None
            and previous.page_ref is None
            and not previous.has_leaders
            and row.x0 > previous.x0 + config.toc_indent_em * row.size
            and numbering_family(row.title)[0] is None
            and abs(row.size - previous.size) <= config.size_tolerance
        ):
            previous.title += row.title
            previous.page_ref = row.page_ref
            previous.has_leaders = row.has_leaders
            continue
        entries.append(row)
    return entries


def _levelled(rows: list[_Row], config: SectionConfig) -> list[OutlineEntry]:
    """Each entry's depth: under the nearest earlier entry set larger, or indented further (an
    entry that only continues its predecessor's numbering, 第1条 → 第2条, stays its sibling)."""
    stack: list[_Row] = []
    entries: list[OutlineEntry] = []
    for row in rows:
        while stack and not _nests_under(row, stack[-1], config):
            stack.pop()
        stack.append(row)
        page = _page_number(row.page_ref)
        entries.append(OutlineEntry(row.title, len(stack), page))
    return entries


def _nests_under(row: _Row, parent: _Row, config: SectionConfig) -> bool:
    if parent.size > row.size + config.size_step:
        return True
    if row.size > parent.size + config.size_step:
        return False
    indent = row.x0 - parent.x0
    if indent <= config.toc_indent_em * row.size:
        return False
    family, marker = numbering_family(row.title)
    parent_family, parent_marker = numbering_family(parent.title)
    continues = (
        family is not None
        and family == parent_family
        and numbering_value(family, marker) == (numbering_value(parent_family, parent_marker) or 0) + 1
    )
    return not (continues and indent < config.toc_sibling_indent_em * row.size)


def _page_number(page_ref: str | None) -> int | None:
    """The first page a reference names: P.12 → 12, 24～25 → 24, 24-25 → 24."""
    if not page_ref:
        return None
    first = re.match(r"\D*([0-9０-９]+)", page_ref)
    return int(first.group(1)) if first else None
