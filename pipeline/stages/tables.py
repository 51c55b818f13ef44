"""Tables stage: find tables on a page, rebuild cell text, then type and label them.

Two halves:

* Page level, during layout (``detect_tables``): ruled tables come from pdfplumber's
  ``lines`` strategy; tables drawn with partial or no rules come from text alignment
  (rows of text split by wide gaps whose pieces line up in columns). Cell text is rebuilt
  here, from the characters inside each cell, with the same Japanese line joining as
  paragraphs (鉱業，採石 / 業，砂利採 / 取業 → 鉱業，採石業，砂利採取業). Only plain data
  (``RawTable``/``RawCell``) leaves the page. ``detect_image_tables`` reports tables
  pasted as pictures.
* Document level, after the sections stage (``run``): one ``Table`` per ``RawTable``,
  in the same order (table_id "01", "02", … matches the layout's placeholder blocks).
  It attaches the caption above and the source note below, detects header rows, row-label
  columns and key–value tables, types every body cell (numbers, ▲/△ negatives, %,
  units) and links a table continued on the next page or split under one caption.
"""

from __future__ import annotations

import bisect
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pipeline.chars import CharSpacing, centre_inside, drop_overprints, group_rows, spaced_text
from pipeline.model import BBox, Block, Document, QualityWarning, RawCell, RawTable, Table, TableCell
from pipeline.text import count_unmapped, join_wrapped_lines, match_key, normalize_text, remove_letter_spacing


def _default_lines_settings() -> dict[str, Any]:
    # pdfplumber's defaults for the lines strategy already fit office-suite output (Word,
    # Excel, LibreOffice): rules closer than 3pt are one rule, dashes of a dashed rule are
    # joined, and an edge shorter than 3pt (a tick, a bullet square) is ignored. Rect
    # outlines count as rules, so shaded cells drawn as filled rectangles still form a grid.
    return {
        "vertical_strategy": "lines",
        "horizontal_strategy": "lines",
        "snap_tolerance": 3,
        "join_tolerance": 3,
        "edge_min_length": 3,
        "intersection_tolerance": 3,
    }


@dataclass
class TableSettings:
    """Settings of table detection and typing (lengths in PDF points unless said otherwise)."""

    enabled: bool = True
    """Off: no table is detected, every line stays in the paragraphs."""
    lines_settings: dict[str, Any] = field(default_factory=_default_lines_settings)
    """pdfplumber ``table_settings`` for ruled tables (the ``lines`` strategy)."""
    min_edges: int = 4
    """find_tables runs only when the page has at least this many horizontal and this many
    vertical edges together (a page of plain text, or one box, costs nothing)."""
    min_rows: int = 2
    """A ruled grid needs at least this many rows to be a table (a framed line is not)."""
    min_cols: int = 2
    """…and this many columns (a box around a paragraph is a 1-column grid)."""
    min_filled_cells: int = 3
    """…and this many cells with text."""
    boundary_tolerance: float = 2.0
    """Cell edges closer than this are one grid line when cells are mapped to rows and columns."""
    sliver_width: float = 8.0
    """A grid row/column narrower than this with no text of its own joins its neighbour."""
    spacing: CharSpacing = field(default_factory=CharSpacing)
    """How characters are read into rows and words (the same rules as paragraph lines)."""

    detect_ruleless: bool = True
    """Also look for tables drawn without (full) rules, from text alignment."""
    ruleless_gap_em: float = 1.6
    """A horizontal gap wider than this many ems splits a text row into cells. Wider than the
    one-em U+3000 of letter-spaced labels (歳　入　合　計 stays one cell)."""
    ruleless_min_gap: float = 8.0
    """…and never narrower than this many points."""
    ruleless_min_rows: int = 3
    """Rows with two or more aligned cells a rule-less table needs."""
    ruleless_max_row_gap_em: float = 2.2
    """A vertical gap larger than this many ems between two rows ends a rule-less table."""
    ruleless_max_cell_chars: int = 24
    """A lone text piece longer than this is prose, not a table row."""
    ruleless_max_prose_share: float = 0.25
    """A region where more than this share of cells read as prose is not a table."""
    ruleless_max_rows: int = 120
    """Longer aligned runs are not examined (bounds the cost on pathological pages)."""
    ruleless_min_column_support: float = 0.5
    """At least two columns must have text in this share of the rows."""

    image_min_area_share: float = 0.04
    """An image covering at least this share of the page may be a table pasted as a picture."""
    image_max_chars: int = 3
    """…when at most this many characters are printed over it (no text layer)."""
    image_caption_gap: float = 36.0
    """A table-like caption within this distance above or below the image marks it as a table."""

    caption_max_gap_em: float = 3.0
    """A caption sits at most this many ems (of its own size) above the table."""
    caption_max_chars: int = 60
    """A caption is at most this long."""
    note_max_gap_em: float = 3.0
    """A source note sits at most this many ems below the table."""
    kv_max_label_chars: int = 20
    """In a key–value table each label is at most this long (企業名, 本社所在地, 資本金)."""


# ======================================================================== page level


def detect_tables(
    page: Any, page_number: int, settings: TableSettings, chars: list[dict] | None = None
) -> list[RawTable]:
    """Find the tables on one open (de-duplicated) pdfplumber page; plain data only.

    Ruled grids come first (pdfplumber ``find_tables`` with ``settings.lines_settings``,
    skipped when the page has too few rules); then, on the remaining text, tables drawn
    without rules are found from text alignment. Cells carry their text, rebuilt from the
    characters inside them with Japanese line joining. ``chars`` are the page's characters
    as the layout stage de-duplicated them (read from the page when not given).
    """
    if not settings.enabled:
        return []
    # (cid:NN) and private-use glyphs (a Wingdings bullet, U+F09E) are never text; the
    # layout stage counts and reports them.
    chars = [c for c in (drop_overprints(page.chars) if chars is None else chars) if _is_mapped(c.get("text", ""))]
    if not chars:
        return []
    tables: list[RawTable] = []
    if _enough_edges(page, settings):
        tables.extend(_ruled_tables(page, chars, page_number, settings))
    if settings.detect_ruleless:
        tables.extend(_ruleless_tables(page, chars, tables, page_number, settings))
    tables.sort(key=lambda t: (round(t.bbox[1]), t.bbox[0]))
    return tables


def _is_mapped(text: str) -> bool:
    if len(text) == 1:  # the common case, without a regex
        return not 0xE000 <= ord(text) <= 0xF8FF
    return bool(text) and not count_unmapped(text)


def detect_image_tables(page: Any, page_number: int, settings: TableSettings) -> list[QualityWarning]:
    """Warn about tables printed as pictures: a large image with no text over it, next to a
    caption that names a table (表3 …, …一覧, （単位：千円）). Costs nothing on pages without
    images; pages with no text at all are left to the layout's ``no_text_layer`` warning."""
    if not settings.enabled or not page.images:
        return []
    left, top, right, bottom = (float(v) for v in page.bbox)
    width, height = right - left, bottom - top
    chars = [c for c in page.chars if c.get("text", "").strip()]
    if not chars or width <= 0 or height <= 0:
        return []
    warnings: list[QualityWarning] = []
    rows: list[_TextRow] | None = None
    for image in page.images:
        box = (max(image["x0"], left), max(image["top"], top), min(image["x1"], right), min(image["bottom"], bottom))
        if _area(box) < settings.image_min_area_share * width * height or box[2] - box[0] < 0.2 * width:
            continue
        covered = sum(1 for c in chars if centre_inside(c, box))
        if covered > settings.image_max_chars:
            continue
        if rows is None:
            rows = _text_rows(chars, settings)
        caption = _image_caption(rows, box, settings)
        if caption is None:
            continue
        warnings.append(
            QualityWarning(
                "image_table",
                f"table printed as a picture without a text layer under 「{caption}」 at "
                f"{_format_bbox(box)}; its cells cannot be extracted without OCR",
                page_number,
            )
        )
    return warnings


# A caption naming a table: 表３ 地区別…, 図表2-1, 補助対象経費一覧, 内訳表, （単位：千円）.
_TABLE_CAPTION = re.compile(
    r"^[■□◆◇●○・\s]*(?:図表|表)\s*[0-9０-９]|表\s*$|表[（(]|一覧|内訳|[（(]?単位\s*[：:]"
)


