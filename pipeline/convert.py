"""One input → one Document: the stages in order, and the files written from the result.

The skeleton is readable in :meth:`Converter.structure` and :meth:`Converter.convert`::

    layout (or plain text) → sections: block kinds → tables → sections: tree → entities → facts

Stages know nothing about files or folders; the batch driver (``pipeline.batch``) does the
plumbing around this: workers, atomic folders, the manifest.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.language import Language

from pipeline.config import PipelineConfig
from pipeline.export.documents import (
    document_dict,
    write_document_json,
    write_entities_csv,
    write_facts_csv,
    write_paragraphs_csv,
    write_sections_csv,
)
from pipeline.export.tables import write_tables
from pipeline.export.tokens import write_tokens
from pipeline.review import write_review
from pipeline.model import Document, QualityWarning, Token
from pipeline.nlp.pipeline import build_nlp
from pipeline.nlp.units import unit_tokens
from pipeline.pdf.open import (
    PageNotInFile,
    PdfplumberPages,
    check_pdf_start,
    damaged_part,
    declared_page_count,
    describe_pdf_error,
    iter_pages,
    open_pdf,
    page_observer,
    parser_messages,
    parser_warning,
    pdf_source_info,
)
from pipeline.pdf.page import PdfPage
from pipeline.pdf.pdfium_page import (
    PdfiumPage,
    PdfiumReader,
    missing_text,
    open_pdfium,
    pdfium_page_count,
    read_pdfium_page,
)
from pipeline.pdf.outline import read_bookmarks, read_pdfium_bookmarks
from pipeline.sources import InputError, file_sha256, safe_doc_id, unreadable_reason
from pipeline.stages import entities, facts, layout, sections, tables
from pipeline.stages.text_input import read_text_document
from pipeline.stages.working import WorkingDocument


@dataclass
class Extraction:
    """A finished Document plus what only some exporters need (its tokens, with ``write_tokens``)."""

    doc: Document
    tokens: Iterable[Token] | None = None
    """Read once, by the tokens.csv writer (tokens are made as they are written)."""
    review_source: Path | None = None
    """With ``write_review``: the input the review page draws its pictures from."""
    write_review: bool = False


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
        with fewer_collections():
            work = self.structure(path, doc_id, sha256)
            tagged = entities.run(work.doc, self.config.entities, self.nlp, keep_tokens=self.config.write_tokens)
            facts.run(work.doc, self.config.facts)
        return Extraction(work.doc, unit_tokens(tagged) if self.config.write_tokens else None,
                          review_source=Path(path), write_review=self.config.write_review)

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
        try:
            return self._read_pdf(path, doc_id, sha256)
        except InputError as error:
            if error.code not in SECOND_READER_CODES or str(error).startswith(NO_PAGE_READ):
                raise  # (every page was already tried with PDFium)
            work = self._read_with_pdfium(path, doc_id, sha256, error)
            if isinstance(work, str):
                raise InputError(f"{error}{_truncation_note(path, error)}; {work}", error.code) from error
            return work

    def _read_with_pdfium(self, path: Path, doc_id: str, sha256: str, error: InputError) -> WorkingDocument | str:
        """The whole file read by PDFium when pdfminer cannot read it (a looping cross-reference
        chain, a page tree it cannot walk): text only. When PDFium cannot read it either, what
        it found instead (a sentence for the reason)."""
        try:
            with open_pdfium(path) as (n_pages, metadata, pdfium_pages):
                if n_pages > self.config.max_pages:
                    raise InputError(f"PDF has {n_pages} pages, over the limit of {self.config.max_pages} "
                                     "(--max-pages)", "too_many_pages")
                read = list(pdfium_pages)
        except InputError:
            raise
        except Exception:  # PDFium's own errors: it cannot read the file either
            return "PDFium could not read it either"
        if not read:
            return "PDFium finds no pages in it either"
        work = WorkingDocument(Document(doc_id=doc_id, source=pdf_source_info(path, sha256, metadata)))
        detect = tables.page_detector(self.config.tables)
        pages = [layout.read_page(page, self.config.layout, detect) for page in read]  # type: ignore[arg-type]
        layout.assemble(work, pages, self.config.layout)
        work.doc.warnings.insert(0, QualityWarning(
            "second_reader",
            f"pdfminer could not read this file ({error}); its {n_pages} page" + ("" if n_pages == 1 else "s")
            + " were read by PDFium instead (text only: rules, ruled tables and pictures not read)",
        ))
        return work

    def _read_pdf(self, path: Path, doc_id: str, sha256: str) -> WorkingDocument:
        if self.config.reader != "pdfplumber":
            work = self._read_pdf_with_pdfium(path, doc_id, sha256)
            if work is not None:
                return work
        config = self.config
        with parser_messages() as messages, open_pdf(path) as pdf:
            n_pages = len(pdf.pages)
            if n_pages > config.max_pages:
                raise InputError(
                    f"PDF has {n_pages} pages, over the limit of {config.max_pages} (--max-pages)", "too_many_pages"
                )
            work = WorkingDocument(
                Document(doc_id=doc_id, source=pdf_source_info(path, sha256, pdf.metadata)),
                bookmarks=read_bookmarks(pdf),
            )
            detect = tables.page_detector(config.tables)
            pages = list(self._read_pages(path, pdf, detect))
            _require_a_page(pages)
            layout.assemble(work, pages, config.layout)
            reported = parser_warning(messages)
            if reported:
                work.doc.warnings.append(QualityWarning("parser_messages", reported))
            declared = declared_page_count(pdf)
        if declared is not None and declared != n_pages:
            # (only then is PDFium asked: the second reader runs on trouble, not on every file)
            counted = pdfium_page_count(path)
            work.doc.warnings.append(QualityWarning(
                "page_count",
                f"pdfminer read {n_pages} pages where the page tree declares {declared}"
                + (f" and PDFium counts {counted}" if counted is not None else "")
                + ": the page tree is damaged, and pages may be missing or read twice",
            ))
        return work

    def _read_pdf_with_pdfium(self, path: Path, doc_id: str, sha256: str) -> WorkingDocument | None:
        """With ``reader`` ``pdfium`` or ``auto``: the file read by PDFium first, its outline and
        document information too, and pdfplumber opened only for the pages PDFium cannot read
        (or, with ``auto``, draws too little of). None when PDFium cannot open the file or finds
        no page in it: pdfplumber then reads it (and says so)."""
        config = self.config
        check_pdf_start(path)
        try:
            reader = PdfiumReader(path)
        except Exception:  # PDFium's own errors: an encrypted or damaged file, for pdfplumber to name
            return None
        with reader, parser_messages() as messages, PdfplumberPages(path) as fallback:
            n_pages = len(reader)
            if n_pages == 0:
                return None
            if n_pages > config.max_pages:
                raise InputError(
                    f"PDF has {n_pages} pages, over the limit of {config.max_pages} (--max-pages)", "too_many_pages"
                )
            document = reader.document
            work = WorkingDocument(
                Document(doc_id=doc_id, source=pdf_source_info(path, sha256, document.get_metadata_dict())),
                bookmarks=read_pdfium_bookmarks(document),
            )
            observer = page_observer()
            if observer is not None:
                observer.opened(n_pages)
            detect = tables.page_detector(config.tables)
            pages: list[layout.PageLayout] = []
            for number in range(1, n_pages + 1):
                read = self._usable_pdfium_page(reader, number)
                if read is not None:
                    pages.append(layout.read_page(read, config.layout, detect))  # type: ignore[arg-type]
                else:
                    pages.append(self._read_fallback_page(fallback, number, detect))
                if observer is not None:
                    observer.page_read(number)
            _require_a_page(pages)
            layout.assemble(work, pages, config.layout)
            reported = parser_warning(messages)
            if reported:
                work.doc.warnings.append(QualityWarning("parser_messages", reported))
            found = fallback.page_count  # (known only when some page needed pdfplumber)
            if found is not None and found != n_pages:
                work.doc.warnings.append(QualityWarning(
                    "page_count",
                    f"pdfminer read {found} pages where PDFium counts {n_pages}: the page tree is damaged, "
                    "and pages may be missing or read twice",
                ))
        return work

    def _read_pages(self, path: Path, pdf: Any, detect: layout.TableDetector) -> Iterator[layout.PageLayout]:
        """Each page read by pdfplumber; a page it fails on is read by PDFium instead, or kept
        as an empty page with a ``page_failed`` warning naming the reason. With ``reader``
        ``pdfium`` or ``auto``, PDFium reads first and pdfplumber takes the pages it cannot."""
        if self.config.reader != "pdfplumber":
            yield from self._read_pages_pdfium(path, pdf, detect)
            return
        config = self.config.layout
        for page in iter_pages(pdf):
            try:
                yield layout.read_page(page, config, detect)
            except Exception as error:  # pdfminer raises many types on a damaged page
                reason = describe_pdf_error(error)
                if reason is None:
                    raise  # not the file: a bug of ours
                yield self._second_reader(path, page, damaged_part(error), detect)

    def _read_pages_pdfium(self, path: Path, pdf: Any, detect: layout.TableDetector) -> Iterator[layout.PageLayout]:
        unopened: QualityWarning | None = None
        try:
            reader: PdfiumReader | None = PdfiumReader(path)
        except Exception as error:  # PDFium cannot open the file: pdfplumber reads every page, and says so
            reader = None
            unopened = QualityWarning(
                "second_reader", f"PDFium could not open this file ({type(error).__name__}); pdfplumber read it"
            )
        try:
            for number, page in enumerate(pdf.pages, start=1):
                read = self._usable_pdfium_page(reader, number) if reader is not None else None
                if read is not None:
                    page.close()
                    found = layout.read_page(read, self.config.layout, detect)  # type: ignore[arg-type]
                else:
                    found = self._read_with_pdfplumber(page, number, detect)
                if unopened is not None:
                    found.warnings.append(unopened)
                    unopened = None
                yield found
        finally:
            if reader is not None:
                reader.close()

    def _usable_pdfium_page(self, reader: PdfiumReader, number: int) -> PdfiumPage | None:
        """Page ``number`` read by PDFium, or None where pdfplumber must read it (PDFium fails on
        it, or with ``auto`` draws far fewer characters than its text objects hold)."""
        try:
            read = reader.read(number)
        except Exception:  # PDFium's own errors on this page
            return None
        return read if self.config.reader == "pdfium" or not missing_text(read) else None

    def _read_fallback_page(self, fallback: PdfplumberPages, number: int,
                            detect: layout.TableDetector) -> layout.PageLayout:
        """Page ``number`` read by pdfplumber where PDFium cannot read it; a failed page when
        pdfplumber cannot open the file."""
        try:
            page = fallback.page(number)
        except PageNotInFile as missing:
            found = f"only {missing.count} pages" if missing.count else "no page"
            return _lost_page(number, f"PDFium could not read it, and pdfminer finds {found} in the file")
        except Exception as error:  # pdfminer raises many types on a damaged file
            reason = describe_pdf_error(error)
            return _lost_page(
                number, f"PDFium could not read it, nor pdfplumber open the file ({reason or type(error).__name__})"
            )
        return self._read_with_pdfplumber(page, number, detect)

    def _read_with_pdfplumber(self, page: Any, number: int, detect: layout.TableDetector) -> layout.PageLayout:
        try:
            return layout.read_page(PdfPage(page, number), self.config.layout, detect)
        except Exception as error:  # pdfminer raises many types on a damaged page
            if describe_pdf_error(error) is None:
                raise
            return layout.unreadable_page(PdfPage(page, number), damaged_part(error))
        finally:
            page.close()

    def _second_reader(
        self, path: Path, page: PdfPage, problem: str, detect: layout.TableDetector
    ) -> layout.PageLayout:
        try:
            fallback = read_pdfium_page(path, page.number)
        except Exception as error:  # PDFium cannot read it either
            return layout.unreadable_page(page, f"{problem}; PDFium could not read it either ({type(error).__name__})")
        if not any(c["text"].strip() for c in fallback.chars):
            return layout.unreadable_page(page, f"{problem}; PDFium found no text on it either")
        read = layout.read_page(fallback, self.config.layout, detect)  # type: ignore[arg-type]
        read.warnings.append(QualityWarning(
            "page_second_reader",
            f"page {page.number}: {problem}; its text was read by PDFium instead (rules and pictures not read)",
            page.number,
        ))
        return read


def _lost_page(number: int, reason: str) -> layout.PageLayout:
    """The place of page ``number``, which neither reader gives, with the reason."""
    return layout.unreadable_page(PdfiumPage(number, 0.0, 0.0, []), reason)  # type: ignore[arg-type]


def _require_a_page(pages: list[layout.PageLayout]) -> None:
    """Raise an InputError when no page of the file could be read, with the first page's reason."""
    if all(p.info.failed for p in pages):
        reason = next((w.message for w in pages[0].warnings if w.code == "page_failed"), "")
        raise InputError(f"{NO_PAGE_READ}; {reason.replace(' and was left out', '')}", "corrupt_pdf")


