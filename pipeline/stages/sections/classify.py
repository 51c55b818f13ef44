"""Telling headings, list items, captions, notes and paragraphs apart.

The passes, in order (each one a function of its own module)::

    目次 lines → toc                                   (toc.find_printed_toc)
    headings put back together: wrapped, 第4章 first    (joins.prepare_headings)
    captions, chart text, footnotes                     (figures.mark_figures)
    page titles of slide decks and pamphlets            (pages.find_page_titles)
    the document title                                  (title.mark_title)
    every other block on its own evidence               (below)
    the document's outline: bookmarks and 目次 entries  (outline.match_entries)

A heading is recognized from numbering and typography together: a short line set larger,
bolder, underlined, on a bar or in an accent colour, or a line of section numbering on its
own at the text's left edge (（２） 対象者) followed by its text.
"""

from __future__ import annotations

from collections import Counter

from pipeline.japanese.glyphs import WORDLIKE
from pipeline.japanese.markers import (
    CLAUSE_COMMAS,
    CLAUSE_TAIL,
    DATE_LINE,
    FRAGMENT_START,
    HEADING_ENCLOSURE,
    HEADING_MARKER,
    LABEL_VALUE,
    LIST_FAMILIES,
    LIST_MARKER,
    NOTE_START,
    NUMBERED_BRACKET,
    SECTION_FAMILIES,
    SENTENCE_END,
    TITLE_WITH_PARENTHESIS,
    TOC_ENTRY,
    TOC_HEADING,
    labelled_number,
    numbering_family,
    numbering_value,
)
from pipeline.model import MARGIN_KINDS, Block
from pipeline.stages.sections.config import SectionConfig
from pipeline.stages.sections.edges import TextEdges
from pipeline.stages.sections.figures import join_value_labels, mark_diagram_labels, mark_figures
from pipeline.stages.sections.headings import make_heading, set_marker, unmake_heading
from pipeline.stages.sections.joins import is_number_only, prepare_headings
from pipeline.stages.sections.outline import apply_outline
from pipeline.stages.sections.pages import find_page_titles
from pipeline.stages.sections.style import BodyStyle, body_style, is_display_line, is_heavier, is_reversed, prominence
from pipeline.stages.sections.title import is_cover, mark_title
from pipeline.stages.sections.toc import find_printed_toc
from pipeline.stages.working import TextLine, WorkingDocument

# Numbering that names list items rather than sections in plain text: ①, 1., (a).
_PLAIN_TEXT_LIST_FAMILIES = frozenset({"circled", "dot_digit", "paren_latin"})
# A label ending with a colon runs into its value: （ア）所在地：
_RUN_IN_COLONS = ("：", ":")


def classify_blocks(work: WorkingDocument, config: SectionConfig) -> None:
    """Give every paragraph block its kind: heading, list_item, caption, note, figure_text,
    toc, paragraph or title."""
    doc = work.doc
    body = body_style([b for b in doc.blocks if b.kind == "paragraph"], work)
    toc = find_printed_toc(work, config)
    if toc is not None:
        for block in toc.blocks:
            block.kind = "toc"
    edges = TextEdges.of(work, body, config)
    prepare_headings(work, body, edges, config)
    mark_figures(work, body, config)
    for block in find_page_titles(work, body, config):
        make_heading(block)
        work.page_titles.add(block.block_id)
    mark_title(doc, body, config, work)
    # Slides and pamphlets set each page in its own sizes: weigh a line against its page's text.
    bodies = _page_bodies(work) if work.page_titles else {}
    cover = _cover_page(work, body, config)
    # A title printed twice on one page labels the columns of a table or form (確認事項 | 確認事項).
    repeated = Counter((b.page, b.text) for b in doc.blocks if b.kind == "paragraph")
    blocks = doc.blocks
    by_page: dict[int, list[Block]] = {}
    for block in blocks:
        if block.kind not in MARGIN_KINDS:
            by_page.setdefault(block.page, []).append(block)
    for index, block in enumerate(blocks):
        if block.kind != "paragraph":
            continue
        following = next((b for b in blocks[index + 1:] if b.kind not in MARGIN_KINDS), None)
        page_body = bodies.get(block.page, body)
        kind = _classify(block, following, page_body, config, work, edges)
        if kind == "heading" and (
            (bodies and not _slide_heading(block, by_page[block.page], page_body, config, work))
            or (not block.numbering and repeated.get((block.page, block.text), 0) > 1)
            or (block.page == cover and not _is_numbered(block))  # a cover's issuer, date, series
            or (not block.numbering and _describes_heading_above(block, blocks, index, work))
        ):
            kind = unmake_heading(block)
        block.kind = kind  # type: ignore[assignment]
    if bodies:
        mark_diagram_labels(work, config)
    join_value_labels(work)
    apply_outline(work, toc)