def _image_caption(rows: list[_TextRow], box: BBox, settings: TableSettings) -> str | None:
    for row in rows:
        text = "".join(s.text for s in row.segments)
        overlaps = row.x0 < box[2] and row.x1 > box[0]
        above = 0 <= box[1] - row.bottom <= settings.image_caption_gap
        below = 0 <= row.top - box[3] <= settings.image_caption_gap
        if overlaps and (above or below) and len(text) <= settings.caption_max_chars and _TABLE_CAPTION.search(text):
            return text
    return None


def _format_bbox(box: BBox) -> str:
    return " ".join(f"{v:.1f}" for v in box)


def _enough_edges(page: Any, settings: TableSettings) -> bool:
    """Cheap check before find_tables: a grid needs horizontal and vertical rules."""
    if not (page.lines or page.rects or page.curves):
        return False
    horizontal = vertical = 0
    for edge in page.edges:
        if edge["orientation"] == "h":
            horizontal += 1
        else:
            vertical += 1
    return horizontal >= 2 and vertical >= 2 and horizontal + vertical >= settings.min_edges


# ------------------------------------------------------------------ ruled tables


def _ruled_tables(page: Any, chars: list[dict], page_number: int, settings: TableSettings) -> list[RawTable]:
    edges = page.edges
    visible = _clip_edges([e for e in edges if _is_visible_edge(e)], page)
    if len(visible) == len(edges) and all(a is b for a, b in zip(visible, edges)):
        found = page.find_tables(table_settings=settings.lines_settings)
    else:
        # White paragraph shading inside cells (Word draws one white box per text line) would
        # cut every cell into line-high slivers, and artwork running off the page (a chapter
        # banner) would join boxes below it into one grid: use visible rules on the page only.
        vertical = [e for e in visible if e["orientation"] == "v"]
        horizontal = [e for e in visible if e["orientation"] == "h"]
        if len(vertical) < 2 or len(horizontal) < 2:
            return []
        table_settings = dict(settings.lines_settings)
        table_settings.update(
            vertical_strategy="explicit",
            horizontal_strategy="explicit",
            explicit_vertical_lines=vertical,
            explicit_horizontal_lines=horizontal,
        )
        found = page.find_tables(table_settings=table_settings)
    tables: list[RawTable] = []
    for candidate in found:
        table = _grid_table([tuple(map(float, c)) for c in candidate.cells], chars, page_number, settings)
        if table is not None:
            tables.append(table)
    return _drop_nested(tables)


def _clip_edges(edges: list[dict], page: Any) -> list[dict]:
    """Edges clipped to the page; those wholly off the page dropped (unchanged ones kept as is)."""
    left, top, right, bottom = (float(v) for v in page.bbox)
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


def _is_visible_edge(edge: dict) -> bool:
    """False for an edge of a white, unstroked fill: invisible on paper, not a rule."""
    if edge.get("object_type") not in ("rect_edge", "curve_edge") or edge.get("stroke") or not edge.get("fill"):
        return True
    return not _is_white(edge.get("non_stroking_color"))


def _is_white(color: Any) -> bool:
    # Gray 1, RGB (1, 1, 1) and CMYK (0, 0, 0, 0) are white.
    if isinstance(color, (int, float)):
        return float(color) >= 0.99
    if isinstance(color, (tuple, list)) and color and all(isinstance(v, (int, float)) for v in color):
        if len(color) == 1:
            return float(color[0]) >= 0.99
        if len(color) == 3:
            return all(float(v) >= 0.99 for v in color)
        if len(color) == 4:
            return all(float(v) <= 0.01 for v in color)
    return False


def _grid_table(
    boxes: list[tuple[float, float, float, float]], chars: list[dict], page_number: int, settings: TableSettings
) -> RawTable | None:
    """Map pdfplumber's cell rectangles onto a row/column grid (spans from merged cells)."""
    tolerance = settings.boundary_tolerance
    xs = _cluster_values([b[0] for b in boxes] + [b[2] for b in boxes], tolerance)
    ys = _cluster_values([b[1] for b in boxes] + [b[3] for b in boxes], tolerance)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows < settings.min_rows or n_cols < settings.min_cols:
        return None
    cells: list[RawCell] = []
    owner: dict[tuple[int, int], RawCell] = {}
    for box in boxes:
        col0, col1 = _nearest_index(xs, box[0]), _nearest_index(xs, box[2])
        row0, row1 = _nearest_index(ys, box[1]), _nearest_index(ys, box[3])
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
        cell.text = cell_text_from_chars(members.get(id(cell), []), settings)
    grid = _Grid(cells, xs, ys)
    grid.merge_empty_slivers(settings.sliver_width)
    grid.merge_covered_empty_rows()
    first_rows = [c for c in grid.cells if c.text and c.row == min((x.row for x in grid.cells if x.text), default=0)]
    if any(_FIGURE_CAPTION.match(c.text) for c in first_rows):
        return None  # a framed figure (■第1-4-8図／…) drawn with a grid, not a table
    grid.trim()
    if grid.n_rows < settings.min_rows or grid.n_cols < settings.min_cols:
        return None
    if not _looks_like_table(grid.cells, settings):
        return None
    grid.snap_cell_boxes()
    cells = sorted(grid.cells, key=lambda c: (c.row, c.col))
    bbox = (round(grid.xs[0], 2), round(grid.ys[0], 2), round(grid.xs[-1], 2), round(grid.ys[-1], 2))
    return RawTable(page_number, bbox, grid.n_rows, grid.n_cols, cells, "lines")


# A figure caption (not a table): 図3, ■第１-４-８図／…, 図 2-1 (図表 is a table).
_FIGURE_CAPTION = re.compile(
    r"^[■□◆◇●○▼▽◎\s]*(?:第\s*[0-9０-９][0-9０-９\-－‐.．]*\s*図|図\s*[0-9０-９][0-9０-９\-－‐.．]*)(?!表)\s*[／/：:\s]"
)
# A caption printed in the first row of a framed table: ■第１-４-４表／…, 表3 …, 図2 …
_FRAME_CAPTION = re.compile(r"^[■□◆◇●○▼▽◎]|^(?:第\s*)?[0-9０-９\-－‐.．]*\s*(?:図表|表|図)\s*[0-9０-９]")