COLLECTOR_THRESHOLDS = (50_000, 20, 100)
"""Python's cycle collector during a conversion: the youngest generation is collected after 50,000
allocations instead of 700, and a full collection (which walks the whole spaCy model) after
100 million instead of 70,000: in practice not within one file."""


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Rarer cycle collections while a file is converted.

    Reading a page makes hundreds of thousands of short-lived dicts and tuples that are freed by
    reference counting; with the default thresholds the collector still runs thousands of times
    a document, and a full collection walks the whole spaCy model each time (1 s of the 16 s the
    reference corpus takes with PDFium). The thresholds are the process's, so they are put back
    afterwards, also on an error; convert one file at a time per process (as the batch does)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


END_MARKER_BYTES = 2048
"""The end-of-file marker %%EOF is looked for in this many last bytes of a file."""


def _truncation_note(path: Path, error: InputError) -> str:
    """Whether a corrupt file is cut short: no %%EOF at its end (an incomplete download)."""
    if error.code != "corrupt_pdf":
        return ""
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - END_MARKER_BYTES))
            tail = handle.read()
    except OSError:
        return ""
    return "" if b"%%EOF" in tail else " (the file stops before its end-of-file marker: an incomplete download?)"


NO_PAGE_READ = "no page could be read"
SECOND_READER_CODES = ("corrupt_pdf", "no_pages", "encrypted")
"""Failures of pdfminer after which the file is tried with PDFium (which opens an encrypted file
only when no password is needed, so a true "password needed" stands)."""


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
    written.append(write_facts_csv(doc, out_dir))
    if extraction.tokens is not None:
        written.append(write_tokens(doc.doc_id, extraction.tokens, out_dir))
    if extraction.write_review:
        pdf = extraction.review_source if doc.source.kind == "pdf" else None
        written.append(write_review(document_dict(doc), pdf, out_dir).name)
    return sorted(written)
