"""The document title: the largest display line(s) of the first page with text.

A title set over several lines in large type (地域産業振興補助金 / ＜一般枠＞ /
申請の手引き) is read whole: the blocks stacked right above and below the largest one, in
type at least ``title_join_ratio`` of its size, join it. A title may carry chapter numbering
(第4章 AIの…, a white-paper chapter): it is then the document's title and stays a heading
of the tree. Only on a cover does the title run over several blocks; on a first page of
text the line under the title is its first heading.
"""

from __future__ import annotations

from pipeline.japanese.glyphs import WORDLIKE
from pipeline.japanese.lines import join_wrapped_lines
from pipeline.japanese.markers import DATE_LINE, numbering_family
from pipeline.model import MARGIN_KINDS, Block, Document
from pipeline.stages.sections.config import SectionConfig
from pipeline.stages.sections.style import BodyStyle, is_heavier
from pipeline.stages.working import WorkingDocument

_TITLE_FAMILIES = ("part", "chapter")
"""Numbering a document title may open with: 第4章 …"""


def mark_title(doc: Document, body: BodyStyle, config: SectionConfig, work: WorkingDocument) -> None:
    """Set ``doc.title`` (and the ``title`` kind on its blocks) from the first page with text;
    else take the PDF's metadata title, else the first page's largest bold line."""
    blocks = [b for b in doc.blocks if b.kind in ("paragraph", "heading") and work.lines_of(b)]
    first_page = next((b.page for b in blocks), None)
    opening = _before_running_text([b for b in blocks if b.page == first_page], body, config, work)
    candidates = [b for b in opening if _could_be_title(b, config, work)]
    # Python's max keeps the first of equal keys: the earliest of the largest lines.
    largest = max(candidates, key=lambda b: b.font_size or 0) if candidates and body.size else None
    if largest is not None and _style_recurs(largest, blocks, work):
        largest = None  # the first of the document's chapter headings, not a title of its own
    if largest is not None and (largest.font_size or 0) >= config.title_size_ratio * body.size:
        # On a cover the title may run over several large lines; elsewhere it is one line.
        parts = _title_lines(largest, candidates, body, config) if is_cover(work, first_page, body, config) else [largest]
        doc.title = join_wrapped_lines([b.text for b in parts])
        for block in parts:
            if numbering_family(block.text)[0] is None and block.block_id not in work.page_titles:
                block.kind = "title"
    elif doc.source.metadata_title:
        doc.title = doc.source.metadata_title
    elif largest is not None and is_heavier(work.lines_of(largest)[0], body):
        # Most of the text is in tables (an FAQ grid): the first page's largest bold line names
        # the document, though it does not stand out from the little running text there is.
        doc.title = largest.text


def _style_recurs(block: Block, blocks: list[Block], work: WorkingDocument) -> bool:
    """The block's type (size and weight) and place (its left edge) come back on a later page:
    it is a heading style (地域の現状 on page 1, 施策の方向 on page 2), not the document's title."""
    line = work.lines_of(block)[0]
    for other in blocks:
        if other.page <= block.page:
            continue
        first = work.lines_of(other)[0]
        if (
            abs(first.font_size - line.font_size) < 0.5 and first.bold == line.bold
            and abs(first.bbox[0] - line.bbox[0]) <= line.font_size
        ):
            return True
    return False


def _before_running_text(
    blocks: list[Block], body: BodyStyle, config: SectionConfig, work: WorkingDocument
) -> list[Block]:
    """The blocks of a page up to its first paragraph of running text: a title opens the
    document; a large heading further down is a heading."""
    for index, block in enumerate(blocks):
        lines = work.lines_of(block)
        if len(lines) >= config.max_heading_lines and abs(lines[0].font_size - body.size) <= config.size_tolerance:
            return blocks[:index]
    return blocks


def _title_lines(largest: Block, candidates: list[Block], body: BodyStyle, config: SectionConfig) -> list[Block]:
    """The largest line and the large lines stacked right above and below it, top to bottom."""
    size = largest.font_size or 0
    order = sorted(candidates, key=lambda b: b.bbox[1] if b.bbox else 0)
    index = order.index(largest)
    parts = [largest]
    for step in (-1, 1):
        position = index + step
        while 0 <= position < len(order):
            block = order[position]
            edge = parts[0] if step < 0 else parts[-1]
            if not _stacked(edge, block, size, body, config):
                break
            if sum(len(b.text) for b in parts) + len(block.text) > config.title_max_chars:
                break
            parts.insert(0, block) if step < 0 else parts.append(block)
            position += step
    return parts


def _stacked(edge: Block, block: Block, size: float, body: BodyStyle, config: SectionConfig) -> bool:
    """``block`` is a line of the same title: display type (larger than the body, at least
    ``title_join_ratio`` of the title's size), right above or below it, across the same
    stretch of the page."""
    block_size = block.font_size or 0
    if edge.bbox is None or block.bbox is None or block_size < config.title_join_ratio * size:
        return False
    if block_size < body.size + config.size_step:
        return False
    if not WORDLIKE.search(block.text) or min(edge.bbox[2], block.bbox[2]) <= max(edge.bbox[0], block.bbox[0]):
        return False
    gap = max(block.bbox[1] - edge.bbox[3], edge.bbox[1] - block.bbox[3])
    return gap <= config.title_line_gap_em * size


def _could_be_title(block: Block, config: SectionConfig, work: WorkingDocument) -> bool:
    family = numbering_family(block.text)[0]
    return (
        bool(block.font_size)
        and len(block.text) <= config.title_max_chars
        and len(work.lines_of(block)) <= config.title_max_lines
        and (family is None or family in _TITLE_FAMILIES)
        and not DATE_LINE.match(block.text)
    )


def is_cover(work: WorkingDocument, page: int | None, body: BodyStyle, config: SectionConfig) -> bool:
    """A cover: the first page of a document of several, with little text in the body size
    (no running paragraph of more than ``max_heading_lines`` lines, at most one paragraph
    ending a sentence; notes and captions aside)."""
    doc = work.doc
    if page is None or len(doc.pages) < 2:
        return False
    on_page = [b for b in doc.blocks if b.page == page and b.kind not in MARGIN_KINDS]
    body_lines = [
        [line for line in work.lines_of(b) if abs(line.font_size - body.size) <= config.size_tolerance] for b in on_page
    ]
    body_chars = sum(len(line.text) for lines in body_lines for line in lines)
    longest = max((len(lines) for lines in body_lines), default=0)
    sentences = sum(1 for b, lines in zip(on_page, body_lines) if b.kind == "paragraph" and lines and b.text.endswith("。"))
    return body_chars <= config.cover_max_body_chars and longest <= config.max_heading_lines and sentences <= 1
