"""Where an amount is printed: its sentence and clause, or its table row and column.

Built once per document from the finished Document; the attribution reads only these.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field

from pipeline.model import Block, Document, Mention, Table
from pipeline.model.ids import cell_unit_id
from pipeline.model.table_views import column_headers, row_labels

_SENTENCE_END = re.compile(r"[。！？!?]+[」』）)]*|\n")
"""Sentences end at 。！？ (with the brackets closing after them) and at line ends."""

_CLAUSE_END = re.compile(r"[、，,；;]|\s{2,}|[）)](?=\S)")
"""Clauses end at commas and semicolons: 補助上限額は500万円、補助率は1/2 → two clauses."""


@dataclass
class Place:
    """A text unit: a block or a table cell, with the mentions printed in it."""

    para_id: str
    text: str
    page: int | None
    section_id: str | None
    mentions: list[Mention] = field(default_factory=list)
    table: Table | None = None
    row: int | None = None
    col: int | None = None
    _sentence_marks: list[tuple[int, int]] | None = field(default=None, repr=False)
    _clause_marks: list[tuple[int, int]] | None = field(default=None, repr=False)

    def sentence_span(self, start: int, end: int) -> tuple[int, int]:
        """The sentence holding text[start:end] (its ending 。 included)."""
        if self._sentence_marks is None:  # found once per place, however many amounts it has
            self._sentence_marks = [m.span() for m in _SENTENCE_END.finditer(self.text)]
        return _between_marks(self._sentence_marks, start, end, 0, len(self.text))

    def clause_span(self, start: int, end: int) -> tuple[int, int]:
        """The clause holding text[start:end], within its sentence."""
        if self._clause_marks is None:
            self._clause_marks = [m.span() for m in _CLAUSE_END.finditer(self.text)]
        return _between_marks(self._clause_marks, start, end, *self.sentence_span(start, end))


def _between_marks(marks: list[tuple[int, int]], start: int, end: int, low: int, high: int) -> tuple[int, int]:
    """From the end of the last mark before ``start`` to the end of the first mark after ``end``
    (marks sorted by position), kept within [low, high]."""
    before = bisect.bisect_right(marks, (start, start)) - 1
    while before >= 0 and marks[before][1] > start:
        before -= 1
    left = marks[before][1] if before >= 0 else 0
    after = bisect.bisect_left(marks, (end, end))
    right = marks[after][1] if after < len(marks) else high
    return max(left, low), min(right, high)


@dataclass
class DocumentContext:
    """Every place with its mentions, the tables' label paths, and the blocks in reading order."""

    places: dict[str, Place]
    order: list[str]
    """Block ids in reading order (table cells are not in it)."""
    position: dict[str, int]
    """Block id → its index in ``order``."""
    row_labels: dict[str, list[str]]
    column_headers: dict[str, list[str]]
    section_parent: dict[str, str | None]
    heading_of_section: dict[str, str]
    """Section id → the block id of its heading."""


def document_context(doc: Document) -> DocumentContext:
    places: dict[str, Place] = {}
    order: list[str] = []
    for block in doc.blocks:
        if block.text and block.kind not in ("table", "header", "footer", "page_number"):
            places[block.block_id] = Place(block.block_id, block.text, block.page, block.section_id)
            order.append(block.block_id)
    parents = {t.table_id: t for t in doc.tables}
    labels: dict[str, list[str]] = {}
    headers: dict[str, list[str]] = {}
    for table in doc.tables:
        labels[table.table_id] = row_labels(table)
        headers[table.table_id] = column_headers(table, parents.get(table.continuation_of or ""))
        for r, row in enumerate(table.rows):
            for c, text in enumerate(row):
                if text and text.strip():
                    unit = cell_unit_id(table.table_id, r, c)
                    places[unit] = Place(unit, text, table.page, table.section_id, table=table, row=r, col=c)
    for mention in doc.mentions:
        if mention.para_id in places:
            places[mention.para_id].mentions.append(mention)
    return DocumentContext(
        places, order, {block_id: k for k, block_id in enumerate(order)}, labels, headers,
        {s.section_id: s.parent_id for s in doc.sections},
        {s.section_id: s.block_id for s in doc.sections if s.block_id},
    )


def cell_path(context: DocumentContext, place: Place) -> str:
    """A table cell's row label and column header: 'row label | column header'."""
    assert place.table is not None and place.row is not None and place.col is not None
    table_id = place.table.table_id
    label = context.row_labels[table_id][place.row] if place.row < len(context.row_labels[table_id]) else ""
    header = context.column_headers[table_id][place.col] if place.col < len(context.column_headers[table_id]) else ""
    return " | ".join(part for part in (label, header) if part)


