"""``manifest.json``: one entry per input (status, reason, sha256, outputs), written atomically,
read back so that a later run skips what has not changed."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from pipeline.batch.inputs import SAFE_DOC_ID, InputFile
from pipeline.sources import InputError, file_sha256
from pipeline.version import __version__

MANIFEST_NAME = "manifest.json"
REMOVED_REASON = "the input file is gone; its outputs are kept (--prune deletes them)"


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
    """``ok``, ``partial`` (outputs written, but some pages could not be read: ``failed_pages``),
    ``failed``, or ``removed`` (the input is gone; its outputs are kept until ``--prune``)."""
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
    title: str | None = None
    """The document's title as read from its first page (or its metadata)."""
    failed_pages: list[int] = field(default_factory=list)
    """Pages neither reader could read (each has a ``page_failed`` warning in document.json)."""
    gazetteers_sha256: str | None = None
    """Checksum of the user gazetteers the outputs were made with (``--gazetteer``, ``gazetteers/``)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "file": self.file,
            "title": self.title,
            "status": self.status,
            "error_code": self.error_code,
            "error": self.error,
            "sha256": self.sha256,
            "pages": self.pages,
            "needs_ocr": self.needs_ocr,
            "unmapped_share": self.unmapped_share,
            "warnings": self.warnings,
            "warning_codes": dict(sorted(self.warning_codes.items())),
            "failed_pages": list(self.failed_pages),
            "outputs": list(self.outputs),
            "pipeline_version": self.pipeline_version,
            "gazetteers_sha256": self.gazetteers_sha256,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ManifestEntry:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        return cls(**values)


WITH_OUTPUTS = ("ok", "partial")
"""Statuses of a document whose outputs were written."""


def failed_entry(
    doc_id: str, file_key: str, sha256: str | None, error: InputError, pages: int | None = None
) -> ManifestEntry:
    """The entry of a file that failed, with its reason on one line."""
    reason = " ".join(str(error).split())  # always one line
    return ManifestEntry(doc_id, file_key, sha256, pages, "failed", reason, [], 0, error_code=error.code)


def as_removed(entry: ManifestEntry) -> ManifestEntry:
    """The entry of an input that is gone (its outputs kept until ``--prune``)."""
    if entry.status == "removed":
        return entry
    return replace(entry, status="removed", error=REMOVED_REASON, error_code=None)


def manifest_dict(entries: Iterable[ManifestEntry]) -> dict[str, Any]:
    ordered = sorted(entries, key=lambda e: e.doc_id)
    counts = Counter(e.status for e in ordered)
    return {
        "pipeline_version": __version__,
        "counts": {
            "ok": counts["ok"],
            "partial": counts["partial"],
            "failed": counts["failed"],
            "removed": counts["removed"],
            "needs_ocr": sum(e.needs_ocr for e in ordered if e.status in WITH_OUTPUTS),
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
    return [e for e in entries if isinstance(e.doc_id, str) and SAFE_DOC_ID.match(e.doc_id)], None


def is_unchanged(
    previous: ManifestEntry | None, sha256: str, out_root: Path, write_tokens: bool,
    gazetteers_sha256: str | None = None, write_review: bool = False,
) -> bool:
    """Skip a file whose last run succeeded on the same bytes with the same pipeline version
    and the same user gazetteers.

    A run that asks for an output the last one did not write (tokens.csv, review.html) redoes the file.
    """
    return (
        previous is not None
        and previous.status in WITH_OUTPUTS
        and previous.sha256 == sha256
        and previous.pipeline_version == __version__
        and previous.gazetteers_sha256 == gazetteers_sha256
        and all((out_root / previous.doc_id / name).is_file() for name in previous.outputs)
        and (not write_tokens or "tokens.csv" in previous.outputs)
        and (not write_review or "review.html" in previous.outputs)
    )


def adopt_moved_keys(
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
