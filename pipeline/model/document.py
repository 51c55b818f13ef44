"""The output model: the one Document every stage adds to and every exporter reads.

It holds only what users get (document.json, the CSVs); what a stage needs while it works
(printed lines, table regions before typing) lives on ``pipeline.stages.working``.
Coordinates are PDF points with the origin at the top-left of the page
(pdfplumber's ``x0, top, x1, bottom``). Pages are 1-based.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, get_args

from pipeline.japanese.normalize import match_key

BBox = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in points, origin top-left."""

BlockKind = Literal[
    "title",
    "heading",
    "paragraph",
    "list_item",
    "caption",
    "note",
    "toc",
    "figure_text",
    "table",
    "header",
    "footer",
    "page_number",
]

MARGIN_KINDS = ("header", "footer", "page_number")
"""Block kinds set aside as running text: never content, never in paragraphs.csv."""


@dataclass
class Block:
    """A unit of reading: a heading, a paragraph, a list item, a table placeholder..."""

    block_id: str
    kind: BlockKind
    text: str
    page: int
    bbox: BBox | None
    font_size: float | None = None
    bold: bool = False
    section_id: str | None = None
    heading_level: int | None = None
    """For headings: the level in the section tree (1 = top)."""
    numbering: str | None = None
    """For headings and list items: the numbering family (e.g. ``paren_digit``, ``circled``, ``bullet``)."""
    marker: str | None = None
    """The printed number or bullet (``（1）``, ``①``, ``・``, ``■``). Decorative markers and
    bullets are stripped from ``text``; a heading's number stays in its title (（1）調査概要)."""
    table_id: str | None = None
    """For ``table`` blocks (and captions/notes attached to a table): the table they belong to."""
    footnote_marks: list[str] = field(default_factory=list)
    """Superscript footnote markers printed after words of this block (kept out of ``text``)."""


@dataclass
class Section:
    """A node of the section tree."""

    section_id: str
    level: int
    title: str
    page: int
    parent_id: str | None
    block_id: str | None
    children: list[str] = field(default_factory=list)


@dataclass
class QualityWarning:
    """Something a user should know about one page or the whole file."""

    code: str
    """Stable machine-readable code, e.g. ``no_text_layer``, ``unmapped_glyphs``, ``image_table``."""
    message: str
    page: int | None = None


@dataclass
class PageInfo:
    """What the layout stage learned about one page."""

    number: int
    width: float
    height: float
    n_chars: int
    rotation: int = 0
    columns: int = 1
    needs_ocr: bool = False
    failed: bool = False
    """The page could not be read by either reader (a ``page_failed`` warning says why)."""
    unmapped_chars: int = 0
    """Characters left out because they have no Unicode mapping ((cid:NN), private-use glyphs)."""
    printed_page: str | None = None
    """The page number printed in the footer, when found."""


@dataclass
class TableCell:
    """One printed cell; a merged cell spans rows or columns from its top-left position."""

    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1
    value: float | None = None
    unit: str | None = None
    bbox: BBox | None = None
    """Where the cell is printed (points, top-left origin; 0.01 pt), for drawing the grid."""


@dataclass
class Table:
    """A table as printed (``rows``) with its structure and typed cells."""

    table_id: str
    page: int
    bbox: BBox
    n_rows: int
    n_cols: int
    rows: list[list[str]]
    """The table as printed: every cell's text; merged cells hold text in their top-left cell."""
    cells: list[TableCell] = field(default_factory=list)
    header_rows: int = 0
    label_cols: int = 0
    caption: str | None = None
    source_note: str | None = None
    context: str | None = None
    """A short label printed above the table and its caption: 歳入, 歳出, 一般会計."""
    section_id: str | None = None
    kind: Literal["grid", "key_value"] = "grid"
    continuation_of: str | None = None
    column_units: list[str | None] = field(default_factory=list)
    total_rows: list[int] = field(default_factory=list)
    record: dict[str, str] | None = None
    """For key-value tables: label → value."""
    strategy: str = "lines"


@dataclass
class Mention:
    """One place an entity is named."""

    entity_id: str
    label: str
    text: str
    page: int | None
    section_id: str | None
    para_id: str | None
    sentence: int | None
    char_start: int
    char_end: int
    source: Literal["paragraph", "heading", "table"]
    value: int | None = None
    date: str | None = None
    """For a YEAR printed as a full date: ISO 2025-04-01 (two, joined by /, for a range)."""
    mention_id: str = ""
    """M00001… in reading order (given once the mentions are sorted)."""


