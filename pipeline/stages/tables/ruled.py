"""Ruled tables: grids drawn with rules, from pdfplumber's table finder (``pdf/table_cells.py``,
on the page's edges whichever reader read them), mapped onto rows and columns with merged cells as spans."""

from __future__ import annotations

import bisect
from collections import Counter
from operator import itemgetter
from typing import Any

from pipeline.japanese.markers import ASIDE_LABEL, FIGURE_CAPTION
from pipeline.model import BBox
from pipeline.pdf.chars import group_rows
from pipeline.pdf.page import PdfPage
from pipeline.pdf.table_cells import find_table_cells
from pipeline.stages.tables.cells import cell_text_from_chars, is_prose
from pipeline.stages.tables.config import TableConfig
from pipeline.stages.tables.geometry import area, cluster_values, nearest_index
from pipeline.stages.tables.grid import Grid
from pipeline.stages.tables.values import parse_cell_value
from pipeline.stages.working import RawCell, RawTable

NESTING_TOLERANCE = 1.0
"""Points by which an enclosed grid may stick out of the frame around it."""
WHITE_LEVEL = 0.99
"""A gray or RGB component at least this bright is white."""
NO_INK_LEVEL = 0.01
"""A CMYK component this low or lower lays down no ink."""


def ruled_tables(page: PdfPage, chars: list[dict], config: TableConfig) -> list[RawTable]:
    """Tables drawn with rules, from pdfplumber's table finder, each mapped onto a grid."""
    edges = page.edges
    insets = _inset_shading(page.rects) if page.rects else set()
    visible = _clip_edges(
        [e for e in _visible_edges(edges)
         if not (insets and e.get("object_type") == "rect_edge" and _edge_key(e) in insets)],
        page,
    )
    if len(visible) == len(edges) and all(a is b for a, b in zip(visible, edges)):
        found = find_table_cells(edges, page.bbox, config.lines_settings)
    else:
        # White paragraph shading inside cells (Word draws one white box per text line) would
        # cut every cell into line-high slivers, and artwork running off the page (a chapter
        # banner) would join boxes below it into one grid: use visible rules on the page only.
        vertical = [e for e in visible if e["orientation"] == "v"]
        horizontal = [e for e in visible if e["orientation"] == "h"]
        if len(vertical) < 2 or len(horizontal) < 2:
            return []
        table_settings = dict(config.lines_settings)
        table_settings.update(
            vertical_strategy="explicit",
            horizontal_strategy="explicit",
            explicit_vertical_lines=vertical,
            explicit_horizontal_lines=horizontal,
        )
        found = find_table_cells(edges, page.bbox, table_settings)
    tables: list[RawTable] = []
    printed = sorted((((c["top"] + c["bottom"]) / 2, c) for c in chars if c["text"].strip()), key=_BY_MIDDLE)
    by_middle, middles = [c for _, c in printed], [middle for middle, _ in printed]
    for candidate in found:
        table = _grid_table(_split_stacked_rows(candidate, by_middle, middles, config), chars, page.number, config)
        if table is not None:
            tables.append(table)
    return _drop_nested(tables)


_BY_MIDDLE = itemgetter(0)

INSET_ROUNDING = 1
"""Decimals to which rectangle and edge coordinates are compared."""
MAX_LINE_SHADING_HEIGHT = 30.0
"""Points: the height of a text line's shading (Word draws one box per line of a cell)."""
MAX_CELL_PADDING = 10.0
"""Points by which a cell's shaded text area may sit inside the cell on each side."""
PADDING_TOLERANCE = 1.0
"""…the same on the left and the right, to this many points."""
MAX_SHADING_FILLS = 400
"""More fills of one colour on a page than this are artwork (a chart's bars), not cell shading."""


