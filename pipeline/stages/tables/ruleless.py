"""Tables drawn with partial or no rules, found from text alignment: rows of text split at
wide gaps whose pieces line up in columns (統計表 bodies, slide tables, key–value lists)."""

from __future__ import annotations

from collections import Counter

from pipeline.japanese.markers import CELL_BULLETS, CELL_LIST_MARK, LEADER_END
from pipeline.model import BBox
from pipeline.pdf.chars import chars_outside
from pipeline.pdf.page import PdfPage
from pipeline.stages.tables.cells import Segment, TextRow, cell_text_from_chars, is_prose, text_rows
from pipeline.stages.tables.config import RulelessConfig, TableConfig
from pipeline.stages.tables.geometry import area, intersection
from pipeline.stages.tables.values import parse_cell_value
from pipeline.stages.working import RawCell, RawTable

PlacedCells = dict[int, tuple[int, list[Segment]]]
"""One row's cells: column index → (column span, the segments in it)."""
MIN_BRIDGED_CELLS = 2
"""A piece over two or more cells of another row bridges columns (a header spanning them)."""
MIN_ROWS_OF_CELLS = 2
"""After wrapped lines are joined, a table still has two rows of two or more cells."""


def ruleless_tables(page: PdfPage, chars: list[dict], ruled: list[RawTable], config: TableConfig) -> list[RawTable]:
    """Tables drawn without (full) rules, outside the ruled ones, found from text alignment."""
    settings = config.ruleless
    free = chars_outside([c for c in chars if c.get("upright", True)], [t.bbox for t in ruled])
    if len(free) < settings.min_free_chars:
        return []
    rows = text_rows(free, config)
    if sum(1 for r in rows if len(r.segments) >= 2) < settings.min_rows:
        return []  # the common case: a page of prose costs one pass over its characters
    segments = [s for r in rows for s in r.segments]
    if sum(1 for s in segments if len(s.chars) == 1) >= settings.vertical_piece_share * len(segments):
        return []  # vertical writing (縦書き) read across: one character per piece
    rules = _horizontal_rules(page, settings) if page.has_lines_or_rects else []
    artwork = [(float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"])) for o in page.images]
    # (a flat curve is an underline or a rule, not a shape: 達成 underlined in colour)
    curves = [(float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"])) for o in page.curves
              if min(float(o["x1"]) - float(o["x0"]), float(o["bottom"]) - float(o["top"])) >= settings.min_shape_size]
    tables: list[RawTable] = []
    for region in _candidate_regions(rows, config):
        if len(region) > settings.max_rows:
            continue
        table = _region_table(region, rules, page.number, config)
        if table is not None and not _inside_artwork(table.bbox, artwork, curves, settings):
            tables.append(table)
    return tables


def _inside_artwork(box: BBox, images: list[BBox], curves: list[BBox], settings: RulelessConfig) -> bool:
    """Labels of a diagram or chart line up too: text over a picture, or among curves
    (arrows, rounded boxes), is not a table."""
    size = area(box)
    if size <= 0:
        return False
    covered = sum(area(intersection(box, image)) for image in images)
    if covered >= settings.artwork_share * size:
        return True
    inside = sum(1 for c in curves if box[0] <= (c[0] + c[2]) / 2 <= box[2] and box[1] <= (c[1] + c[3]) / 2 <= box[3])
    return inside >= settings.artwork_curves


def _horizontal_rules(page: PdfPage, settings: RulelessConfig) -> list[tuple[float, float, float]]:
    """(y, x0, x1) of thin horizontal rules: the partial rules of a rule-less table."""
    rules = []
    for edge in page.edges:
        if edge["orientation"] == "h" and edge["x1"] - edge["x0"] > settings.min_rule_length:
            rules.append((float(edge["top"]), float(edge["x0"]), float(edge["x1"])))
    return rules


def _candidate_regions(rows: list[TextRow], config: TableConfig) -> list[list[TextRow]]:
    """Runs of rows with two or more cells, close together; short single-cell rows may sit
    between them (a row label alone, a wrapped cell)."""
    settings = config.ruleless
    regions: list[list[TextRow]] = []
    current: list[TextRow] = []

    def close() -> None:
        while current and len(current[-1].segments) < 2:
            current.pop()
        if sum(1 for r in current if len(r.segments) >= 2) >= settings.min_rows:
            regions.append(list(current))
        current.clear()

    for index, row in enumerate(rows):
        if current and row.top - current[-1].bottom > settings.max_row_gap_em * max(row.size, 1.0):
            close()
        multi = len(row.segments) >= 2 and not any(is_prose(s.text, config) for s in row.segments)
        if multi:
            current.append(row)
        elif current and (_is_filler(row, current, config) or _beside_next_row(row, rows, index, config)):
            current.append(row)
        else:
            close()
    close()
    return regions


def _beside_next_row(row: TextRow, rows: list[TextRow], index: int, config: TableConfig) -> bool:
    """A short label printed beside the next row, in a smaller size (2030年度 over (初年度) in
    the stub, next to a row of 24-point figures): the two are one table row."""
    following = rows[index + 1] if index + 1 < len(rows) else None
    if len(row.segments) != 1 or following is None or len(following.segments) < 2:
        return False
    text = row.segments[0].text
    return following.top < row.bottom and len(text.replace(" ", "")) <= config.ruleless.max_cell_chars \
        and not is_prose(text, config)


def _is_filler(row: TextRow, region: list[TextRow], config: TableConfig) -> bool:
    if len(row.segments) != 1:
        return False
    text = row.segments[0].text
    left = min(r.x0 for r in region)
    right = max(r.x1 for r in region)
    size = max(row.size, 1.0)
    return (
        len(text.replace(" ", "")) <= config.ruleless.max_cell_chars
        and not is_prose(text, config)
        and row.x0 >= left - size
        and row.x1 <= right + size
    )


def _region_table(
    region: list[TextRow], rules: list[tuple[float, float, float]], page_number: int, config: TableConfig
) -> RawTable | None:
    columns = _column_bands(region)
    if len(columns) < 2:
        return None
    # Each row: column index → list of segments; a segment over several bands spans them.
    placed: list[PlacedCells] = []
    gutters = _gutter_columns(region, columns)
    for row in region:
        cells: PlacedCells = {}
        for segment in (piece for s in row.segments for piece in _split_over_bands(s, columns, config)):
            first, last = _bands_of(segment, columns)
            while first < last and first in gutters:
                first += 1  # a header over an operator's gutter and a value column heads the value
            while last > first and last in gutters:
                last -= 1
            if first in cells:
                span, members = cells[first]
                cells[first] = (max(span, last - first + 1), members + [segment])
            else:
                cells[first] = (last - first + 1, [segment])
        placed.append(cells)
    if not _aligned_enough(region, placed, columns, config):
        return None
    region, placed = _merge_wrapped_rows(region, placed, rules, config.ruleless)
    n_rows, n_cols = len(region), len(columns)
    raw_cells: list[RawCell] = []
    for r, (row, cells) in enumerate(zip(region, placed)):
        for col in sorted(cells):
            span, members = cells[col]
            chars = [c for s in members for c in s.chars]
            box = (
                round(min(s.x0 for s in members), 2),
                round(row.top, 2),
                round(max(s.x1 for s in members), 2),
                round(row.bottom, 2),
            )
            raw_cells.append(RawCell(r, col, box, 1, span, cell_text_from_chars(chars, config)))
    if sum(1 for c in raw_cells if c.text) < config.min_filled_cells:
        return None
    if sum(1 for cells in placed if len(cells) >= 2) < MIN_ROWS_OF_CELLS:
        return None  # after joining wrapped lines, fewer than two rows of cells remain
    bbox = (
        round(min(c.bbox[0] for c in raw_cells), 2),
        round(region[0].top, 2),
        round(max(c.bbox[2] for c in raw_cells), 2),
        round(region[-1].bottom, 2),
    )
    return RawTable(page_number, bbox, n_rows, n_cols, raw_cells, "text")


def _column_bands(region: list[TextRow]) -> list[tuple[float, float]]:
    """Columns as x-bands: the union of the cells' x-ranges, leaving out cells that bridge
    two cells of another row (a header spanning two columns)."""
    spanning: set[int] = set()
    for row in region:
        for segment in row.segments:
            for other in region:
                if other is row:
                    continue
                hits = sum(1 for s in other.segments if s.x0 < segment.x1 and s.x1 > segment.x0)
                if hits >= MIN_BRIDGED_CELLS:
                    spanning.add(id(segment))
                    break
    intervals = sorted(
        (s.x0, s.x1) for row in region for s in row.segments if id(s) not in spanning
    )
    bands: list[list[float]] = []
    for x0, x1 in intervals:
        if bands and x0 <= bands[-1][1]:
            bands[-1][1] = max(bands[-1][1], x1)
        else:
            bands.append([x0, x1])
    # A centred header over right-aligned numbers (事業所数 above 312), or an indented
    # sub-label under its parent label, leaves two bands that no row fills together:
    # they are one column. Merge such neighbours, closest first.
    while len(bands) > 1:
        occupied = [
            {i for i, b in enumerate(bands) for s in row.segments if s.x0 < b[1] and s.x1 > b[0]} for row in region
        ]
        best: tuple[float, int] | None = None
        for i in range(len(bands) - 1):
            if any(i in rows and i + 1 in rows for rows in occupied):
                continue
            gap = bands[i + 1][0] - bands[i][1]
            if best is None or gap < best[0]:
                best = (gap, i)
        if best is None:
            break
        i = best[1]
        bands[i : i + 2] = [[bands[i][0], max(bands[i][1], bands[i + 1][1])]]
    return [(b[0], b[1]) for b in bands]


def _gutter_columns(region: list[TextRow], columns: list[tuple[float, float]]) -> set[int]:
    """Columns holding only single symbols between value columns: ＝, ≦, ≧, +, × in a worked example."""
    symbols: dict[int, bool] = {}
    for row in region:
        for segment in row.segments:
            first, last = _bands_of(segment, columns)
            if first == last:
                text = segment.text.strip()
                single_symbol = len(text) == 1 and not text.isalnum()
                symbols[first] = symbols.get(first, True) and single_symbol
    return {col for col, only in symbols.items() if only}


def _split_over_bands(segment: Segment, columns: list[tuple[float, float]], config: TableConfig) -> list[Segment]:
    """A piece over several columns cut where its characters change column at a visible gap:
    +20人 ＝ 120人 set with one-em gaps under 増加目標 | ＝ | 目標人数. Letter-spaced
    labels (歳　入, one character a piece) are not cut."""
    first, last = _bands_of(segment, columns)
    if first == last or len(segment.chars) < 2:
        return [segment]
    min_gap = config.ruleless.split_gap_em * max(float(segment.chars[0].get("size") or 0.0), 1.0)
    pieces: list[list[dict]] = [[segment.chars[0]]]
    for previous, char in zip(segment.chars, segment.chars[1:]):
        same_band = _band_at(previous, columns) == _band_at(char, columns)
        if not same_band and char["x0"] - previous["x1"] >= min_gap:
            pieces.append([char])
        else:
            pieces[-1].append(char)
    if len(pieces) == 1 or all(len(p) == 1 for p in pieces):
        return [segment]
    return [Segment(p, min(c["x0"] for c in p), max(c["x1"] for c in p), config) for p in pieces]


def _band_at(char: dict, columns: list[tuple[float, float]]) -> int:
    middle = (char["x0"] + char["x1"]) / 2
    return min(range(len(columns)), key=lambda i: 0 if columns[i][0] <= middle <= columns[i][1]
               else min(abs(columns[i][0] - middle), abs(columns[i][1] - middle)))


def _bands_of(segment: Segment, columns: list[tuple[float, float]]) -> tuple[int, int]:
    hit = [i for i, (x0, x1) in enumerate(columns) if segment.x0 < x1 and segment.x1 > x0]
    if not hit:
        middle = (segment.x0 + segment.x1) / 2
        nearest = min(range(len(columns)), key=lambda i: abs((columns[i][0] + columns[i][1]) / 2 - middle))
        return nearest, nearest
    return hit[0], hit[-1]


def _aligned_enough(
    region: list[TextRow], placed: list[PlacedCells], columns: list[tuple[float, float]], config: TableConfig
) -> bool:
    """Reject prose and ragged text: cells must line up in at least two well-used columns."""
    settings = config.ruleless
    n = len(region)
    support = Counter(col for cells in placed for col in cells)
    strong = [col for col, count in support.items() if count >= settings.min_column_support * n]
    if len(strong) < 2:
        return False
    multi = sum(1 for cells in placed if len(cells) >= 2)
    if multi < settings.min_rows:
        return False
    texts = [s.text for row in region for s in row.segments]
    prose = sum(1 for t in texts if is_prose(t, config))
    if prose > settings.max_prose_share * len(texts):
        return False
    # More columns than any row fills means the "columns" are just scattered words.
    widest = max(len(cells) for cells in placed)
    if len(columns) > widest + settings.max_extra_columns:
        return False
    if sum(1 for t in texts if LEADER_END.search(t)) >= settings.toc_share * len(region):
        return False  # a table of contents: 第1章 総則・・・・・・ 3
    firsts = [cells[min(cells)][1][0].text for cells in placed if cells]
    if len(columns) <= 2 and all(CELL_LIST_MARK.match(t) for t in firsts):
        return False  # a list whose bullets (・, ①, (1)) stand apart from their text
    if sum(1 for t in texts if CELL_LIST_MARK.match(t.split(" ")[0]) or t[:1] in CELL_BULLETS) >= settings.bullet_share * len(texts):
        return False  # bullet lists set side by side
    # A table has numbers, or short labels in its first column (key–value lists).
    has_number = any(parse_cell_value(t).is_number for t in texts)
    return has_number or not any(len(t) > config.kv_max_label_chars for t in firsts)


def _merge_wrapped_rows(
    region: list[TextRow], placed: list[PlacedCells], rules: list[tuple[float, float, float]], settings: RulelessConfig
) -> tuple[list[TextRow], list[PlacedCells]]:
    """Join a text row into the one above when it only continues that row's cells: a header
    wrapped in its column (農業， / 林業), with no numbers of its own, set close below."""
    left = min(r.x0 for r in region)
    right = max(r.x1 for r in region)
    inner_rules = sorted(
        y for y, x0, x1 in rules
        if region[0].bottom < y < region[-1].top and x0 <= left + settings.rule_reach and x1 >= right - settings.rule_reach
    )
    rows: list[TextRow] = [region[0]]
    cells_out: list[PlacedCells] = [dict(placed[0])]
    for row, cells in zip(region[1:], placed[1:]):
        above_row, above = rows[-1], cells_out[-1]
        ruled_between = any(above_row.bottom <= y <= row.top for y in inner_rules)
        no_numbers = not any(parse_cell_value(s.text).is_number for _, ms in cells.values() for s in ms)
        above_text_only = not any(parse_cell_value(s.text).is_number for _, ms in above.values() for s in ms)
        inside_above = all(col in above for col in cells)
        close = row.top - above_row.bottom <= settings.wrapped_row_gap_em * max(row.size, 1.0)
        if inner_rules and not ruled_between:
            wrap = not _numbers_collide(above, cells)
        else:
            wrap = not ruled_between and no_numbers and above_text_only and inside_above and close
        if wrap:
            merged = dict(above)
            for col, (span, members) in cells.items():
                if col in merged:
                    old_span, old = merged[col]
                    merged[col] = (max(old_span, span), old + members)
                else:
                    merged[col] = (span, members)
            cells_out[-1] = merged
            rows[-1] = TextRow(above_row.segments + row.segments, above_row.top, row.bottom, above_row.size)
        else:
            rows.append(row)
            cells_out.append(dict(cells))
    return rows, cells_out


def _numbers_collide(above: PlacedCells, below: PlacedCells) -> bool:
    """A number in a column of the row above and one in the same column below: two data rows."""
    for col, (_, members) in below.items():
        if col in above and any(parse_cell_value(s.text).is_number for s in members) and any(
            parse_cell_value(s.text).is_number for s in above[col][1]
        ):
            return True
    return False