def row_places(context: DocumentContext, place: Place) -> list[Place]:
    """The label cells of a table cell's row and the header cells of its column."""
    assert place.table is not None and place.row is not None and place.col is not None
    table = place.table
    found: list[Place] = []
    for c in range(table.n_cols):
        if c != place.col and (c < max(table.label_cols, 1) or place.row >= table.header_rows):
            other = context.places.get(cell_unit_id(table.table_id, place.row, c))
            if other is not None:
                found.append(other)
    for r in range(min(table.header_rows, place.row)):
        other = context.places.get(cell_unit_id(table.table_id, r, place.col))
        if other is not None:
            found.append(other)
    return found


def table_places(context: DocumentContext, table: Table) -> list[Place]:
    """Every cell of a table, row by row."""
    return [context.places[unit] for r in range(table.n_rows) for c in range(table.n_cols)
            if (unit := cell_unit_id(table.table_id, r, c)) in context.places]


def heading_places(context: DocumentContext, section_id: str | None) -> list[Place]:
    """The headings of a section and of every section above it, nearest first."""
    found: list[Place] = []
    seen: set[str] = set()
    while section_id and section_id not in seen:
        seen.add(section_id)
        block = context.heading_of_section.get(section_id)
        if block and block in context.places:
            found.append(context.places[block])
        section_id = context.section_parent.get(section_id)
    return found


_CHART_KINDS = ("figure_text", "caption")
_YEAR_LABEL_REST = re.compile(r"[\s()（）・/／~～〜\-－]*")
"""What may stand beside the years of an axis label: 2031年度 / (2032年度)."""


def chart_years(doc: Document) -> dict[str, str]:
    """Amounts printed over a chart's year axis: the k-th amount from the left is the k-th year's.

    A bar chart prints a value over each bar and a year under it (3,200万円 … 2031年度). The
    labels of neighbouring bars may be read as one line (2032年度2033年度), and the bars of a
    chart without rules may be read as a table, so amounts and years are paired by their order
    from the left, and only when the page has as many amounts as axis years, the years rising
    within each chart (two charts side by side: 2025…2028, 2025…2028). Returns mention id →
    YEAR entity id."""
    blocks = {b.block_id: b for b in doc.blocks if b.bbox}
    tables = {t.table_id: t for t in doc.tables}
    by_page: dict[int, tuple[list[tuple[float, Mention]], list[tuple[float, Mention]]]] = defaultdict(
        lambda: ([], []))
    by_block: dict[str, list[Mention]] = defaultdict(list)
    for mention in doc.mentions:
        by_block[mention.para_id or ""].append(mention)
    for unit, mentions in by_block.items():
        block = blocks.get(unit)
        labels = {m.label for m in mentions}
        if block is not None and block.kind in _CHART_KINDS:
            amounts, years = by_page[block.page]
            if labels == {"MONEY"}:
                amounts.extend((_x_in_block(block, m), m) for m in mentions)
            elif labels == {"YEAR"} and not _YEAR_LABEL_REST.sub("", _without(block.text, mentions)):
                years.extend((_x_in_block(block, m), m) for m in mentions)
        elif (cell := _CELL.match(unit)) and cell.group(1) in tables and "MONEY" in labels:
            table = tables[cell.group(1)]
            x = table.bbox[0] + (int(cell.group(3)) + 0.5) / max(table.n_cols, 1) * (table.bbox[2] - table.bbox[0])
            by_page[table.page][0].extend((x, m) for m in mentions if m.label == "MONEY")
    paired: dict[str, str] = {}
    for amounts, years in by_page.values():
        amounts.sort(key=lambda item: item[0])
        years.sort(key=lambda item: item[0])
        if len(amounts) == len(years) >= 2 and _rising_runs([m.value for _, m in years]):
            paired.update((a.mention_id, y.entity_id) for (_, a), (_, y) in zip(amounts, years))
    return paired


_CELL = re.compile(r"^T(\d+):r(\d+)c(\d+)$")


def _x_in_block(block: Block, mention: Mention) -> float:
    """Where a mention stands across its line (labels of two bars read as one line)."""
    assert block.bbox is not None
    share = (mention.char_start + mention.char_end) / 2 / max(len(block.text), 1)
    return block.bbox[0] + share * (block.bbox[2] - block.bbox[0])


def _rising_runs(values: list[int | None]) -> bool:
    """Years that rise, starting again for each chart: 2025 2026 2027 | 2025 2026 2027."""
    runs: list[list[int]] = []
    for value in values:
        if value is None:
            return False
        if not runs or value <= runs[-1][-1]:
            runs.append([])
        runs[-1].append(value)
    return all(len(run) >= 2 for run in runs) and len({len(run) for run in runs}) == 1


def _without(text: str, mentions: list[Mention]) -> str:
    for mention in sorted(mentions, key=lambda m: -m.char_start):
        text = text[:mention.char_start] + text[mention.char_end:]
    return text


def count_labels(doc: Document, label: str) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for mention in doc.mentions:
        if mention.label == label:
            counts[mention.entity_id] += 1
    return counts