def _edge_key(edge: dict) -> tuple[float, float, float, float]:
    return (round(float(edge["x0"]), INSET_ROUNDING), round(float(edge["top"]), INSET_ROUNDING),
            round(float(edge["x1"]), INSET_ROUNDING), round(float(edge["bottom"]), INSET_ROUNDING))


def _inset_shading(rects: list[dict]) -> set[tuple[float, float, float, float]]:
    """Sides of unstroked fills lying inside a bigger fill of the same colour: Word shades a
    cell, then each paragraph's text area a few points inside it, one box per line. Their
    sides cut the cell into line-high rows if taken for rules (購入費 / （税込）)."""
    by_colour: dict[str, list[dict]] = {}
    for rect in rects:
        if rect.get("fill") and not rect.get("stroke") and rect["width"] > 1 and rect["height"] > 1:
            by_colour.setdefault(repr(rect.get("non_stroking_color")), []).append(rect)
    sides: set[tuple[float, float, float, float]] = set()
    for fills in by_colour.values():
        if len(fills) > MAX_SHADING_FILLS:
            continue  # a chart's bars, not cell shading
        for rect in fills:
            if rect["height"] > MAX_LINE_SHADING_HEIGHT:
                continue  # (only a line-high box can be a line's shading)
            if not any(_encloses(other, rect) for other in fills if other is not rect):
                continue
            x0, top, x1, bottom = (round(float(rect[k]), INSET_ROUNDING) for k in ("x0", "top", "x1", "bottom"))
            sides.update({(x0, top, x1, top), (x0, bottom, x1, bottom), (x0, top, x0, bottom), (x1, top, x1, bottom)})
    return sides


def _encloses(outer: dict, inner: dict) -> bool:
    """``inner`` is a cell's text area: inside ``outer`` with the same small padding left and
    right (Word pads cell text by a few points); bars of a chart on a panel are not."""
    left, right = inner["x0"] - outer["x0"], outer["x1"] - inner["x1"]
    return (
        outer["top"] <= inner["top"] and outer["bottom"] >= inner["bottom"]
        and 0 < left <= MAX_CELL_PADDING and abs(left - right) <= PADDING_TOLERANCE
        and outer["width"] * outer["height"] > inner["width"] * inner["height"]
    )


def _clip_edges(edges: list[dict], page: PdfPage) -> list[dict]:
    """Edges clipped to the page; those wholly off the page dropped (unchanged ones kept as is)."""
    left, top, right, bottom = page.bbox
    clipped: list[dict] = []
    for edge in edges:
        if edge["x1"] < left or edge["x0"] > right or edge["bottom"] < top or edge["top"] > bottom:
            continue
        if edge["x0"] >= left and edge["x1"] <= right and edge["top"] >= top and edge["bottom"] <= bottom:
            clipped.append(edge)
            continue
        inside = dict(edge)
        inside["x0"], inside["x1"] = max(edge["x0"], left), min(edge["x1"], right)
        inside["top"], inside["bottom"] = max(edge["top"], top), min(edge["bottom"], bottom)
        inside["width"], inside["height"] = inside["x1"] - inside["x0"], inside["bottom"] - inside["top"]
        if inside["width"] > 0 or inside["height"] > 0:
            clipped.append(inside)
    return clipped


def _visible_edges(edges: list[dict]) -> list[dict]:
    """The edges without those of white, unstroked fills: invisible on paper, not rules."""
    white_by_colour: dict[Any, bool] = {}  # (a chart's thousands of bars share a few colours)
    visible = []
    for edge in edges:
        if edge.get("object_type") not in ("rect_edge", "curve_edge") or edge.get("stroke") or not edge.get("fill"):
            visible.append(edge)
            continue
        colour = edge.get("non_stroking_color")
        try:
            white = white_by_colour[colour]
        except KeyError:
            white = white_by_colour[colour] = _is_white(colour)
        except TypeError:  # (a colour given as a list)
            white = _is_white(colour)
        if not white:
            visible.append(edge)
    return visible


