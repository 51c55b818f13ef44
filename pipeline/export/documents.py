"""Per-document exporters: document.json, sections.csv, paragraphs.csv, entities.csv, mentions.csv,
facts.csv.

Exporters only read the finished Document; they never change it.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.export.csvfile import write_csv
from pipeline.export.jsonfile import write_indented_json
from pipeline.model import Block, Document, Entity
from pipeline.version import __version__

SCHEMA_VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("document.schema.json")

SECTION_COLUMNS = ("section_id", "parent_id", "level", "title", "page", "path")
PARAGRAPH_COLUMNS = ("doc_id", "para_id", "section_id", "page", "kind", "text")
PARAGRAPH_KINDS = ("title", "heading", "paragraph", "list_item", "caption", "note", "toc", "figure_text")
"""Every text block is a row of paragraphs.csv (filter on ``kind``), so each ``para_id`` a mention
or a token points to is there."""
ENTITY_COLUMNS = (
    "doc_id", "entity_id", "label", "type", "name", "aliases", "value", "value_min", "value_max",
    "approx", "bound", "per", "negative", "fiscal", "month", "mentions", "first_page",
)
MENTION_COLUMNS = (
    "doc_id", "mention_id", "entity_id", "label", "text", "value", "page", "section_id", "para_id", "sentence",
    "char_start", "char_end", "source", "date",
)


FACT_COLUMNS = (
    "doc_id", "fact_id", "money_id", "mention_id", "value_yen", "bound", "approx", "program_id", "org_id",
    "year_id", "relation", "evidence", "page", "also_on_pages", "confidence", "source",
)


def document_dict(doc: Document) -> dict[str, Any]:
    """The whole model as plain JSON data."""
    return {
        "schema_version": SCHEMA_VERSION,
        "pipeline_version": __version__,
        "doc_id": doc.doc_id,
        "metadata": {**plain_data(doc.source), "title": doc.title, "pages": doc.n_pages},
        "pages": [plain_data(p) for p in doc.pages],
        "sections": [plain_data(s) for s in doc.sections],
        "blocks": [_block_dict(b) for b in doc.blocks],
        "tables": [plain_data(t) for t in doc.tables],
        "entities": [plain_data(e) for e in doc.entities],
        "mentions": [plain_data(m) for m in doc.mentions],
        "facts": [plain_data(f) for f in doc.facts],
        "warnings": [plain_data(w) for w in doc.warnings],
    }


def _block_dict(block: Block) -> dict[str, Any]:
    return plain_data(block)


def plain_data(value: Any) -> Any:
    """``dataclasses.asdict`` for the model's plain values, without copying each string and
    number (asdict deep-copies every leaf: half the time of writing document.json)."""
    if isinstance(value, (str, int, float)) or value is None:
        return value
    if is_dataclass(value) and not isinstance(value, type):
        return {name: plain_data(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, list):
        return [plain_data(v) for v in value]
    if isinstance(value, tuple):
        return tuple(plain_data(v) for v in value)
    if isinstance(value, dict):
        return {k: plain_data(v) for k, v in value.items()}
    return value


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def write_document_json(doc: Document, out_dir: Path) -> str:
    """``document.json``: the whole model (schema: ``document.schema.json``)."""
    path = out_dir / "document.json"
    # written in pieces as it is encoded: json.dumps of a 1,000-page report holds its 30 MB of
    # text and the million small strings it is joined from at once
    with path.open("w", encoding="utf-8") as handle:
        write_indented_json(document_dict(doc), handle, indent=1)
        handle.write("\n")
    return path.name


def write_sections_csv(doc: Document, out_dir: Path) -> str:
    """``sections.csv``: the section tree, one row per heading with its path."""
    rows = [(s.section_id, s.parent_id, s.level, s.title, s.page, doc.section_path(s.section_id)) for s in doc.sections]
    write_csv(out_dir / "sections.csv", SECTION_COLUMNS, rows)
    return "sections.csv"


def write_paragraphs_csv(doc: Document, out_dir: Path) -> str:
    """``paragraphs.csv``: every text block in reading order with its kind (title, heading,
    paragraph, list item, caption, note, table-of-contents line, chart text)."""
    rows = [
        (doc.doc_id, b.block_id, b.section_id, b.page, b.kind, b.text)
        for b in doc.blocks
        if b.kind in PARAGRAPH_KINDS and b.text
    ]
    write_csv(out_dir / "paragraphs.csv", PARAGRAPH_COLUMNS, rows)
    return "paragraphs.csv"


def entity_row(doc_id: str, entity: Entity) -> tuple[Any, ...]:
    return (
        doc_id, entity.entity_id, entity.label, entity.type, entity.name, "|".join(entity.aliases),
        entity.value, entity.value_min, entity.value_max, entity.approx, entity.bound, entity.per,
        entity.negative, entity.fiscal, entity.month, entity.mentions, entity.first_page,
    )


def write_entities_csv(doc: Document, out_dir: Path) -> list[str]:
    """``entities.csv`` (one row per entity) and ``mentions.csv`` (one row per mention)."""
    write_csv(out_dir / "entities.csv", ENTITY_COLUMNS, [entity_row(doc.doc_id, e) for e in doc.entities])
    mention_rows = [
        (doc.doc_id, m.mention_id, m.entity_id, m.label, m.text, m.value, m.page, m.section_id, m.para_id, m.sentence,
         m.char_start, m.char_end, m.source, m.date)
        for m in doc.mentions
    ]
    write_csv(out_dir / "mentions.csv", MENTION_COLUMNS, mention_rows)
    return ["entities.csv", "mentions.csv"]


def write_facts_csv(doc: Document, out_dir: Path) -> str:
    """``facts.csv``: one row per yen amount with the program, organization and year it belongs to."""
    rows = [
        (doc.doc_id, f.fact_id, f.money_id, f.mention_id, f.value_yen, f.bound, f.approx, f.program_id, f.org_id,
         f.year_id, f.relation, f.evidence, f.page, "|".join(str(p) for p in f.also_on_pages),
         f"{f.confidence:.2f}", f.source)
        for f in doc.facts
    ]
    write_csv(out_dir / "facts.csv", FACT_COLUMNS, rows)
    return "facts.csv"
