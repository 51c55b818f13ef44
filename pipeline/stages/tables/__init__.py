"""Tables stage: find tables on a page, rebuild cell text, then type and label them.

Two halves:

* Page level, run by the layout stage while a page is open (``page_detector``): ruled
  tables come from pdfplumber's ``lines`` strategy (``ruled``); tables drawn with partial
  or no rules come from text alignment (``ruleless``). Cell text is rebuilt from the
  characters inside each cell with the same Japanese line joining as paragraphs
  (鉱業，採石 / 業，砂利採 / 取業 → 鉱業，採石業，砂利採取業). Only plain data
  (``RawTable``/``RawCell``) leaves the page. Tables pasted as pictures get a warning.
* Document level, after block kinds are known and before the section tree is built
  (``run``): one ``Table`` per ``RawTable``, in the same order. It attaches the caption
  above and the source note below (``captions``), links a table continued on the next
  page or split under one caption (``continuation``), detects header rows, row-label
  columns and key–value tables, and types every body cell (``structure``, ``values``).
"""

from __future__ import annotations

from pipeline.stages.tables.captions import CaptionFinder, caption_texts, mark_caption, mark_note
from pipeline.stages.tables.config import RulelessConfig, TableConfig
from pipeline.stages.tables.context import TableContext
from pipeline.stages.tables.continuation import link_continuations
from pipeline.stages.tables.detect import detect_image_tables, detect_tables, page_detector
from pipeline.stages.tables.structure import build_table, type_table
from pipeline.stages.tables.values import CellValue, parse_cell_value
from pipeline.stages.working import WorkingDocument

__all__ = [
    "CellValue",
    "RulelessConfig",
    "TableConfig",
    "detect_image_tables",
    "detect_tables",
    "page_detector",
    "parse_cell_value",
    "run",
]


def run(work: WorkingDocument, config: TableConfig) -> None:
    """Build ``doc.tables`` from the working document's table regions (one Table each, same order).

    Attaches captions and source notes (setting those blocks' kind and table_id), header
    rows, label columns, typed cells, units, totals, key–value records and continuation
    links. Sections are given later, by the sections stage, once the tree is built.
    """
    doc = work.doc
    placeholders = {b.table_id: b for b in doc.blocks if b.kind == "table" and b.table_id}
    finder = CaptionFinder(work, config)
    contexts: list[TableContext] = []
    for raw in work.raw_tables:
        block = placeholders.get(raw.table_id)
        caption_blocks = finder.caption_of(raw, block)
        note_blocks = finder.notes_of(raw, block)
        table = build_table(raw)
        table.context = finder.context_of(raw, block, caption_blocks)
        table.caption, caption_unit_text = caption_texts(caption_blocks)
        table.source_note = " ".join(b.text for b in note_blocks) or None
        for caption_block in caption_blocks:
            mark_caption(caption_block, table.table_id)
        for note_block in note_blocks:
            mark_note(note_block, table.table_id)
        work.table_captions[table.table_id] = caption_blocks
        contexts.append(TableContext(table, raw, block, bool(caption_blocks), caption_unit_text))
        doc.tables.append(table)
    link_continuations(contexts, finder.content, config)
    by_id = {c.table.table_id: c.table for c in contexts}
    for context in contexts:
        type_table(context, by_id.get(context.table.continuation_of or ""), config)
