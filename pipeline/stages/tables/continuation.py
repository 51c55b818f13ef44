"""Tables continued on the next page, or split in two under one caption."""

from __future__ import annotations

import statistics

from pipeline.model import Block
from pipeline.stages.tables.config import TableConfig
from pipeline.stages.tables.context import TableContext
from pipeline.stages.working import RawTable


def link_continuations(contexts: list[TableContext], content: list[Block], config: TableConfig) -> None:
    """Table B continues table A when B has no caption of its own, follows A with nothing
    but running heads between them (same page, or next page), and has A's columns.
    B then takes A's caption and unit line."""
    position = {id(b): i for i, b in enumerate(content)}
    for previous, current in zip(contexts, contexts[1:]):
        if current.has_caption:
            continue
        a, b = previous.raw, current.raw
        if a.n_cols != b.n_cols or not _same_columns(a, b, config.column_tolerance_share):
            continue
        if not _adjacent(previous, current, content, position, config) and not (
            _repeats_header(previous, current) and not _heading_between(previous, current, content, position)
        ):
            continue
        origin = previous.table.continuation_of or previous.table.table_id
        current.table.continuation_of = origin
        current.table.caption = previous.table.caption
        current.caption_unit_text = current.caption_unit_text or previous.caption_unit_text


def _column_edges(raw: RawTable) -> list[float]:
    edges: dict[int, list[float]] = {}
    for cell in raw.cells:
        if cell.col_span == 1:
            edges.setdefault(cell.col, []).append(cell.bbox[0])
    return [statistics.median(v) for _, v in sorted(edges.items())]


def _same_columns(a: RawTable, b: RawTable, tolerance: float) -> bool:
    width = max(a.bbox[2] - a.bbox[0], b.bbox[2] - b.bbox[0], 1.0)
    if abs(a.bbox[0] - b.bbox[0]) > tolerance * width or abs(a.bbox[2] - b.bbox[2]) > tolerance * width:
        return False
    if a.strategy == "text" or b.strategy == "text":
        return True
    left_a, left_b = _column_edges(a), _column_edges(b)
    if len(left_a) != len(left_b):
        return True  # a column with only merged cells: outer edges already agree
    # Column widths may be re-fitted to the new header; the first column (row labels) holds.
    return abs(left_a[0] - left_b[0]) <= tolerance * width


def _adjacent(
    previous: TableContext, current: TableContext, content: list[Block], position: dict[int, int], config: TableConfig
) -> bool:
    """Nothing but the previous table's notes (and running heads) between the two tables."""
    a, b = previous.raw, current.raw
    if b.page not in (a.page, a.page + 1):
        return False
    if previous.block is not None and current.block is not None and id(previous.block) in position \
            and id(current.block) in position:
        start, end = position[id(previous.block)], position[id(current.block)]
        return not [x for x in content[start + 1:end] if not _note_of(x, previous)]
    # No placeholders: same page, right below; or next page, near its top.
    if b.page == a.page:
        return 0 <= b.bbox[1] - a.bbox[3] <= config.continuation_gap
    blocks_between = [
        x for x in content
        if x.bbox is not None and x.kind != "table"
        and ((x.page == a.page and x.bbox[1] >= a.bbox[3]) or (x.page == b.page and x.bbox[3] <= b.bbox[1]))
        and not _note_of(x, previous)
    ]
    return not blocks_between


def _repeats_header(previous: TableContext, current: TableContext) -> bool:
    """On the same or the next page, B opens with A's header row printed again: a table
    continued after a paragraph or a note set between its parts."""
    a, b = previous.raw, current.raw
    if b.page not in (a.page, a.page + 1) or not previous.table.rows or not current.table.rows:
        return False
    first_a, first_b = previous.table.rows[0], current.table.rows[0]
    filled = [t for t in first_a if t]
    return len(filled) >= 2 and first_a == first_b


def _heading_between(previous: TableContext, current: TableContext, content: list[Block], position: dict[int, int]) -> bool:
    """A heading, a caption or a short context label (歳出) between two tables: B starts a table of its own."""
    if current.table.context:
        return True
    if previous.block is None or current.block is None or id(previous.block) not in position \
            or id(current.block) not in position:
        return True  # no reading order to tell: do not link across
    start, end = position[id(previous.block)], position[id(current.block)]
    return any(b.kind in ("heading", "caption", "title") for b in content[start + 1:end])


def _note_of(block: Block, context: TableContext) -> bool:
    return block.kind == "note" and block.table_id == context.table.table_id