def _is_white(color: Any) -> bool:
    # Gray 1, RGB (1, 1, 1) and CMYK (0, 0, 0, 0) are white.
    if isinstance(color, (int, float)):
        return float(color) >= WHITE_LEVEL
    if isinstance(color, (tuple, list)) and color and all(isinstance(v, (int, float)) for v in color):
        if len(color) == 1:
            return float(color[0]) >= WHITE_LEVEL
        if len(color) == 3:
            return all(float(v) >= WHITE_LEVEL for v in color)
        if len(color) == 4:
            return all(float(v) <= NO_INK_LEVEL for v in color)
    return False


def _split_stacked_rows(boxes: list[BBox], ordered: list[dict], middles: list[float], config: TableConfig) -> list[BBox]:
    """Cut a ruled row that holds many printed rows: a statistics table whose body has column
    rules but no row rules comes out of the table finder as one tall cell per column, each
    holding every age band or every figure. When two or more cells of a row hold the same
    number of lines, every one a number, at the same heights, each line is a row. ``ordered``
    are the page's printed characters sorted by their vertical middles, ``middles`` those middles."""
    by_band: dict[tuple[float, float], list[BBox]] = {}
    for box in boxes:
        by_band.setdefault((round(box[1], 1), round(box[3], 1)), []).append(box)
    result: list[BBox] = []
    for (top, bottom), band in by_band.items():
        inside = ordered[bisect.bisect_left(middles, top):bisect.bisect_right(middles, bottom)]
        cuts = _stacked_row_cuts(band, inside, config) if len(inside) >= config.min_stacked_rows else []
        if not cuts:
            result.extend(band)
            continue
        edges = [top, *cuts, bottom]
        result.extend((b[0], y0, b[2], y1) for b in band for y0, y1 in zip(edges, edges[1:]))
    return result


def _stacked_row_cuts(band: list[BBox], chars: list[dict], config: TableConfig) -> list[float]:
    """Heights between the printed rows of a ruled row that stacks many (none when it is one row);
    ``chars`` are those of the row's height."""
    if len(band) < 2:
        return []  # (two cells of the row must stack alike)
    stacks: list[list[tuple[float, float]]] = []
    for box in band:
        inside = [c for c in chars if box[0] <= (c["x0"] + c["x1"]) / 2 <= box[2]]
        if len(inside) < config.min_stacked_rows:
            continue
        lines = group_rows(inside, config.spacing.line_merge_share)
        if len(lines) < config.min_stacked_rows:
            continue
        if all(parse_cell_value(cell_text_from_chars(line, config)).is_number for line in lines):
            stacks.append([(min(c["top"] for c in line), max(c["bottom"] for c in line)) for line in lines])
    if len(stacks) < 2 or len({len(s) for s in stacks}) != 1:
        return []
    reference = stacks[0]
    size = max(b - t for t, b in reference)
    for other in stacks[1:]:
        if any(abs((t + b) / 2 - (u + v) / 2) > size / 2 for (t, b), (u, v) in zip(reference, other)):
            return []
    return [(reference[k][1] + reference[k + 1][0]) / 2 for k in range(len(reference) - 1)]