@dataclass
class Entity:
    """An organization, program, year or amount, with its normalized value and every mention."""

    entity_id: str
    label: Literal["ORG", "PROGRAM", "YEAR", "MONEY"]
    type: str | None
    name: str
    aliases: list[str] = field(default_factory=list)
    value: int | None = None
    value_min: int | None = None
    value_max: int | None = None
    approx: bool = False
    bound: str | None = None
    per: str | None = None
    negative: bool = False
    fiscal: bool = False
    month: int | None = None
    mentions: int = 0
    first_page: int | None = None


FactRelation = Literal["subsidy_cap", "subsidy_rate", "budget", "grant_received", "cost", "sales", "investment", "other"]
FACT_RELATIONS: tuple[str, ...] = get_args(FactRelation)


@dataclass
class Fact:
    """A yen amount with what it is about: the program, organization and year it belongs to."""

    fact_id: str
    money_id: str
    """The MONEY entity (``entity_id``)."""
    mention_id: str
    """The mention where the amount is printed (its first printing when it repeats)."""
    value_yen: int
    bound: str | None
    approx: bool
    program_id: str | None
    org_id: str | None
    year_id: str | None
    relation: FactRelation
    evidence: str
    """The sentence, or the table row as ``row label | column header: cell``."""
    page: int | None
    confidence: float
    source: Literal["paragraph", "heading", "table"]
    also_on_pages: list[int] = field(default_factory=list)
    """Other pages printing the same amount with the same meaning."""


@dataclass
class SourceInfo:
    """The input file and its metadata."""

    file_name: str
    sha256: str
    size_bytes: int
    producer: str | None = None
    creator: str | None = None
    metadata_title: str | None = None
    kind: Literal["pdf", "txt"] = "pdf"


@dataclass
class Document:
    """One input's extraction: pages, blocks in reading order, sections, tables, entities."""

    doc_id: str
    source: SourceInfo
    title: str | None = None
    pages: list[PageInfo] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    warnings: list[QualityWarning] = field(default_factory=list)

    @property
    def n_pages(self) -> int:
        return len(self.pages)

    def section_path(self, section_id: str | None) -> str:
        """Titles from the root down to ``section_id``, joined by ' > ' ('' for None)."""
        by_id = {s.section_id: s for s in self.sections}
        titles: list[str] = []
        while section_id:
            section = by_id[section_id]
            titles.append(section.title)
            section_id = section.parent_id
        return " > ".join(reversed(titles))

    def content_blocks(self) -> list[Block]:
        """Blocks a reader sees as content (running headers, footers and page numbers set aside)."""
        return [b for b in self.blocks if b.kind not in MARGIN_KINDS]


@dataclass(frozen=True)
class Token:
    """One token of a text unit (a row of ``tokens.csv``, written with ``--tokens``)."""

    para_id: str
    """The unit: a block id, or ``T<table_id>:r<row>c<col>`` for a table cell."""
    sentence: int
    """Sentence number within the unit, from 0."""
    index: int
    """Token index within the unit (white-space tokens count but are not listed)."""
    surface: str
    lemma: str
    pos: str
    """Universal part of speech (NOUN, PROPN, VERB…)."""
    reading: str
    """Kana reading (empty for unknown words)."""
    tag: str
    """unidic part of speech, ``pos1-pos2-pos3``."""


def format_bbox(bbox: BBox) -> str:
    """A box as outputs and messages print it: x0 top x1 bottom, one decimal ('56.7 134.1 538.6 217.2')."""
    return " ".join(f"{value:.1f}" for value in bbox)


def format_share(share: float) -> str:
    """A share as warning messages show it: 0.25 → '25%', 0.0004 → '0.04%' (never a misleading '0%')."""
    if share <= 0:
        return "0%"
    if share >= 0.01:
        return f"{share:.0%}"
    return f"{share * 100:.2g}%"


def entity_name_key(name: str) -> str:
    """How two documents' entity names are compared when the corpus-wide list merges them:
    NFKC and no white space (株式会社 ＡＢＣ = 株式会社ABC)."""
    return match_key(name)
