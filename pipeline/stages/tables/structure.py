"""A table's structure and typed values: the Table built from its region, header rows,
row-label columns, key–value records, cell values with units, and total rows."""

from __future__ import annotations

from pipeline.japanese.markers import is_total_label
from pipeline.japanese.units import RATIO_LABEL, explicit_unit, stated_units, unit_of_label
from pipeline.model import Table, TableCell
from pipeline.model.table_views import column_headers, owner_grid, row_labels
from pipeline.stages.tables.config import TableConfig
from pipeline.stages.tables.context import TableContext
from pipeline.stages.tables.values import cell_class, is_calendar_label, parse_cell_value
from pipeline.stages.working import RawTable


def build_table(raw: RawTable) -> Table:
    """The table as printed: every cell's text in its grid position (merged cells in their top-left)."""
    rows = [["" for _ in range(raw.n_cols)] for _ in range(raw.n_rows)]
    cells: list[TableCell] = []
    for cell in sorted(raw.cells, key=lambda c: (c.row, c.col)):
        if 0 <= cell.row < raw.n_rows and 0 <= cell.col < raw.n_cols:
            rows[cell.row][cell.col] = cell.text
        box = tuple(round(v, 2) for v in cell.bbox)
        cells.append(TableCell(cell.row, cell.col, cell.text, cell.row_span, cell.col_span, bbox=box))  # type: ignore[arg-type]
    return Table(
        table_id=raw.table_id,
        page=raw.page,
        bbox=raw.bbox,
        n_rows=raw.n_rows,
        n_cols=raw.n_cols,
        rows=rows,
        cells=cells,
        strategy=raw.strategy,
    )


def type_table(context: TableContext, parent: Table | None, config: TableConfig) -> None:
    """Kind, header rows, label columns, typed body cells with units, column units and totals.
    ``parent`` is the table this one continues (its header stands for a missing one)."""
    table = context.table
    classes = [[cell_class(text) for text in row] for row in table.rows]
    if _is_key_value(table, classes, config):
        table.kind = "key_value"
        table.header_rows = 0
        table.label_cols = 1
        table.record = _key_value_record(table)
    else:
        table.kind = "grid"
        table.header_rows = _header_rows(table, classes, config)
        table.label_cols = _label_cols(table, classes, config)
    caption_unit = unit_of_label(table.caption)
    # 単位：千円 (in the caption or on its own line) covers the whole table; a unit closing
    # the caption, 業種別就業者数（人）, only when no header or row label names its own.
    stated = stated_units(context.caption_unit_text) or stated_units(table.caption)
    stated_unit = stated[0] if stated else unit_of_label(context.caption_unit_text) or explicit_unit(table.caption)
    headers = column_headers(table, parent)
    labels = row_labels(table)
    header_units = [_path_unit(h) for h in headers]
    if "%" in stated[1:]:
        # （単位 千円、％）: amounts in 千円, the ratio columns (構成比, 伸び率) in ％
        header_units = [u or ("%" if h and RATIO_LABEL.search(h.split(" > ")[-1]) else None)
                        for u, h in zip(header_units, headers)]
    label_units = [_path_unit(l) for l in labels]
    has_own_units = any(header_units) or any(label_units)
    default_unit = stated_unit or (None if has_own_units else caption_unit)
    owner = owner_grid(table)
    for cell in table.cells:
        if cell.row < table.header_rows or cell.col < table.label_cols or not cell.text:
            continue
        if owner.get((cell.row, cell.col)) is not cell:
            continue
        parsed = parse_cell_value(cell.text)
        if parsed.kind != "number" or is_calendar_label(parsed):
            continue
        cell.value = parsed.value
        cell.unit = parsed.unit or header_units[cell.col] or label_units[cell.row] or default_unit
    table.column_units = _column_units(table, header_units, default_unit)
    table.total_rows = [
        r for r in range(table.header_rows, table.n_rows) if is_total_label(labels[r] or _first_text(table.rows[r]))
    ]


def _path_unit(path: str) -> str | None:
    """The unit named by the deepest part of a header or label path that names one."""
    for part in reversed(path.split(" > ")) if path else []:
        unit = unit_of_label(part)
        if unit:
            return unit
    return None


def _column_units(table: Table, header_units: list[str | None], default_unit: str | None) -> list[str | None]:
    units: list[str | None] = []
    for col in range(table.n_cols):
        if col < table.label_cols:
            units.append(None)
            continue
        if header_units[col]:
            units.append(header_units[col])
            continue
        seen = {c.unit for c in table.cells if c.col == col and c.value is not None}
        units.append(seen.pop() if len(seen) == 1 else (default_unit if not seen else None))
    return units


def _first_text(row: list[str]) -> str:
    return next((t for t in row if t), "")


