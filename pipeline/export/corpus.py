"""Corpus-wide exporters: ``extracted/documents.csv`` (one row per document) and
``extracted/entities.csv`` (every document's entities together).

They only read what the per-document exporters wrote (``<doc_id>/document.json``,
``<doc_id>/entities.csv``), so they cover documents skipped as unchanged in this run as well.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.export.csvfile import write_csv_atomically
from pipeline.model import entity_name_key
from pipeline.model.ids import corpus_entity_id

CORPUS_DOCUMENTS_NAME = "documents.csv"
CORPUS_DOCUMENT_COLUMNS = ("doc_id", "title", "pages", "producer", "sha256", "sections", "tables", "entities")
CORPUS_ENTITIES_NAME = "entities.csv"
CORPUS_ENTITY_COLUMNS = (
    "corpus_entity_id", "label", "type", "name", "aliases", "value", "value_min", "value_max",
    "approx", "bound", "per", "negative", "fiscal", "month", "mentions", "documents", "doc_ids",
)


@dataclass
class _CorpusEntity:
    row: dict[str, str]
    aliases: set[str] = field(default_factory=set)
    mentions: int = 0
    doc_ids: set[str] = field(default_factory=set)


def entity_key(row: dict[str, str]) -> tuple[str, ...]:
    """What makes two documents' entities one: the name (NFKC, no spaces) for ORG/PROGRAM, the value otherwise."""
    label = row["label"]
    if label in ("ORG", "PROGRAM"):
        return (label, entity_name_key(row["name"]))
    if label == "YEAR":
        return (label, row["value"], row["fiscal"], row["month"])
    return (label, row["value"], row["value_min"], row["value_max"], row["approx"], row["bound"], row["per"])


def read_entity_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def merge_corpus_entities(out_root: Path, doc_ids: Iterable[str]) -> dict[tuple[str, ...], _CorpusEntity]:
    """The entities of the given documents merged by :func:`entity_key`, in corpus order (the
    order of their corpus_entity_ids)."""
    merged: dict[tuple[str, ...], _CorpusEntity] = {}
    for doc_id in sorted(set(doc_ids)):
        path = out_root / doc_id / "entities.csv"
        if not path.is_file():
            continue
        for row in read_entity_rows(path):
            key = entity_key(row)
            entity = merged.setdefault(key, _CorpusEntity(row))
            entity.aliases.update(a for a in row["aliases"].split("|") if a)
            entity.aliases.add(row["name"])
            entity.mentions += int(row["mentions"] or 0)
            entity.doc_ids.add(doc_id)
    ordered = sorted(
        merged.items(), key=lambda item: (item[1].row["label"], -len(item[1].doc_ids), entity_name_key(item[1].row["name"]))
    )
    return dict(ordered)


def corpus_entity_ids(merged: dict[tuple[str, ...], _CorpusEntity]) -> dict[tuple[str, ...], str]:
    """:func:`entity_key` → the corpus_entity_id of ``entities.csv``, to link each document's entities to it."""
    return {key: corpus_entity_id(number) for number, key in enumerate(merged, start=1)}


def write_corpus_entities(
    out_root: Path, doc_ids: Iterable[str], merged: dict[tuple[str, ...], _CorpusEntity] | None = None
) -> Path:
    """Merge the entities of the given documents into ``out_root/entities.csv`` (atomically);
    ``merged`` is :func:`merge_corpus_entities` when the caller has it already."""
    if merged is None:
        merged = merge_corpus_entities(out_root, doc_ids)
    rows = []
    for number, entity in enumerate(merged.values(), start=1):
        first = entity.row
        aliases = sorted(entity.aliases - {first["name"]})
        rows.append((
            corpus_entity_id(number), first["label"], first["type"], first["name"], "|".join(aliases), first["value"],
            first["value_min"], first["value_max"], first["approx"], first["bound"], first.get("per", ""),
            first.get("negative", ""), first["fiscal"], first.get("month", ""), entity.mentions,
            len(entity.doc_ids), "|".join(sorted(entity.doc_ids)),
        ))
    return _write_atomically(out_root, CORPUS_ENTITIES_NAME, CORPUS_ENTITY_COLUMNS, rows)


def write_corpus_documents(out_root: Path, doc_ids: Iterable[str]) -> Path:
    """One row per document into ``out_root/documents.csv`` (atomically): its title, page count,
    producer, checksum and how many sections, tables and entities were extracted."""
    rows = []
    for doc_id in sorted(set(doc_ids)):
        path = out_root / doc_id / "document.json"
        if not path.is_file():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        metadata = data.get("metadata", {})
        rows.append((
            doc_id, metadata.get("title") or "", metadata.get("pages", ""), metadata.get("producer") or "",
            metadata.get("sha256", ""), len(data.get("sections", [])), len(data.get("tables", [])),
            len(data.get("entities", [])),
        ))
    return _write_atomically(out_root, CORPUS_DOCUMENTS_NAME, CORPUS_DOCUMENT_COLUMNS, rows)


def _write_atomically(out_root: Path, name: str, columns: tuple[str, ...], rows: list[tuple]) -> Path:
    return write_csv_atomically(out_root / name, columns, rows)
