"""The corpus-wide tables as data: one table of field specs per resource (name, Table Schema
type, description, enum, unit), its primary key and what it refers to.

This is the one place the columns of the corpus-wide CSVs are described: the corpus writers
take their column order from here, ``datapackage.json`` is written from here, and the pandas
loader and the Parquet writer type their frames from the package written from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args, get_type_hints

from pipeline.export.documents import PARAGRAPH_KINDS
from pipeline.model import FACT_RELATIONS, Entity, Mention, Table

ENTITY_LABELS: tuple[str, ...] = get_args(get_type_hints(Entity)["label"])
MENTION_SOURCES: tuple[str, ...] = get_args(get_type_hints(Mention)["source"])
TABLE_KINDS: tuple[str, ...] = get_args(get_type_hints(Table)["kind"])
BOUNDS = ("max", "min", "over", "under")
"""An amount's bound: 以内/以下/上限 → max, 以上 → min, 超 → over, 未満 → under (as document.schema.json)."""


@dataclass(frozen=True)
class FieldSpec:
    """One column: its Table Schema type (string, integer, number, boolean) and meaning."""

    name: str
    type: str
    description: str
    enum: tuple[str, ...] | None = None
    """The only values it takes (labels, kinds, relations): a constraint, and a category in pandas."""
    unit: str | None = None
    """A fixed unit of every value (``JPY``), written as the field's ``unit`` property."""
    required: bool = False
    """Never empty (ids and keys)."""
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Reference:
    """Columns of a resource that name a row of another (or the same) resource."""

    fields: tuple[str, ...]
    resource: str
    resource_fields: tuple[str, ...]


