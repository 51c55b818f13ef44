"""pdfplumber's table finder for grids drawn with rules, on a page's edges, whichever reader read them.

The steps are pdfplumber's own (``TableFinder``'s ``lines`` and ``explicit`` strategies: snap
rules lying within a tolerance of each other onto one line, join the pieces of a broken rule,
find where rules cross, the cells the crossings close and the tables the cells form), with the
same arithmetic in the same order, so the cells come out the same to the last bit
(``tests/unit/test_table_cells.py`` holds the two against each other). They run on plain tuples
instead of dicts copied at every move, and which crossings a rule joins is worked out once a
crossing, not once each time two crossings are compared: about a fifth of the time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from itertools import groupby
from operator import itemgetter
from typing import Any

from pipeline.model import BBox

Rule = tuple[float, float, float, float, float]
"""A rule as the finder keeps it: x0, top, x1, bottom and its length (pdfplumber's ``width`` of a
horizontal edge, ``height`` of a vertical one, which joining updates apart from the ends)."""
Point = tuple[float, float]
Crossings = dict[Point, tuple[set[BBox], set[BBox]]]
"""Where a vertical rule crosses a horizontal one: the boxes of the vertical and of the horizontal
rules that cross there."""


def find_table_cells(edges: list[dict], page_box: BBox, table_settings: dict[str, Any]) -> list[list[BBox]]:
    """Cell boxes of each table pdfplumber's table finder sees on a page with these ``edges`` and
    box, with ``table_settings`` (its ``lines`` and ``explicit`` strategies: grids drawn with rules)."""
    from pdfplumber.table import TableSettings, cells_to_tables

    settings = TableSettings.resolve(table_settings)
    vertical = _strategy_rules(settings, "vertical", edges, page_box)
    horizontal = _strategy_rules(settings, "horizontal", edges, page_box)
    if settings.snap_x_tolerance > 0 or settings.snap_y_tolerance > 0:
        vertical = _snapped(vertical, 0, settings.snap_x_tolerance)
        horizontal = _snapped(horizontal, 1, settings.snap_y_tolerance)
    horizontal = _joined(horizontal, 1, 0, settings.join_x_tolerance)
    vertical = _joined(vertical, 0, 1, settings.join_y_tolerance)
    shortest = settings.edge_min_length
    crossings = _crossings([r for r in vertical if r[4] >= shortest], [r for r in horizontal if r[4] >= shortest],
                           settings.intersection_x_tolerance, settings.intersection_y_tolerance)
    return [[tuple(map(float, cell)) for cell in table] for table in cells_to_tables(crossings_to_cells(crossings))]  # type: ignore[misc]


def _strategy_rules(settings: Any, direction: str, edges: list[dict], page_box: BBox) -> list[Rule]:
    """The rules one direction's strategy gives (``TableFinder.get_edges``, for ``lines`` and ``explicit``)."""
    from pdfplumber.utils import filter_edges, obj_to_edges

    strategy = getattr(settings, f"{direction}_strategy")
    orientation = direction[0]  # "v" or "h"
    length = "height" if orientation == "v" else "width"
    explicit = getattr(settings, f"explicit_{direction}_lines") or []
    if strategy == "explicit" and len(explicit) < 2:
        raise ValueError(f"the explicit {direction} strategy needs two or more explicit_{direction}_lines")
    found: list[dict] = []
    if strategy in ("lines", "lines_strict"):
        found = filter_edges(edges, orientation, edge_type="line" if strategy == "lines_strict" else None,
                             min_length=settings.edge_min_length_prefilter)
    elif strategy != "explicit":
        raise ValueError(f"table strategy {strategy!r} is not for ruled grids (lines, lines_strict, explicit)")
    rules = [(e["x0"], e["top"], e["x1"], e["bottom"], e[length]) for e in found]
    x0, top, x1, bottom = page_box
    for line in explicit:
        if isinstance(line, dict):
            rules += [(e["x0"], e["top"], e["x1"], e["bottom"], e[length])
                      for e in obj_to_edges(line) if e["orientation"] == orientation]
        elif orientation == "v":
            rules.append((line, top, line, bottom, bottom - top))
        else:
            rules.append((x0, line, x1, line, x1 - x0))
    return rules


