"""``pipeline.load("extracted")``: the corpus-wide tables of an output folder as typed pandas
DataFrames, each read on first access, for the whole corpus or one document.

    data = pipeline.load("extracted")
    data.facts[data.facts.relation == "subsidy_cap"]
    data.document("report").tables

Types come from the folder's ``datapackage.json`` (see ``pipeline/export/frames.py``):
``Int64`` integers, ``Float64`` numbers, ``boolean`` flags, ``category`` labels, kinds and
relations, ``string`` text, ``<NA>`` for a missing value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.export.frames import package_resource, read_package, read_resource

FRAMES = {
    "documents": "documents",
    "sections": "sections",
    "paragraphs": "paragraphs",
    "tables": "tables",
    "cells": "cells",
    "entities": "document_entities",
    "corpus_entities": "entities",
    "mentions": "mentions",
    "facts": "facts",
}
"""Attribute of a Dataset → resource of datapackage.json: ``entities`` are each document's
entities (with ``corpus_entity_id``), ``corpus_entities`` the corpus-wide merge."""


@dataclass
class Dataset:
    """The tables of one output folder, or of one document of it (``doc_id`` set)."""

    folder: Path
    package: dict[str, Any]
    """The folder's datapackage.json."""
    doc_id: str | None = None
    parent: Dataset | None = field(default=None, repr=False)
    _frames: dict[str, pd.DataFrame] = field(default_factory=dict, init=False, repr=False)

    def frame(self, name: str) -> pd.DataFrame:
        """One table by its attribute name (``sections``, ``entities``, ``corpus_entities``…),
        read on first use and kept."""
        if name not in FRAMES:
            raise KeyError(f"no table {name!r}; known: {', '.join(FRAMES)}")
        return self._resource_frame(FRAMES[name])

    def _resource_frame(self, resource: str) -> pd.DataFrame:
        if resource not in self._frames:
            self._frames[resource] = self._read(resource)
        return self._frames[resource]

    def _read(self, resource: str) -> pd.DataFrame:
        if self.parent is None:
            return read_resource(self.folder, package_resource(self.package, resource))
        whole = self.parent._resource_frame(resource)
        if "doc_id" in whole.columns:
            rows = whole["doc_id"] == self.doc_id
        else:  # the corpus-wide entities: those this document names
            rows = whole["corpus_entity_id"].isin(self.entities["corpus_entity_id"].dropna())
        return whole[rows.fillna(False)].reset_index(drop=True)

    def document(self, doc_id: str) -> Dataset:
        """The same tables filtered to one document; raises KeyError for a doc_id not in documents.csv."""
        if self.parent is not None:
            raise ValueError(f"this is already the tables of {self.doc_id}")
        if not (self.documents["doc_id"] == doc_id).any():
            raise KeyError(f"no document {doc_id!r} in {self.folder}")
        return Dataset(self.folder, self.package, doc_id, self)

    @property
    def doc_ids(self) -> list[str]:
        return [str(d) for d in self.documents["doc_id"]]

    @property
    def documents(self) -> pd.DataFrame:
        """One row per document: title, pages, producer, sha256, counts."""
        return self.frame("documents")

    @property
    def sections(self) -> pd.DataFrame:
        """The section trees: one row per heading."""
        return self.frame("sections")

    @property
    def paragraphs(self) -> pd.DataFrame:
        """Every text block in reading order, with its kind."""
        return self.frame("paragraphs")

    @property
    def tables(self) -> pd.DataFrame:
        """One row per table."""
        return self.frame("tables")

    @property
    def cells(self) -> pd.DataFrame:
        """Every data cell of every table in long form (the tidy files)."""
        return self.frame("cells")

    @property
    def entities(self) -> pd.DataFrame:
        """Each document's entities, with the ``corpus_entity_id`` of ``corpus_entities``."""
        return self.frame("entities")

    @property
    def corpus_entities(self) -> pd.DataFrame:
        """The entities of all documents merged (extracted/entities.csv)."""
        return self.frame("corpus_entities")

    @property
    def mentions(self) -> pd.DataFrame:
        """One row per place an entity is named."""
        return self.frame("mentions")

    @property
    def facts(self) -> pd.DataFrame:
        """One row per yen amount with the program, organization and year it belongs to."""
        return self.frame("facts")


def load(folder: str | Path = "extracted") -> Dataset:
    """The corpus-wide tables of an output folder of ``python -m pipeline extract``.

    Raises :class:`pipeline.export.frames.PackageMissing` (a FileNotFoundError) naming the
    folder when it has no ``datapackage.json``.
    """
    folder = Path(folder)
    return Dataset(folder, read_package(folder))
