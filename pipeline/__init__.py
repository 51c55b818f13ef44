"""Turn Japanese public-sector report PDFs into clean datasets.

For use from Python::

    import pipeline

    doc = pipeline.extract("report.pdf")          # -> pipeline.model.Document
    for row in pipeline.tag("令和5年度に3億円を交付した"):
        print(row["label"], row["text"], row["value"])

    data = pipeline.load("extracted")             # the corpus-wide tables as pandas DataFrames
    data.facts, data.document("report").tables

For many files, build one :class:`pipeline.convert.Converter` and call its ``extract``
(the spaCy pipeline is built once per Converter, which takes about a second).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.version import __version__

if TYPE_CHECKING:
    from pipeline.config import PipelineConfig
    from pipeline.datasets import Dataset
    from pipeline.model import Document
    from pipeline.nlp.config import EntityConfig

__all__ = ["__version__", "extract", "load", "tag"]


def extract(path: str | Path, config: PipelineConfig | None = None) -> Document:
    """Extract one PDF or ``.txt`` file into a Document (sections, paragraphs, tables, entities).

    Raises :class:`pipeline.sources.InputError` with a one-line reason for a file that cannot
    be read (not a PDF, encrypted, damaged…).
    """
    from pipeline.convert import Converter  # imported here: spaCy and pdfplumber load slowly

    return Converter(config).extract(Path(path))


def tag(text: str, config: EntityConfig | None = None) -> list[dict[str, Any]]:
    """The entities of a piece of text: one dict per mention (label, text, name, value, fields,
    start/end character offsets), as ``python -m pipeline tag`` prints them."""
    from pipeline.nlp.pipeline import tag_text  # imported here: spaCy loads slowly

    return tag_text(text, config=config)


def load(folder: str | Path = "extracted") -> Dataset:
    """The corpus-wide tables of an output folder as typed pandas DataFrames (``documents``,
    ``sections``, ``paragraphs``, ``tables``, ``cells``, ``entities``, ``corpus_entities``,
    ``mentions``, ``facts``), each read on first access; ``.document(doc_id)`` gives the same
    tables for one document.

    Raises FileNotFoundError naming the folder when it has no ``datapackage.json``.
    """
    from pipeline.datasets import load as load_folder  # imported here: pandas loads slowly

    return load_folder(folder)
