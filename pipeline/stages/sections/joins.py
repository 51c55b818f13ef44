"""Headings the layout cut or scattered, put back together before they are classified.

- A heading wrapped over two lines that the layout read as two blocks
  (1-1．地域資源を活かした新しい事業の / 創出) is one heading.
- A chapter number printed beside a two-line title (第4章 in a box left of the title)
  opens the title instead of ending its first line.
- An article's caption printed on the line above it, as laws and work rules do
  (（目的） / 第1条 この規則は…), is the article's heading: 第1条（目的）.
- Letter-spaced display type is closed up: 目 次 → 目次, 施 政 方 針 → 施政方針.
"""

from __future__ import annotations

import re

from pipeline.japanese.glyphs import WORDLIKE
from pipeline.japanese.lines import join_wrapped_lines, remove_letter_spacing
from pipeline.japanese.markers import (
    CLAUSE_COMMAS,
    ARTICLE_START,
    DATE_LINE,
    HEADING_MARKER,
    ITEM_START,
    SENTENCE_END,
    numbering_family,
)
from pipeline.model import MARGIN_KINDS, Block
from pipeline.stages.sections.config import SectionConfig
from pipeline.stages.sections.edges import TextEdges
from pipeline.stages.sections.style import BodyStyle, is_display_line
from pipeline.stages.working import TextLine, WorkingDocument

# An article caption alone on its line: （目的）, （適用範囲）.
_ARTICLE_CAPTION = re.compile(r"^[（(][^（）()]{1,30}[）)]$")


def prepare_headings(work: WorkingDocument, body: BodyStyle, edges: TextEdges, config: SectionConfig) -> None:
    """Every repair above, in order, on the document's blocks."""
    for block in work.doc.blocks:
        lines = work.lines_of(block)
        if len(lines) > 1:
            _number_line_first(block, lines)
        if block.kind not in MARGIN_KINDS:
            block.text = remove_letter_spacing(block.text)
    _join_wrapped_headings(work, body, edges, config)
    _attach_article_captions(work)


def _number_line_first(block: Block, lines: list[TextLine]) -> None:
    """第4章 printed in a box beside its title, read after the title's first line, goes first."""
    numbers = [line for line in lines if is_number_only(line.text)]
    if len(numbers) != 1 or lines[0] is numbers[0]:
        return
    number = numbers[0]
    rest = [line for line in lines if line is not number]
    lines[:] = [number] + rest
    block.text = number.text.strip() + join_wrapped_lines([line.text for line in rest])


def is_number_only(text: str) -> bool:
    """A line that is only a chapter, section or part number: 第4章."""
    family, marker = numbering_family(text.strip())
    return family in ("part", "chapter", "section") and len(marker) == len(text.strip())


def _join_wrapped_headings(work: WorkingDocument, body: BodyStyle, edges: TextEdges, config: SectionConfig) -> None:
    """A display line continued by a block in the same type just below it (a mark beside the
    heading, such as the number of a thumb tab, may come between them in reading order)."""
    blocks = work.doc.blocks
    absorbed: set[str] = set()
    for index, block in enumerate(blocks):
        if block.block_id in absorbed:
            continue
        for candidate in blocks[index + 1:index + 1 + config.wrap_lookahead]:
            if candidate.block_id in absorbed:
                continue
            if _continues_heading(block, candidate, work, body, edges, config):
                work.lines[block.block_id] = work.lines_of(block) + work.lines_of(candidate)
                block.text = join_wrapped_lines([block.text, candidate.text])
                block.bbox = _union(block, candidate)
                work.lines.pop(candidate.block_id, None)
                absorbed.add(candidate.block_id)
                break
            if _overlaps_horizontally(block, candidate) and WORDLIKE.search(candidate.text):
                break  # the text under the heading is not its second line
    blocks[:] = [b for b in blocks if b.block_id not in absorbed]


def _overlaps_horizontally(a: Block, b: Block) -> bool:
    if a.bbox is None or b.bbox is None or a.page != b.page:
        return True
    return min(a.bbox[2], b.bbox[2]) > max(a.bbox[0], b.bbox[0])


def _continues_heading(
    first: Block, second: Block, work: WorkingDocument, body: BodyStyle, edges: TextEdges, config: SectionConfig
) -> bool:
    upper, lower = work.lines_of(first), work.lines_of(second)
    if first.kind != "paragraph" and first.kind != "title" or second.kind != "paragraph":
        return False
    printed = [line for line in upper if not is_number_only(line.text)]
    if len(lower) != 1 or not printed or len(printed) >= config.max_heading_lines:
        return False
    last, line = upper[-1], lower[0]
    text = first.text
    if SENTENCE_END.search(text) or text.endswith(CLAUSE_COMMAS) or last.page != line.page or DATE_LINE.match(text):
        return False  # a sentence, a clause, or a date line (2025年4月) over an issuer's name
    if not (is_display_line(last, body, config) or numbering_family(text)[0] or HEADING_MARKER.match(text)):
        return False
    if last.font_size < body.size + config.size_step and not edges.reaches_right_edge(last, config):
        return False  # a heading in the body size wraps only when its line is full; display type may break early
    if SENTENCE_END.search(line.text):
        return False
    if ITEM_START.match(line.text) or numbering_family(line.text)[0]:
        return False
    if len(text) + len(line.text) > config.max_heading_chars:
        return False
    return _same_type(last, line, config) and _just_below(last, line)


def _same_type(a: TextLine, b: TextLine, config: SectionConfig) -> bool:
    return (
        abs(a.font_size - b.font_size) <= config.size_tolerance
        and a.bold == b.bold
        and a.font_name == b.font_name
        and a.color == b.color
        and not a.vertical
        and not b.vertical
    )


def _just_below(upper: TextLine, lower: TextLine) -> bool:
    """The next line of the same heading: under it (a gap under one line height), starting
    within its width (a hanging indent) or centred under it."""
    gap = lower.bbox[1] - upper.bbox[3]
    size = max(upper.font_size, 1.0)
    if not -0.3 * size <= gap <= 1.0 * size:
        return False
    centred = abs((upper.bbox[0] + upper.bbox[2]) / 2 - (lower.bbox[0] + lower.bbox[2]) / 2) <= size
    return centred or upper.bbox[0] - size <= lower.bbox[0] < upper.bbox[2]


def _union(a: Block, b: Block) -> tuple[float, float, float, float] | None:
    if a.bbox is None or b.bbox is None:
        return a.bbox or b.bbox
    return (min(a.bbox[0], b.bbox[0]), min(a.bbox[1], b.bbox[1]), max(a.bbox[2], b.bbox[2]), max(a.bbox[3], b.bbox[3]))


def _attach_article_captions(work: WorkingDocument) -> None:
    """（目的） above 第1条 この規則は… becomes the heading 第1条（目的）."""
    content = [b for b in work.doc.blocks if b.kind not in MARGIN_KINDS]
    for caption, article in zip(content, content[1:]):
        if caption.kind != "paragraph" or not _ARTICLE_CAPTION.match(caption.text.strip()):
            continue
        if len(work.lines_of(caption)) > 1:
            continue
        article_number = ARTICLE_START.match(article.text)
        if article_number is None or article.page not in (caption.page, caption.page + 1):
            continue
        marker = article_number.group()
        caption.text = marker + caption.text.strip()
        caption.kind = "heading"
        caption.numbering = "article"
        caption.marker = marker