class _Grid:
    """Cells on row/column grid lines, with helpers to drop rows and columns."""

    def __init__(self, cells: list[RawCell], xs: list[float], ys: list[float]) -> None:
        self.cells, self.xs, self.ys = cells, list(xs), list(ys)

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    def drop(
        self,
        rows: set[int],
        cols: set[int],
        merge_into: tuple[dict[int, int], dict[int, int]] | None = None,
    ) -> None:
        """Remove rows/columns. Removed: an edge one takes its outer line along. Merged
        (``merge_into`` gives the neighbour each joins): the table keeps its outline. Cells
        lose the spanned rows/columns; cells left with nothing go; two cells meeting in one
        place become one."""
        if not rows and not cols:
            return
        row_targets, col_targets = merge_into if merge_into else ({}, {})
        row_map = _compact_map(self.n_rows, rows, row_targets)
        col_map = _compact_map(self.n_cols, cols, col_targets)
        placed: dict[tuple[int, int], RawCell] = {}
        for cell in sorted(self.cells, key=lambda c: (c.row, c.col)):
            cell_rows = [row_map[r] for r in range(cell.row, cell.row + cell.row_span) if r in row_map]
            cell_cols = [col_map[k] for k in range(cell.col, cell.col + cell.col_span) if k in col_map]
            if not cell_rows or not cell_cols:
                continue
            cell.row, cell.row_span = min(cell_rows), max(cell_rows) - min(cell_rows) + 1
            cell.col, cell.col_span = min(cell_cols), max(cell_cols) - min(cell_cols) + 1
            other = placed.get((cell.row, cell.col))
            if other is None:
                placed[(cell.row, cell.col)] = cell
            else:
                other.text = join_wrapped_lines([other.text, cell.text]) if other.text and cell.text else other.text or cell.text
                other.row_span = max(other.row_span, cell.row_span)
                other.col_span = max(other.col_span, cell.col_span)
        self.cells = list(placed.values())
        self.ys = _drop_bounds(self.ys, rows, row_targets)
        self.xs = _drop_bounds(self.xs, cols, col_targets)

    def merge_empty_slivers(self, sliver: float) -> None:
        """Rows/columns narrower than ``sliver`` with no text of their own join the neighbour
        they share cells with: double rules, and the inset of cell shading (Word fills a
        cell, then its text area a few points inside)."""
        rows = {
            r for r in range(self.n_rows)
            if self.ys[r + 1] - self.ys[r] < sliver and not any(c.text and c.row == r and c.row_span == 1 for c in self.cells)
        }
        cols = {
            k for k in range(self.n_cols)
            if self.xs[k + 1] - self.xs[k] < sliver and not any(c.text and c.col == k and c.col_span == 1 for c in self.cells)
        }
        if len(rows) >= self.n_rows:
            rows = set()
        if len(cols) >= self.n_cols:
            cols = set()
        row_targets = {r: self._merge_target(r, rows, self.n_rows, "row") for r in rows}
        col_targets = {k: self._merge_target(k, cols, self.n_cols, "col") for k in cols}
        self.drop(rows, cols, merge_into=(row_targets, col_targets))

    def merge_covered_empty_rows(self) -> None:
        """A row where no text starts but a merged cell from above reaches down is part of
        that cell's rows (Excel row heights under a tall label): join it to the row above.
        A blank spacer row that nothing reaches into stays, as printed."""
        rows = {
            r for r in range(1, self.n_rows)
            if not any(c.text and c.row == r for c in self.cells)
            and any(c.text and c.row < r < c.row + c.row_span for c in self.cells)
        }
        if rows:
            self.drop(rows, set(), merge_into=({r: r - 1 for r in rows}, {}))

    def _merge_target(self, index: int, dropped: set[int], n: int, axis: str) -> int:
        def shared(a: int, b: int) -> int:
            if axis == "row":
                return sum(1 for c in self.cells if c.row <= min(a, b) and max(a, b) < c.row + c.row_span)
            return sum(1 for c in self.cells if c.col <= min(a, b) and max(a, b) < c.col + c.col_span)

        left = next((j for j in range(index - 1, -1, -1) if j not in dropped), None)
        right = next((j for j in range(index + 1, n) if j not in dropped), None)
        if left is None:
            return right if right is not None else index
        if right is None:
            return left
        return right if shared(index, right) > shared(index, left) else left

    def _starting_in_row(self, row: int) -> list[RawCell]:
        return [c for c in self.cells if c.text and c.row == row]

    def trim(self) -> str | None:
        """Take off empty outer rows/columns, and a caption row or a source-note row printed
        inside the table's frame (■第１-４-４表／… on top, 資料：… at the bottom), so that
        they stay text for the caption finder. Returns the caption taken off, if any."""
        caption: str | None = None
        while self.n_rows > 1:
            top = self._starting_in_row(0)
            if not top:
                self.drop({0}, set())
            elif (
                caption is None and self.n_rows > 2 and len(top) == 1 and top[0].row_span == 1
                and _FRAME_CAPTION.match(top[0].text) and len(top[0].text) <= 80
            ):
                caption = top[0].text
                self.drop({0}, set())
            else:
                break
        while self.n_rows > 1:
            last = self.n_rows - 1
            bottom = [c for c in self.cells if c.text and c.row <= last < c.row + c.row_span]
            if not bottom:
                self.drop({last}, set())
            elif (
                self.n_rows > 2 and len(bottom) == 1 and bottom[0].row == last and bottom[0].row_span == 1
                and _NOTE_START.match(bottom[0].text)
            ):
                self.drop({last}, set())
            else:
                break
        while self.n_cols > 1 and not any(c.text and c.col == 0 for c in self.cells):
            self.drop(set(), {0})
        while self.n_cols > 1 and not any(c.text and c.col <= self.n_cols - 1 < c.col + c.col_span for c in self.cells):
            self.drop(set(), {self.n_cols - 1})
        return caption

    def snap_cell_boxes(self) -> None:
        for cell in self.cells:
            cell.bbox = (
                round(self.xs[cell.col], 2),
                round(self.ys[cell.row], 2),
                round(self.xs[cell.col + cell.col_span], 2),
                round(self.ys[cell.row + cell.row_span], 2),
            )


def _drop_bounds(bounds: list[float], dropped: set[int], targets: dict[int, int]) -> list[float]:
    """Grid lines left after removing rows (or columns). Merged into a neighbour (in
    ``targets``): the line between them goes. Removed: an edge one loses its outer line."""
    remove: set[int] = set()
    last = len(bounds) - 2
    for index in dropped:
        target = targets.get(index)
        if target is not None and target != index:
            remove.add(index + 1 if target > index else index)
        elif index == 0:
            remove.add(0)
        elif index == last:
            remove.add(last + 1)
        else:
            remove.add(index)
    return [b for i, b in enumerate(bounds) if i not in remove]


def _compact_map(n: int, dropped: set[int], targets: dict[int, int]) -> dict[int, int]:
    """Old index → new index; an index merged into a neighbour maps to the neighbour's."""
    mapping: dict[int, int] = {}
    index = 0
    for i in range(n):
        if i not in dropped:
            mapping[i] = index
            index += 1
    for i in dropped:
        target = targets.get(i)
        if target is not None and target in mapping:
            mapping[i] = mapping[target]
    return mapping


def _looks_like_table(cells: list[RawCell], settings: TableSettings) -> bool:
    """Reject framed prose: a text box ruled line by line (コラム boxes, notices) has one
    filled cell per row, holding sentences. A table has rows with several filled cells."""
    filled = [c for c in cells if c.text]
    if len(filled) < settings.min_filled_cells:
        return False
    per_row = Counter(c.row for c in filled)
    multi_rows = sum(1 for n in per_row.values() if n >= 2)
    if multi_rows == 0:
        return False
    prose = sum(1 for c in filled if _is_prose(c.text))
    return not (prose >= 0.5 * len(filled) and multi_rows < 0.34 * len(per_row))


def _drop_nested(tables: list[RawTable]) -> list[RawTable]:
    """When one grid encloses another, the outer one is a frame (a figure box holding a
    ranking table, a notice box): keep the inner table and let the frame's text be text."""
    kept = []
    for table in tables:
        encloses = any(
            other is not table
            and table.bbox[0] <= other.bbox[0] + 1 and table.bbox[1] <= other.bbox[1] + 1
            and table.bbox[2] >= other.bbox[2] - 1 and table.bbox[3] >= other.bbox[3] - 1
            and _area(table.bbox) > _area(other.bbox)
            for other in tables
        )
        if not encloses:
            kept.append(table)
    return kept


def _area(box: BBox) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def _cluster_values(values: list[float], tolerance: float) -> list[float]:
    ordered = sorted(values)
    groups: list[list[float]] = []
    for value in ordered:
        if groups and value - groups[-1][-1] <= tolerance:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [sum(g) / len(g) for g in groups]


def _nearest_index(bounds: list[float], value: float) -> int:
    index = bisect.bisect_left(bounds, value)
    if index == 0:
        return 0
    if index == len(bounds):
        return len(bounds) - 1
    return index if bounds[index] - value < value - bounds[index - 1] else index - 1


# ------------------------------------------------------------------ cell text


def cell_text_from_chars(chars: list[dict], settings: TableSettings) -> str:
    """Rebuild one cell's text: lines by vertical position, spaces from gaps, lines joined
    the Japanese way (鉱業，採石 / 業，砂利採 / 取業 → 鉱業，採石業，砂利採取業), then
    spacing tidied (歳　入　合　計 → 歳入合計)."""
    if not chars:
        return ""
    lines = [_line_text(row, settings) for row in group_rows(chars, settings.spacing.line_merge_share)]
    return tidy_cell_text(join_wrapped_lines(lines))


def tidy_cell_text(text: str) -> str:
    """Spacing policy for a cell: U+3000 and runs of spaces become one space; a label
    letter-spaced to fill its cell is closed up (歳　入　合　計 → 歳入合計). Glyphs stay
    as printed (１位 stays １位; typing reads full-width digits)."""
    text = re.sub(r"[ \t\u3000\u00a0\u2002-\u200b]+", " ", text).strip()
    return remove_letter_spacing(text)


def _line_text(chars: list[dict], settings: TableSettings) -> str:
    return spaced_text(chars, settings.spacing)


# ------------------------------------------------------------------ rule-less tables


@dataclass
class _Segment:
    """A run of characters on one text row, separated from the next by a wide gap."""

    chars: list[dict]
    x0: float
    x1: float
    settings: TableSettings = field(repr=False)
    _text: str | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        # Built on first use: most rows of a page never reach a table candidate.
        if self._text is None:
            self._text = _line_text(self.chars, self.settings)
        return self._text


@dataclass
class _TextRow:
    segments: list[_Segment]
    top: float
    bottom: float
    size: float

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1


