"""Nesting headings into the section tree, and giving every block and table its section.

Each heading gets a *style key* (its numbering family, or for an unnumbered heading its
size and weight). The first time a key appears, it takes the level below the heading it
follows; after that every heading of that key keeps that level, and its parent is the
nearest earlier heading of a lower level. This follows how reports are typeset without
naming any.
"""

from __future__ import annotations

import re

from pipeline.japanese.markers import TOC_HEADING
from pipeline.model import MARGIN_KINDS, Block, Section, Table
from pipeline.model.ids import section_id
from pipeline.stages.working import RawTable, WorkingDocument


def build_tree(work: WorkingDocument) -> None:
    """Build ``doc.sections`` from the heading blocks (in document order) and give every
    content block, then every table, the section it sits in."""
    doc = work.doc
    headings = [b for b in doc.blocks if b.kind == "heading"]
    level_of_key: dict[str, int] = {}
    stack: list[Section] = []
    sections_by_block: dict[str, Section] = {}
    for index, block in enumerate(headings):
        if TOC_HEADING.match(block.text):
            # 目次 is a section of its own; the headings after it are not its children.
            doc.sections.append(Section(section_id(index + 1), 1, block.text, block.page, None, block.block_id))
            block.heading_level = 1
            sections_by_block[block.block_id] = doc.sections[-1]
            stack.clear()
            continue
        key = _style_key(block, work)
        if key in level_of_key:
            level = level_of_key[key]
        else:
            level = (stack[-1].level + 1) if stack else 1
            level_of_key[key] = level
        while stack and stack[-1].level >= level:
            stack.pop()
        parent = stack[-1] if stack else None
        section = Section(
            section_id=section_id(index + 1),
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
        if block.kind not in MARGIN_KINDS:
            block.section_id = current
    _assign_table_sections(work)


def _style_key(block: Block, work: WorkingDocument) -> str:
    """What makes two headings the same rank: their numbering family, or else their typography.

    Unnumbered headings (■ markers, 【…】 labels, plain large lines) rank by size, face and
    weight, so ■ and 【】 set alike are siblings.
    """
    family = block.numbering or "plain"
    if family == "dotted_decimal" and block.marker:
        return "%s:%d" % (family, len(re.findall(r"\d+", block.marker)))  # 1-1 ranks above 2-1-2
    if family.startswith(("marker:", "plain")) or family == "bracket":
        lines = work.lines_of(block)
        if not lines:
            return family
        line = lines[0]
        return "style:%.1f:%s:%s" % (round(line.font_size * 2) / 2, line.font_name, line.bold)
    return family


def _assign_table_sections(work: WorkingDocument) -> None:
    """A table sits in the section of its placeholder block, else of its caption, else of the
    last block printed above it; a continuation with none takes the previous table's."""
    doc = work.doc
    placeholders = {b.table_id: b for b in doc.blocks if b.kind == "table" and b.table_id}
    content = doc.content_blocks()
    raw_by_id = {raw.table_id: raw for raw in work.raw_tables}
    previous: Table | None = None
    for table in doc.tables:
        table.section_id = _section_of(
            placeholders.get(table.table_id), work.table_captions.get(table.table_id, []), raw_by_id[table.table_id],
            content,
        )
        if table.section_id is None and table.continuation_of and previous is not None:
            table.section_id = previous.section_id
        previous = table


def _section_of(block: Block | None, captions: list[Block], raw: RawTable, content: list[Block]) -> str | None:
    if block is not None and block.section_id:
        return block.section_id
    for caption in captions:
        if caption.section_id:
            return caption.section_id
    # No placeholder: the section of the last block printed above the table.
    above = [
        b for b in content
        if b.bbox is not None and (b.page < raw.page or (b.page == raw.page and b.bbox[3] <= raw.bbox[1] + 1))
    ]
    return above[-1].section_id if above else None