def _grid_table(
    boxes: list[BBox], chars: list[dict], page_number: int, config: TableConfig
) -> RawTable | None:
    """Map pdfplumber's cell rectangles onto a row/column grid (spans from merged cells)."""
    tolerance = config.boundary_tolerance
    xs = cluster_values([b[0] for b in boxes] + [b[2] for b in boxes], tolerance)
    ys = cluster_values([b[1] for b in boxes] + [b[3] for b in boxes], tolerance)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows < config.min_rows or n_cols < config.min_cols:
        return None
    cells: list[RawCell] = []
    owner: dict[tuple[int, int], RawCell] = {}
    for box in boxes:
        col0, col1 = nearest_index(xs, box[0]), nearest_index(xs, box[2])
        row0, row1 = nearest_index(ys, box[1]), nearest_index(ys, box[3])
        if col1 <= col0 or row1 <= row0 or (row0, col0) in owner:
            continue
        cell = RawCell(row0, col0, (xs[col0], ys[row0], xs[col1], ys[row1]), row1 - row0, col1 - col0)
        cells.append(cell)
        for r in range(row0, row1):
            for c in range(col0, col1):
                owner.setdefault((r, c), cell)
    # Characters go to the cell under their centre: bisect on the grid lines.
    members: dict[int, list[dict]] = {}
    left, top, right, bottom = xs[0], ys[0], xs[-1], ys[-1]
    for char in chars:
        cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        if not (left <= cx <= right and top <= cy <= bottom):
            continue
        col = min(max(bisect.bisect_right(xs, cx) - 1, 0), n_cols - 1)
        row = min(max(bisect.bisect_right(ys, cy) - 1, 0), n_rows - 1)
        cell = owner.get((row, col))
        if cell is not None:
            members.setdefault(id(cell), []).append(char)
    for cell in cells:
        cell.text = cell_text_from_chars(members.get(id(cell), []), config)
    grid = Grid(cells, xs, ys)
    grid.merge_empty_slivers(config.sliver_width)
    grid.merge_covered_empty_rows()
    first_rows = [c for c in grid.cells if c.text and c.row == min((x.row for x in grid.cells if x.text), default=0)]
    if any(FIGURE_CAPTION.match(c.text) for c in first_rows):
        return None  # a framed figure (■第1-4-8図／…) drawn with a grid, not a table
    grid.trim(config.frame_caption_max_chars)
    if grid.n_rows < config.min_rows or grid.n_cols < config.min_cols:
        return None
    if not _looks_like_table(grid.cells, config):
        return None
    grid.snap_cell_boxes()
    cells = sorted(grid.cells, key=lambda c: (c.row, c.col))
    bbox = (round(grid.xs[0], 2), round(grid.ys[0], 2), round(grid.xs[-1], 2), round(grid.ys[-1], 2))
    return RawTable(page_number, bbox, grid.n_rows, grid.n_cols, cells, "lines")


def _looks_like_table(cells: list[RawCell], config: TableConfig) -> bool:
    """Reject framed prose: a text box ruled line by line (コラム boxes, notices) has one
    filled cell per row, holding sentences. A table has rows with several filled cells."""
    filled = [c for c in cells if c.text]
    if len(filled) < config.min_filled_cells:
        return False
    per_row = Counter(c.row for c in filled)
    multi_rows = sum(1 for n in per_row.values() if n >= 2)
    if multi_rows == 0:
        return False
    prose = sum(1 for c in filled if is_prose(c.text, config))
    first = min(filled, key=lambda c: (c.row, c.col))
    if ASIDE_LABEL.match(first.text) and prose and len(per_row) <= config.aside_box_max_rows:
        return False  # a コラム box whose text runs in columns: an aside, read as text
    return not (prose >= config.framed_prose_share * len(filled) and multi_rows < config.framed_multi_row_share * len(per_row))


def _drop_nested(tables: list[RawTable]) -> list[RawTable]:
    """When one grid encloses another, the outer one is a frame (a figure box holding a
    ranking table, a notice box): keep the inner table and let the frame's text be text."""
    kept = []
    for table in tables:
        encloses = any(
            other is not table
            and table.bbox[0] <= other.bbox[0] + NESTING_TOLERANCE and table.bbox[1] <= other.bbox[1] + NESTING_TOLERANCE
            and table.bbox[2] >= other.bbox[2] - NESTING_TOLERANCE and table.bbox[3] >= other.bbox[3] - NESTING_TOLERANCE
            and area(table.bbox) > area(other.bbox)
            for other in tables
        )
        if not encloses:
            kept.append(table)
    return kept