def _describes_heading_above(block: Block, blocks: list[Block], index: int, work: WorkingDocument) -> bool:
    """An unnumbered line right under a heading, in the same type, describes it in the same box:
    ①設備費 / 事業に直接必要な設備の購入に要する費用."""
    above = next((blocks[i] for i in range(index - 1, -1, -1) if blocks[i].kind not in MARGIN_KINDS), None)
    if above is None or above.kind != "heading" or not work.lines_of(above) or not work.lines_of(block):
        return False
    upper, line = work.lines_of(above)[-1], work.lines_of(block)[0]
    same_type = (
        abs(upper.font_size - line.font_size) < 0.5 and upper.bold == line.bold and upper.color == line.color
        and upper.shaded == line.shaded and upper.underlined == line.underlined
    )
    overlap = min(upper.bbox[2], line.bbox[2]) - max(upper.bbox[0], line.bbox[0])
    return same_type and overlap > 0 and 0 <= line.bbox[1] - upper.bbox[3] <= upper.font_size


def _cover_page(work: WorkingDocument, body: BodyStyle, config: SectionConfig) -> int | None:
    """The first page when it is a cover that carries the title."""
    title = next((b for b in work.doc.blocks if b.kind == "title"), None)
    first = next((b.page for b in work.doc.blocks if b.kind not in MARGIN_KINDS and work.lines_of(b)), None)
    if title is None or title.page != first or not is_cover(work, first, body, config):
        return None
    return first


def _is_numbered(block: Block) -> bool:
    return bool(block.numbering) and not block.numbering.startswith(("marker:", "plain"))


def _page_bodies(work: WorkingDocument) -> dict[int, BodyStyle]:
    """The text style of each page (its page title left out)."""
    by_page: dict[int, list[Block]] = {}
    for block in work.doc.blocks:
        if block.kind == "paragraph" and block.block_id not in work.page_titles:
            by_page.setdefault(block.page, []).append(block)
    return {page: body_style(blocks, work) for page, blocks in by_page.items()}


def _slide_heading(
    block: Block, page_blocks: list[Block], body: BodyStyle, config: SectionConfig, work: WorkingDocument
) -> bool:
    """On a titled page (a slide), display type is everywhere: a heading under the page title is
    numbered (①売上高の増加, 注意点1 期限の遵守) or stands over text set in the page's body
    type (実施体制の整備 over its bullets), not over more display type."""
    lines = work.lines_of(block)
    if not lines or not is_display_line(lines[0], body, config):
        return False
    if block.numbering or labelled_number(block.text) is not None:
        return True
    first = lines[0]
    if first.font_size < body.size + config.size_step and not (first.shaded or is_reversed(first.color)):
        return False  # bold in the page's own size: a label of a form or a diagram
    below = _text_below(block, page_blocks)
    if below is None:
        return False
    below_lines = work.lines_of(below)
    return (
        below.kind in ("paragraph", "list_item", "table")
        and (not below_lines or prominence(below_lines[0], body) <= prominence(first, body) - config.slide_text_gap)
        and (below.kind == "table" or len(below.text) >= config.min_slide_text_chars)
    )