def _text_rows(chars: list[dict], settings: TableSettings) -> list[_TextRow]:
    rows: list[_TextRow] = []
    for row_chars in group_rows([c for c in chars if c["text"].strip()], settings.spacing.line_merge_share):
        sizes = [c.get("size") or (c["bottom"] - c["top"]) for c in row_chars]
        size = statistics.median(sizes) if sizes else 10.0
        min_gap = max(settings.ruleless_gap_em * size, settings.ruleless_min_gap)
        groups: list[list[dict]] = [[row_chars[0]]]
        for previous, char in zip(row_chars, row_chars[1:]):
            if char["x0"] - previous["x1"] > min_gap:
                groups.append([char])
            else:
                groups[-1].append(char)
        segments = [_Segment(g, min(c["x0"] for c in g), max(c["x1"] for c in g), settings) for g in groups]
        rows.append(
            _TextRow(segments, min(c["top"] for c in row_chars), max(c["bottom"] for c in row_chars), size)
        )
    return rows


_HIRAGANA = re.compile(r"[\u3041-\u309f]")


def _is_prose(text: str) -> bool:
    """A sentence rather than a cell: long and kana-heavy, or ending like a sentence.
    e.g. 「事業所数は、製造業が全体の約3割を占め」 (cells are nouns and numbers)."""
    compact = text.replace(" ", "")
    if len(compact) < 12:
        return False
    if re.search(r"[。]$|[、，]$", compact):
        return True
    return len(_HIRAGANA.findall(compact)) / len(compact) >= 0.3


# Leader dots ending a table-of-contents entry: 事業概要・・・・・・, 第1章……, 総則......
_LEADER_END = re.compile(r"(?:[・…‥．.\-－]\s*){3,}$")
# A list marker standing alone: ・, ●, ①, (1), 1., ア., ※
_LIST_MARK = re.compile(
    r"^(?:[•・○●◦▪■□◆◇▶►★☆◎※－\-–‐*＊✓✔]|[①-⑳㉑-㉟]|[（(]?[0-9０-９]{1,2}[）).．]"
    r"|[（(][ア-ンa-zA-Z一二三四五六七八九十][）)]|[ア-ン][.．、])$"
)
_BULLETS = "•・○●◦▪■□◆◇▶►★☆◎✓✔"


