"""The driver: inputs → documents → outputs, with failure isolation, atomic writes and a manifest.

Stages know nothing about files; the driver opens each input once, runs the stages in
order, writes each document's folder to a temporary folder and renames it into place
only when it is complete.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.export.documents import (
    write_document_json,
    write_entities_csv,
    write_paragraphs_csv,
    write_sections_csv,
)
from pipeline.model import Document, QualityWarning, RawTable
from pipeline.progress import BatchConsole
from pipeline.text import format_share
from pipeline.readers import (
    InputError,
    describe_pdf_error,
    file_sha256,
    observe_pages,
    open_pdf,
    pdf_source_info,
    read_text_document,
    safe_doc_id,
    unreadable_reason,
)
from pipeline.export.corpus import write_corpus_entities
from pipeline.export.tables import write_tables
from pipeline.stages import entities, layout, sections, tables, tokens
from pipeline.workers import Outcome, WorkerPool

INPUT_SUFFIXES = (".pdf", ".txt")
MANIFEST_NAME = "manifest.json"
RUN_LOG_NAME = "run_log.jsonl"
"""One JSON line per run (start time, durations): kept apart so the data files carry no timestamps."""
STAGING_DIR = ".staging"
"""Hidden folder where document folders are built before they are renamed into place."""
LOCK_NAME = ".lock"
CHECKPOINT_SECONDS = 2.0
"""While a batch runs, the manifest is rewritten (atomically) at most this often."""


@dataclass
class PipelineConfig:
    """Everything the stages and the driver can be told; passed down explicitly."""

    layout: layout.LayoutConfig = field(default_factory=layout.LayoutConfig)
    sections: sections.SectionConfig = field(default_factory=sections.SectionConfig)
    tables: tables.TableSettings = field(default_factory=tables.TableSettings)
    entities: entities.EntityConfig = field(default_factory=entities.EntityConfig)
    write_tokens: bool = False
    """Also write tokens.csv (large: one row per token)."""
    max_pages: int = 2000
    """Files with more pages than this fail with a clear reason instead of running for hours."""


@dataclass
class BuiltDocument:
    """A finished Document plus what only some exporters need (tokenized text for tokens.csv)."""

    doc: Document
    tagged: list[tokens.TaggedUnit] | None = None


_NLP_BY_CONFIG: dict[str, Any] = {}


def entity_pipeline(config: entities.EntityConfig) -> Any:
    """The spaCy pipeline for ``config``, built once per process (building it takes about a second)."""
    key = repr(config)
    if key not in _NLP_BY_CONFIG:
        _NLP_BY_CONFIG[key] = entities.build_nlp(config)
    return _NLP_BY_CONFIG[key]


def table_detector(settings: tables.TableSettings) -> layout.TableDetector:
    """What layout runs on each open page for the tables stage: ruled/aligned tables and pictured tables."""

    def detect(page: Any, number: int, chars: list[dict]) -> tuple[list[RawTable], list[QualityWarning]]:
        if not settings.enabled:
            return [], []
        found = tables.detect_tables(page, number, settings, chars)
        return found, tables.detect_image_tables(page, number, settings)

    return detect


@dataclass
class BatchOptions:
    """How a batch runs. None of these change what a document's outputs contain."""

    jobs: int = 1
    """Worker processes. Every file runs in a worker (even with 1) so that a timeout can stop it."""
    timeout_seconds: float | None = 600.0
    """A file still running after this many seconds is stopped and reported as timed out (None or 0: no limit)."""
    force: bool = False
    """Redo files whose sha256 and pipeline version are unchanged (normally they are skipped)."""
    prune: bool = False
    """Delete the output folders of inputs that are gone (normally they are kept and reported)."""
    quiet: bool = False
    """Print only failures and the summary."""
    progress: bool | None = None
    """Progress bars; None: on when stderr is a terminal, plain log lines otherwise."""