def _text_below(block: Block, page_blocks: list[Block]) -> Block | None:
    """The nearest block under ``block`` on its page that overlaps it across."""
    if block.bbox is None:
        return None
    x0, _, x1, bottom = block.bbox
    best: Block | None = None
    for other in page_blocks:
        if other is block or other.bbox is None:
            continue
        if other.bbox[1] < bottom - 1 or min(x1, other.bbox[2]) - max(x0, other.bbox[0]) <= 0:
            continue
        if best is None or other.bbox[1] < best.bbox[1]:  # type: ignore[index]
            best = other
    return best


def _classify(
    block: Block, following: Block | None, body: BodyStyle, config: SectionConfig, work: WorkingDocument,
    edges: TextEdges,
) -> str:
    text = block.text
    lines = work.lines_of(block)
    has_geometry = bool(lines)
    if NOTE_START.match(text):
        return "note"
    if has_geometry and lines[0].font_size < body.size - config.size_tolerance:
        return "paragraph"  # small print too long to be a label (labels and footnotes are marked)
    if TOC_ENTRY.search(text):
        return "toc"
    if DATE_LINE.match(text) or not WORDLIKE.search(text):
        return "paragraph"
    if TOC_HEADING.match(text.strip()):
        return "heading"
    short = (
        len(text) <= config.max_heading_chars
        and len([line for line in lines if not is_number_only(line.text)]) <= config.max_heading_lines
        and not SENTENCE_END.search(text)
        and not text.endswith(CLAUSE_COMMAS)
        and "。" not in text[:-1]
        and not FRAGMENT_START.match(HEADING_MARKER.sub("", text))
        and not text.endswith(_RUN_IN_COLONS)
        and not CLAUSE_TAIL.match(text)
    )
    if short and has_geometry and is_display_line(lines[0], body, config):
        return _classify_emphasized(block, following, body, config, work)
    if short and HEADING_ENCLOSURE.match(text.strip()):
        make_heading(block)  # ｜ 留意点 ｜: the bars set it apart
        return "heading"
    if has_geometry and _is_decorated_numbered_heading(block, lines, body, config, edges):
        make_heading(block)
        return "heading"
    if has_geometry and _is_numbered_label_heading(block, lines, following, config, work):
        make_heading(block)
        return "heading"
    if not has_geometry and short and _introduces_text(text, following):
        kind = _classify_plain_text_heading(block, following, config)
        if kind is not None:
            return kind
    if has_geometry and _is_numbered_heading_line(block, lines, following, config, work, edges):
        # Numbering on a short line of its own at the text's left edge, followed by its text.
        make_heading(block)
        return "heading"
    return _classify_item(block)


def _classify_emphasized(
    block: Block, following: Block | None, body: BodyStyle, config: SectionConfig, work: WorkingDocument
) -> str:
    """A short line set apart from the body by its type."""
    text = block.text
    lines = work.lines_of(block)
    family, number = numbering_family(text)
    if following is not None and following.kind == "table" and family not in SECTION_FAMILIES:
        return "caption"  # 企業概要 / 表1 売上高 right above a table names the table
    if family == "bracket" and not _is_emphasized_beyond_face(lines[0], body, config):
        return "paragraph"  # 【参考】 set in the body size is an inline label
    if HEADING_MARKER.match(text) or HEADING_ENCLOSURE.match(text.strip()) or family:
        make_heading(block)
        return "heading"
    if LIST_MARKER.match(text):
        return "list_item"
    if LABEL_VALUE.match(text) and labelled_number(text) is None:
        return "paragraph"  # テーマ：… (but 要件②：雇用の拡大 is a numbered title)
    if not _introduces_content(lines, following, body, config, work):
        return "paragraph"  # a run of display type (pamphlets, slides), not a heading
    return "heading"


def _is_emphasized_beyond_face(line: TextLine, body: BodyStyle, config: SectionConfig) -> bool:
    """Larger, bold, underlined or on a bar: not just set in another typeface or colour."""
    return line.bold or line.font_size >= body.size + config.size_tolerance or line.underlined or line.shaded


