"""User gazetteers: a team's own organizations and programs, read from CSV files.

Columns ``label`` (ORG or PROGRAM), ``name`` (what the entity is called), ``aliases`` (other
printed names, separated by ``|``) and ``type`` (may be empty; for a PROGRAM, ``subsidy``,
``grant``, ``loan`` or ``project`` make its amounts funding facts, as empty does). Lines starting
with ``#`` are comments. Every printed name of an entry is tagged wherever it stands as a word of
its own (not inside a longer name: 山川精機 in 山川精機販売), and wins over the built-in rules::

    label,name,aliases,type
    ORG,株式会社山川精機,山川精機|ヤマカワ精機,company
    PROGRAM,みどり町創業応援補助金,創業応援補助金,subsidy
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.nlp.gazetteer import trie_regex
from pipeline.nlp.textview import compact_key
from pipeline.settings import SettingError

USER_LABELS = ("ORG", "PROGRAM")
REQUIRED_COLUMNS = ("label", "name")
KNOWN_COLUMNS = ("label", "name", "aliases", "type", "note")


class GazetteerError(SettingError):
    """A user gazetteer that cannot be read; the message names the file and the line."""


@dataclass(frozen=True)
class UserEntry:
    label: str
    name: str
    type: str | None


@dataclass(frozen=True)
class UserGazetteer:
    """Folded printed name → entry, and one pattern finding any of them."""

    entries: dict[str, UserEntry]
    pattern: re.Pattern[str] | None


def gazetteer_files(paths: Sequence[str | Path]) -> list[Path]:
    """The CSV files named, a folder standing for every ``*.csv`` in it, in a stable order."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".csv")
            if not found:
                raise GazetteerError(f"{path}: gazetteer folder holds no .csv file")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise GazetteerError(f"{path}: gazetteer not found")
    return files


def read_user_gazetteers(paths: Sequence[str | Path]) -> UserGazetteer:
    """Every entry of the given files (later files win a name listed twice)."""
    entries: dict[str, UserEntry] = {}
    for path in gazetteer_files(paths):
        for entry, names in _read_file(path):
            for name in names:
                entries[compact_key(name)] = entry
    pattern = re.compile(trie_regex(entries)) if entries else None
    return UserGazetteer(entries, pattern)


def _read_file(path: Path) -> list[tuple[UserEntry, list[str]]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            # comment lines become blank lines, which the reader skips, so line numbers stay true
            lines = ["\n" if line.lstrip().startswith("#") else line for line in handle]
    except UnicodeDecodeError as error:
        raise GazetteerError(f"{path}: not UTF-8 text (save it as UTF-8, e.g. Excel's \"CSV UTF-8\")") from error
    except OSError as error:
        raise GazetteerError(f"{path}: cannot be read ({error.strerror or type(error).__name__})") from error
    reader = csv.reader(lines)
    header = next((row for row in reader if row), [])
    columns = [c.strip().lower() for c in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise GazetteerError(f"{path}: missing column(s) {', '.join(missing)} (columns: {', '.join(KNOWN_COLUMNS)})")
    found: list[tuple[UserEntry, list[str]]] = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        row = dict(zip(columns, cells))
        label = (row.get("label") or "").strip().upper()
        name = (row.get("name") or "").strip()
        if label not in USER_LABELS:
            raise GazetteerError(f"{path}, line {reader.line_num}: label must be ORG or PROGRAM, got {row.get('label')!r}")
        if not name:
            raise GazetteerError(f"{path}, line {reader.line_num}: the name is empty")
        aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
        found.append((UserEntry(label, name, (row.get("type") or "").strip() or None), [name, *aliases]))
    return found


def gazetteers_sha256(paths: Sequence[str | Path]) -> str | None:
    """One checksum of the gazetteers' names and contents (None without any): part of the key
    an incremental run compares, so an edited list redoes the files."""
    files = gazetteer_files(paths)
    if not files:
        return None
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