@dataclass
class ManifestEntry:
    """One input's line in ``manifest.json``."""

    doc_id: str
    """Name of the document's output folder."""
    file: str
    """The input, relative to the folder it was found in (the key that incremental runs match on)."""
    sha256: str | None
    pages: int | None
    status: str
    """``ok``, ``failed``, or ``removed`` (the input is gone; its outputs are kept until ``--prune``)."""
    error: str | None
    """For ``failed``: the one-line reason shown to the user."""
    outputs: list[str]
    warnings: int
    """Number of quality warnings in document.json (per page: no text layer, unmapped glyphs…)."""
    pipeline_version: str = __version__
    error_code: str | None = None
    """Stable kind of failure: not_pdf, empty_file, corrupt_pdf, encrypted, no_pages, too_many_pages,
    unreadable, timeout, crashed, out_of_memory, write_failed, text_encoding, internal_error, bad_input."""
    needs_ocr: bool = False
    """True when at least one page has no usable text layer (scanned or image-only)."""
    unmapped_share: float | None = None
    """Share of characters with no Unicode mapping ((cid:NN), private-use glyphs), when there are any."""
    warning_codes: dict[str, int] = field(default_factory=dict)
    """Number of warnings of each code."""
    # For the console line only: not written to the manifest, not part of an entry's identity.
    unmapped_chars: int = field(default=0, compare=False)
    characters: int = field(default=0, compare=False)
    unmapped_pages: list[int] = field(default_factory=list, compare=False)
    ocr_pages: list[int] = field(default_factory=list, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "file": self.file,
            "status": self.status,
            "error_code": self.error_code,
            "error": self.error,
            "sha256": self.sha256,
            "pages": self.pages,
            "needs_ocr": self.needs_ocr,
            "unmapped_share": self.unmapped_share,
            "warnings": self.warnings,
            "warning_codes": dict(sorted(self.warning_codes.items())),
            "outputs": list(self.outputs),
            "pipeline_version": self.pipeline_version,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ManifestEntry:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        return cls(**values)


@dataclass(frozen=True)
class InputFile:
    path: Path
    key: str
    """Path relative to the common folder of the inputs, with '/' (``sub/report.pdf``)."""


def list_inputs(paths: Iterable[Path], exclude: Path | None = None) -> list[InputFile]:
    """PDF and .txt files named directly or found in the given folders, sorted by key.

    Folders are searched recursively; hidden files and folders (``.name``) and the folder
    ``exclude`` (the output folder, when it sits inside an input folder) are left out. Keys
    are relative to the one folder given, or to the common parent of everything given.
    """
    paths = [Path(p) for p in paths]
    excluded = Path(os.path.abspath(exclude)) if exclude is not None else None
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                here = Path(dirpath)
                dirnames[:] = sorted(
                    d for d in dirnames if not d.startswith(".") and Path(os.path.abspath(here / d)) != excluded
                )
                found.extend(
                    here / name for name in filenames
                    if not name.startswith(".") and Path(name).suffix.lower() in INPUT_SUFFIXES
                    and not (here / name).is_dir()
                )
        else:
            found.append(path)
    if len(paths) == 1 and paths[0].is_dir():
        base = os.path.abspath(paths[0])
    else:
        parents = [os.path.dirname(os.path.abspath(p)) for p in paths]
        base = os.path.commonpath(parents) if parents else os.getcwd()
    files: dict[str, InputFile] = {}
    for path in found:
        key = Path(os.path.relpath(os.path.abspath(path), base)).as_posix()
        files.setdefault(key, InputFile(path, key))
    return [files[key] for key in sorted(files)]


_SAFE_DOC_ID = re.compile(r"^[\w\-][\w\-.]*$")
"""A doc_id read back from a manifest must be a plain folder name (no path, no ..)."""


def assign_doc_ids(
    files: list[Path], reserved: dict[Path, str] | None = None, taken: Iterable[str] = ()
) -> dict[Path, str]:
    """A filesystem-safe, unique doc_id per file (file stem; a suffix when two stems collide).

    ``reserved`` keeps the doc_id a file had in an earlier run; ``taken`` are ids no new
    file may use (outputs of removed inputs that are kept).
    """
    reserved = reserved or {}
    ids: dict[Path, str] = {}
    used: set[str] = set(taken)
    for path in files:
        doc_id = reserved.get(path)
        if doc_id and _SAFE_DOC_ID.match(doc_id) and doc_id not in used:
            ids[path] = doc_id
            used.add(doc_id)
    for path in files:
        if path in ids:
            continue
        base = safe_doc_id(path)
        doc_id = base if base not in used else f"{base}_{path.suffix.lstrip('.').lower()}"
        counter = 2
        while doc_id in used:
            doc_id = f"{base}_{counter}"
            counter += 1
        used.add(doc_id)
        ids[path] = doc_id
    return ids


def build_document(path: Path, doc_id: str, sha256: str, config: PipelineConfig) -> Document:
    """Run every stage on one input and return the finished model."""
    return run_stages(path, doc_id, sha256, config).doc


def run_stages(path: Path, doc_id: str, sha256: str, config: PipelineConfig) -> BuiltDocument:
    """layout → sections → tables → tokens + entities, on one input."""
    if path.suffix.lower() == ".txt":
        doc = read_text_document(path, doc_id, sha256)
    else:
        with open_pdf(path) as pdf:
            n_pages = len(pdf.pages)
            if n_pages > config.max_pages:
                raise InputError(
                    f"PDF has {n_pages} pages, over the limit of {config.max_pages} (--max-pages)", "too_many_pages"
                )
            doc = Document(doc_id=doc_id, source=pdf_source_info(path, sha256, pdf))
            pages = layout.iter_page_layouts(pdf, config.layout, detect_tables=table_detector(config.tables))
            layout.assemble(doc, pages, config.layout)
    sections.run(doc, config.sections)
    tables.run(doc, config.tables)
    tagged = entities.run(doc, config.entities, entity_pipeline(config.entities))
    return BuiltDocument(doc, tagged if config.write_tokens else None)


def write_outputs(built: Document | BuiltDocument, out_dir: Path) -> list[str]:
    """Write every per-document file into ``out_dir`` (which must exist); return their names."""
    if isinstance(built, Document):
        built = BuiltDocument(built)
    doc = built.doc
    written = [
        write_document_json(doc, out_dir),
        write_sections_csv(doc, out_dir),
        write_paragraphs_csv(doc, out_dir),
    ]
    written.extend(write_tables(doc, out_dir))
    written.extend(write_entities_csv(doc, out_dir))
    if built.tagged is not None:
        written.append(tokens.write_tokens(doc, built.tagged, out_dir))
    return sorted(written)


def replace_folder_atomically(build: Callable[[Path], list[str]], target: Path) -> list[str]:
    """Build a folder in ``.staging/`` and swap it into place only when it is complete."""
    staging, written = build_staged_folder(build, target)
    swap_into_place(staging, target)
    return written


def build_staged_folder(build: Callable[[Path], list[str]], target: Path) -> tuple[Path, list[str]]:
    """Call ``build`` on an empty ``<out>/.staging/<pid>/new/<name>``; return it and the files written.

    A half-built folder is removed if ``build`` fails; if this process is killed instead,
    :func:`recover_staging` removes it later.
    """
    staging = target.parent / STAGING_DIR / str(os.getpid()) / "new" / target.name
    if staging.exists():
        shutil.rmtree(staging)
    staging.parent.mkdir(parents=True, exist_ok=True)
    staging.mkdir()
    try:
        return staging, build(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def swap_into_place(staging: Path, target: Path) -> None:
    """Rename a complete folder to ``target``, replacing the previous one.

    The previous folder is moved to ``<out>/.staging/<pid>/old/<name>`` for the instant
    between the two renames; if the process dies in that instant, :func:`recover_staging`
    moves it back.
    """
    retired = target.parent / STAGING_DIR / str(os.getpid()) / "old" / target.name
    if retired.exists():
        shutil.rmtree(retired)
    retired.parent.mkdir(parents=True, exist_ok=True)
    try:
        if target.exists():
            target.rename(retired)
        staging.rename(target)
    except BaseException:
        if retired.exists() and not target.exists():
            retired.rename(target)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def recover_staging(out_root: Path, pid: int | None = None) -> None:
    """Clean up after processes that died while writing: restore previous folders, drop partial ones.

    Only call this while no live process is writing into ``out_root`` (the batch holds a lock,
    and calls it with ``pid`` only once that worker is dead).
    """
    staging = out_root / STAGING_DIR
    if not staging.is_dir():
        return
    run_dirs = [staging / str(pid)] if pid is not None else sorted(staging.iterdir())
    for run_dir in run_dirs:
        old = run_dir / "old"
        if old.is_dir():
            for retired in sorted(old.iterdir()):
                target = out_root / retired.name
                if not target.exists():
                    retired.rename(target)
        if run_dir.is_dir():
            shutil.rmtree(run_dir, ignore_errors=True)
        elif run_dir.exists():
            run_dir.unlink()
    try:
        staging.rmdir()
    except OSError:
        pass


# "21 of 21 characters (100%) have no Unicode mapping …": the counts in layout's unmapped_glyphs warning.


def _page_list(pages: list[int]) -> str:
    """[1, 2, 3, 7] → 'pages 1-3, 7'."""
    pages = sorted(set(pages))
    runs: list[str] = []
    start = previous = None
    for page in pages + [None]:  # type: ignore[list-item]
        if start is not None and page == previous + 1:
            previous = page
            continue
        if start is not None:
            runs.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = page
    return ("page " if len(pages) == 1 else "pages ") + ", ".join(runs)


def _ok_entry(doc: Document, doc_id: str, file_key: str, sha256: str, outputs: list[str]) -> ManifestEntry:
    unmapped = sum(page.unmapped_chars for page in doc.pages)
    characters = unmapped + sum(page.n_chars for page in doc.pages)
    return ManifestEntry(
        doc_id=doc_id,
        file=file_key,
        sha256=sha256,
        pages=doc.n_pages,
        status="ok",
        error=None,
        outputs=outputs,
        warnings=len(doc.warnings),
        needs_ocr=any(page.needs_ocr for page in doc.pages),
        unmapped_share=round(unmapped / characters, 4) if unmapped and characters else None,
        warning_codes=dict(sorted(Counter(w.code for w in doc.warnings).items())),
        unmapped_chars=unmapped,
        characters=characters,
        unmapped_pages=[page.number for page in doc.pages if page.unmapped_chars],
        ocr_pages=[page.number for page in doc.pages if page.needs_ocr],
    )


def _failed_entry(doc_id: str, file_key: str, sha256: str | None, error: InputError, pages: int | None = None) -> ManifestEntry:
    reason = " ".join(str(error).split())  # always one line
    return ManifestEntry(doc_id, file_key, sha256, pages, "failed", reason, [], 0, error_code=error.code)


def process_file(
    path: Path,
    doc_id: str,
    out_root: Path,
    config: PipelineConfig,
    *,
    sha256: str | None = None,
    file_key: str | None = None,
) -> ManifestEntry:
    """Process one input; never raises for a bad input (the reason goes into the entry)."""
    entry, _ = _process(path, doc_id, out_root, config, sha256, file_key or path.name, swap=True)
    return entry


def _process(
    path: Path, doc_id: str, out_root: Path, config: PipelineConfig, sha256: str | None, file_key: str, swap: bool
) -> tuple[ManifestEntry, Path | None]:
    """The entry and, when ``swap`` is false, the complete staged folder still to be swapped into place."""
    try:
        if sha256 is None:
            sha256 = file_sha256(path)
        built = run_stages(path, doc_id, sha256, config)
        doc = built.doc
    except InputError as error:
        return _failed_entry(doc_id, file_key, sha256, error), None
    except OSError as error:
        return _failed_entry(doc_id, file_key, sha256, unreadable_reason(error)), None
    except MemoryError:
        reason = InputError("ran out of memory reading this file (lower --max-pages or --jobs)", "out_of_memory")
        return _failed_entry(doc_id, file_key, sha256, reason), None
    except Exception as error:  # an unexpected error must not stop the other files
        reason = describe_pdf_error(error) or InputError(
            f"internal error: {type(error).__name__}: {error} (please report it with this file)", "internal_error"
        )
        return _failed_entry(doc_id, file_key, sha256, reason), None
    target = out_root / doc_id
    try:
        staged, outputs = build_staged_folder(lambda folder: write_outputs(built, folder), target)
        if swap:
            swap_into_place(staged, target)
    except OSError as error:
        return _failed_entry(doc_id, file_key, sha256, _write_failed(target, error)), None
    except Exception as error:
        reason = InputError(
            f"internal error while writing outputs: {type(error).__name__}: {error} (please report it)", "internal_error"
        )
        return _failed_entry(doc_id, file_key, sha256, reason), None
    return _ok_entry(doc, doc_id, file_key, sha256, outputs), None if swap else staged


def _write_failed(target: Path, error: OSError) -> InputError:
    # Only the document folder's name: the manifest must not carry this machine's paths.
    return InputError(f"cannot write outputs to {target.name}/: {error.strerror or error}", "write_failed")


def manifest_dict(entries: Iterable[ManifestEntry]) -> dict[str, Any]:
    ordered = sorted(entries, key=lambda e: e.doc_id)
    counts = Counter(e.status for e in ordered)
    return {
        "pipeline_version": __version__,
        "counts": {
            "ok": counts["ok"],
            "failed": counts["failed"],
            "removed": counts["removed"],
            "needs_ocr": sum(e.needs_ocr for e in ordered if e.status == "ok"),
        },
        "documents": [e.to_json() for e in ordered],
    }


def write_manifest(out_root: Path, entries: list[ManifestEntry]) -> Path:
    """Write the manifest atomically (temporary file, then rename); no timestamps, so runs compare."""
    out_root.mkdir(parents=True, exist_ok=True)
    target = out_root / MANIFEST_NAME
    staging = out_root / f".{MANIFEST_NAME}.tmp-{os.getpid()}"
    staging.write_text(json.dumps(manifest_dict(entries), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    staging.replace(target)
    return target


def read_manifest(out_root: Path) -> tuple[list[ManifestEntry], str | None]:
    """Entries of the manifest an earlier run left, and a problem to report if it cannot be read."""
    path = out_root / MANIFEST_NAME
    if not path.exists():
        return [], None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = [ManifestEntry.from_json(item) for item in data["documents"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        return [], f"the previous {MANIFEST_NAME} cannot be read ({type(error).__name__}); every file is processed again"
    return [e for e in entries if isinstance(e.doc_id, str) and _SAFE_DOC_ID.match(e.doc_id)], None


class OutputLocked(Exception):
    """Another run is writing to the same output folder."""


@contextmanager
def _output_lock(out_root: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<out>/.lock`` for the whole run (released by the OS if we die)."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: no locking
        yield
        return
    handle = (out_root / LOCK_NAME).open("a")
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            raise OutputLocked(f"another run is writing to {out_root} (lock {out_root / LOCK_NAME} is held)") from error
        yield
    finally:
        handle.close()


def _adopt_moved_keys(
    files: list[InputFile],
    previous: dict[str, ManifestEntry],
    removed: list[ManifestEntry],
    untouched: list[ManifestEntry],
    hashes: dict[str, str],
) -> None:
    """An input named another way this run (``raw`` then ``raw other.pdf``) keeps its entry and doc_id.

    A new key whose file has the same name and sha256 as an entry no longer matched takes
    that entry over; ``hashes`` keeps the sha256 computed here for later use.
    """
    orphans = removed + untouched
    for item in files:
        if item.key in previous or not orphans:
            continue
        same_name = [e for e in orphans if Path(e.file).name == item.path.name and e.sha256]
        if not same_name:
            continue
        try:
            hashes[item.key] = file_sha256(item.path)
        except OSError:
            continue
        for entry in same_name:
            if entry.sha256 == hashes[item.key]:
                previous[item.key] = replace(entry, file=item.key)
                orphans.remove(entry)
                (removed if entry in removed else untouched).remove(entry)
                break


def _unchanged(previous: ManifestEntry | None, sha256: str, out_root: Path, config: PipelineConfig) -> bool:
    """Skip a file whose last run succeeded on the same bytes with the same pipeline version.

    A run that asks for an output the last one did not write (tokens.csv) redoes the file.
    """
    return (
        previous is not None
        and previous.status == "ok"
        and previous.sha256 == sha256
        and previous.pipeline_version == __version__
        and all((out_root / previous.doc_id / name).is_file() for name in previous.outputs)
        and (not config.write_tokens or "tokens.csv" in previous.outputs)
    )


@dataclass
class _Task:
    path: Path
    doc_id: str
    out_root: Path
    config: PipelineConfig
    sha256: str
    key: str


class _ReportPages:
    """Sends page progress from a worker to the parent."""

    def __init__(self, report: Callable[[str, Any], None]) -> None:
        self.report = report

    def opened(self, n_pages: int) -> None:
        self.report("opened", n_pages)

    def page_read(self, number: int) -> None:
        self.report("page", number)


def _run_task(task: _Task, report: Callable[[str, Any], None]) -> tuple[ManifestEntry, Path | None]:
    """Runs in a worker process: build the document and its staged folder; the parent swaps it in."""
    with observe_pages(_ReportPages(report)):
        return _process(task.path, task.doc_id, task.out_root, task.config, task.sha256, task.key, swap=False)


def _describe_entry(entry: ManifestEntry, seconds: float | None = None) -> str:
    """The one console line for a processed file."""
    if entry.status == "failed":
        return f"failed  {entry.file}: {entry.error}"
    head = f"ok      {entry.file}: {entry.pages} page" + ("" if entry.pages == 1 else "s")
    if seconds is not None:
        head += f" in {seconds:.1f} s"
    notes: list[str] = []
    if entry.unmapped_share is not None:
        counts = (
            f"{entry.unmapped_chars} of {entry.characters} characters on {_page_list(entry.unmapped_pages)}"
            if entry.characters else "characters"
        )
        notes.append(
            f"broken font map: {format_share(entry.unmapped_share)} of the text ({counts}) has no Unicode mapping "
            "((cid:NN) or private-use glyphs) and was left out"
        )
    if entry.needs_ocr:
        notes.append(
            "needs OCR: no usable text layer on " + (_page_list(entry.ocr_pages) if entry.ocr_pages else "some pages")
        )
    others = entry.warnings - entry.warning_codes.get("no_text_layer", 0) - entry.warning_codes.get("unmapped_glyphs", 0)
    if others > 0:
        notes.append(f"{others} other warning" + ("" if others == 1 else "s") + " (see document.json)")
    return head + "".join(f"; {note}" for note in notes)


def _fmt_seconds(seconds: float) -> str:
    return f"{seconds:g}"


def _outcome_entry(outcome: Outcome, task: _Task, pages: dict[str, int], read: dict[str, int],
                   options: BatchOptions) -> ManifestEntry:
    if outcome.kind == "done":
        entry, staged = outcome.result
        if staged is not None:
            try:
                swap_into_place(staged, task.out_root / task.doc_id)
            except OSError as error:
                return _failed_entry(task.doc_id, task.key, task.sha256, _write_failed(task.out_root / task.doc_id, error))
        return entry
    if outcome.kind == "timeout":
        where = ""
        if task.key in pages:
            where = f"; stopped after {read.get(task.key, 0)} of {pages[task.key]} pages"
        reason = InputError(
            f"timed out after {_fmt_seconds(options.timeout_seconds or 0)} s (--timeout){where}", "timeout"
        )
        return _failed_entry(task.doc_id, task.key, task.sha256, reason, pages.get(task.key))
    reason = InputError(f"the worker process processing it crashed ({outcome.detail})", "crashed")
    return _failed_entry(task.doc_id, task.key, task.sha256, reason, pages.get(task.key))


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: stop, clean up, keep earlier outputs."""


def _set_sigint(handler: Any) -> Any:
    """Set the SIGINT handler (main thread only); return the previous one."""
    if threading.current_thread() is not threading.main_thread() or handler is None:
        return None
    return signal.signal(signal.SIGINT, handler)


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block is done, then act on them."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def remember(signum: int, frame: Any) -> None:
        received.append(signum)

    previous_int = signal.signal(signal.SIGINT, remember)
    previous_term = signal.signal(signal.SIGTERM, remember)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous_int)
        signal.signal(signal.SIGTERM, previous_term)
    if received:
        raise _Terminated() if received[0] == signal.SIGTERM else KeyboardInterrupt()


def _raise_terminated(signum: int, frame: Any) -> None:
    raise _Terminated()


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_batch(
    inputs: list[Path],
    out_root: Path,
    config: PipelineConfig,
    log: Callable[[str], None] | None = None,
    options: BatchOptions | None = None,
) -> list[ManifestEntry]:
    """Process every input in worker processes; write each document atomically, then the manifest.

    ``log`` receives plain lines (default: stderr, with progress bars on a terminal).
    Returns the manifest's entries. On Ctrl-C or SIGTERM the workers are stopped, earlier
    outputs stay as they were, the manifest records the files that finished, and
    KeyboardInterrupt is raised again. Raises OutputLocked if another run holds ``out_root``.
    """
    options = options or BatchOptions()
    out_root = Path(out_root)
    out_root.mkdir(parents=True, exist_ok=True)
    started_at = datetime.now(timezone.utc)
    started = time.monotonic()
    with _output_lock(out_root), _sigterm_as_interrupt():
        recover_staging(out_root)
        previous_entries, manifest_problem = read_manifest(out_root)
        files = list_inputs(inputs, exclude=out_root)
        current_keys = {f.key for f in files}
        previous: dict[str, ManifestEntry] = {}
        removed: list[ManifestEntry] = []
        # Naming single files (not folders) updates just those; the manifest's other entries stay as they are.
        untouched: list[ManifestEntry] = []
        scanned_folders_only = all(Path(p).is_dir() for p in inputs)
        for entry in previous_entries:
            if entry.file in current_keys and entry.file not in previous:
                previous[entry.file] = entry
            elif scanned_folders_only or entry.file in current_keys:
                removed.append(entry)
            else:
                untouched.append(entry)
        hashes: dict[str, str] = {}
        _adopt_moved_keys(files, previous, removed, untouched, hashes)
        ids = assign_doc_ids(
            [f.path for f in files],
            reserved={f.path: previous[f.key].doc_id for f in files if f.key in previous},
            taken=[e.doc_id for e in untouched] + ([] if options.prune else [e.doc_id for e in removed]),
        )

        results: dict[str, ManifestEntry] = {}
        skipped: list[str] = []
        tasks: list[_Task] = []
        unreadable: list[ManifestEntry] = []
        for item in files:
            doc_id = ids[item.path]
            try:
                sha256 = hashes.get(item.key) or file_sha256(item.path)
            except OSError as error:
                unreadable.append(_failed_entry(doc_id, item.key, None, unreadable_reason(error)))
                continue
            before = previous.get(item.key)
            if not options.force and _unchanged(before, sha256, out_root, config):
                results[item.key] = before  # type: ignore[assignment]
                skipped.append(item.key)
                continue
            tasks.append(_Task(item.path, doc_id, out_root, config, sha256, item.key))

        jobs = options.jobs if options.jobs > 0 else (os.cpu_count() or 1)
        bar = options.progress if options.progress is not None else (False if options.quiet else None)
        console = BatchConsole(len(tasks) + len(unreadable), log=log, quiet=options.quiet, bar=bar)
        if manifest_problem:
            console.line(f"warning: {manifest_problem}")
        limit = f", timeout {_fmt_seconds(options.timeout_seconds)} s per file" if options.timeout_seconds else ""
        console.line(
            f"{len(files)} input files in {', '.join(str(p) for p in inputs)}: {len(tasks) + len(unreadable)} to process"
            + (f", {len(skipped)} unchanged and skipped (--force redoes them)" if skipped else "")
            + f"; {min(jobs, max(1, len(tasks)))} worker{'s' if min(jobs, max(1, len(tasks))) > 1 else ''}{limit}",
            important=False,
        )

        timings: dict[str, float] = {}
        pages_of: dict[str, int] = {}
        read_of: dict[str, int] = {}
        interrupted = False
        last_checkpoint = time.monotonic()

        pruned: set[str] = set()

        def current_entries() -> list[ManifestEntry]:
            entries = [results.get(f.key) or previous.get(f.key) for f in files]
            merged = [e for e in entries if e is not None]
            merged.extend(_as_removed(e) for e in removed if e.doc_id not in pruned)
            merged.extend(untouched)
            return merged

        def finish(entry: ManifestEntry, seconds: float = 0.0) -> None:
            nonlocal last_checkpoint
            results[entry.file] = entry
            timings[entry.file] = seconds
            line = _describe_entry(entry, seconds)
            if entry.status == "failed" and (out_root / entry.doc_id).is_dir():
                line += f" (the earlier outputs in {out_root / entry.doc_id} are left as they were)"
            console.file_finished(
                entry.file, line, failed=entry.status == "failed",
                noteworthy=entry.needs_ocr or entry.unmapped_share is not None, n_pages=entry.pages or 0,
            )
            if time.monotonic() - last_checkpoint > CHECKPOINT_SECONDS:
                write_manifest(out_root, current_entries())
                last_checkpoint = time.monotonic()

        def on_event(key: str, event: str, value: Any) -> None:
            if event == "opened":
                pages_of[key] = int(value)
                console.pages_opened(key, int(value))
            elif event == "page":
                read_of[key] = int(value)
                console.page_read(key)

        try:
            for entry in unreadable:
                finish(entry)
            by_key = {t.key: t for t in tasks}
            # Largest files first: with several workers the run ends sooner; results do not depend on order.
            ordered = sorted(tasks, key=lambda t: (-_size(t.path), t.key))
            if ordered:
                import pdfplumber  # noqa: F401  imported once here, so that forked workers start warm

                with WorkerPool(_run_task, jobs=jobs, timeout=options.timeout_seconds) as pool:
                    for outcome in pool.run(((t.key, t) for t in ordered), on_event):
                        task = by_key[outcome.key]
                        if outcome.kind != "done" and outcome.worker_pid is not None:
                            recover_staging(out_root, outcome.worker_pid)
                        with _signals_deferred():  # the folder swap and its manifest entry go together
                            finish(_outcome_entry(outcome, task, pages_of, read_of, options), outcome.seconds)
        except KeyboardInterrupt:
            interrupted = True
            previous_sigint = _set_sigint(signal.SIG_IGN)  # a second Ctrl-C must not break the clean-up
        finally:
            console.close()
            try:
                recover_staging(out_root)
                if not interrupted:
                    for entry in removed:
                        if _report_removed(console, out_root, entry, options.prune):
                            pruned.add(entry.doc_id)
                entries = current_entries()
                write_manifest(out_root, entries)
                write_corpus_entities(out_root, [e.doc_id for e in entries if e.status == "ok"])
                _append_run_log(out_root, started_at, time.monotonic() - started, options, config, jobs,
                                interrupted, entries, timings, skipped)
            finally:
                if interrupted:
                    _set_sigint(previous_sigint)
        failed = sum(e.status == "failed" for e in results.values())
        n_pages = sum((results[k].pages or 0) for k in timings if results[k].status == "ok")
        if interrupted:
            console.line(
                f"interrupted: {len(timings)} of {len(tasks) + len(unreadable)} files done and recorded in "
                f"{out_root / MANIFEST_NAME}; earlier outputs are intact"
            )
            raise KeyboardInterrupt
        needs_ocr = sum(e.needs_ocr for e in results.values() if e.status == "ok")
        console.line(
            f"{len(files)} files: {len(timings) - failed} ok, {failed} failed, {len(skipped)} unchanged (skipped)"
            + (f"; {needs_ocr} need OCR" if needs_ocr else "")
            + f"; {n_pages} pages in {time.monotonic() - started:.1f} s → {out_root / MANIFEST_NAME}"
        )
        return current_entries()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _as_removed(entry: ManifestEntry) -> ManifestEntry:
    if entry.status == "removed":
        return entry
    reason = "the input file is gone; its outputs are kept (--prune deletes them)"
    return replace(entry, status="removed", error=reason, error_code=None)


def _report_removed(console: BatchConsole, out_root: Path, entry: ManifestEntry, prune: bool) -> bool:
    """Tell the user about an input that is gone; with ``prune`` delete its folder.

    True when the entry leaves the manifest (pruned, or it never had an output folder).
    """
    folder = out_root / entry.doc_id
    if not folder.exists():
        console.line(f"removed input: {entry.file}: it had no outputs; dropped from the manifest")
        return True
    if not prune:
        console.line(f"removed input: {entry.file}: its outputs in {folder} are kept (--prune deletes them)")
        return False
    trash = out_root / STAGING_DIR / f"prune-{os.getpid()}" / entry.doc_id
    try:
        trash.parent.mkdir(parents=True, exist_ok=True)
        folder.rename(trash)  # disappears at once; then deleted
    except OSError as error:
        console.line(f"removed input: {entry.file}: could not delete {folder}: {error.strerror or error}")
        return False
    shutil.rmtree(trash.parent, ignore_errors=True)
    try:
        (out_root / STAGING_DIR).rmdir()
    except OSError:
        pass
    console.line(f"removed input: {entry.file}: deleted {folder} (--prune)")
    return True


def _append_run_log(
    out_root: Path, started_at: datetime, seconds: float, options: BatchOptions, config: PipelineConfig,
    jobs: int, interrupted: bool, entries: list[ManifestEntry], timings: dict[str, float], skipped: list[str],
) -> None:
    """One JSON line per run in ``run_log.jsonl``: when, how long, how each file went (never read back)."""
    by_file = {e.file: e for e in entries}
    record = {
        "started": started_at.isoformat(timespec="seconds"),
        "seconds": round(seconds, 3),
        "pipeline_version": __version__,
        "jobs": jobs,
        "timeout_seconds": options.timeout_seconds,
        "max_pages": config.max_pages,
        "force": options.force,
        "prune": options.prune,
        "interrupted": interrupted,
        "skipped": len(skipped),
        "files": [
            {
                "file": key,
                "doc_id": by_file[key].doc_id if key in by_file else None,
                "status": by_file[key].status if key in by_file else None,
                "error_code": by_file[key].error_code if key in by_file else None,
                "pages": by_file[key].pages if key in by_file else None,
                "seconds": round(value, 3),
            }
            for key, value in sorted(timings.items())
        ],
    }
    try:
        with (out_root / RUN_LOG_NAME).open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError:
        pass
