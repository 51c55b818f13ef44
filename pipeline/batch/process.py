"""One file in a worker process: convert it, write its folder under staging, and describe the
result as a manifest entry, turning every exception into a reason the user can act on."""

from __future__ import annotations

import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.batch.manifest import ManifestEntry, failed_entry
from pipeline.batch.outputs import build_staged_folder, swap_into_place, write_failed
from pipeline.config import PipelineConfig
from pipeline.model import Document
from pipeline.pdf.open import describe_pdf_error, observe_pages
from pipeline.sources import InputError, file_sha256, unreadable_reason

if TYPE_CHECKING:  # spaCy and the stages load in about a second: only a run with files to process pays it
    from pipeline.convert import Converter, Extraction


@dataclass
class FileResult:
    """A processed file: its manifest entry, what only the console line needs, and, when the
    parent is to swap it into place, the complete staged folder."""

    entry: ManifestEntry
    unmapped_chars: int = 0
    characters: int = 0
    unmapped_pages: list[int] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)
    staged: Path | None = None
    traceback: str | None = None
    """For an internal error (a bug of ours): where it happened, for ``run_log.jsonl``."""


@dataclass
class Task:
    """One file to process, as the parent hands it to a worker."""

    path: Path
    doc_id: str
    out_root: Path
    sha256: str
    key: str


def ok_result(doc: Document, doc_id: str, file_key: str, sha256: str, outputs: list[str]) -> FileResult:
    unmapped = sum(page.unmapped_chars for page in doc.pages)
    characters = unmapped + sum(page.n_chars for page in doc.pages)
    failed_pages = sorted({w.page for w in doc.warnings if w.code == "page_failed" and w.page is not None})
    entry = ManifestEntry(
        doc_id=doc_id,
        file=file_key,
        sha256=sha256,
        pages=doc.n_pages,
        status="partial" if failed_pages else "ok",
        error=None,
        outputs=outputs,
        warnings=len(doc.warnings),
        needs_ocr=any(page.needs_ocr for page in doc.pages),
        unmapped_share=round(unmapped / characters, 4) if unmapped and characters else None,
        warning_codes=dict(sorted(Counter(w.code for w in doc.warnings).items())),
        title=doc.title,
        failed_pages=failed_pages,
    )
    return FileResult(
        entry, unmapped, characters,
        unmapped_pages=[page.number for page in doc.pages if page.unmapped_chars],
        ocr_pages=[page.number for page in doc.pages if page.needs_ocr],
    )


def _failed(doc_id: str, file_key: str, sha256: str | None, error: InputError) -> FileResult:
    return FileResult(failed_entry(doc_id, file_key, sha256, error))


def convert_file(
    converter: Converter, path: Path, doc_id: str, out_root: Path, sha256: str | None, file_key: str, swap: bool
) -> FileResult:
    """Process one input; never raises for a bad input (the reason goes into the entry).

    With ``swap`` the folder is put in place here; otherwise the result carries the complete
    staged folder for the parent to swap in.
    """
    try:
        if sha256 is None:
            sha256 = file_sha256(path)
        extraction = converter.convert(path, doc_id, sha256)
    except InputError as error:
        return _failed(doc_id, file_key, sha256, error)
    except OSError as error:
        return _failed(doc_id, file_key, sha256, unreadable_reason(error))
    except MemoryError:
        reason = InputError("ran out of memory reading this file (lower --max-pages or --jobs)", "out_of_memory")
        return _failed(doc_id, file_key, sha256, reason)
    except Exception as error:  # an unexpected error must not stop the other files
        reason = describe_pdf_error(error)
        if reason is not None:
            return _failed(doc_id, file_key, sha256, reason)
        reason = InputError(
            f"internal error: {type(error).__name__}: {error} (please report it with this file; the traceback "
            "is in run_log.jsonl)", "internal_error"
        )
        result = _failed(doc_id, file_key, sha256, reason)
        result.traceback = traceback.format_exc()
        return result
    return _stage(extraction, doc_id, out_root, sha256, file_key, swap)


def _stage(extraction: Extraction, doc_id: str, out_root: Path, sha256: str, file_key: str, swap: bool) -> FileResult:
    target = out_root / doc_id
    try:
        from pipeline.convert import write_outputs

        staged, outputs = build_staged_folder(lambda folder: write_outputs(extraction, folder), target)
        if swap:
            swap_into_place(staged, target)
    except OSError as error:
        return _failed(doc_id, file_key, sha256, write_failed(target, error))
    except Exception as error:
        reason = InputError(
            f"internal error while writing outputs: {type(error).__name__}: {error} (please report it)", "internal_error"
        )
        return _failed(doc_id, file_key, sha256, reason)
    result = ok_result(extraction.doc, doc_id, file_key, sha256, outputs)
    result.staged = None if swap else staged
    return result


class _ReportPages:
    """Sends page progress from a worker to the parent."""

    def __init__(self, report: Callable[[str, Any], None]) -> None:
        self.report = report

    def opened(self, n_pages: int) -> None:
        self.report("opened", n_pages)

    def page_read(self, number: int) -> None:
        self.report("page", number)


class FileProcessor:
    """The worker's handler: converts each task's file with one Converter per worker process
    (the spaCy pipeline is built once per worker, not once per file)."""

    def __init__(self, config: PipelineConfig) -> None:
        from pipeline.convert import Converter

        self.converter = Converter(config)

    def __call__(self, task: Task, report: Callable[[str, Any], None]) -> FileResult:
        """Runs in a worker process: build the document and its staged folder; the parent swaps it in."""
        with observe_pages(_ReportPages(report)):
            return convert_file(self.converter, task.path, task.doc_id, task.out_root, task.sha256, task.key, swap=False)
