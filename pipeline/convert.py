"""One input → one Document: the stages in order, and the files written from the result.

The skeleton is readable in :meth:`Converter.structure` and :meth:`Converter.convert`::

    layout (or plain text) → sections: block kinds → tables → sections: tree → entities

Stages know nothing about files or folders; the batch driver (``pipeline.batch``) does the
plumbing around this: workers, atomic folders, the manifest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from pipeline.config import PipelineConfig
from pipeline.export.documents import (
    write_document_json,
    write_entities_csv,
    write_paragraphs_csv,
    write_sections_csv,
)
from pipeline.export.tables import write_tables
from pipeline.export.tokens import write_tokens
from pipeline.model import Document, Token
from pipeline.nlp.pipeline import build_nlp
from pipeline.nlp.units import unit_tokens
from pipeline.pdf.open import iter_pages, open_pdf, pdf_source_info
from pipeline.pdf.outline import read_bookmarks
from pipeline.sources import InputError, file_sha256, safe_doc_id, unreadable_reason
from pipeline.stages import entities, layout, sections, tables
from pipeline.stages.text_input import read_text_document
from pipeline.stages.working import WorkingDocument


@dataclass
class Extraction:
    """A finished Document plus what only some exporters need (its tokens, with ``write_tokens``)."""

    doc: Document
    tokens: Iterable[Token] | None = None
    """Read once, by the tokens.csv writer (tokens are made as they are written)."""


class Converter:
    """Runs the stages on one input at a time.

    The spaCy pipeline takes about a second to build; a Converter builds it once, on first
    use, so reuse one Converter for many files.
    """

    def __init__(self, config: PipelineConfig | None = None) -> None:
        self.config = config or PipelineConfig()
        self._nlp: Language | None = None

    @property
    def nlp(self) -> Language:
        """The entity pipeline of this converter's settings, built on first use."""
        if self._nlp is None:
            self._nlp = build_nlp(self.config.entities)
        return self._nlp

    def convert(self, path: Path, doc_id: str | None = None, sha256: str | None = None) -> Extraction:
        """Every stage on one input (PDF or ``.txt``); raises InputError for a bad input."""
        work = self.structure(path, doc_id, sha256)
        tagged = entities.run(work.doc, self.config.entities, self.nlp)
        return Extraction(work.doc, unit_tokens(tagged) if self.config.write_tokens else None)

    def structure(self, path: Path, doc_id: str | None = None, sha256: str | None = None) -> WorkingDocument:
        """The stages up to the document's structure: blocks in reading order, block kinds,
        tables and the section tree (no entities), with the stages' working data."""
        config = self.config
        path = Path(path)
        if sha256 is None:
            try:
                sha256 = file_sha256(path)
            except OSError as error:
                raise unreadable_reason(error) from error
        work = self._read(path, doc_id or safe_doc_id(path), sha256)
        sections.classify_blocks(work, config.sections)
        tables.run(work, config.tables)
        sections.build_tree(work, config.sections)
        return work

    def extract(self, path: Path) -> Document:
        """The finished Document of one input."""
        return self.convert(path).doc

    def _read(self, path: Path, doc_id: str, sha256: str) -> WorkingDocument:
        """Blocks in reading order (and table regions) from a PDF's pages, or from plain text."""
        if path.suffix.lower() == ".txt":
            return WorkingDocument(read_text_document(path, doc_id, sha256))
        config = self.config
        with open_pdf(path) as pdf:
            n_pages = len(pdf.pages)
            if n_pages > config.max_pages:
                raise InputError(
                    f"PDF has {n_pages} pages, over the limit of {config.max_pages} (--max-pages)", "too_many_pages"
                )
            work = WorkingDocument(
                Document(doc_id=doc_id, source=pdf_source_info(path, sha256, pdf)), bookmarks=read_bookmarks(pdf)
            )
            detect = tables.page_detector(config.tables)
            pages = (layout.read_page(page, config.layout, detect) for page in iter_pages(pdf))
            layout.assemble(work, pages, config.layout)
        return work


def write_outputs(extraction: Extraction | Document, out_dir: Path) -> list[str]:
    """Write every per-document file into ``out_dir`` (which must exist); return their names."""
    if isinstance(extraction, Document):
        extraction = Extraction(extraction)
    doc = extraction.doc
    written = [
        write_document_json(doc, out_dir),
        write_sections_csv(doc, out_dir),
        write_paragraphs_csv(doc, out_dir),
    ]
    written.extend(write_tables(doc, out_dir))
    written.extend(write_entities_csv(doc, out_dir))
    if extraction.tokens is not None:
        written.append(write_tokens(doc.doc_id, extraction.tokens, out_dir))
    return sorted(written)
