"""Read-only views of a ``Table``: header paths, row-label paths and the long (tidy) form.

Exporters write these views; the tables stage reads the same views when it types cells,
so what ``NN.tidy.csv`` shows is what the units were decided from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.japanese.markers import is_total_label
from pipeline.japanese.normalize import normalize_text
from pipeline.japanese.units import is_currency_unit, unit_multiplier
from pipeline.model.document import Table, TableCell


def owner_grid(table: Table) -> dict[tuple[int, int], TableCell]:
    """Grid position → the cell printed over it (a merged cell owns every position it spans)."""
    owner: dict[tuple[int, int], TableCell] = {}
    for cell in table.cells:
        for r in range(cell.row, min(cell.row + cell.row_span, table.n_rows)):
            for c in range(cell.col, min(cell.col + cell.col_span, table.n_cols)):
                owner.setdefault((r, c), cell)
    return owner


def column_headers(table: Table, parent: Table | None = None) -> list[str]:
    """The header path of each column, top to bottom, joined by ' > ' (a header cell
    spanning columns labels each of them). A continuation printed without its header row
    takes the header of the table it continues."""
    if table.header_rows == 0 and parent is not None and parent.n_cols == table.n_cols and parent.header_rows:
        return column_headers(parent)
    owner = owner_grid(table)
    return [label_path(owner, ((row, col) for row in range(table.header_rows))) for col in range(table.n_cols)]


def row_labels(table: Table) -> list[str]:
    """The label path of each row from the label columns, joined by ' > ' (a label cell
    spanning rows labels each of them). A category printed only on its first row is carried
    down its blank cells below (製造業 | 2015年, (blank) | 2020年 → 製造業 > 2020年)."""
    owner = owner_grid(table)
    carried: dict[int, TableCell] = {}
    labels: list[str] = []
    for row in range(table.n_rows):
        if row >= table.header_rows and table.label_cols > 1:
            for col in range(table.label_cols - 1):
                cell = owner.get((row, col))
                if cell is not None and cell.text:
                    carried[col] = cell
                elif col in carried and any(table.rows[row][table.label_cols - 1:]):
                    owner[(row, col)] = carried[col]
        labels.append(label_path(owner, ((row, col) for col in range(table.label_cols))))
    return labels


def label_path(owner: dict[tuple[int, int], TableCell], positions: Iterable[tuple[int, int]]) -> str:
    """The texts of the cells covering ``positions``, a cell spanning several counted once."""
    parts: list[str] = []
    for position in positions:
        cell = owner.get(position)
        text = normalize_text(cell.text) if cell is not None else ""
        if text and (not parts or parts[-1] != text):
            parts.append(text)
    return " > ".join(parts)


@dataclass(frozen=True)
class TidyRecord:
    """One body cell in long form (a row of ``tables/NN.tidy.csv``)."""

    table_id: str
    row: int
    col: int
    row_label: str
    column_header: str
    value: float | None
    unit: str | None
    multiplier: int | None
    """What the unit's scale multiplies by (千円 → 1000); 1 for 円 or 人, None for % or no unit."""
    value_yen: int | None
    """The amount in yen when the unit is a currency (104,500 in 千円 → 104500000)."""
    is_total_row: bool
    """The cell is on a total row (合計, 小計, 計)."""
    is_total_col: bool
    """The cell is in a total column (計, 合計)."""
    raw_text: str


def tidy_records(table: Table, parent: Table | None = None) -> list[TidyRecord]:
    """The body of a table in long form: one record per printed body cell, blank spacer rows
    left out, spanned labels and headers carried to every row and column they cover."""
    headers = column_headers(table, parent)
    labels = row_labels(table)
    owner = owner_grid(table)
    # a key-value form (label | value, or two such pairs side by side) is read in pairs
    tile = 2 if table.kind == "key_value" and table.n_cols % 2 == 0 else tile_width(table, headers)
    total_cols = {
        c for c in range(table.label_cols, table.n_cols) if headers[c] and is_total_label(headers[c].split(" > ")[-1])
    }
    records: list[TidyRecord] = []
    for row in range(table.header_rows, table.n_rows):
        if not any(table.rows[row]):
            continue  # blank spacer row
        row_total = row in table.total_rows
        for col in range(table.label_cols, table.n_cols):
            if tile and col % tile < table.label_cols:
                continue  # the label column of a later tile
            cell = owner.get((row, col))
            if cell is None or cell.row != row or cell.col != col or not cell.text:
                continue
            label = labels[row] if not tile else _tile_label(owner, row, col - col % tile, table.label_cols)
            multiplier = unit_multiplier(cell.unit) if cell.value is not None else None
            value_yen = (
                round(cell.value * multiplier) if multiplier and cell.value is not None and is_currency_unit(cell.unit)
                else None
            )
            records.append(
                TidyRecord(
                    table.table_id, row, col, label, headers[col], cell.value, cell.unit, multiplier,
                    value_yen, row_total, col in total_cols, cell.text,
                )
            )
    return records


def tile_width(table: Table, headers: list[str]) -> int | None:
    """The width of column groups printed side by side to save space: 都道府県 | 率 repeated four
    times across the page is one two-column table read in four tiles. None when the header
    does not repeat."""
    if table.header_rows == 0 or table.label_cols == 0:
        return None
    n = table.n_cols
    for width in range(table.label_cols + 1, n // 2 + 1):
        if n % width == 0 and all(headers[k] and headers[k] == headers[k % width] for k in range(n)):
            return width
    return None


def _tile_label(owner: dict[tuple[int, int], TableCell], row: int, first: int, label_cols: int) -> str:
    """The row label of one tile: its own label columns in that row."""
    return label_path(owner, ((row, col) for col in range(first, first + label_cols)))
