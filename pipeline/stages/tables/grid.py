"""A ruled table's grid: cells on row and column lines, and the clean-ups that drop or merge
rows and columns (slivers between double rules, empty edges, a caption row inside the frame)."""

from __future__ import annotations

from pipeline.japanese.lines import join_wrapped_lines
from pipeline.japanese.markers import FRAME_CAPTION, NOTE_START
from pipeline.stages.working import RawCell


class Grid:
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

    def trim(self, caption_max_chars: int) -> None:
        """Take off empty outer rows/columns, and a caption row or a source-note row printed
        inside the table's frame (■第１-４-４表／… on top, 資料：… at the bottom), so that
        they stay text for the caption finder."""
        caption: str | None = None
        while self.n_rows > 1:
            top = self._starting_in_row(0)
            if not top:
                self.drop({0}, set())
            elif (
                caption is None and self.n_rows > 2 and len(top) == 1 and top[0].row_span == 1
                and FRAME_CAPTION.match(top[0].text) and len(top[0].text) <= caption_max_chars
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
                and NOTE_START.match(bottom[0].text)
            ):
                self.drop({last}, set())
            else:
                break
        while self.n_cols > 1 and not any(c.text and c.col == 0 for c in self.cells):
            self.drop(set(), {0})
        while self.n_cols > 1 and not any(c.text and c.col <= self.n_cols - 1 < c.col + c.col_span for c in self.cells):
            self.drop(set(), {self.n_cols - 1})

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

