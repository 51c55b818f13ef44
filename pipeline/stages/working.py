"""What the stages hand each other while a document is built, kept apart from the output model.

``WorkingDocument`` wraps the ``Document`` being filled in with the data only stages need:
each text block's printed lines (font, size, position) and the table regions the layout
stage found on the pages. Exporters never see any of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.model import BBox, Block, Document
from pipeline.model.ids import block_id
from pipeline.pdf.outline import Bookmark


@dataclass
class TextLine:
    """One printed line of text, as the layout stage reads it."""

    text: str
    page: int
    bbox: BBox
    font_name: str
    font_size: float
    bold: bool
    column: int = 0
    """Column index on the page (0 for single-column pages)."""
    vertical: bool = False
    """Printed top to bottom (縦書き)."""
    color: tuple[float, float, float] | None = None
    """RGB (0–1) of most of the line's characters; None when unknown."""
    underlined: bool = False
    """A rule runs right under the line, about as wide as its text."""
    shaded: bool = False
    """A coloured or gray bar is drawn behind the line (not a box around a whole paragraph)."""


@dataclass
class RawCell:
    """A cell found on the page before the tables stage types it."""

    row: int
    col: int
    bbox: BBox
    row_span: int = 1
    col_span: int = 1
    text: str = ""
    """Cell text, rebuilt from the characters while the page was open."""


@dataclass
class RawTable:
    """A table region found on a page during layout (plain data, no PDF objects)."""

    page: int
    bbox: BBox
    n_rows: int
    n_cols: int
    cells: list[RawCell]
    strategy: str
    """How it was found: ``lines`` (ruled) or ``text`` (aligned without rules)."""
    table_id: str = ""
    """Given once, by the layout stage, in page order and on each page in the order found
    (top to bottom, then left to right)."""


@dataclass
class WorkingDocument:
    """The Document being built plus the stages' working data."""

    doc: Document
    lines: dict[str, list[TextLine]] = field(default_factory=dict)
    """Printed lines of each text block, by block id (none for plain-text input)."""
    raw_tables: list[RawTable] = field(default_factory=list)
    """Table regions in document order; the tables stage makes one Table of each."""
    table_captions: dict[str, list[Block]] = field(default_factory=dict)
    """Caption blocks the tables stage attached to each table, nearest first."""
    bookmarks: list[Bookmark] = field(default_factory=list)
    """The PDF's outline, as the file carries it (none for plain text)."""
    outline_headings: set[str] = field(default_factory=set)
    """Headings named by the document's own outline (bookmarks or 目次): no stage takes them
    for captions."""
    outline_levels: dict[str, int] = field(default_factory=dict)
    """Depth in the document's own outline of the headings it names (1 = top), by block id."""
    page_titles: set[str] = field(default_factory=set)
    """Headings that title a page (slides, pamphlets), by block id."""

    def lines_of(self, block: Block) -> list[TextLine]:
        """The printed lines of a block ([] for table placeholders and plain-text input)."""
        return self.lines.get(block.block_id, [])

    def renumber_blocks(self) -> None:
        """Give the blocks ids in reading order again (b0001, b0002, …) after blocks were
        inserted, carrying the working data keyed by block id along."""
        renamed = {block.block_id: block_id(number) for number, block in enumerate(self.doc.blocks, start=1)}
        for block in self.doc.blocks:
            block.block_id = renamed[block.block_id]
        self.lines = {renamed[key]: lines for key, lines in self.lines.items() if key in renamed}
        self.outline_headings = {renamed[key] for key in self.outline_headings if key in renamed}
        self.outline_levels = {renamed[key]: level for key, level in self.outline_levels.items() if key in renamed}
        self.page_titles = {renamed[key] for key in self.page_titles if key in renamed}