def _is_decorated_numbered_heading(
    block: Block, lines: list[TextLine], body: BodyStyle, config: SectionConfig, edges: TextEdges
) -> bool:
    """A numbered line underlined, on a bar or in an accent colour at the text's left edge is a
    heading even when it runs to a sentence over a few lines:
    （２）見本市内に事業所を有し、…引き続き営業していること（法人のみ）."""
    text = block.text
    family, marker = numbering_family(text)
    first = lines[0]
    return (
        family is not None
        and family not in ("bracket", "example")
        and "。" not in text[:-1]
        and not text.endswith(_RUN_IN_COLONS)
        and len(lines) <= config.max_decorated_heading_lines
        and abs(first.font_size - body.size) <= config.size_step
        and is_display_line(first, body, config)
        and not (is_heavier(first, body) and not (first.underlined or first.shaded))
        and edges.at_left_edge(first, config)
        and not _lists_next_item(text, family, marker)  # (last: it reads the whole text)
    )


def _is_numbered_label_heading(
    block: Block, lines: list[TextLine], following: Block | None, config: SectionConfig, work: WorkingDocument
) -> bool:
    """A bracketed label with a number opening a line or two, followed by text, heads what
    follows: 【第1条 目的】 (a commentary), 【補足1】申請を取り下げる場合. An unnumbered
    【参考】 in the body type is an inline label."""
    text = block.text
    if (
        len(lines) > config.max_heading_lines
        or len(text) > config.max_caption_chars
        or SENTENCE_END.search(text)
        or not NUMBERED_BRACKET.match(text)
        or following is None
    ):
        return False
    return following.kind in ("paragraph", "list_item", "table") and bool(work.lines_of(following) or following.kind == "table")


def _lists_next_item(text: str, family: str, marker: str) -> bool:
    """The line names its own next item inline: ①書類の偽造…、②目的外の使用… is a list."""
    value = numbering_value(family, marker)
    if value is None:
        return False
    rest = text[len(marker):]
    for index in range(len(rest)):
        found, next_marker = numbering_family(rest[index:])
        if found == family and numbering_value(found, next_marker) == value + 1:
            return True
    return False


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
    if following.kind in ("table", "heading") or not following_lines:
        return True
    if numbering_family(following.text)[0] or HEADING_MARKER.match(following.text):
        return True
    if not is_display_line(following_lines[0], body, config):
        return True
    return following_lines[0].font_size < lines[0].font_size - config.size_step


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
        set_marker(block, marker.group(1), marker.end())  # ■位置 followed by its text
        return "heading"
    return None


def _is_numbered_heading_line(
    block: Block, lines: list[TextLine], following: Block | None, config: SectionConfig, work: WorkingDocument,
    edges: TextEdges,
) -> bool:
    """Numbering on a short line of its own in the body face, at the text's left edge, followed by
    its text, a caption or a table (not by the next item of the same list)."""
    text = block.text
    family, _ = numbering_family(text)
    if (
        family is None
        or family == "bracket"
        or len(lines) != 1
        or len(text) > config.max_plain_heading_chars
        or text.endswith(CLAUSE_COMMAS)
        or SENTENCE_END.search(text)
        or following is None
    ):
        return False
    if not edges.at_left_edge(lines[0], config):
        return False
    following_family = numbering_family(following.text)[0]
    following_lines = work.lines_of(following)
    indent = config.indent_em * lines[0].font_size
    deeper = bool(following_lines) and following_lines[0].bbox[0] > lines[0].bbox[0] + indent
    if following_family == family and not deeper:
        return False  # the next item of the same list: （ア）…, （イ）…
    if following.kind == "table" or (following_family is None and TITLE_WITH_PARENTHESIS.match(following.text.strip())):
        return True  # a table, or its caption: （対象となる事業者）
    if len(following.text) > config.plain_heading_text_ratio * len(text):
        return True
    # A short title over indented text: （ア） 対象経費 / 　　交付申請は… (or over an indented list)
    return len(text) <= config.max_label_heading_chars and deeper


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