def _is_key_value(table: Table, classes: list[list[str]], config: TableConfig) -> bool:
    """Two columns of label | value (企業名 | 株式会社…, 資本金 | 2,700 万円), or two such pairs
    side by side (所在地 | … | 設立 | …): short distinct text labels, values that are mostly
    not bare numbers."""
    if table.n_cols not in (2, 4) or table.n_rows < 2:
        return False
    pairs = range(0, table.n_cols, 2)
    labels = [row[k] for k in pairs for row in table.rows if table.n_cols == 2 or row[k] or row[k + 1]]
    label_classes = [classes[i][k] for k in pairs for i, row in enumerate(table.rows)
                     if table.n_cols == 2 or row[k] or row[k + 1]]
    values = [row[k + 1] for k in pairs for row in table.rows if table.n_cols == 2 or row[k] or row[k + 1]]
    if any(not l or c != "label" or len(l) > config.kv_max_label_chars for l, c in zip(labels, label_classes)):
        return False
    if len(set(labels)) != len(labels):
        return False
    filled = [v for v in values if v]
    if len(filled) < config.kv_filled_share * len(values):
        return False
    if table.n_cols == 4 and not any(_mixed_kinds([row[k] for row in table.rows]) for k in (1, 3)):
        return False  # 事業名 | 概要 | 実施主体 | 期間: columns of one kind each are a grid with a header
    bare_numbers = sum(1 for v in filled if parse_cell_value(v).is_number and parse_cell_value(v).unit is None)
    return bare_numbers < config.kv_bare_number_share * len(filled)


def _mixed_kinds(values: list[str]) -> bool:
    """Values of a record differ in kind (a name, then an amount: 株式会社… / 3,000万円 / 85人);
    a grid column holds one kind."""
    kinds = {parse_cell_value(v).is_number for v in values if v}
    return len(kinds) == 2


def _key_value_record(table: Table) -> dict[str, str]:
    record: dict[str, str] = {}
    pairs = [(row[k], row[k + 1]) for row in table.rows for k in range(0, table.n_cols, 2)]
    for label, value in pairs:
        if not label and not value:
            continue
        key = label
        n = 2
        while key in record:
            key = f"{label} ({n})"
            n += 1
        record[key] = value
    return record


def _row_has_data(classes: list[str], skip_first: bool) -> bool:
    cells = classes[1:] if skip_first and len(classes) > 1 else classes
    return any(c in ("number", "none") for c in cells)


def _header_rows(table: Table, classes: list[list[str]], config: TableConfig) -> int:
    """Header rows: the text-only rows above the first row of numbers. Beyond the first,
    a row is a header only when row 0 groups columns (a cell spanning columns), a header
    cell spans down into it, or its first cell is empty (a sub-header under a stub). With
    no numbers at all, row 0 is a header when all its cells are short labels."""
    n = table.n_rows
    skip_first = table.n_cols > 1
    data_rows = [r for r in range(n) if _row_has_data(classes[r], skip_first)]
    if not data_rows:
        first = table.rows[0]
        short = all(t and len(t) <= config.header_label_max_chars for t in first)
        return 1 if n >= 2 and short else 0
    candidate = data_rows[0]
    if candidate == 0:
        return 0
    spans = [c for c in table.cells if c.row == 0]
    groups_columns = any(c.col_span > 1 and c.text for c in spans)
    header = 1
    while header < candidate:
        reaches = any(c.row < header and c.row + c.row_span > header and c.text for c in table.cells)
        stub_empty = not table.rows[header][0] and table.n_cols > 1
        if reaches or groups_columns or stub_empty:
            header += 1
        else:
            break
    # A header cell spanning rows pulls the header down with it.
    extended = max([c.row + c.row_span for c in table.cells if c.row < header and c.text] + [header])
    if extended > config.max_header_rows or extended > n / 2:
        return 1  # a form, not a header band: keep the first row as the header
    return min(extended, n - 1)


def _label_cols(table: Table, classes: list[list[str]], config: TableConfig) -> int:
    """Row-label columns: the leading text columns when every column after them is mostly
    numbers (人数（人） | 152,384 | …); otherwise (a list of names, places, notes) just the
    first column. At most ``max_label_cols``, and never every column."""
    body = range(table.header_rows, table.n_rows)
    if table.n_cols < 2:
        return 0

    def mostly_numbers(col: int) -> bool:
        kinds = [classes[r][col] for r in body if classes[r][col] != "empty"]
        numbers = sum(1 for k in kinds if k in ("number", "none"))
        return bool(kinds) and numbers >= config.numeric_column_share * len(kinds)

    numeric = [mostly_numbers(col) for col in range(table.n_cols)]
    for k in range(min(config.max_label_cols, table.n_cols - 1) + 1):
        if all(numeric[k:]):
            return k if k > 0 or not any(numeric) else 0
    return 1
