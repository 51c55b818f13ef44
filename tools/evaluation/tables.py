"""Score extracted tables against a gold folder (``gold_tables/``: ``index.json`` + one CSV
per table, cell text exactly as printed, header rows included).

Matching: each gold table, in order, takes the unmatched predicted table on the same page
that agrees with it on most cells; it counts as found when that table has the same shape
or at least 90 % of the gold cells. Cells are compared after NFKC and the removal of all
white space (wrapped cells come out of a PDF with or without a space at the break).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from pipeline.model import Table
from pipeline.japanese.normalize import match_key

FOUND_CELL_SHARE = 0.9
"""A same-page table that reproduces this share of the gold cells counts as found."""
MAX_LISTED_ERRORS = 50


def _cell_key(text: str | None) -> str:
    """NFKC, no white space (widths such as １4０，０００ are printed either way)."""
    return match_key(text or "")


def read_gold_tables(gold_dir: Path, pdf: str | None = None) -> list[dict[str, Any]]:
    """index.json entries (those of ``pdf`` only, when given), each with its grid under ``rows``."""
    index = json.loads((gold_dir / "index.json").read_text(encoding="utf-8"))
    entries = []
    for entry in index:
        if pdf is not None and entry.get("pdf") != pdf:
            continue
        with (gold_dir / entry["file"]).open(encoding="utf-8-sig", newline="") as handle:
            rows = [row for row in csv.reader(handle)]
        entries.append({**entry, "rows": rows})
    return entries


def _agreement(gold_rows: list[list[str]], predicted: Table) -> tuple[int, int]:
    """(cells equal at the same position, gold cells)."""
    total = equal = 0
    for r, row in enumerate(gold_rows):
        for c, text in enumerate(row):
            total += 1
            if r < len(predicted.rows) and c < len(predicted.rows[r]):
                equal += _cell_key(predicted.rows[r][c]) == _cell_key(text)
    return equal, total


def _ratio(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 4) if denominator else 0.0


def _same_link(linked_file: str | None, predicted_link: str | None, gold_link: str | None) -> bool:
    """A continuation link names the gold table by its file (``report_p3_1.csv``) or its number (``04``)."""
    if not gold_link:
        return not predicted_link
    return linked_file is not None and (linked_file == gold_link or linked_file.startswith(gold_link + "_"))


def score_tables(predicted: list[Table], gold_dir: Path, pdf: str | None = None) -> dict[str, Any]:
    """Detection precision/recall, cell accuracy (over found tables), header-row,
    caption (over tables with a printed caption), kind and continuation accuracy, and
    the lists of misses, spurious tables and wrong cells. ``pdf``: score only that file's
    gold tables (a folder with several documents' tables, ``real/gold/tables``)."""
    gold = read_gold_tables(gold_dir, pdf)
    unmatched = list(predicted)
    pairs: list[tuple[dict[str, Any], Table]] = []
    misses: list[dict[str, Any]] = []
    for entry in gold:
        best: tuple[int, Table] | None = None
        for table in unmatched:
            if table.page != entry["page"]:
                continue
            equal, total = _agreement(entry["rows"], table)
            same_shape = (table.n_rows, table.n_cols) == (entry["n_rows"], entry["n_cols"])
            if (same_shape or equal >= FOUND_CELL_SHARE * total) and (best is None or equal > best[0]):
                best = (equal, table)
        if best is None:
            misses.append({"file": entry["file"], "page": entry["page"], "n_rows": entry["n_rows"], "n_cols": entry["n_cols"]})
            continue
        unmatched.remove(best[1])
        pairs.append((entry, best[1]))

    cells_equal = cells_total = 0
    cell_errors: list[dict[str, Any]] = []
    header_ok = kind_ok = 0
    caption_total = caption_ok = 0
    continuation_ok = 0
    gold_file_of = {table.table_id: entry["file"] for entry, table in pairs}
    for entry, table in pairs:
        equal, total = _agreement(entry["rows"], table)
        cells_equal += equal
        cells_total += total
        for r, row in enumerate(entry["rows"]):
            for c, text in enumerate(row):
                got = table.rows[r][c] if r < len(table.rows) and c < len(table.rows[r]) else None
                if _cell_key(got) != _cell_key(text) and len(cell_errors) < MAX_LISTED_ERRORS:
                    cell_errors.append({"file": entry["file"], "row": r, "col": c, "gold": text, "predicted": got})
        header_ok += table.header_rows == entry["header_rows"]
        gold_kind = "key_value" if entry.get("kind") in ("key_value", "kv") else "grid"
        kind_ok += table.kind == gold_kind
        if entry.get("caption_printed", entry.get("caption") is not None) and entry.get("caption"):
            caption_total += 1
            caption_ok += match_key(table.caption or "") == match_key(entry["caption"])
        continuation_ok += _same_link(gold_file_of.get(table.continuation_of or ""), table.continuation_of,
                                      entry.get("continuation_of"))
    found = len(pairs)
    return {
        "gold_tables": len(gold),
        "predicted_tables": len(predicted),
        "found": found,
        "precision": _ratio(found, len(predicted)),
        "recall": _ratio(found, len(gold)),
        "cell_accuracy": _ratio(cells_equal, cells_total),
        "cells_compared": cells_total,
        "header_row_accuracy": _ratio(header_ok, found),
        "caption_accuracy": _ratio(caption_ok, caption_total),
        "captions_compared": caption_total,
        "kind_accuracy": _ratio(kind_ok, found),
        "continuation_accuracy": _ratio(continuation_ok, found),
        "misses": misses,
        "spurious": [
            {"table_id": t.table_id, "page": t.page, "n_rows": t.n_rows, "n_cols": t.n_cols, "caption": t.caption}
            for t in unmatched
        ],
        "cell_errors": cell_errors,
        "header_errors": [
            {"file": e["file"], "gold": e["header_rows"], "predicted": t.header_rows}
            for e, t in pairs if t.header_rows != e["header_rows"]
        ],
        "caption_errors": [
            {"file": e["file"], "gold": e["caption"], "predicted": t.caption}
            for e, t in pairs
            if e.get("caption_printed", True) and e.get("caption") and match_key(t.caption or "") != match_key(e["caption"])
        ],
    }
