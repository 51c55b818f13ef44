"""Sections stage: tell headings, list items, captions and paragraphs apart, and nest headings.

A heading is recognized from numbering and typography together. Each heading gets a
*style key* (its numbering family, or for an unnumbered heading its size and weight).
The first time a key appears, it takes the level below the heading it follows; after
that every heading of that key keeps that level, and its parent is the nearest earlier
heading of a lower level. This follows how reports are typeset without naming any.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.model import Block, Document, Section

# Each numbering family, with an example of what it matches at the start of a line.
NUMBERING_FAMILIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(r"^第\s*[0-9一二三四五六七八九十百]+\s*部")),  # 第1部
    ("chapter", re.compile(r"^第\s*[0-9一二三四五六七八九十百]+\s*章")),  # 第2章 調査の概要
    ("section", re.compile(r"^第\s*[0-9一二三四五六七八九十百]+\s*節")),  # 第3節
    ("article", re.compile(r"^第\s*[0-9一二三四五六七八九十百]+\s*条(?:の[0-9一二三四五六七八九十]+)?(?=[\s（(]|$)")),  # 第5条（目的）
    ("roman", re.compile(r"^[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+(?:[.．、\s]|$)")),  # Ⅱ．現状
    ("dotted_decimal", re.compile(r"^\d{1,2}[-.．]\d{1,2}(?:[-.．]\d{1,2})?(?=[\s　]|[^\d.．,])")),  # 2.1 背景 / 1-2
    ("dot_digit", re.compile(r"^\d{1,2}\s*[.．](?=\s|[^\d])")),  # 1. 背景 / 1．概要
    ("paren_digit", re.compile(r"^[（(]\s*\d{1,2}\s*[）)]")),  # （１）調査概要 / (2)
    ("circled", re.compile(r"^[①-⑳㉑-㉟]")),  # ① 始動期
    ("paren_katakana", re.compile(r"^[（(][ア-ン][）)]")),  # （ア）
    ("katakana", re.compile(r"^[ア-ン][.．、]\s*")),  # ア．対象
    ("paren_latin", re.compile(r"^[（(][a-z][）)]")),  # (a)
    ("bracket", re.compile(r"^【[^】]{1,30}】")),  # 【市の概況】
)
# Decorative markers that can open a heading; they are not part of its title.
HEADING_MARKERS = "■□◆◇▼▽▶▷►★☆◎●"
# List bullets; a bulleted line is a list item unless it is typeset as a heading.
LIST_BULLETS = "•・○●◦▪－-–‐※◆◇□■"
_LIST_MARKER = re.compile(r"^([•・○●◦▪－\-–‐◆◇□■])\s*")
# Caption lines: 図1 …, 表2-1 …, 図表3, 写真 …
_CAPTION = re.compile(r"^(?:図表?|表|写真|グラフ|Fig\.?|Table)\s*[0-9０-９\-－‐.．]*[\s：:　]")
# Source and footnote lines: 資料）…, （出典：…）, 出所：…, 注）…, ※…
_NOTE = re.compile(r"^[（(]?\s*(?:資料|出典|出所|注|備考|参考)\s*\d*\s*[）)：:]|^※")
_SENTENCE_END = re.compile(r"[。．]$|[。．][）)」』]$")
# Table-of-contents entries: a title, leader dots and a page number (第1章 総則……10).
_TOC_ENTRY = re.compile(r"[…‥]{2,}|[.．・･]{4,}|…\s*[0-9０-９]{1,4}\s*$")
# A date or edition line alone (令和7年7月版, 2025年4月) is not a heading.
_DATE_LINE = re.compile(r"^(?:令和|平成|昭和)?\s*[0-9０-９元]{1,4}\s*年(?:度)?\s*(?:[0-9０-９]{1,2}\s*月)?\s*(?:[0-9０-９]{1,2}\s*日)?\s*(?:版|現在|改訂|発行|作成)?$")
# A heading names something: it has at least two letters, kana or kanji.
_WORDLIKE = re.compile(r"[A-Za-z\u3040-\u30ff\u3400-\u9fff].*[A-Za-z\u3040-\u30ff\u3400-\u9fff]")
# The table of contents' own heading: 目次, 目 次, もくじ, Contents.
_TABLE_OF_CONTENTS = re.compile(r"^(?:目\s*次|もくじ|CONTENTS|Contents)$")
# "label：value" lines (テーマ：…) read as text, not as headings.
_LABEL_VALUE = re.compile(r"^[^：:]{1,12}[：:]\s*\S")


@dataclass
class SectionConfig:
    """Settings of the sections stage."""

    max_heading_chars: int = 60
    """A heading longer than this (characters) is read as text."""
    max_plain_heading_chars: int = 40
    """A heading set in the body typeface (recognized by its numbering alone) is at most this long."""
    max_heading_lines: int = 2
    """A heading printed over more lines than this is read as text."""
    size_step: float = 0.9
    """Points above the body size that make a line typographically a heading."""
    title_size_ratio: float = 1.35
    """The document title is at least this many times the body size (first page)."""


def run(doc: Document, config: SectionConfig) -> None:
    """Classify blocks and build ``doc.sections``; give every block its ``section_id``."""
    content = [b for b in doc.blocks if b.kind == "paragraph"]
    body = _body_style(content)
    _mark_title(doc, content, body, config)
    headings: list[Block] = []
    blocks = doc.blocks
    for index, block in enumerate(blocks):
        if block.kind != "paragraph":
            continue
        following = next((b for b in blocks[index + 1:] if b.kind not in _MARGIN_KINDS), None)
        kind = _classify(block, following, body, config)
        block.kind = kind  # type: ignore[assignment]
        if kind == "heading":
            headings.append(block)
    _build_tree(doc, headings)


_MARGIN_KINDS = ("header", "footer", "page_number")
# Numbering that structures a document; a line numbered like this is a heading even above a table.
_SECTION_FAMILIES = ("part", "chapter", "section", "article", "roman", "dotted_decimal", "dot_digit", "paren_digit")


@dataclass
class _BodyStyle:
    size: float
    font: str


def _body_style(blocks: list[Block]) -> _BodyStyle:
    """The typeface and size most of the text is set in (weighted by characters)."""
    sizes: Counter[float] = Counter()
    fonts: Counter[str] = Counter()
    for block in blocks:
        for line in block.lines:
            sizes[round(line.font_size * 2) / 2] += len(line.text)
            fonts[line.font_name] += len(line.text)
    if not sizes:
        return _BodyStyle(0.0, "")
    return _BodyStyle(sizes.most_common(1)[0][0], fonts.most_common(1)[0][0])


def _mark_title(doc: Document, blocks: list[Block], body: _BodyStyle, config: SectionConfig) -> None:
    """The document title: the largest short text on the first page with text."""
    first_page = next((b.page for b in blocks), None)
    candidates = [
        b for b in blocks
        if b.page == first_page and b.font_size and len(b.text) <= 80 and len(b.lines) <= 3
        and numbering_family(b.text)[0] is None
    ]
    if candidates and body.size:
        # Python's max keeps the first of equal keys: the earliest of the largest lines.
        largest = max(candidates, key=lambda b: b.font_size or 0)
        if (largest.font_size or 0) >= config.title_size_ratio * body.size:
            largest.kind = "title"
            doc.title = largest.text
    if doc.title is None and doc.source.metadata_title:
        doc.title = doc.source.metadata_title


def numbering_family(text: str) -> tuple[str | None, str]:
    """The numbering family of a line and the printed number: ('paren_digit', '（１）')."""
    for family, pattern in NUMBERING_FAMILIES:
        match = pattern.match(text)
        if match:
            return family, match.group().strip()
    return None, ""


def _is_emphasized(block: Block, body: _BodyStyle, config: SectionConfig) -> bool:
    if not block.lines or not body.size:
        return False
    line = block.lines[0]
    if line.font_size < body.size - 0.4:
        return False
    if line.bold or line.font_size >= body.size + config.size_step:
        return True
    return line.font_name != body.font and _looks_heavier(line.font_name, body.font)


def _introduces_text(text: str, following: Block | None) -> bool:
    """Plain text: a heading line is followed by longer text or by another numbered or marked heading."""
    if following is None:
        return False
    return (
        len(following.text) > len(text)
        or numbering_family(following.text)[0] is not None
        or re.match(f"^[{re.escape(HEADING_MARKERS)}]", following.text) is not None
    )


def _introduces_content(
    block: Block, following: Block | None, body: _BodyStyle, config: SectionConfig
) -> bool:
    """An unnumbered heading is followed by body text, a table, a numbered or marked heading,
    or a smaller heading; a run of lines in the same display type (a pamphlet) is not."""
    if following is None:
        return False
    if following.kind == "table" or not following.lines:
        return True
    if numbering_family(following.text)[0] or re.match(f"^[{re.escape(HEADING_MARKERS)}]", following.text):
        return True
    if not _is_emphasized(following, body, config):
        return True
    return following.lines[0].font_size < block.lines[0].font_size - 0.9


def _is_emphasized_beyond_face(block: Block, body: _BodyStyle, config: SectionConfig) -> bool:
    """Larger or bold, not just set in another typeface."""
    line = block.lines[0]
    return line.bold or line.font_size >= body.size + 0.4


def _looks_heavier(font: str, body_font: str) -> bool:
    """Gothic/sans faces stand out against a Mincho/serif body: 'IPAexGothic' vs 'IPAexMincho'."""
    heavy = re.compile(r"goth|sans|kaku|bold|heavy|black|meiryo|ゴシック|UD.*G|W[5-9]", re.IGNORECASE)
    return bool(heavy.search(font)) and not heavy.search(body_font)


def _classify(block: Block, following: Block | None, body: _BodyStyle, config: SectionConfig) -> str:
    text = block.text
    family, number = numbering_family(text)
    marker_match = re.match(f"^([{re.escape(HEADING_MARKERS)}])\\s*", text)
    has_geometry = bool(block.lines)
    emphasized = _is_emphasized(block, body, config)
    short = (
        len(text) <= config.max_heading_chars
        and len(block.lines) <= config.max_heading_lines
        and not _SENTENCE_END.search(text)
    )
    if has_geometry and block.lines[0].font_size < body.size - 0.4:
        if _NOTE.match(text):
            return "note"
        return "caption" if short else "paragraph"
    if _NOTE.match(text):
        return "note"
    if _TOC_ENTRY.search(text) or _DATE_LINE.match(text) or not _WORDLIKE.search(text):
        return "paragraph"
    if _CAPTION.match(text) and short:
        return "caption"
    if short and emphasized:
        if following is not None and following.kind == "table" and family not in _SECTION_FAMILIES:
            return "caption"  # 企業概要 / 表1 売上高 right above a table names the table
        if family == "bracket" and not _is_emphasized_beyond_face(block, body, config):
            return "paragraph"  # 【参考】 set in the body size is an inline label
        if marker_match:
            block.marker = marker_match.group(1)
            block.numbering = "marker:" + marker_match.group(1)
            block.text = text[marker_match.end():].strip()
            return "heading"
        if family:
            block.numbering = family
            block.marker = number
            return "heading"
        if _LABEL_VALUE.match(text) or _LIST_MARKER.match(text):
            return "paragraph" if not _LIST_MARKER.match(text) else "list_item"
        if not _introduces_content(block, following, body, config):
            return "paragraph"  # a run of display type (pamphlets, slides), not a heading
        block.numbering = "plain:%s" % (round((block.font_size or 0) * 2) / 2)
        return "heading"
    if not has_geometry and short and _introduces_text(text, following):
        # Plain text input (no typography): a short numbered or marked line followed by longer text.
        if family and family not in ("circled", "dot_digit", "paren_latin"):
            block.numbering = family
            block.marker = number
            return "heading"
        if marker_match and len(text) <= 30 and not _LIST_MARKER.match(following.text):
            block.marker = marker_match.group(1)  # ■位置 followed by its text
            block.numbering = "marker:" + marker_match.group(1)
            block.text = text[marker_match.end():].strip()
            return "heading"
    if (
        has_geometry
        and family in _SECTION_FAMILIES
        and len(block.lines) == 1
        and len(text) <= config.max_plain_heading_chars
        and not text.endswith(("、", "，", ","))
        and not _SENTENCE_END.search(text)
        and following is not None
        and (following.kind == "table" or len(following.text) > 2 * len(text))
    ):
        # Section numbering on a short line of its own, followed by body text: 1-1 事業の目的.
        block.numbering = family
        block.marker = number
        return "heading"
    list_match = _LIST_MARKER.match(text)
    if list_match:
        block.marker = list_match.group(1)
        block.numbering = "bullet"
        block.text = text[list_match.end():].strip() or text
        return "list_item"
    if family in ("circled", "paren_digit", "dot_digit", "paren_katakana", "katakana", "paren_latin"):
        block.numbering = family
        block.marker = number
        return "list_item"
    return "paragraph"


def _build_tree(doc: Document, headings: list[Block]) -> None:
    level_of_key: dict[str, int] = {}
    stack: list[Section] = []
    sections_by_block: dict[str, Section] = {}
    for index, block in enumerate(headings):
        if _TABLE_OF_CONTENTS.match(block.text):
            # 目次 is a section of its own; the headings after it are not its children.
            doc.sections.append(
                Section("s%03d" % (index + 1), 1, block.text, block.page, None, block.block_id)
            )
            block.heading_level = 1
            sections_by_block[block.block_id] = doc.sections[-1]
            stack.clear()
            continue
        key = _style_key(block)
        if key in level_of_key:
            level = level_of_key[key]
        else:
            level = (stack[-1].level + 1) if stack else 1
            level_of_key[key] = level
        while stack and stack[-1].level >= level:
            stack.pop()
        parent = stack[-1] if stack else None
        section = Section(
            section_id="s%03d" % (index + 1),
            level=level,
            title=block.text,
            page=block.page,
            parent_id=parent.section_id if parent else None,
            block_id=block.block_id,
        )
        block.heading_level = level
        if parent:
            parent.children.append(section.section_id)
        doc.sections.append(section)
        sections_by_block[block.block_id] = section
        stack.append(section)
    current: str | None = None
    for block in doc.blocks:
        if block.block_id in sections_by_block:
            current = sections_by_block[block.block_id].section_id
        if block.kind not in ("header", "footer", "page_number"):
            block.section_id = current


def _style_key(block: Block) -> str:
    """What makes two headings the same rank: their numbering family, or else their typography.

    Unnumbered headings (■ markers, 【…】 labels, plain large lines) rank by size, face and
    weight, so ■ and 【】 set alike are siblings.
    """
    family = block.numbering or "plain"
    if family == "dotted_decimal" and block.marker:
        return "%s:%d" % (family, len(re.findall(r"\d+", block.marker)))  # 1-1 ranks above 2-1-2
    if family.startswith(("marker:", "plain")) or family == "bracket":
        line = block.lines[0] if block.lines else None
        if line is None:
            return family
        return "style:%.1f:%s:%s" % (round(line.font_size * 2) / 2, line.font_name, line.bold)
    return family