def _snapped(rules: list[Rule], across: int, tolerance: float) -> list[Rule]:
    """pdfplumber's ``snap_objects``: rules whose position across them (x0 of a vertical rule, top
    of a horizontal one) lies within ``tolerance`` of the next moved to their mean, both ends
    by the same amount; grouped by position."""
    from pdfplumber.utils import cluster_objects

    moved: list[Rule] = []
    key = itemgetter(across)
    for cluster in cluster_objects(rules, key, tolerance):
        mean = sum(map(key, cluster)) / len(cluster)
        for rule in cluster:
            shift = mean - rule[across]
            if across == 0:
                moved.append((rule[0] + shift, rule[1], rule[2] + shift, rule[3], rule[4]))
            else:
                moved.append((rule[0], rule[1] + shift, rule[2], rule[3] + shift, rule[4]))
    return moved


def _joined(rules: list[Rule], across: int, along: int, tolerance: float) -> list[Rule]:
    """pdfplumber's ``merge_edges`` after snapping: the rules on one line (grouped by position
    across them), the pieces of a broken rule that start within ``tolerance`` of the end of the
    one before joined into one."""
    end = along + 2
    joined: list[Rule] = []
    for _, line in groupby(sorted(rules, key=itemgetter(across)), key=itemgetter(across)):
        pieces = sorted(line, key=itemgetter(along))
        merged = [pieces[0]]
        for piece in pieces[1:]:
            last = merged[-1]
            if piece[along] <= last[end] + tolerance:
                if piece[end] > last[end]:
                    merged[-1] = _extended(last, end, piece[end])
            else:
                merged.append(piece)
        joined += merged
    return joined


def _extended(rule: Rule, end: int, value: float) -> Rule:
    """The rule with its far end (x1 or bottom) at ``value``, its length changed as pdfplumber's
    ``resize_object`` changes it."""
    if end == 2:
        return (rule[0], rule[1], value, rule[3], value - rule[0])
    return (rule[0], rule[1], rule[2], value, rule[4] + (value - rule[3]))


def _crossings(vertical: list[Rule], horizontal: list[Rule], x_tolerance: float, y_tolerance: float) -> Crossings:
    """pdfplumber's ``edges_to_intersections``: each point where a vertical rule meets a horizontal
    one within the tolerances, with the boxes of the rules that meet there."""
    crossings: Crossings = {}
    across = sorted(horizontal, key=itemgetter(1, 0))
    for v in sorted(vertical, key=itemgetter(0, 1)):
        x, v_top, v_bottom = v[0], v[1], v[3]
        for h in across:
            if v_top <= h[1] + y_tolerance and v_bottom >= h[1] - y_tolerance \
                    and h[0] - x_tolerance <= x <= h[2] + x_tolerance:
                rules = crossings.setdefault((x, h[1]), (set(), set()))
                rules[0].add(v[:4])
                rules[1].add(h[:4])
    return crossings


def crossings_to_cells(crossings: Crossings) -> list[BBox]:
    """pdfplumber's ``intersections_to_cells``: for each crossing, the smallest cell whose top-left
    corner it is, its sides on rules that join its corners."""
    points = sorted(crossings)
    columns: dict[float, list[Point]] = defaultdict(list)  # each column's crossings, top down
    rows: dict[float, list[Point]] = defaultdict(list)  # each row's crossings, left to right
    places: dict[Point, tuple[int, int]] = {}
    for point in points:
        column, row = columns[point[0]], rows[point[1]]
        places[point] = (len(column), len(row))
        column.append(point)
        row.append(point)

    def joined(a: Point, b: Point) -> bool:
        if a[0] == b[0] and not crossings[a][0].isdisjoint(crossings[b][0]):
            return True
        return a[1] == b[1] and not crossings[a][1].isdisjoint(crossings[b][1])

    cells: list[BBox] = []
    for point in points:
        in_column, in_row = places[point]
        cell = _smallest_cell(point, columns[point[0]][in_column + 1:], rows[point[1]][in_row + 1:], crossings, joined)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(point: Point, below: list[Point], right: list[Point], crossings: Crossings,
                   joined: Callable[[Point, Point], bool]) -> BBox | None:
    for below_point in below:
        if not joined(point, below_point):
            continue
        for right_point in right:
            if not joined(point, right_point):
                continue
            corner = (right_point[0], below_point[1])
            if corner in crossings and joined(corner, right_point) and joined(corner, below_point):
                return (point[0], point[1], corner[0], corner[1])
    return None
