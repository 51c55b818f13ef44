"""Telling headings, list items, captions, notes and paragraphs apart, block by block.

A heading is recognized from numbering and typography together: a short line set larger,
bolder or in a heavier face than the body, or a line of section numbering on its own
(1-1 事業の目的) followed by its text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pipeline.japanese.fonts import looks_heavier
from pipeline.japanese.glyphs import WORDLIKE
from pipeline.japanese.markers import (
    CAPTION,
    DATE_LINE,
    HEADING_MARKER,
    LABEL_VALUE,
    LIST_FAMILIES,
    LIST_MARKER,
    NOTE_START,
    SECTION_FAMILIES,
    SENTENCE_END,
    TOC_ENTRY,
    numbering_family,
)
from pipeline.model import MARGIN_KINDS, Block, Document
from pipeline.stages.sections.config import SectionConfig
from pipeline.stages.working import TextLine, WorkingDocument

# Numbering that names list items rather than sections in plain text: ①, 1., (a).
_PLAIN_TEXT_LIST_FAMILIES = frozenset({"circled", "dot_digit", "paren_latin"})
# A line ending with a comma continues into the next: 次のとおり、
_CLAUSE_COMMAS = ("、", "，", ",")


@dataclass
class BodyStyle:
    """The typeface and size most of the text is set in."""

    size: float
    font: str


def classify_blocks(work: WorkingDocument, config: SectionConfig) -> None:
    """Give every paragraph block its kind: heading, list_item, caption, note, paragraph or title."""
    doc = work.doc
    content = [b for b in doc.blocks if b.kind == "paragraph"]
    body = body_style(content, work)
    _mark_title(doc, content, body, config, work)
    blocks = doc.blocks
    for index, block in enumerate(blocks):
        if block.kind != "paragraph":
            continue
        following = next((b for b in blocks[index + 1:] if b.kind not in MARGIN_KINDS), None)
        block.kind = _classify(block, following, body, config, work)  # type: ignore[assignment]


def body_style(blocks: list[Block], work: WorkingDocument) -> BodyStyle:
    """The typeface and size most of the text is set in (weighted by characters)."""
    sizes: Counter[float] = Counter()
    fonts: Counter[str] = Counter()
    for block in blocks:
        for line in work.lines_of(block):
            sizes[round(line.font_size * 2) / 2] += len(line.text)
            fonts[line.font_name] += len(line.text)
    if not sizes:
        return BodyStyle(0.0, "")
    return BodyStyle(sizes.most_common(1)[0][0], fonts.most_common(1)[0][0])


def _mark_title(
    doc: Document, blocks: list[Block], body: BodyStyle, config: SectionConfig, work: WorkingDocument
) -> None:
    """The document title: the largest short text on the first page with text."""
    first_page = next((b.page for b in blocks), None)
    candidates = [
        b for b in blocks
        if b.page == first_page and b.font_size and len(b.text) <= config.title_max_chars
        and len(work.lines_of(b)) <= config.title_max_lines and numbering_family(b.text)[0] is None
    ]
    if candidates and body.size:
        # Python's max keeps the first of equal keys: the earliest of the largest lines.
        largest = max(candidates, key=lambda b: b.font_size or 0)
        if (largest.font_size or 0) >= config.title_size_ratio * body.size:
            largest.kind = "title"
            doc.title = largest.text
    if doc.title is None and doc.source.metadata_title:
        doc.title = doc.source.metadata_title


def _is_emphasized(lines: list[TextLine], body: BodyStyle, config: SectionConfig) -> bool:
    if not lines or not body.size:
        return False
    line = lines[0]
    if line.font_size < body.size - config.size_tolerance:
        return False
    if line.bold or line.font_size >= body.size + config.size_step:
        return True
    return line.font_name != body.font and looks_heavier(line.font_name, body.font)


def _is_emphasized_beyond_face(lines: list[TextLine], body: BodyStyle, config: SectionConfig) -> bool:
    """Larger or bold, not just set in another typeface."""
    line = lines[0]
    return line.bold or line.font_size >= body.size + config.size_tolerance


def _introduces_text(text: str, following: Block | None) -> bool:
    """Plain text: a heading line is followed by longer text or by another numbered or marked heading."""
    if following is None:
        return False
    return (
        len(following.text) > len(text)
        or numbering_family(following.text)[0] is not None
        or HEADING_MARKER.match(following.text) is not None
    )


def _introduces_content(
    lines: list[TextLine], following: Block | None, body: BodyStyle, config: SectionConfig, work: WorkingDocument
) -> bool:
    """An unnumbered heading is followed by body text, a table, a numbered or marked heading,
    or a smaller heading; a run of lines in the same display type (a pamphlet) is not."""
    if following is None:
        return False
    following_lines = work.lines_of(following)
    if following.kind == "table" or not following_lines:
        return True
    if numbering_family(following.text)[0] or HEADING_MARKER.match(following.text):
        return True
    if not _is_emphasized(following_lines, body, config):
        return True
    return following_lines[0].font_size < lines[0].font_size - config.size_step


def _classify(
    block: Block, following: Block | None, body: BodyStyle, config: SectionConfig, work: WorkingDocument
) -> str:
    text = block.text
    lines = work.lines_of(block)
    has_geometry = bool(lines)
    short = (
        len(text) <= config.max_heading_chars
        and len(lines) <= config.max_heading_lines
        and not SENTENCE_END.search(text)
    )
    if has_geometry and lines[0].font_size < body.size - config.size_tolerance:
        if NOTE_START.match(text):
            return "note"
        return "caption" if short else "paragraph"
    if NOTE_START.match(text):
        return "note"
    if TOC_ENTRY.search(text) or DATE_LINE.match(text) or not WORDLIKE.search(text):
        return "paragraph"
    if CAPTION.match(text) and short:
        return "caption"
    if short and _is_emphasized(lines, body, config):
        return _classify_emphasized(block, following, body, config, work)
    if not has_geometry and short and _introduces_text(text, following):
        kind = _classify_plain_text_heading(block, following, config)
        if kind is not None:
            return kind
    if has_geometry and _is_numbered_heading_line(block, len(lines), following, config):
        # Section numbering on a short line of its own, followed by body text: 1-1 事業の目的.
        _set_numbering(block)
        return "heading"
    return _classify_item(block)


def _classify_emphasized(
    block: Block, following: Block | None, body: BodyStyle, config: SectionConfig, work: WorkingDocument
) -> str:
    """A short line set larger, bolder or heavier than the body."""
    text = block.text
    lines = work.lines_of(block)
    family, number = numbering_family(text)
    if following is not None and following.kind == "table" and family not in SECTION_FAMILIES:
        return "caption"  # 企業概要 / 表1 売上高 right above a table names the table
    if family == "bracket" and not _is_emphasized_beyond_face(lines, body, config):
        return "paragraph"  # 【参考】 set in the body size is an inline label
    marker = HEADING_MARKER.match(text)
    if marker:
        _set_marker(block, marker.group(1), marker.end())
        return "heading"
    if family:
        block.numbering = family
        block.marker = number
        return "heading"
    if LIST_MARKER.match(text):
        return "list_item"
    if LABEL_VALUE.match(text):
        return "paragraph"
    if not _introduces_content(lines, following, body, config, work):
        return "paragraph"  # a run of display type (pamphlets, slides), not a heading
    block.numbering = "plain:%s" % (round((block.font_size or 0) * 2) / 2)
    return "heading"


def _classify_plain_text_heading(block: Block, following: Block | None, config: SectionConfig) -> str | None:
    """Plain text input (no typography): a short numbered or marked line followed by longer text."""
    text = block.text
    family, number = numbering_family(text)
    if family and family not in _PLAIN_TEXT_LIST_FAMILIES:
        block.numbering = family
        block.marker = number
        return "heading"
    marker = HEADING_MARKER.match(text)
    if (
        marker and len(text) <= config.plain_marker_heading_max_chars
        and following is not None and not LIST_MARKER.match(following.text)
    ):
        _set_marker(block, marker.group(1), marker.end())  # ■位置 followed by its text
        return "heading"
    return None


def _is_numbered_heading_line(block: Block, n_lines: int, following: Block | None, config: SectionConfig) -> bool:
    """Section numbering on a short line of its own in the body face, followed by its text."""
    text = block.text
    family, _ = numbering_family(text)
    return (
        family in SECTION_FAMILIES
        and n_lines == 1
        and len(text) <= config.max_plain_heading_chars
        and not text.endswith(_CLAUSE_COMMAS)
        and not SENTENCE_END.search(text)
        and following is not None
        and (following.kind == "table" or len(following.text) > config.plain_heading_text_ratio * len(text))
    )


def _classify_item(block: Block) -> str:
    """A bulleted or list-numbered line is a list item; anything else a paragraph."""
    text = block.text
    list_match = LIST_MARKER.match(text)
    if list_match:
        block.marker = list_match.group(1)
        block.numbering = "bullet"
        block.text = text[list_match.end():].strip() or text
        return "list_item"
    family, number = numbering_family(text)
    if family in LIST_FAMILIES:
        block.numbering = family
        block.marker = number
        return "list_item"
    return "paragraph"


def _set_numbering(block: Block) -> None:
    block.numbering, block.marker = numbering_family(block.text)


def _set_marker(block: Block, marker: str, end: int) -> None:
    """A decorative marker opens the heading; the title is what follows it (■ 事業概要 → 事業概要)."""
    block.marker = marker
    block.numbering = "marker:" + marker
    block.text = block.text[end:].strip()
