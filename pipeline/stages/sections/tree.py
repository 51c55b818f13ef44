"""Nesting headings into the section tree, and giving every block and table its section.

Each heading's parent is the nearest earlier heading that ranks above it (see
:mod:`~pipeline.stages.sections.ranks` for the evidence); its level is its depth.
"""

from __future__ import annotations

from pipeline.japanese.markers import TOC_HEADING
from pipeline.model import MARGIN_KINDS, Block, Section, Table
from pipeline.model.ids import section_id
from pipeline.stages.sections.config import SectionConfig
from pipeline.stages.sections.ranks import RankedHeading, is_above, rank_evidence, ranked_headings
from pipeline.stages.sections.style import body_style
from pipeline.stages.working import RawTable, WorkingDocument


def build_tree(work: WorkingDocument, config: SectionConfig) -> None:
    """Build ``doc.sections`` from the heading blocks (in document order) and give every
    content block, then every table, the section it sits in."""
    doc = work.doc
    headings = [b for b in doc.blocks if b.kind == "heading"]
    body = body_style([b for b in doc.blocks if b.kind == "paragraph"], work)
    ranked = ranked_headings(headings, work, body)
    evidence = rank_evidence(ranked)
    stack: list[tuple[RankedHeading, Section]] = []
    sections_by_block: dict[str, Section] = {}
    for index, heading in enumerate(ranked):
        block = heading.block
        if TOC_HEADING.match(block.text):
            # 目次 is a section of its own; the headings after it are not its children.
            stack.clear()
        while stack and not is_above(stack[-1][0], heading, evidence, config):
            stack.pop()
        parent = stack[-1][1] if stack else None
        section = Section(
            section_id=section_id(index + 1),
            level=parent.level + 1 if parent else 1,
            title=block.text,
            page=block.page,
            parent_id=parent.section_id if parent else None,
            block_id=block.block_id,
        )
        block.heading_level = section.level
        if parent:
            parent.children.append(section.section_id)
        doc.sections.append(section)
        sections_by_block[block.block_id] = section
        if not TOC_HEADING.match(block.text):
            stack.append((heading, section))
    current: str | None = None
    for block in doc.blocks:
        if block.block_id in sections_by_block:
            current = sections_by_block[block.block_id].section_id
        if block.kind not in MARGIN_KINDS:
            block.section_id = current
    _assign_table_sections(work)


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
