"""Corpus-wide tables beside ``documents.csv`` and ``entities.csv``: ``sections.csv``,
``paragraphs.csv``, ``tables.csv``, ``cells.csv``, ``document_entities.csv``, ``mentions.csv`` and
``facts.csv`` (every document's rows with ``doc_id`` first), then ``datapackage.json`` and, on
request, the same tables as Parquet.

Like ``corpus.py`` they only read what the per-document exporters wrote, so documents skipped
as unchanged in a run are covered too. Rows are streamed: a large corpus is never held in memory.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from pipeline.export.corpus import (
    corpus_entity_ids,
    entity_key,
    merge_corpus_entities,
    write_corpus_documents,
    write_corpus_entities,
)
from pipeline.export.csvfile import write_csv_atomically
from pipeline.export.datapackage import write_datapackage
from pipeline.export.formats import DEFAULT_FORMATS, check_formats, require_parquet
from pipeline.export.resources import (
    CELLS,
    DOCUMENT_ENTITIES,
    FACTS,
    MENTIONS,
    PARAGRAPHS,
    RESOURCES,
    SECTIONS,
    TABLES,
    ResourceSpec,
)

Row = dict[str, str]


def write_corpus(out_root: Path, doc_ids: Iterable[str], formats: Sequence[str] = DEFAULT_FORMATS) -> list[Path]:
    """Every corpus-wide file of ``out_root`` for the given documents (each atomically):
    documents.csv, entities.csv, the tables of this module, datapackage.json and, with
    ``"parquet"`` in ``formats``, ``<name>.parquet`` beside each CSV. Returns the paths written.

    Parquet files of an earlier run are removed when Parquet is not asked for: they would no
    longer match the CSVs.
    """
    formats = check_formats(list(formats))
    if "parquet" in formats:
        require_parquet()  # before anything is rewritten
    doc_ids = sorted(set(doc_ids))
    merged = merge_corpus_entities(out_root, doc_ids)
    written = [write_corpus_documents(out_root, doc_ids), write_corpus_entities(out_root, doc_ids, merged)]
    # the documents of documents.csv, so that every doc_id below is one of its rows
    listed = [d for d in doc_ids if (out_root / d / "document.json").is_file()]
    written.extend(write_corpus_tables(out_root, listed, corpus_entity_ids(merged)))
    written.append(write_datapackage(out_root))
    if "parquet" in formats:
        from pipeline.export.frames import write_parquet  # pandas and pyarrow load slowly

        written.extend(write_parquet(out_root))
    else:
        _remove_parquet(out_root)
    return written


def write_corpus_tables(
    out_root: Path, doc_ids: Iterable[str], entity_ids: Mapping[tuple[str, ...], str]
) -> list[Path]:
    """The seven corpus-wide tables of the given documents; ``entity_ids`` maps
    :func:`pipeline.export.corpus.entity_key` to the corpus_entity_id of ``entities.csv``."""
    doc_ids = sorted(set(doc_ids))

    def link(row: Row) -> Row:
        row["corpus_entity_id"] = entity_ids.get(entity_key(row), "")
        return row

    sources: tuple[tuple[ResourceSpec, Callable[[Path], list[Path]], Callable[[Row], Row] | None], ...] = (
        (SECTIONS, lambda folder: [folder / "sections.csv"], None),
        (PARAGRAPHS, lambda folder: [folder / "paragraphs.csv"], None),
        (TABLES, lambda folder: [folder / "tables.csv"], None),
        (CELLS, _tidy_files, None),
        (DOCUMENT_ENTITIES, lambda folder: [folder / "entities.csv"], link),
        (MENTIONS, lambda folder: [folder / "mentions.csv"], None),
        (FACTS, lambda folder: [folder / "facts.csv"], None),
    )
    written = []
    for spec, files, fill in sources:
        rows = _corpus_rows(out_root, doc_ids, spec, files, fill)
        written.append(write_csv_atomically(out_root / spec.path, spec.columns, rows))
    return written


def _corpus_rows(
    out_root: Path,
    doc_ids: list[str],
    spec: ResourceSpec,
    files: Callable[[Path], list[Path]],
    fill: Callable[[Row], Row] | None,
) -> Iterator[list[str]]:
    """Every document's rows in the spec's column order, ``doc_id`` from the folder name (the
    per-document sections, tables and tidy files have none); a column a document's file lacks
    (written by an older version) is empty."""
    for doc_id in doc_ids:
        for path in files(out_root / doc_id):
            for row in read_rows(path):
                row["doc_id"] = doc_id
                if fill is not None:
                    row = fill(row)
                yield [row.get(column) or "" for column in spec.columns]


def _tidy_files(folder: Path) -> list[Path]:
    """``tables/<table_id>.tidy.csv`` of every table, in the order of ``tables.csv``."""
    return [folder / "tables" / f"{row['table_id']}.tidy.csv" for row in read_rows(folder / "tables.csv")]


def read_rows(path: Path) -> Iterator[Row]:
    """The rows of one CSV the pipeline wrote, as dicts by column (none when it is missing)."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


def _remove_parquet(out_root: Path) -> None:
    for spec in RESOURCES:
        (out_root / spec.parquet_path).unlink(missing_ok=True)
