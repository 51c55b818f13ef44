"""The driver: inputs → documents → outputs, with failure isolation, atomic writes and a manifest.

Stages know nothing about files; the driver opens each input once, runs the stages in
order, writes each document's folder to a temporary folder and renames it into place
only when it is complete.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline import __version__
from pipeline.export.documents import (
    write_document_json,
    write_entities_csv,
    write_paragraphs_csv,
    write_sections_csv,
)
from pipeline.model import Document
from pipeline.readers import InputError, file_sha256, open_pdf, pdf_source_info, read_text_document, safe_doc_id
from pipeline.stages import layout, sections

INPUT_SUFFIXES = (".pdf", ".txt")
MANIFEST_NAME = "manifest.json"


@dataclass
class PipelineConfig:
    """Everything the stages and the driver can be told; passed down explicitly."""

    layout: layout.LayoutConfig = field(default_factory=layout.LayoutConfig)
    sections: sections.SectionConfig = field(default_factory=sections.SectionConfig)
    max_pages: int = 2000
    """Files with more pages than this fail with a clear reason instead of running for hours."""


@dataclass
class ManifestEntry:
    doc_id: str
    file: str
    sha256: str | None
    pages: int | None
    status: str
    """``ok`` or ``failed``."""
    error: str | None
    outputs: list[str]
    warnings: int
    pipeline_version: str = __version__


def find_inputs(paths: Iterable[Path]) -> list[Path]:
    """PDF and .txt files named directly or found in the given folders, sorted for stable output."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES)
        else:
            found.append(path)
    return sorted(set(found), key=lambda p: (p.name, str(p)))


def assign_doc_ids(files: list[Path]) -> dict[Path, str]:
    """A filesystem-safe, unique doc_id per file (file stem; a suffix when two stems collide)."""
    ids: dict[Path, str] = {}
    used: set[str] = set()
    for path in files:
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
    if path.suffix.lower() == ".txt":
        doc = read_text_document(path, doc_id, sha256)
    else:
        with open_pdf(path) as pdf:
            n_pages = len(pdf.pages)
            if n_pages > config.max_pages:
                raise InputError(f"PDF has {n_pages} pages, over the limit of {config.max_pages} (--max-pages)")
            doc = Document(doc_id=doc_id, source=pdf_source_info(path, sha256, pdf))
            pages = layout.iter_page_layouts(pdf, config.layout, detect_tables=None)
            layout.assemble(doc, pages, config.layout)
    sections.run(doc, config.sections)
    return doc


def write_outputs(doc: Document, out_dir: Path) -> list[str]:
    """Write every per-document file into ``out_dir`` (which must exist); return their names."""
    written = [
        write_document_json(doc, out_dir),
        write_sections_csv(doc, out_dir),
        write_paragraphs_csv(doc, out_dir),
    ]
    written.extend(write_entities_csv(doc, out_dir))
    return sorted(written)


def replace_folder_atomically(build: Callable[[Path], list[str]], target: Path) -> list[str]:
    """Build a folder beside ``target`` and swap it into place only when it is complete."""
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = parent / f".{target.name}.tmp-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        written = build(staging)
        retired = parent / f".{target.name}.old-{os.getpid()}"
        if target.exists():
            target.rename(retired)
        staging.rename(target)
        if retired.exists():
            shutil.rmtree(retired)
        return written
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def process_file(path: Path, doc_id: str, out_root: Path, config: PipelineConfig) -> ManifestEntry:
    """Process one input; never raises for a bad input (the reason goes into the entry)."""
    sha256: str | None = None
    try:
        sha256 = file_sha256(path)
        doc = build_document(path, doc_id, sha256, config)
        outputs = replace_folder_atomically(lambda folder: write_outputs(doc, folder), out_root / doc_id)
        return ManifestEntry(doc_id, path.name, sha256, doc.n_pages, "ok", None, outputs, len(doc.warnings))
    except InputError as error:
        return ManifestEntry(doc_id, path.name, sha256, None, "failed", str(error), [], 0)
    except OSError as error:
        reason = f"cannot read file: {error.strerror or error}"
        return ManifestEntry(doc_id, path.name, sha256, None, "failed", reason, [], 0)
    except Exception as error:  # an unexpected bug must not stop the other files
        reason = f"internal error: {type(error).__name__}: {error}"
        return ManifestEntry(doc_id, path.name, sha256, None, "failed", reason, [], 0)


def write_manifest(out_root: Path, entries: list[ManifestEntry]) -> Path:
    """Write the manifest atomically (temporary file, then rename)."""
    out_root.mkdir(parents=True, exist_ok=True)
    manifest = {
        "pipeline_version": __version__,
        "documents": [asdict(e) for e in sorted(entries, key=lambda e: e.doc_id)],
    }
    target = out_root / MANIFEST_NAME
    staging = out_root / f".{MANIFEST_NAME}.tmp-{os.getpid()}"
    staging.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    staging.replace(target)
    return target


def run_batch(
    inputs: list[Path],
    out_root: Path,
    config: PipelineConfig,
    log: Callable[[str], None] = lambda message: print(message, file=sys.stderr),
) -> list[ManifestEntry]:
    """Process every input, one at a time, logging a line per file; write the manifest."""
    files = find_inputs(inputs)
    ids = assign_doc_ids(files)
    entries: list[ManifestEntry] = []
    started = time.monotonic()
    for number, path in enumerate(files, start=1):
        entry = process_file(path, ids[path], out_root, config)
        entries.append(entry)
        detail = f"{entry.pages} pages" if entry.status == "ok" else entry.error
        log(f"[{number}/{len(files)}] {entry.status:6} {path.name}: {detail}")
    write_manifest(out_root, entries)
    log(f"{len(files)} files in {time.monotonic() - started:.1f} s; "
        f"{sum(e.status == 'failed' for e in entries)} failed")
    return entries