def _ruleless_tables(
    page: Any, chars: list[dict], ruled: list[RawTable], page_number: int, settings: TableSettings
) -> list[RawTable]:
    free = [c for c in chars if c.get("upright", True) and not any(centre_inside(c, t.bbox) for t in ruled)]
    if len(free) < 6:
        return []
    rows = _text_rows(free, settings)
    if sum(1 for r in rows if len(r.segments) >= 2) < settings.ruleless_min_rows:
        return []  # the common case: a page of prose costs one pass over its characters
    segments = [s for r in rows for s in r.segments]
    if sum(1 for s in segments if len(s.chars) == 1) >= 0.5 * len(segments):
        return []  # vertical writing (縦書き) read across: one character per piece
    rules = _horizontal_rules(page) if (page.lines or page.rects) else []
    artwork = [(float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"])) for o in page.images]
    curves = [(float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"])) for o in page.curves]
    tables: list[RawTable] = []
    for region in _candidate_regions(rows, settings):
        if len(region) > settings.ruleless_max_rows:
            continue
        table = _region_table(region, rules, page_number, settings)
        if table is not None and not _inside_artwork(table.bbox, artwork, curves):
            tables.append(table)
    return tables


def _inside_artwork(box: BBox, images: list[BBox], curves: list[BBox]) -> bool:
    """Labels of a diagram or chart line up too: text over a picture, or among curves
    (arrows, rounded boxes), is not a table."""
    area = _area(box)
    if area <= 0:
        return False
    covered = sum(_area(_intersection(box, image)) for image in images)
    if covered >= 0.2 * area:
        return True
    inside = sum(1 for c in curves if box[0] <= (c[0] + c[2]) / 2 <= box[2] and box[1] <= (c[1] + c[3]) / 2 <= box[3])
    return inside >= 2


def _intersection(a: BBox, b: BBox) -> BBox:
    return (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))


def _horizontal_rules(page: Any) -> list[tuple[float, float, float]]:
    """(y, x0, x1) of thin horizontal rules: the partial rules of a rule-less table."""
    rules = []
    for edge in page.edges:
        if edge["orientation"] == "h" and edge["x1"] - edge["x0"] > 20:
            rules.append((float(edge["top"]), float(edge["x0"]), float(edge["x1"])))
    return rules


def _candidate_regions(rows: list[_TextRow], settings: TableSettings) -> list[list[_TextRow]]:
    """Runs of rows with two or more cells, close together; short single-cell rows may sit
    between them (a row label alone, a wrapped cell)."""
    regions: list[list[_TextRow]] = []
    current: list[_TextRow] = []

    def close() -> None:
        while current and len(current[-1].segments) < 2:
            current.pop()
        if sum(1 for r in current if len(r.segments) >= 2) >= settings.ruleless_min_rows:
            regions.append(list(current))
        current.clear()

    for row in rows:
        if current and row.top - current[-1].bottom > settings.ruleless_max_row_gap_em * max(row.size, 1.0):
            close()
        multi = len(row.segments) >= 2 and not any(_is_prose(s.text) for s in row.segments)
        if multi:
            current.append(row)
        elif current and _is_filler(row, current, settings):
            current.append(row)
        else:
            close()
    close()
    return regions


def _is_filler(row: _TextRow, region: list[_TextRow], settings: TableSettings) -> bool:
    if len(row.segments) != 1:
        return False
    text = row.segments[0].text
    left = min(r.x0 for r in region)
    right = max(r.x1 for r in region)
    size = max(row.size, 1.0)
    return (
        len(text.replace(" ", "")) <= settings.ruleless_max_cell_chars
        and not _is_prose(text)
        and row.x0 >= left - size
        and row.x1 <= right + size
    )


def _region_table(
    region: list[_TextRow], rules: list[tuple[float, float, float]], page_number: int, settings: TableSettings
) -> RawTable | None:
    columns = _column_bands(region)
    if len(columns) < 2:
        return None
    # Each row: column index → list of segments; a segment over several bands spans them.
    placed: list[dict[int, tuple[int, list[_Segment]]]] = []
    for row in region:
        cells: dict[int, tuple[int, list[_Segment]]] = {}
        for segment in row.segments:
            first, last = _bands_of(segment, columns)
            if first in cells:
                span, members = cells[first]
                cells[first] = (max(span, last - first + 1), members + [segment])
            else:
                cells[first] = (last - first + 1, [segment])
        placed.append(cells)
    if not _aligned_enough(region, placed, columns, settings):
        return None
    region, placed = _merge_wrapped_rows(region, placed, rules, settings)
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
            raw_cells.append(RawCell(r, col, box, 1, span, cell_text_from_chars(chars, settings)))
    if sum(1 for c in raw_cells if c.text) < settings.min_filled_cells:
        return None
    if sum(1 for cells in placed if len(cells) >= 2) < 2:
        return None  # after joining wrapped lines, fewer than two rows of cells remain
    bbox = (
        round(min(c.bbox[0] for c in raw_cells), 2),
        round(region[0].top, 2),
        round(max(c.bbox[2] for c in raw_cells), 2),
        round(region[-1].bottom, 2),
    )
    return RawTable(page_number, bbox, n_rows, n_cols, raw_cells, "text")


def _column_bands(region: list[_TextRow]) -> list[tuple[float, float]]:
    """Columns as x-bands: the union of the cells' x-ranges, leaving out cells that bridge
    two cells of another row (a header spanning two columns)."""
    spanning: set[int] = set()
    for row in region:
        for segment in row.segments:
            for other in region:
                if other is row:
                    continue
                hits = sum(1 for s in other.segments if s.x0 < segment.x1 and s.x1 > segment.x0)
                if hits >= 2:
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


def _bands_of(segment: _Segment, columns: list[tuple[float, float]]) -> tuple[int, int]:
    hit = [i for i, (x0, x1) in enumerate(columns) if segment.x0 < x1 and segment.x1 > x0]
    if not hit:
        middle = (segment.x0 + segment.x1) / 2
        nearest = min(range(len(columns)), key=lambda i: abs((columns[i][0] + columns[i][1]) / 2 - middle))
        return nearest, nearest
    return hit[0], hit[-1]


def _aligned_enough(
    region: list[_TextRow],
    placed: list[dict[int, tuple[int, list[_Segment]]]],
    columns: list[tuple[float, float]],
    settings: TableSettings,
) -> bool:
    """Reject prose and ragged text: cells must line up in at least two well-used columns."""
    n = len(region)
    support = Counter(col for cells in placed for col in cells)
    strong = [col for col, count in support.items() if count >= settings.ruleless_min_column_support * n]
    if len(strong) < 2:
        return False
    multi = sum(1 for cells in placed if len(cells) >= 2)
    if multi < settings.ruleless_min_rows:
        return False
    texts = [s.text for row in region for s in row.segments]
    prose = sum(1 for t in texts if _is_prose(t))
    if prose > settings.ruleless_max_prose_share * len(texts):
        return False
    # More columns than any row fills means the "columns" are just scattered words.
    widest = max(len(cells) for cells in placed)
    if len(columns) > widest + 2:
        return False
    if sum(1 for t in texts if _LEADER_END.search(t)) >= 0.5 * len(region):
        return False  # a table of contents: 第1章 総則・・・・・・ 3
    firsts = [cells[min(cells)][1][0].text for cells in placed if cells]
    if len(columns) <= 2 and all(_LIST_MARK.match(t) for t in firsts):
        return False  # a list whose bullets (・, ①, (1)) stand apart from their text
    if sum(1 for t in texts if _LIST_MARK.match(t.split(" ")[0]) or t[:1] in _BULLETS) >= 0.8 * len(texts):
        return False  # bullet lists set side by side
    # A table has numbers, or short labels in its first column (key–value lists).
    has_number = any(parse_cell_value(t).is_number for t in texts)
    if not has_number:
        firsts = [cells[min(cells)][1][0].text for cells in placed if cells]
        if any(len(t) > settings.kv_max_label_chars for t in firsts):
            return False
    return True


def _merge_wrapped_rows(
    region: list[_TextRow],
    placed: list[dict[int, tuple[int, list[_Segment]]]],
    rules: list[tuple[float, float, float]],
    settings: TableSettings,
) -> tuple[list[_TextRow], list[dict[int, tuple[int, list[_Segment]]]]]:
    """Join a text row into the one above when it only continues that row's cells: a header
    wrapped in its column (農業， / 林業), with no numbers of its own, set close below."""
    left = min(r.x0 for r in region)
    right = max(r.x1 for r in region)
    inner_rules = sorted(
        y for y, x0, x1 in rules
        if region[0].bottom < y < region[-1].top and x0 <= left + 5 and x1 >= right - 5
    )
    rows: list[_TextRow] = [region[0]]
    cells_out: list[dict[int, tuple[int, list[_Segment]]]] = [dict(placed[0])]
    for row, cells in zip(region[1:], placed[1:]):
        above_row, above = rows[-1], cells_out[-1]
        ruled_between = any(above_row.bottom <= y <= row.top for y in inner_rules)
        no_numbers = not any(parse_cell_value(s.text).is_number for _, ms in cells.values() for s in ms)
        above_text_only = not any(parse_cell_value(s.text).is_number for _, ms in above.values() for s in ms)
        inside_above = all(col in above for col in cells)
        close = row.top - above_row.bottom <= 0.6 * max(row.size, 1.0)
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
            rows[-1] = _TextRow(above_row.segments + row.segments, above_row.top, row.bottom, above_row.size)
        else:
            rows.append(row)
            cells_out.append(dict(cells))
    return rows, cells_out


def _numbers_collide(
    above: dict[int, tuple[int, list[_Segment]]], below: dict[int, tuple[int, list[_Segment]]]
) -> bool:
    for col, (_, members) in below.items():
        if col in above and any(parse_cell_value(s.text).is_number for s in members) and any(
            parse_cell_value(s.text).is_number for s in above[col][1]
        ):
            return True
    return False


# ======================================================================== typed values


@dataclass(frozen=True)
class CellValue:
    """What a cell's text means as data."""

    value: float | None
    unit: str | None = None
    kind: str = "text"
    """``number``, ``none`` (a dash meaning none), ``empty`` or ``text``."""

    @property
    def is_number(self) -> bool:
        return self.kind == "number"


# Units a report prints after a number or in parentheses: 千円, 百万円, 億円, 人, 名, ％, 件…
_UNIT_WORD = (
    r"(?:[千百十万億兆]*(?:円|人|名|社|件|戸|世帯|台|個|本|枚|回|倍|校|施設|事業所|団体|箇所|か所|ヶ所|所|店|床|頭|"
    r"トン|t|kg|g|ha|a|㎡|m2|m|km|㎞|L|kl|kL|kWh|MWh|kW|MW|時間|日|か月|ヶ月|カ月|月|年|年度|歳|点|ポイント|pt|%|％|‰))"
)
_UNIT_ONLY = re.compile(rf"^{_UNIT_WORD}$")
# A unit in parentheses at the end of a caption or label: 業種別就業者数（人）, 金額（億円）,
# 歳出予算（単位：千円）, ［単位：百万円］.
_TRAILING_UNIT = re.compile(rf"[（(［\[]\s*(?:単位\s*[：:]\s*)?(?P<unit>{_UNIT_WORD})\s*[）)］\]]\s*$")
# 単位：千円 anywhere (often right-aligned above a table).
_UNIT_LABEL = re.compile(rf"単位\s*[：:]\s*(?P<unit>{_UNIT_WORD})")
# A number: 1,234 / 104,500,000 / 0.5 / .5 (after normalize_text turned １０４，５００ into 104,500).
_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^\.\d+$")
# Negative markers: ▲1,200 and △300 in Japanese budgets, −/- elsewhere; + is explicit growth.
_SIGN = re.compile(r"^(?P<sign>[▲△▼▽\-−‐+＋])\s*")
# Cells meaning "none" or "not applicable": -, －, ―, —, …, ・, x (秘匿), ***.
_NONE_MARK = re.compile(r"^(?:[-－―—–‐ー一…・\.]+|[xXχ×]|\*+|－|皆減|皆増)$")
# Japanese digit groups inside one amount: 3億2,150万円, 1兆2,345億円.
_KANJI_SCALE = {"兆": 10**12, "億": 10**8, "万": 10**4, "千": 10**3}
_COMPOUND = re.compile(r"^(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?[兆億万千])+(?:(?:\d{1,3}(?:,\d{3})+|\d+))?円?$")
# Era dates and ordinals are text even though they hold digits: 明治22年, 平成5年, 第3位.
_ERA_OR_ORDINAL = re.compile(r"^(?:明治|大正|昭和|平成|令和|[MTSHR]\d|第)")


def parse_cell_value(text: str) -> CellValue:
    """Read a cell as a typed value.

    ``18.6%`` → 18.6 unit %; ``▲1,200`` / ``△300`` → negative; ``１０４，５００，０００`` →
    104500000; ``2,700 万円`` → 2700 unit 万円; ``3億2,150万円`` → 321500000 unit 円;
    ``（千円）104,500`` (a unit printed above the number in the cell) → 104500 unit 千円;
    ``-``, ``－``, ``―`` → no value (kind ``none``). Anything else is text.
    """
    compact = normalize_text(text).replace(" ", "")
    if not compact:
        return CellValue(None, None, "empty")
    if _NONE_MARK.match(compact):
        return CellValue(None, None, "none")
    unit: str | None = None
    leading = re.match(rf"^[（(]\s*(?:単位\s*[：:]\s*)?(?P<unit>{_UNIT_WORD})\s*[）)]", compact)
    if leading:
        unit = leading.group("unit")
        compact = compact[leading.end():]
    sign = 1.0
    signed = _SIGN.match(compact)
    if signed:
        if signed.group("sign") not in "+＋":
            sign = -1.0
        compact = compact[signed.end():]
    if not compact or _ERA_OR_ORDINAL.match(compact):
        return CellValue(None, None, "text")
    if _COMPOUND.match(compact) and re.search(r"\d[兆億万千]\d", compact):
        return CellValue(sign * _compound_value(compact), "円" if compact.endswith("円") else None, "number")
    match = re.match(r"^(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?P<rest>.*)$", compact)
    if not match or not _NUMBER.match(match.group("num")):
        return CellValue(None, None, "text")
    rest = match.group("rest")
    if rest:
        trailing = _TRAILING_UNIT.match(rest)
        if _UNIT_ONLY.match(rest):
            unit = rest
        elif trailing:
            unit = trailing.group("unit")
        else:
            return CellValue(None, None, "text")
    value = sign * float(match.group("num").replace(",", ""))
    return CellValue(value, _clean_unit(unit), "number")


def _compound_value(text: str) -> float:
    total = 0.0
    for number, scale in re.findall(r"((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)([兆億万千]?)", text):
        total += float(number.replace(",", "")) * _KANJI_SCALE.get(scale, 1)
    return total


def _clean_unit(unit: str | None) -> str | None:
    if unit is None:
        return None
    return "%" if unit in ("%", "％") else normalize_text(unit)


def unit_of_label(text: str | None) -> str | None:
    """The unit a caption, header or row label names: 業種別就業者数（人） → 人,
    金額（億円） → 億円, 比率（％） → %, 歳出予算（単位：千円） → 千円; 人口（2020年） → None."""
    if not text:
        return None
    compact = text.replace(" ", "").replace("\u3000", "")
    match = _TRAILING_UNIT.search(compact) or _UNIT_LABEL.search(compact)
    return _clean_unit(match.group("unit")) if match else None


# A total row's label: 合計, 小計, 計, 総計, 総数, 歳入合計, 市計 (but not 会計, 統計, 設計).
_TOTAL_LABEL = re.compile(r"^(?:合計|小計|総計|計|総数|累計|総額|全体|全国計|total|subtotal)$|(?:合計|小計|総計)$", re.I)
_NOT_TOTAL = re.compile(r"(?:会計|統計|設計|推計|集計|時計|家計|生計|余計|主計|見積|計画)$")


def is_total_label(text: str) -> bool:
    """True for labels of total rows or columns (合計, 小計, 計, 歳入合計, 市計)."""
    compact = match_key(text).strip("()（）[]［］【】")
    if not compact or _NOT_TOTAL.search(compact):
        return False
    return bool(_TOTAL_LABEL.search(compact) or (compact.endswith("計") and len(compact) <= 4))


# ======================================================================== document level


def run(doc: Document, config: TableSettings) -> None:
    """Build ``doc.tables`` from ``doc.raw_tables`` (one Table per RawTable, same order).

    Attaches captions and source notes (setting those blocks' kind and table_id), the
    section, header rows, label columns, typed cells, units, totals, key–value records and
    continuation links.
    """
    doc.tables = []
    if not config.enabled:
        return
    table_blocks = {b.table_id: b for b in doc.blocks if b.kind == "table" and b.table_id}
    content = [b for b in doc.blocks if b.kind not in ("header", "footer", "page_number")]
    position = {id(b): i for i, b in enumerate(content)}
    claimed: set[int] = set()
    contexts: list[_TableContext] = []
    for index, raw in enumerate(doc.raw_tables):
        table_id = "%02d" % (index + 1)
        block = table_blocks.get(table_id)
        caption_blocks = _find_caption(raw, block, content, position, doc.raw_tables, claimed, config)
        note_blocks = _find_notes(raw, block, content, position, doc.raw_tables, claimed, config)
        table = _build_table(table_id, raw)
        caption_text, caption_unit_text = _caption_texts(caption_blocks)
        table.caption = caption_text
        table.source_note = " ".join(b.text for b in note_blocks) or None
        for caption_block in caption_blocks:
            _mark_caption(doc, caption_block, table_id)
        table.section_id = _section_of(block, caption_blocks, raw, content)
        for note_block in note_blocks:
            note_block.kind = "note"
            note_block.table_id = table_id
        contexts.append(_TableContext(table, raw, block, bool(caption_blocks), caption_unit_text))
        doc.tables.append(table)
    _link_continuations(contexts, content, position)
    for context in contexts:
        _type_table(context, contexts, config)


@dataclass
class _TableContext:
    table: Table
    raw: RawTable
    block: Block | None
    has_caption: bool
    caption_unit_text: str | None
    """Text of a separate unit line near the caption (（単位：千円）)."""


def _build_table(table_id: str, raw: RawTable) -> Table:
    rows = [["" for _ in range(raw.n_cols)] for _ in range(raw.n_rows)]
    cells: list[TableCell] = []
    for cell in sorted(raw.cells, key=lambda c: (c.row, c.col)):
        if 0 <= cell.row < raw.n_rows and 0 <= cell.col < raw.n_cols:
            rows[cell.row][cell.col] = cell.text
        cells.append(TableCell(cell.row, cell.col, cell.text, cell.row_span, cell.col_span))
    return Table(
        table_id=table_id,
        page=raw.page,
        bbox=raw.bbox,
        n_rows=raw.n_rows,
        n_cols=raw.n_cols,
        rows=rows,
        cells=cells,
        strategy=raw.strategy,
    )


# ------------------------------------------------------------------ captions and notes

# A caption: 表3 …, 図表2-1 …, 表：… (not 表示, 表彰), or a short title ending with a unit or period in parentheses.
_CAPTION_START = re.compile(r"^[■□◆◇●○▼▽◎\s]*(?:図表|表|Table)\s*(?:[0-9０-９]|[：:　])")
# Source and footnote lines under a table: 資料）…, 出典：…, （出所）…, ※…, 注）…, 備考
_NOTE_START = re.compile(r"^[（(]?\s*(?:資料|出典|出所|注|備考|Source)\s*[0-9０-９]*\s*[）)：:．.]|^※|^＊|^\*")
# A line that only gives the unit of the table below it: （単位：千円）, 単位：百万円.
_UNIT_LINE = re.compile(r"^[（(［\[]?\s*単位\s*[：:][^（()）［\[\]］]{1,20}[）)］\]]?$")
# Decorative markers that open a caption line but are not part of it: ■企業概要 → 企業概要.
_CAPTION_MARKER = re.compile(r"^[■□◆◇●○▼▽◎▶►・]\s*")
_SENTENCE_END = re.compile(r"[。．]\s*$")


def _neighbours(
    raw: RawTable, block: Block | None, content: list[Block], position: dict[int, int], below: bool
) -> list[Block]:
    """Blocks right above (or below) the table on its page and overlapping it horizontally,
    nearest first; the layout's reading order decides between equally near ones."""
    geometric = _geometric_neighbours(raw, content, below)
    if block is None or id(block) not in position:
        return geometric
    index = position[id(block)]
    step = 1 if below else -1
    in_order: list[Block] = []
    i = index + step
    while 0 <= i < len(content) and len(in_order) < 3:
        other = content[i]
        if other.page != raw.page or other.kind == "table":
            break
        if other in geometric or _beside_edge(raw, other, below):
            in_order.append(other)
        i += step
    return in_order + [b for b in geometric if b not in in_order]


def _beside_edge(raw: RawTable, other: Block, below: bool) -> bool:
    """Next in reading order, above (below) the table and at most a little to its side: a
    caption at the margin over a centred table (人口（2020年） over a narrower grid)."""
    if other.bbox is None:
        return False
    x0, top, x1, bottom = raw.bbox
    bx0, btop, bx1, bbottom = other.bbox
    vertical = btop >= bottom - 2 if below else bbottom <= top + 2
    side_gap = max(x0 - bx1, bx0 - x1, 0.0)
    return vertical and side_gap <= max(60.0, 0.25 * (x1 - x0))


def _geometric_neighbours(raw: RawTable, content: list[Block], below: bool) -> list[Block]:
    candidates = []
    x0, top, x1, bottom = raw.bbox
    for other in content:
        if other.page != raw.page or other.bbox is None or other.kind == "table":
            continue
        bx0, btop, bx1, bbottom = other.bbox
        if bx0 >= x1 or bx1 <= x0:
            continue
        if below and btop >= bottom - 2:
            candidates.append((btop - bottom, other))
        elif not below and bbottom <= top + 2:
            candidates.append((top - bbottom, other))
    candidates.sort(key=lambda pair: pair[0])
    return [b for _, b in candidates[:3]]


def _between_other_table(raw: RawTable, other: Block, tables: list[RawTable], below: bool) -> bool:
    for table in tables:
        if table is raw or table.page != raw.page or other.bbox is None:
            continue
        if below and raw.bbox[3] <= table.bbox[1] < other.bbox[1]:
            return True
        if not below and other.bbox[3] <= table.bbox[1] and table.bbox[3] <= raw.bbox[1] + 1:
            return True
    return False


def _gap(raw: RawTable, other: Block, below: bool) -> float:
    if other.bbox is None:
        return 1e9
    return other.bbox[1] - raw.bbox[3] if below else raw.bbox[1] - other.bbox[3]


def _block_size(block: Block) -> float:
    return max(block.font_size or (block.lines[0].font_size if block.lines else 10.0), 6.0)


def _find_caption(
    raw: RawTable,
    block: Block | None,
    content: list[Block],
    position: dict[int, int],
    tables: list[RawTable],
    claimed: set[int],
    config: TableSettings,
) -> list[Block]:
    """The caption above the table (plus a separate unit line, if any); a 表N caption below
    is taken when there is none above."""
    chosen: list[Block] = []
    for other in _neighbours(raw, block, content, position, below=False):
        if id(other) in claimed or _between_other_table(raw, other, tables, below=False):
            continue
        if _gap(raw, other, below=False) > config.caption_max_gap_em * _block_size(other) + (
            _block_size(other) * 1.5 * len(chosen)
        ):
            break
        text = other.text.strip()
        if _UNIT_LINE.match(text.replace(" ", "")) and not any(_UNIT_LINE.match(b.text.replace(" ", "")) for b in chosen):
            chosen.append(other)
            continue
        if _is_caption_like(other, config):
            chosen.append(other)
        break
    if not any(not _UNIT_LINE.match(b.text.replace(" ", "")) for b in chosen):
        for other in _neighbours(raw, block, content, position, below=True):
            if id(other) in claimed or _gap(raw, other, below=True) > config.caption_max_gap_em * _block_size(other):
                break
            if _CAPTION_START.match(other.text) and len(other.text) <= config.caption_max_chars:
                chosen.append(other)
            break
    for other in chosen:
        claimed.add(id(other))
    return chosen


def _is_caption_like(block: Block, config: TableSettings) -> bool:
    """Short, not a sentence, and either styled as a caption, numbered 表N, a noun phrase
    closing with a parenthesis or a unit, or a short bold or ■-marked title:
    人口（2020年）, 業種別就業者数（人）, 表２　地区別事業所数, ■企業概要. A numbered heading
    （３）補助対象経費 is a heading, not a caption; a fragment like 度に is neither."""
    text = block.text.strip()
    compact = text.replace(" ", "")
    if len(compact) < 2 or len(text) > config.caption_max_chars or _SENTENCE_END.search(text):
        return False
    if len(block.lines) > 2 or _NOTE_START.match(text) or block.kind == "title":
        return False
    if _CAPTION_START.match(text):
        return True
    if "、" in text or "。" in text:
        return False
    body = _CAPTION_MARKER.sub("", compact)
    if len(body) < 3 or _HIRAGANA.match(body[-1]):
        return False  # 度に, 当該年度ごとに: a fragment of a sentence, not a title
    if block.kind == "caption":
        return True
    if block.kind == "heading" and block.numbering and not block.numbering.startswith(("marker:", "plain:")):
        return False
    if block.kind not in ("paragraph", "heading"):
        return False
    if unit_of_label(text) or _TITLE_WITH_PARENTHESIS.match(body):
        return True
    if (_CAPTION_MARKER.match(text) or block.kind == "heading") and len(body) <= 30:
        return True
    return bool(block.bold) and len(body) <= 30


# A title ending with a parenthesis: 人口（2020年）, 申請受付等スケジュール（予定）.
_TITLE_WITH_PARENTHESIS = re.compile(r"^[^（(]{2,30}[（(][^（()）]{1,20}[）)]$")


def _caption_texts(blocks: list[Block]) -> tuple[str | None, str | None]:
    caption: str | None = None
    unit_text: str | None = None
    for block in blocks:
        text = block.text.strip()
        if _UNIT_LINE.match(text.replace(" ", "")):
            unit_text = text
        elif caption is None:
            marker = block.marker if block.kind == "heading" and block.marker else ""
            caption = _CAPTION_MARKER.sub("", text) if not marker else text
    return caption, unit_text


def _find_notes(
    raw: RawTable,
    block: Block | None,
    content: list[Block],
    position: dict[int, int],
    tables: list[RawTable],
    claimed: set[int],
    config: TableSettings,
) -> list[Block]:
    """Source notes right below the table: 資料）住民基本台帳（総務省）, （出典：…）, ※…, 注）…"""
    notes: list[Block] = []
    reach = raw.bbox[3]
    for other in _neighbours(raw, block, content, position, below=True):
        if id(other) in claimed or other.bbox is None or _between_other_table(raw, other, tables, below=True):
            break
        if other.bbox[1] - reach > config.note_max_gap_em * _block_size(other):
            break
        if not _NOTE_START.match(other.text.strip()) or other.kind == "heading":
            break
        notes.append(other)
        reach = other.bbox[3]
    for other in notes:
        claimed.add(id(other))
    return notes


def _mark_caption(doc: Document, block: Block, table_id: str) -> None:
    """Make a block the table's caption. A heading typeset like one (■企業概要 right above a
    table) leaves the section tree: its blocks go back to the parent section."""
    if block.kind == "heading":
        _remove_section_of(doc, block)
        block.heading_level = None
        block.numbering = None
    block.kind = "caption"
    block.table_id = table_id


def _remove_section_of(doc: Document, block: Block) -> None:
    section = next((s for s in doc.sections if s.block_id == block.block_id), None)
    if section is None:
        return
    parent = next((s for s in doc.sections if s.section_id == section.parent_id), None)
    if parent is not None:
        index = parent.children.index(section.section_id) if section.section_id in parent.children else len(parent.children)
        parent.children[index:index + 1] = section.children
    for child in doc.sections:
        if child.parent_id == section.section_id:
            child.parent_id = section.parent_id
    for other in doc.blocks:
        if other.section_id == section.section_id:
            other.section_id = section.parent_id
    doc.sections.remove(section)


def _section_of(block: Block | None, captions: list[Block], raw: RawTable, content: list[Block]) -> str | None:
    if block is not None and block.section_id:
        return block.section_id
    for caption in captions:
        if caption.section_id:
            return caption.section_id
    # No placeholder: the section of the last block printed above the table.
    above = [
        b for b in content
        if b.bbox is not None and (b.page < raw.page or (b.page == raw.page and b.bbox[3] <= raw.bbox[1] + 1))
    ]
    return above[-1].section_id if above else None


# ------------------------------------------------------------------ continuation


def _link_continuations(contexts: list[_TableContext], content: list[Block], position: dict[int, int]) -> None:
    """Table B continues table A when B has no caption of its own, follows A with nothing
    but running heads between them (same page, or next page), and has A's columns."""
    for previous, current in zip(contexts, contexts[1:]):
        if current.has_caption:
            continue
        a, b = previous.raw, current.raw
        if a.n_cols != b.n_cols or not _same_columns(a, b):
            continue
        if not _adjacent(previous, current, content, position):
            continue
        origin = previous.table.continuation_of or previous.table.table_id
        current.table.continuation_of = origin
        current.table.caption = previous.table.caption
        current.caption_unit_text = current.caption_unit_text or previous.caption_unit_text
        if current.table.section_id is None:
            current.table.section_id = previous.table.section_id


def _column_edges(raw: RawTable) -> list[float]:
    edges: dict[int, list[float]] = {}
    for cell in raw.cells:
        if cell.col_span == 1:
            edges.setdefault(cell.col, []).append(cell.bbox[0])
    return [statistics.median(v) for _, v in sorted(edges.items())]


def _same_columns(a: RawTable, b: RawTable) -> bool:
    width = max(a.bbox[2] - a.bbox[0], b.bbox[2] - b.bbox[0], 1.0)
    if abs(a.bbox[0] - b.bbox[0]) > 0.05 * width or abs(a.bbox[2] - b.bbox[2]) > 0.05 * width:
        return False
    if a.strategy == "text" or b.strategy == "text":
        return True
    left_a, left_b = _column_edges(a), _column_edges(b)
    if len(left_a) != len(left_b):
        return True  # a column with only merged cells: outer edges already agree
    # Column widths may be re-fitted to the new header; the first column (row labels) holds.
    return abs(left_a[0] - left_b[0]) <= 0.05 * width


def _adjacent(previous: _TableContext, current: _TableContext, content: list[Block], position: dict[int, int]) -> bool:
    a, b = previous.raw, current.raw
    if b.page not in (a.page, a.page + 1):
        return False
    if previous.block is not None and current.block is not None and id(previous.block) in position and id(current.block) in position:
        start, end = position[id(previous.block)], position[id(current.block)]
        between = [x for x in content[start + 1:end] if not (x.kind == "note" and x.table_id == previous.table.table_id)]
        if b.page == a.page:
            return not between
        # Across a page break: only the previous table's notes may sit between.
        return not between
    # No placeholders: same page, right below; or next page, near its top.
    if b.page == a.page:
        return 0 <= b.bbox[1] - a.bbox[3] <= 30
    blocks_between = [
        x for x in content
        if x.bbox is not None and x.kind != "table"
        and ((x.page == a.page and x.bbox[1] >= a.bbox[3]) or (x.page == b.page and x.bbox[3] <= b.bbox[1]))
        and not (x.kind == "note" and x.table_id == previous.table.table_id)
    ]
    return not blocks_between


# ------------------------------------------------------------------ structure and typing


def _owner_grid(table: Table) -> dict[tuple[int, int], TableCell]:
    owner: dict[tuple[int, int], TableCell] = {}
    for cell in table.cells:
        for r in range(cell.row, min(cell.row + cell.row_span, table.n_rows)):
            for c in range(cell.col, min(cell.col + cell.col_span, table.n_cols)):
                owner.setdefault((r, c), cell)
    return owner


def _is_calendar_label(parsed: CellValue) -> bool:
    """2015年, 2023年度, 4月: a point in time naming a row or column, not a quantity
    (5年 or 30日 as a duration stays a number)."""
    if parsed.value is None or parsed.unit not in ("年", "年度", "月", "日"):
        return False
    if parsed.unit in ("年", "年度"):
        return 1900 <= parsed.value <= 2100
    return parsed.unit == "月" and 1 <= parsed.value <= 12


def _cell_class(text: str) -> str:
    """number, none (dash), empty, label (text, or a year/date used as a heading: 2015年)."""
    parsed = parse_cell_value(text)
    if parsed.kind == "number" and _is_calendar_label(parsed):
        return "label"
    if parsed.kind == "text":
        return "label"
    return parsed.kind


def _type_table(context: _TableContext, contexts: list[_TableContext], config: TableSettings) -> None:
    table = context.table
    rows = table.rows
    classes = [[_cell_class(text) for text in row] for row in rows]
    if _is_key_value(table, classes, config.kv_max_label_chars):
        table.kind = "key_value"
        table.header_rows = 0
        table.label_cols = 1
        table.record = _key_value_record(table)
    else:
        table.kind = "grid"
        table.header_rows = _header_rows(table, classes)
        table.label_cols = _label_cols(table, classes)
    caption_unit = unit_of_label(table.caption)
    # 単位：千円 (in the caption or on its own line) covers the whole table; a unit closing
    # the caption, 業種別就業者数（人）, only when no header or row label names its own.
    labelled = _UNIT_LABEL.search((table.caption or "").replace(" ", "").replace("\u3000", ""))
    explicit_unit = unit_of_label(context.caption_unit_text) or (_clean_unit(labelled.group("unit")) if labelled else None)
    parent = next((c.table for c in contexts if c.table.table_id == table.continuation_of), None)
    headers = column_headers(table, parent)
    labels = row_labels(table)
    header_units = [_path_unit(h) for h in headers]
    label_units = [_path_unit(l) for l in labels]
    has_own_units = any(header_units) or any(label_units)
    default_unit = explicit_unit or (None if has_own_units else caption_unit)
    owner = _owner_grid(table)
    for cell in table.cells:
        if cell.row < table.header_rows or cell.col < table.label_cols or not cell.text:
            continue
        if owner.get((cell.row, cell.col)) is not cell:
            continue
        parsed = parse_cell_value(cell.text)
        if parsed.kind != "number" or _is_calendar_label(parsed):
            continue
        cell.value = parsed.value
        cell.unit = parsed.unit or header_units[cell.col] or label_units[cell.row] or default_unit
    table.column_units = _column_units(table, header_units, default_unit)
    table.total_rows = [r for r in range(table.header_rows, table.n_rows) if is_total_label(labels[r] or _first_text(rows[r]))]


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


def _is_key_value(table: Table, classes: list[list[str]], max_label_chars: int) -> bool:
    """Two columns of label | value (企業名 | 株式会社…, 資本金 | 2,700 万円): short distinct
    text labels on the left, values that are mostly not bare numbers on the right."""
    if table.n_cols != 2 or table.n_rows < 2:
        return False
    labels = [row[0] for row in table.rows]
    values = [row[1] for row in table.rows]
    if any(not l or classes[i][0] != "label" or len(l) > max_label_chars for i, l in enumerate(labels)):
        return False
    if len(set(labels)) != len(labels):
        return False
    filled = [v for v in values if v]
    if len(filled) < 0.8 * len(values):
        return False
    bare_numbers = sum(1 for v in filled if parse_cell_value(v).is_number and parse_cell_value(v).unit is None)
    return bare_numbers < 0.5 * len(filled)


def _key_value_record(table: Table) -> dict[str, str]:
    record: dict[str, str] = {}
    for label, value in ((row[0], row[1]) for row in table.rows):
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


def _header_rows(table: Table, classes: list[list[str]]) -> int:
    """Header rows: the text-only rows above the first row of numbers. Beyond the first,
    a row is a header only when row 0 groups columns (a cell spanning columns), a header
    cell spans down into it, or its first cell is empty (a sub-header under a stub). With
    no numbers at all, row 0 is a header when all its cells are short labels."""
    n = table.n_rows
    skip_first = table.n_cols > 1
    data_rows = [r for r in range(n) if _row_has_data(classes[r], skip_first)]
    if not data_rows:
        first = table.rows[0]
        short = all(t and len(t) <= 15 for t in first)
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
    if extended > 3 or extended > n / 2:
        return 1  # a form, not a header band: keep the first row as the header
    return min(extended, n - 1)


def _label_cols(table: Table, classes: list[list[str]]) -> int:
    """Row-label columns: the leading text columns when every column after them is mostly
    numbers (人数（人） | 152,384 | …); otherwise (a list of names, places, notes) just the
    first column. At most three, and never every column."""
    body = range(table.header_rows, table.n_rows)
    if table.n_cols < 2:
        return 0

    def mostly_numbers(col: int) -> bool:
        kinds = [classes[r][col] for r in body if classes[r][col] != "empty"]
        numbers = sum(1 for k in kinds if k in ("number", "none"))
        return bool(kinds) and numbers >= 0.5 * len(kinds)

    numeric = [mostly_numbers(col) for col in range(table.n_cols)]
    for k in range(min(3, table.n_cols - 1) + 1):
        if all(numeric[k:]):
            return k if k > 0 or not any(numeric) else 0
    return 1


def column_headers(table: Table, parent: Table | None = None) -> list[str]:
    """The header path of each column, top to bottom, joined by ' > ' (a header cell
    spanning columns labels each of them). A continuation printed without its header row
    takes the header of the table it continues."""
    if table.header_rows == 0 and parent is not None and parent.n_cols == table.n_cols and parent.header_rows:
        return column_headers(parent)
    owner = _owner_grid(table)
    return [_label_path(owner, ((row, col) for row in range(table.header_rows))) for col in range(table.n_cols)]


def row_labels(table: Table) -> list[str]:
    """The label path of each row from the label columns, joined by ' > ' (a label cell
    spanning rows labels each of them)."""
    owner = _owner_grid(table)
    return [_label_path(owner, ((row, col) for col in range(table.label_cols))) for row in range(table.n_rows)]


def _label_path(owner: dict[tuple[int, int], TableCell], positions: Iterable[tuple[int, int]]) -> str:
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
    is_total: bool
    raw_text: str


def tidy_records(table: Table, parent: Table | None = None) -> list[TidyRecord]:
    """The body of a table in long form: one record per printed body cell, blank spacer rows
    left out, spanned labels and headers carried to every row and column they cover."""
    headers = column_headers(table, parent)
    labels = row_labels(table)
    owner = _owner_grid(table)
    total_cols = {c for c in range(table.label_cols, table.n_cols) if headers[c] and is_total_label(headers[c].split(" > ")[-1])}
    records: list[TidyRecord] = []
    for row in range(table.header_rows, table.n_rows):
        if not any(table.rows[row]):
            continue  # blank spacer row
        row_total = row in table.total_rows
        for col in range(table.label_cols, table.n_cols):
            cell = owner.get((row, col))
            if cell is None or cell.row != row or cell.col != col or not cell.text:
                continue
            records.append(
                TidyRecord(
                    table.table_id,
                    row,
                    col,
                    labels[row],
                    headers[col],
                    cell.value,
                    cell.unit,
                    row_total or col in total_cols,
                    cell.text,
                )
            )
    return records