@dataclass(frozen=True)
class ResourceSpec:
    """One corpus-wide CSV of the output folder."""

    name: str
    path: str
    title: str
    description: str
    fields: tuple[FieldSpec, ...]
    primary_key: tuple[str, ...]
    references: tuple[Reference, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def parquet_path(self) -> str:
        """The same table as Parquet, beside the CSV (written with ``--format csv,parquet``)."""
        return self.path.removesuffix(".csv") + ".parquet"

    def field(self, name: str) -> FieldSpec:
        (found,) = [f for f in self.fields if f.name == name]
        return found

    def declared_references(self) -> tuple[Reference, ...]:
        """References written as ``foreignKeys``: those whose columns are never empty.

        A reference that may be empty (a paragraph before the first heading has no section)
        is only described: validators (frictionless) reject a composite key with one part
        empty, and Table Schema v1 does not say otherwise.
        """
        return tuple(r for r in self.references if all(self.field(f).required for f in r.fields))

    def optional_references(self) -> tuple[Reference, ...]:
        return tuple(r for r in self.references if r not in self.declared_references())


def _id(name: str, description: str) -> FieldSpec:
    return FieldSpec(name, "string", description, required=True)


def _text(name: str, description: str, enum: tuple[str, ...] | None = None) -> FieldSpec:
    return FieldSpec(name, "string", description, enum=enum)


def _integer(name: str, description: str, unit: str | None = None, minimum: int | None = None) -> FieldSpec:
    return FieldSpec(name, "integer", description, unit=unit, minimum=minimum)


def _page(description: str = "Physical PDF page (1-based).") -> FieldSpec:
    return FieldSpec("page", "integer", description, minimum=1)


def _number(name: str, description: str) -> FieldSpec:
    return FieldSpec(name, "number", description)


def _flag(name: str, description: str) -> FieldSpec:
    return FieldSpec(name, "boolean", description)


DOC_ID = _id("doc_id", "The document: a row of documents.csv and the folder <doc_id>/ holding its own files.")
_DOCUMENT = Reference(("doc_id",), "documents", ("doc_id",))


def _section_ref(column: str) -> Reference:
    return Reference(("doc_id", column), "sections", ("doc_id", "section_id"))


def _entity_ref(column: str) -> Reference:
    return Reference(("doc_id", column), "document_entities", ("doc_id", "entity_id"))


DOCUMENTS = ResourceSpec(
    "documents", "documents.csv", "Documents",
    "One row per document extracted into the folder.",
    (
        _id("doc_id", "The document id: the input file's stem made safe as a folder name (<doc_id>/)."),
        _text("title", "The document's title as in document.json."),
        _integer("pages", "Number of pages."),
        _text("producer", "The PDF's Producer metadata."),
        _id("sha256", "SHA-256 of the input file."),
        _integer("sections", "Rows of its sections.csv."),
        _integer("tables", "Rows of its tables.csv."),
        _integer("entities", "Rows of its entities.csv."),
    ),
    ("doc_id",),
)

SECTIONS = ResourceSpec(
    "sections", "sections.csv", "Sections",
    "The section tree of every document: one row per heading.",
    (
        DOC_ID,
        _id("section_id", "s001, s002, … in document order (unique within the document)."),
        _text("parent_id", "The enclosing section (empty for a top-level section)."),
        _integer("level", "Depth in the document's tree, 1 = top.", minimum=1),
        _text("title", "Heading text, numbering such as （1） kept, decorative markers removed."),
        _page("Physical PDF page (1-based) where the heading is printed."),
        _text("path", "Titles from the root down to this section, joined by ' > '."),
    ),
    ("doc_id", "section_id"),
    (_DOCUMENT, Reference(("doc_id", "parent_id"), "sections", ("doc_id", "section_id"))),
)

PARAGRAPHS = ResourceSpec(
    "paragraphs", "paragraphs.csv", "Paragraphs",
    "Every text block of every document in reading order, with its kind.",
    (
        DOC_ID,
        _id("para_id", "Block id b0001, … (unique within the document)."),
        _text("section_id", "The section the block belongs to (empty before the first heading)."),
        _page("Physical PDF page (1-based) where the block starts."),
        _text("kind", "What the block is: title, heading, paragraph, list_item, caption, note, toc (a line of a "
              "printed table of contents) or figure_text (chart and diagram text).", PARAGRAPH_KINDS),
        _text("text", "The block's text, wrapped lines joined."),
    ),
    ("doc_id", "para_id"),
    (_DOCUMENT, _section_ref("section_id")),
)

TABLES = ResourceSpec(
    "tables", "tables.csv", "Tables",
    "One row per table of every document (<doc_id>/tables/<table_id>.csv is the table as printed).",
    (
        DOC_ID,
        _id("table_id", "01, 02, … in document order (unique within the document)."),
        _page(),
        _text("bbox", "The table's box as 'x0 top x1 bottom' in PDF points from the top-left corner of the page."),
        _text("section_id", "The section the table sits in."),
        _text("caption", "The caption printed above (a continuation takes its parent's)."),
        _text("context", "A short label printed above the table and its caption (歳入, 歳出, 一般会計)."),
        _text("section_title", "The title of the section the table sits in."),
        _text("source_note", "The note printed below (資料）…, 出典：…)."),
        _integer("n_rows", "Rows of the printed grid."),
        _integer("n_cols", "Columns of the printed grid."),
        _integer("header_rows", "Number of header rows."),
        _text("kind", "grid, or key_value (label and value columns, or two such pairs side by side).", TABLE_KINDS),
        _text("continuation_of", "The table this one continues (next page, or a second block under one caption)."),
    ),
    ("doc_id", "table_id"),
    (_DOCUMENT, _section_ref("section_id"), Reference(("doc_id", "continuation_of"), "tables", ("doc_id", "table_id"))),
)

CELLS = ResourceSpec(
    "cells", "cells.csv", "Table cells",
    "Every data cell of every table in long form (the rows of each <doc_id>/tables/<table_id>.tidy.csv).",
    (
        DOC_ID,
        _id("table_id", "The table (a row of tables.csv)."),
        FieldSpec("row", "integer", "Row in the printed grid (0-based).", required=True),
        FieldSpec("col", "integer", "Column in the printed grid (0-based).", required=True),
        _text("row_label", "The row's label cells, joined by ' > '."),
        _text("column_header", "The column's header cells from top to bottom, joined by ' > '."),
        _number("value", "The number printed (commas and full-width digits read, ▲/△ negative, 22.9% → 22.9); "
                "empty for text."),
        _text("unit", "The unit (%, 人, 千円, 億円…) from the header, row label, caption or a unit line."),
        _integer("multiplier", "What the unit's scale multiplies by: 千円 → 1000, 億円 → 100000000; 1 for 円 or 人; "
                 "empty for % or no unit."),
        _integer("value_yen", "The amount in yen when the unit is a currency (value × multiplier).", unit="JPY"),
        _flag("is_total_row", "The cell is on a total row (合計, 小計, 計, 総数)."),
        _flag("is_total_col", "The cell is in a total column (計, 合計)."),
        _text("raw_text", "The cell as printed."),
    ),
    ("doc_id", "table_id", "row", "col"),
    (_DOCUMENT, Reference(("doc_id", "table_id"), "tables", ("doc_id", "table_id"))),
)

_ENTITY_FIELDS = (
    _text("label", "ORG, PROGRAM, YEAR or MONEY.", ENTITY_LABELS),
    _text("type", "ORG: municipality, prefecture, national_gov, company, bank, university…; "
          "PROGRAM: subsidy, grant, law, plan, project, designation…"),
    _text("name", "Canonical name (ORG/PROGRAM), or the first surface form (YEAR/MONEY), normalized."),
    _text("aliases", "Other surface forms as printed, '|'-separated."),
    _integer("value", "YEAR: the Gregorian year; MONEY: yen (negative for ▲/△); empty for ORG and PROGRAM."),
    _integer("value_min", "MONEY: the lower end of a vague amount (数千万円), in yen.", unit="JPY"),
    _integer("value_max", "MONEY: the upper end of a vague amount, in yen.", unit="JPY"),
    _flag("approx", "MONEY: 約, 程度, ほど, 前後…"),
    _text("bound", "MONEY: max (以内, 以下, 上限), min (以上), over (超), under (未満).", BOUNDS),
    _text("per", "MONEY: what the amount is per (年, 月, 社, 人, 件…)."),
    _flag("negative", "MONEY: printed with ▲/△."),
    _flag("fiscal", "YEAR: a fiscal year (年度, April–March)."),
    FieldSpec("month", "integer", "YEAR: the month when printed (2021年5月 → 5).", minimum=1, maximum=12),
)

DOCUMENT_ENTITIES = ResourceSpec(
    "document_entities", "document_entities.csv", "Entities of each document",
    "Every document's entities (the rows of each <doc_id>/entities.csv) with the corpus-wide entity they are.",
    (
        DOC_ID,
        _id("entity_id", "E0001, … in order of first mention (unique within the document)."),
        *_ENTITY_FIELDS,
        _integer("mentions", "Number of mentions in the document."),
        _integer("first_page", "Page of the first mention."),
        _id("corpus_entity_id", "The same entity in the corpus-wide entities.csv."),
    ),
    ("doc_id", "entity_id"),
    (_DOCUMENT, Reference(("corpus_entity_id",), "entities", ("corpus_entity_id",))),
)

ENTITIES = ResourceSpec(
    "entities", "entities.csv", "Entities of the corpus",
    "Every distinct entity of all documents: ORG and PROGRAM merged by name (NFKC, no spaces), YEAR and MONEY by "
    "value. Its fields are those of the entity's first document.",
    (
        _id("corpus_entity_id", "C00001, … by label, then by how many documents name it."),
        *_ENTITY_FIELDS,
        _integer("mentions", "Number of mentions in all documents."),
        _integer("documents", "Number of documents that mention it."),
        _text("doc_ids", "The documents that mention it, '|'-separated."),
    ),
    ("corpus_entity_id",),
)

MENTIONS = ResourceSpec(
    "mentions", "mentions.csv", "Entity mentions",
    "One row per place an entity is named, in reading order.",
    (
        DOC_ID,
        _id("mention_id", "M00001, … in reading order (unique within the document)."),
        _id("entity_id", "The entity (a row of document_entities.csv)."),
        _text("label", "ORG, PROGRAM, YEAR or MONEY.", ENTITY_LABELS),
        _text("text", "The mention as printed (normalized)."),
        _integer("value", "YEAR: the Gregorian year; MONEY: yen."),
        _page(),
        _text("section_id", "The section it is in."),
        _text("para_id", "The text unit: a para_id of paragraphs.csv, or T<table_id>:r<row>c<col> for a table cell "
              "(so not declared as a key of paragraphs)."),
        _integer("sentence", "Sentence number within the text unit, from 0."),
        _integer("char_start", "Offset of the mention's first character in the text unit."),
        _integer("char_end", "Offset just after the mention's last character in the text unit."),
        _text("source", "paragraph, heading or table.", MENTION_SOURCES),
        _text("date", "YEAR printed as a full date: ISO 2025-04-01, or an ISO interval 2025-04-01/2025-05-31."),
    ),
    ("doc_id", "mention_id"),
    (_DOCUMENT, _entity_ref("entity_id"), _section_ref("section_id")),
)

FACTS = ResourceSpec(
    "facts", "facts.csv", "Funding facts",
    "One row per yen amount with the program, organization and year it belongs to.",
    (
        DOC_ID,
        _id("fact_id", "F0001, … in reading order (unique within the document)."),
        _id("money_id", "The MONEY entity (a row of document_entities.csv)."),
        _id("mention_id", "The mention where the amount is printed (its first printing when it repeats)."),
        FieldSpec("value_yen", "integer", "The amount in yen.", unit="JPY", required=True),
        _text("bound", "max (以内, 以下, 上限), min (以上), over (超), under (未満).", BOUNDS),
        _flag("approx", "The amount is approximate (約, 程度…)."),
        _text("program_id", "The PROGRAM entity it belongs to."),
        _text("org_id", "The ORG entity it belongs to."),
        _text("year_id", "The YEAR entity it belongs to."),
        _text("relation", "What the amount is: grant_received (交付額, 採択額), subsidy_cap (補助上限額, 以内を補助), "
              "subsidy_rate (the amount a rate applies to), sales (売上高, 出荷額), budget (予算, 歳出), investment "
              "(投資, 出資), cost (事業費, 経費) or other.", FACT_RELATIONS),
        _text("evidence", "The sentence, or the table row as 'row label | column header: cell'."),
        _page(),
        _text("also_on_pages", "Other pages printing the same amount with the same meaning, '|'-separated."),
        FieldSpec("confidence", "number", "How sure the link is, from 0 to 1.", minimum=0, maximum=1),
        _text("source", "paragraph, heading or table.", MENTION_SOURCES),
    ),
    ("doc_id", "fact_id"),
    (
        _DOCUMENT, _entity_ref("money_id"), Reference(("doc_id", "mention_id"), "mentions", ("doc_id", "mention_id")),
        _entity_ref("program_id"), _entity_ref("org_id"), _entity_ref("year_id"),
    ),
)

RESOURCES: tuple[ResourceSpec, ...] = (
    DOCUMENTS, SECTIONS, PARAGRAPHS, TABLES, CELLS, DOCUMENT_ENTITIES, ENTITIES, MENTIONS, FACTS,
)
"""Every corpus-wide CSV, in the order of datapackage.json."""


def resource(name: str) -> ResourceSpec:
    """The spec of one resource by name; raises KeyError naming the known ones."""
    for spec in RESOURCES:
        if spec.name == name:
            return spec
    raise KeyError(f"no resource {name!r}; known: {', '.join(r.name for r in RESOURCES)}")
