"""Which files a run processes, and the doc_id (output folder name) of each."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.sources import safe_doc_id

INPUT_SUFFIXES = (".pdf", ".txt")
SAFE_DOC_ID = re.compile(r"^[\w\-][\w\-.]*$")
"""A doc_id read back from a manifest must be a plain folder name (no path, no ..)."""


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
            found.extend(_files_in(path, excluded))
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


def _files_in(folder: Path, excluded: Path | None) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and Path(os.path.abspath(here / d)) != excluded
        )
        found.extend(
            here / name for name in filenames
            if not name.startswith(".") and Path(name).suffix.lower() in INPUT_SUFFIXES
            and not (here / name).is_dir()
        )
    return found


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
        if doc_id and SAFE_DOC_ID.match(doc_id) and doc_id not in used:
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
