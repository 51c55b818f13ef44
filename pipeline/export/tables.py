"""Table exporters: ``tables.csv`` (one row per table), ``tables/NN.csv`` (as printed) and
``tables/NN.tidy.csv`` (long form). Only reads the finished model; output is deterministic."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.export.csvfile import write_csv
from pipeline.model import Document, Table, format_bbox
from pipeline.model.table_views import tidy_records

TABLES_HEADER = (
    "table_id",
    "page",
    "bbox",
    "section_id",
    "caption",
    "context",
    "section_title",
    "source_note",
    "n_rows",
    "n_cols",
    "header_rows",
    "kind",
    "continuation_of",
)
TIDY_HEADER = (
    "table_id",
    "row",
    "col",
    "row_label",
    "column_header",
    "value",
    "unit",
    "multiplier",
    "value_yen",
    "is_total_row",
    "is_total_col",
    "raw_text",
)
_TABLE_FILE = re.compile(r"^\d{2,}(?:\.tidy)?\.csv$")


def write_tables(doc: Document, out_dir: Path) -> list[str]:
    """Write ``tables.csv`` (always, header only when there are no tables) and, per table,
    ``tables/NN.csv`` and ``tables/NN.tidy.csv``; return the relative paths written."""
    written: list[str] = []
    titles = {s.section_id: s.title for s in doc.sections}
    write_csv(
        out_dir / "tables.csv",
        TABLES_HEADER,
        (
            (
                t.table_id,
                t.page,
                format_bbox(t.bbox),
                t.section_id,
                t.caption,
                t.context,
                titles.get(t.section_id or ""),
                t.source_note,
                t.n_rows,
                t.n_cols,
                t.header_rows,
                t.kind,
                t.continuation_of,
            )
            for t in doc.tables
        ),
    )
    written.append("tables.csv")
    by_id = {t.table_id: t for t in doc.tables}
    folder = out_dir / "tables"
    expected: set[str] = set()
    for table in doc.tables:
        printed, tidy = f"{table.table_id}.csv", f"{table.table_id}.tidy.csv"
        _write_printed(table, folder / printed)
        _write_tidy(table, by_id.get(table.continuation_of or ""), folder / tidy)
        expected.update((printed, tidy))
        written.extend((f"tables/{printed}", f"tables/{tidy}"))
    if folder.is_dir():
        # A re-run into the same folder must not leave tables from an older, longer run.
        for stale in sorted(folder.iterdir()):
            if stale.is_file() and _TABLE_FILE.match(stale.name) and stale.name not in expected:
                stale.unlink()
    return written


def _write_printed(table: Table, path: Path) -> None:
    """Every cell as printed, header rows included; merged cells hold text in their
    top-left cell and "" in the cells they cover."""
    rows = [list(row) for row in table.rows] or [[]]
    write_csv(path, rows[0], rows[1:])


def _write_tidy(table: Table, parent: Table | None, path: Path) -> None:
    write_csv(
        path,
        TIDY_HEADER,
        (
            (r.table_id, r.row, r.col, r.row_label, r.column_header, r.value, r.unit, r.multiplier, r.value_yen,
             r.is_total_row, r.is_total_col, r.raw_text)
            for r in tidy_records(table, parent)
        ),
    )
