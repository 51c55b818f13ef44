"""Page titles: slide decks, and pamphlets made from slides, title each page in one display style.

When the document was made as slides (its producer is a slide program, its bookmarks
only number slides, or most pages are landscape) and one display style (size, weight,
colour) opens the top of many pages, that style is the page title: 24pt bold 事業の概要 at
the top of a slide. Page titles are headings of the top rank; on a page without one, its
largest line near the top stands in for it (a slide titled in a smaller size). A report
that opens each chapter on a new page is not a slide deck: its pages are not titled.
"""

from __future__ import annotations

from collections import Counter

from pipeline.japanese.glyphs import WORDLIKE
from pipeline.japanese.markers import DATE_LINE, SENTENCE_END, SLIDE_BOOKMARK, SLIDE_SOFTWARE
from pipeline.pdf.outline import mostly_matching
from pipeline.model import MARGIN_KINDS, Block
from pipeline.stages.sections.config import SectionConfig
from pipeline.stages.sections.style import BodyStyle, is_display_line
from pipeline.stages.working import TextLine, WorkingDocument

Signature = tuple[float, bool, tuple[float, float, float] | None]


def find_page_titles(work: WorkingDocument, body: BodyStyle, config: SectionConfig) -> list[Block]:
    """The page-title blocks, when the document is a slide deck that titles its pages; else []."""
    if not is_slide_deck(work):
        return []
    by_page = _blocks_by_page(work)
    tops = {page: _top_line(blocks, work, body, config) for page, blocks in by_page.items() if blocks}
    counts = Counter(_signature(work.lines_of(block)[0]) for block in tops.values() if block is not None)
    if not counts:
        return []
    style, pages = counts.most_common(1)[0]
    if pages < config.page_title_min_pages or pages < config.page_title_share * len(tops):
        return []
    titles: list[Block] = []
    for page, blocks in by_page.items():
        styled = [b for b in blocks if _is_title_candidate(b, work, config) and _signature(work.lines_of(b)[0]) == style]
        top = tops.get(page)
        if (
            not styled and top is not None
            and work.lines_of(top)[0].font_size >= config.page_title_fallback_ratio * style[0]
            and not _runs_on(top, blocks, work)
        ):
            styled = [top]  # a page titled in another size than the rest
        titles.extend(styled)
    return titles


def is_slide_deck(work: WorkingDocument) -> bool:
    """Made as slides: by a slide program, with bookmarks that only number slides, or mostly
    on landscape pages."""
    doc = work.doc
    made_by = " ".join(filter(None, (doc.source.producer, doc.source.creator)))
    if SLIDE_SOFTWARE.search(made_by):
        return True
    if mostly_matching(work.bookmarks, SLIDE_BOOKMARK):
        return True
    landscape = sum(1 for page in doc.pages if page.width > page.height)
    return bool(doc.pages) and landscape * 2 > len(doc.pages)


def _blocks_by_page(work: WorkingDocument) -> dict[int, list[Block]]:
    pages: dict[int, list[Block]] = {page.number: [] for page in work.doc.pages}
    for block in work.doc.blocks:
        if block.kind not in MARGIN_KINDS and work.lines_of(block):
            pages.setdefault(block.page, []).append(block)
    return pages


def _top_line(blocks: list[Block], work: WorkingDocument, body: BodyStyle, config: SectionConfig) -> Block | None:
    """The largest display line in the top band of a page (the earliest of equals)."""
    page = next((p for p in work.doc.pages if blocks and p.number == blocks[0].page), None)
    if page is None:
        return None
    band = config.page_title_band * page.height
    candidates = [
        b for b in blocks
        if b.bbox is not None and b.bbox[1] <= band and _is_title_candidate(b, work, config)
        and is_display_line(work.lines_of(b)[0], body, config)
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda b: work.lines_of(b)[0].font_size)


def _is_title_candidate(block: Block, work: WorkingDocument, config: SectionConfig) -> bool:
    lines = work.lines_of(block)
    return (
        block.kind in ("paragraph", "heading")
        and len(lines) <= config.max_heading_lines
        and len(block.text) <= config.max_heading_chars
        and WORDLIKE.search(block.text) is not None
        and not SENTENCE_END.search(block.text)
        and not DATE_LINE.match(block.text)
        and not lines[0].vertical
    )


def _signature(line: TextLine) -> Signature:
    return (round(line.font_size * 2) / 2, line.bold, line.color)


def _runs_on(block: Block, blocks: list[Block], work: WorkingDocument) -> bool:
    """Another line in the same type follows right under the block: it opens a passage of
    large text (an instruction box), not a title."""
    last = work.lines_of(block)[-1]
    for other in blocks:
        if other is block or not work.lines_of(other):
            continue
        line = work.lines_of(other)[0]
        gap = line.bbox[1] - last.bbox[3]
        if 0 <= gap <= last.font_size and _signature(line) == _signature(last):
            return True
    return False
