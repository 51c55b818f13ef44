"""``run_batch``: every input in worker processes, each document written atomically, then the manifest.

Three steps: ``_plan`` (which files, which are unchanged, their doc_ids), ``_run_pool``
(the worker pool, finishing each file as it comes back), ``_finish`` (removed inputs, the
manifest, the corpus-wide tables and datapackage.json, the run log). The run's state lives on one
``BatchState``.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pipeline.batch.console import BatchConsole, describe_result, format_seconds
from pipeline.batch.inputs import InputFile, assign_doc_ids, list_inputs
from pipeline.batch.manifest import (
    MANIFEST_NAME,
    WITH_OUTPUTS,
    ManifestEntry,
    adopt_moved_keys,
    as_removed,
    failed_entry,
    is_unchanged,
    read_manifest,
    write_manifest,
)
from pipeline.batch.options import BatchOptions
from pipeline.batch.outputs import output_lock, prune_folder, recover_staging, swap_into_place, write_failed
from pipeline.batch.process import FileProcessor, FileResult, Task
from pipeline.batch.signals import set_sigint, signals_deferred, sigterm_as_interrupt
from pipeline.batch.dask_pool import DaskPool, require_dask
from pipeline.batch.workers import Outcome, WorkerPool
from pipeline.config import PipelineConfig
from pipeline.nlp.user_gazetteer import gazetteers_sha256
from pipeline.export.corpus_tables import write_corpus
from pipeline.export.formats import require_parquet
from pipeline.sources import InputError, file_sha256, unreadable_reason
from pipeline.version import __version__

RUN_LOG_NAME = "run_log.jsonl"
"""One JSON line per run (start time, durations): kept apart so the data files carry no timestamps."""
CHECKPOINT_SECONDS = 0.5
"""While a batch runs, the manifest is rewritten (atomically) at most this often: a run killed
outright (SIGKILL) leaves a manifest at most this stale. The corpus-wide CSVs are only written
at the end (they read every document's entities), so a first run killed before it has none."""


@dataclass
class BatchState:
    """Everything one run knows: the inputs, the earlier manifest's entries, and the results so far."""

    inputs: list[Path]
    out_root: Path
    config: PipelineConfig
    options: BatchOptions
    files: list[InputFile] = field(default_factory=list)
    previous: dict[str, ManifestEntry] = field(default_factory=dict)
    """Earlier entries of this run's inputs, by file key."""
    removed: list[ManifestEntry] = field(default_factory=list)
    """Earlier entries whose input is gone."""
    untouched: list[ManifestEntry] = field(default_factory=list)
    """Earlier entries of files not named this run (naming single files leaves the others alone)."""
    tasks: list[Task] = field(default_factory=list)
    unreadable: list[FileResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    results: dict[str, ManifestEntry] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    tracebacks: dict[str, str] = field(default_factory=dict)
    """Files that hit an internal error: the traceback, kept for run_log.jsonl."""
    pages_of: dict[str, int] = field(default_factory=dict)
    read_of: dict[str, int] = field(default_factory=dict)
    pruned: set[str] = field(default_factory=set)
    interrupted: bool = False
    gazetteers_sha256: str | None = None
    """Checksum of the user gazetteers this run reads (None without any): an edit redoes every file."""
    started_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    started: float = field(default_factory=time.monotonic)
    last_checkpoint: float = field(default_factory=time.monotonic)

    @property
    def jobs(self) -> int:
        return self.options.jobs if self.options.jobs > 0 else (os.cpu_count() or 1)

    @property
    def n_to_process(self) -> int:
        return len(self.tasks) + len(self.unreadable)

    def current_entries(self) -> list[ManifestEntry]:
        """The manifest as it stands: this run's results, earlier entries for the rest."""
        entries = [self.results.get(f.key) or self.previous.get(f.key) for f in self.files]
        merged = [e for e in entries if e is not None]
        merged.extend(as_removed(e) for e in self.removed if e.doc_id not in self.pruned)
        merged.extend(self.untouched)
        return merged


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
    KeyboardInterrupt is raised again. Raises OutputLocked if another run holds ``out_root``,
    FormatError (before any work) when Parquet is asked for without pyarrow installed, and
    DaskUnavailable when ``--executor dask`` is asked for without the extra or its scheduler
    cannot be reached.
    """
    out_root = Path(out_root)
    state = BatchState(list(inputs), out_root, config, options or BatchOptions(),
                       gazetteers_sha256=gazetteers_sha256(config.entities.gazetteers))
    if "parquet" in state.options.formats:
        require_parquet()
    if state.options.executor == "dask":
        require_dask()
    out_root.mkdir(parents=True, exist_ok=True)
    with output_lock(out_root), sigterm_as_interrupt():
        recover_staging(out_root)
        manifest_problem = _plan(state)
        console = _open_console(state, log, manifest_problem)
        try:
            for result in state.unreadable:
                _finish_file(state, console, result)
            _run_pool(state, console)
        except KeyboardInterrupt:
            state.interrupted = True
            previous_sigint = set_sigint(signal.SIG_IGN)  # a second Ctrl-C must not break the clean-up
        finally:
            console.close()
            try:
                _finish(state, console)
            finally:
                if state.interrupted:
                    set_sigint(previous_sigint)
        _summary(state, console)
        return state.current_entries()


def _plan(state: BatchState) -> str | None:
    """Sort out the earlier manifest, list the inputs, give them doc_ids and split them into
    files to process, unreadable files and unchanged files. Returns a problem with the
    earlier manifest, if any."""
    previous_entries, manifest_problem = read_manifest(state.out_root)
    state.files = list_inputs(state.inputs, exclude=state.out_root)
    current_keys = {f.key for f in state.files}
    scanned_folders_only = all(Path(p).is_dir() for p in state.inputs)
    for entry in previous_entries:
        if entry.file in current_keys and entry.file not in state.previous:
            state.previous[entry.file] = entry
        elif scanned_folders_only or entry.file in current_keys:
            state.removed.append(entry)
        else:
            state.untouched.append(entry)
    hashes: dict[str, str] = {}
    adopt_moved_keys(state.files, state.previous, state.removed, state.untouched, hashes)
    ids = assign_doc_ids(
        [f.path for f in state.files],
        reserved={f.path: state.previous[f.key].doc_id for f in state.files if f.key in state.previous},
        taken=[e.doc_id for e in state.untouched] + ([] if state.options.prune else [e.doc_id for e in state.removed]),
    )
    for item in state.files:
        _plan_file(state, item, ids[item.path], hashes)
    return manifest_problem


def _plan_file(state: BatchState, item: InputFile, doc_id: str, hashes: dict[str, str]) -> None:
    try:
        sha256 = hashes.get(item.key) or file_sha256(item.path)
    except OSError as error:
        state.unreadable.append(FileResult(failed_entry(doc_id, item.key, None, unreadable_reason(error))))
        return
    before = state.previous.get(item.key)
    if not state.options.force and is_unchanged(
        before, sha256, state.out_root, state.config.write_tokens, state.gazetteers_sha256, state.config.write_review
    ):
        state.results[item.key] = before  # type: ignore[assignment]
        state.skipped.append(item.key)
        return
    state.tasks.append(Task(item.path, doc_id, state.out_root, sha256, item.key))


def _open_console(state: BatchState, log: Callable[[str], None] | None, manifest_problem: str | None) -> BatchConsole:
    options = state.options
    bar = options.progress if options.progress is not None else (False if options.quiet else None)
    console = BatchConsole(state.n_to_process, log=log, quiet=options.quiet, bar=bar)
    if manifest_problem:
        console.line(f"warning: {manifest_problem}")
    limit = f", timeout {format_seconds(options.timeout_seconds)} s per file" if options.timeout_seconds else ""
    workers = min(state.jobs, max(1, len(state.tasks)))
    where = (f"Dask cluster {options.scheduler}" if options.executor == "dask"
             else f"{workers} worker{'s' if workers > 1 else ''}")
    console.line(
        f"{len(state.files)} input files in {', '.join(str(p) for p in state.inputs)}: {state.n_to_process} to process"
        + (f", {len(state.skipped)} unchanged and skipped (--force redoes them)" if state.skipped else "")
        + f"; {where}{limit}",
        important=False,
    )
    return console


def _run_pool(state: BatchState, console: BatchConsole) -> None:
    """Run the tasks in worker processes, largest files first; finish each as it comes back."""
    if not state.tasks:
        return
    by_key = {t.key: t for t in state.tasks}
    # Largest files first: with several workers the run ends sooner; results do not depend on order.
    ordered = sorted(state.tasks, key=lambda t: (-_size(t.path), t.key))
    import pdfplumber  # noqa: F401  imported once here, so that forked workers start warm

    def on_event(key: str, event: str, value: Any) -> None:
        if event == "opened":
            state.pages_of[key] = int(value)
            console.pages_opened(key, int(value))
        elif event == "page":
            state.read_of[key] = int(value)
            console.page_read(key)

    handler = FileProcessor(state.config)
    with _pool(state, handler) as pool:
        for outcome in pool.run(((t.key, t) for t in ordered), on_event):
            task = by_key[outcome.key]
            if outcome.kind != "done" and outcome.worker_pid is not None:
                recover_staging(state.out_root, outcome.worker_pid)
            with signals_deferred():  # the folder swap and its manifest entry go together
                _finish_file(state, console, _outcome_result(state, outcome, task), outcome.seconds)


def _pool(state: BatchState, handler: FileProcessor) -> WorkerPool | DaskPool:
    """The worker processes of this machine, or a Dask cluster's workers (``--executor dask``)."""
    if state.options.executor == "dask":
        return DaskPool(handler, state.options.scheduler or "", timeout=state.options.timeout_seconds)
    return WorkerPool(handler, jobs=state.jobs, timeout=state.options.timeout_seconds)


def _outcome_result(state: BatchState, outcome: Outcome, task: Task) -> FileResult:
    """What became of a task: its result, with the staged folder swapped into place, or the reason it failed."""
    if outcome.kind == "done":
        result: FileResult = outcome.result
        if result.staged is not None:
            try:
                swap_into_place(result.staged, task.out_root / task.doc_id)
            except OSError as error:
                return FileResult(
                    failed_entry(task.doc_id, task.key, task.sha256, write_failed(task.out_root / task.doc_id, error))
                )
        return result
    pages = state.pages_of.get(task.key)
    if outcome.kind == "timeout":
        where = ""
        if pages is not None:
            read = state.read_of.get(task.key, 0)
            where = (f"; stopped after {read} of {pages} pages" if read < pages
                     else f"; all {pages} pages were read, stopped in the later stages (tables, sections, entities)")
        reason = InputError(
            f"timed out after {format_seconds(state.options.timeout_seconds or 0)} s of processing (--timeout){where}",
            "timeout",
        )
        return FileResult(failed_entry(task.doc_id, task.key, task.sha256, reason, pages))
    reason = InputError(f"the worker process processing it crashed ({outcome.detail})", "crashed")
    return FileResult(failed_entry(task.doc_id, task.key, task.sha256, reason, pages))


def _finish_file(state: BatchState, console: BatchConsole, result: FileResult, seconds: float = 0.0) -> None:
    """Record a file's entry, print its line, and checkpoint the manifest now and then."""
    entry = result.entry
    if entry.status in WITH_OUTPUTS:
        entry.gazetteers_sha256 = state.gazetteers_sha256
    state.results[entry.file] = entry
    state.timings[entry.file] = seconds
    if result.traceback:
        state.tracebacks[entry.file] = result.traceback
    line = describe_result(result, seconds)
    if entry.status == "failed" and (state.out_root / entry.doc_id).is_dir():
        line += f" (the earlier outputs in {state.out_root / entry.doc_id} are left as they were)"
    console.file_finished(
        entry.file, line, failed=entry.status == "failed",
        noteworthy=entry.needs_ocr or entry.unmapped_share is not None, n_pages=entry.pages or 0,
    )
    if time.monotonic() - state.last_checkpoint > CHECKPOINT_SECONDS:
        write_manifest(state.out_root, state.current_entries())
        state.last_checkpoint = time.monotonic()


def _finish(state: BatchState, console: BatchConsole) -> None:
    """Clean up staging, report (and prune) removed inputs, write the manifest, the corpus-wide
    tables with their datapackage.json (and Parquet files), and the run log."""
    recover_staging(state.out_root)
    if not state.interrupted:
        for entry in state.removed:
            if _report_removed(console, state.out_root, entry, state.options.prune):
                state.pruned.add(entry.doc_id)
    entries = state.current_entries()
    write_manifest(state.out_root, entries)
    done = [e.doc_id for e in entries if e.status in WITH_OUTPUTS]
    write_corpus(state.out_root, done, state.options.formats)
    _append_run_log(state, entries)


def _summary(state: BatchState, console: BatchConsole) -> None:
    """The last console line; raises KeyboardInterrupt again after an interrupt."""
    results = state.results
    failed = sum(e.status == "failed" for e in results.values())
    n_pages = sum((results[k].pages or 0) for k in state.timings if results[k].status in WITH_OUTPUTS)
    manifest = state.out_root / MANIFEST_NAME
    if state.interrupted:
        console.line(
            f"interrupted: {len(state.timings)} of {state.n_to_process} files done and recorded in "
            f"{manifest}; earlier outputs are intact"
        )
        raise KeyboardInterrupt
    needs_ocr = sum(e.needs_ocr for e in results.values() if e.status in WITH_OUTPUTS)
    partial = sum(e.status == "partial" for e in results.values())
    console.line(
        f"{len(state.files)} files: {len(state.timings) - failed - partial} ok, "
        + (f"{partial} partial (pages left out), " if partial else "")
        + f"{failed} failed, {len(state.skipped)} unchanged (skipped)"
        + (f"; {needs_ocr} need OCR" if needs_ocr else "")
        + f"; {n_pages} pages in {time.monotonic() - state.started:.1f} s → {manifest}"
    )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


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
    try:
        prune_folder(out_root, entry.doc_id)
    except OSError as error:
        console.line(f"removed input: {entry.file}: could not delete {folder}: {error.strerror or error}")
        return False
    console.line(f"removed input: {entry.file}: deleted {folder} (--prune)")
    return True


def _append_run_log(state: BatchState, entries: list[ManifestEntry]) -> None:
    """One JSON line per run in ``run_log.jsonl``: when, how long, how each file went (never read back)."""
    by_file = {e.file: e for e in entries}
    options = state.options
    record = {
        "started": state.started_at.isoformat(timespec="seconds"),
        "seconds": round(time.monotonic() - state.started, 3),
        "pipeline_version": __version__,
        "jobs": state.jobs,
        "timeout_seconds": options.timeout_seconds,
        "max_pages": state.config.max_pages,
        "force": options.force,
        "prune": options.prune,
        "interrupted": state.interrupted,
        "skipped": len(state.skipped),
        "files": [_log_file(key, by_file.get(key), value, state.tracebacks.get(key))
                  for key, value in sorted(state.timings.items())],
    }
    try:
        with (state.out_root / RUN_LOG_NAME).open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    except OSError:
        pass


def _log_file(key: str, entry: ManifestEntry | None, seconds: float, traceback: str | None) -> dict[str, Any]:
    record = {
        "file": key,
        "doc_id": entry.doc_id if entry else None,
        "status": entry.status if entry else None,
        "error_code": entry.error_code if entry else None,
        "pages": entry.pages if entry else None,
        "seconds": round(seconds, 3),
    }
    if traceback:
        record["traceback"] = traceback
    return record
