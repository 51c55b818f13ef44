"""Putting the pages together: running lines set aside, reading order, blocks, and paragraphs
joined across page and column breaks."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.model import Block, QualityWarning, format_share
from pipeline.model.ids import table_id
from pipeline.stages.layout.blocks import BlockNumbers, LaidBlock, group_blocks, join_across_pages, single_line_block
from pipeline.stages.layout.config import LayoutConfig
from pipeline.stages.layout.order import PlacedItem, reading_order
from pipeline.stages.layout.page import PageLayout
from pipeline.stages.layout.running import running_lines
from pipeline.stages.working import WorkingDocument

_PAGE_NUMBER_DECORATION = "-－‐―—–()（） "
"""Printed around a page number and not part of it: - 3 -, （4）."""


def assemble(work: WorkingDocument, pages: Iterable[PageLayout], config: LayoutConfig) -> None:
    """Add pages, warnings, raw tables and blocks (in reading order) to the working document."""
    doc = work.doc
    page_list = list(pages)
    running = running_lines([(p.info.number, p.lines) for p in page_list], config)
    numbers = BlockNumbers()
    laid: list[LaidBlock] = []
    for layout in page_list:
        doc.pages.append(layout.info)
        doc.warnings.extend(_page_warnings(layout))
        for table in layout.tables:
            work.raw_tables.append(table)
            table.table_id = table_id(len(work.raw_tables))
        margin_blocks: list[LaidBlock] = []
        body_items: list[PlacedItem] = []
        for index, line in enumerate(layout.lines):
            kind = running.get((layout.info.number, index))
            if kind:
                if kind == "page_number":
                    layout.info.printed_page = line.text.strip(_PAGE_NUMBER_DECORATION)
                margin_blocks.append(single_line_block(numbers.next(), kind, line))  # type: ignore[arg-type]
            else:
                body_items.append(PlacedItem(line.bbox, line=line, marks=layout.footnote_marks.get(index, [])))
        for table in layout.tables:
            body_items.append(PlacedItem(table.bbox, table_id=table.table_id))
        ordered = reading_order(body_items, config)
        page_blocks = group_blocks(ordered, layout.info.number, numbers, config)
        header = [b for b in margin_blocks if _in_upper_half(b.block, layout.info.height)]
        footer = [b for b in margin_blocks if b not in header]
        laid.extend(header + page_blocks + footer)
    for item in join_across_pages(laid, config.blocks):
        doc.blocks.append(item.block)
        if item.lines:
            work.lines[item.block.block_id] = item.lines


def _in_upper_half(block: Block, page_height: float) -> bool:
    return bool(block.bbox) and block.bbox[1] < page_height / 2  # type: ignore[index]


def _page_warnings(layout: PageLayout) -> list[QualityWarning]:
    info = layout.info
    warnings = list(layout.warnings)
    if info.needs_ocr:
        warnings.append(
            QualityWarning("no_text_layer", "page has no text layer (scanned or image only); OCR needed", info.number)
        )
    if info.unmapped_chars:
        total = info.unmapped_chars + info.n_chars
        warnings.append(
            QualityWarning(
                "unmapped_glyphs",
                f"{info.unmapped_chars} of {total} characters ({format_share(info.unmapped_chars / total)}) have no "
                "Unicode mapping ((cid:NN) or private-use glyphs) and were left out",
                info.number,
            )
        )
    return warnings
