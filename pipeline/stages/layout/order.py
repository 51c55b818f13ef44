"""Reading order on a page by recursive XY-cut: white bands, then column gutters, then gaps."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from pipeline.model import BBox
from pipeline.stages.layout.config import LayoutConfig
from pipeline.stages.working import TextLine

FALLBACK_LINE_HEIGHT = 10.0
"""Points taken as the line height of a region holding only tables."""


@dataclass
class PlacedItem:
    """A line or a table placeholder to be put in reading order."""

    bbox: BBox
    line: TextLine | None = None
    table_id: str | None = None
    marks: list[str] = field(default_factory=list)
    """Footnote marks printed after words of the line."""


def reading_order(items: list[PlacedItem], config: LayoutConfig) -> list[PlacedItem]:
    """Recursive XY-cut: split at white gutters (columns, boxes) first, then at the widest gap."""
    if len(items) <= 1:
        return list(items)
    line_heights = [i.bbox[3] - i.bbox[1] for i in items if i.line is not None]
    usual_height = statistics.median(line_heights) if line_heights else FALLBACK_LINE_HEIGHT
    wide_gap = _widest_horizontal_gap(items, minimum=config.band_gap_lines * usual_height)
    if wide_gap is not None:
        # A clear band of white across the whole region (title above boxes, caption below) comes first.
        upper = [i for i in items if i.bbox[3] <= wide_gap]
        lower = [i for i in items if i.bbox[3] > wide_gap]
        if upper and lower:
            return reading_order(upper, config) + reading_order(lower, config)
    vertical = _best_vertical_cut(items, config)
    if vertical is not None:
        left = [i for i in items if (i.bbox[0] + i.bbox[2]) / 2 < vertical]
        right = [i for i in items if (i.bbox[0] + i.bbox[2]) / 2 >= vertical]
        return reading_order(left, config) + reading_order(right, config)
    horizontal = _widest_horizontal_gap(items, minimum=config.min_row_gap)
    if horizontal is not None:
        upper = [i for i in items if i.bbox[3] <= horizontal]
        lower = [i for i in items if i.bbox[3] > horizontal]
        if upper and lower:
            return reading_order(upper, config) + reading_order(lower, config)
    return _by_rows(items)


def _by_rows(items: list[PlacedItem]) -> list[PlacedItem]:
    """Top to bottom, and left to right within a printed row: two headings side by side whose
    tops differ by a point or two are one row (（１）… left of （２）…)."""
    rows: list[list[PlacedItem]] = []
    for item in sorted(items, key=lambda i: (i.bbox[1], i.bbox[0])):
        row = rows[-1] if rows else None
        if row is not None and _same_row(row[0].bbox, item.bbox):
            row.append(item)
        else:
            rows.append([item])
    return [item for row in rows for item in sorted(row, key=lambda i: i.bbox[0])]


def _same_row(a: BBox, b: BBox) -> bool:
    """Vertical centres within half the lower box's height."""
    height = min(a[3] - a[1], b[3] - b[1])
    return abs((a[1] + a[3]) / 2 - (b[1] + b[3]) / 2) <= height / 2


def _best_vertical_cut(items: list[PlacedItem], config: LayoutConfig) -> float | None:
    """A white gutter crossing the whole region, with real content on both sides."""
    spans = sorted((i.bbox[0], i.bbox[2]) for i in items)
    left_edge = spans[0][0]
    right_edge = max(s[1] for s in spans)
    width = right_edge - left_edge
    if width <= 0:
        return None
    best: tuple[float, float] | None = None
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        gap = x0 - reach
        if gap >= config.column_gap:
            cut = reach + gap / 2
            left_width = reach - left_edge
            right_width = right_edge - x0
            if min(left_width, right_width) >= config.column_min_share * width and (best is None or gap > best[0]):
                best = (gap, cut)
        reach = max(reach, x1)
    if best is None:
        return None
    cut = best[1]
    left_count = sum(1 for i in items if i.bbox[2] <= cut)
    # Enough lines on each side: a lone label beside a paragraph is not a column.
    if left_count < config.column_min_lines or len(items) - left_count < config.column_min_lines:
        return None
    return cut


def _widest_horizontal_gap(items: list[PlacedItem], minimum: float) -> float | None:
    """The middle of the widest white band crossing the whole region, if wider than ``minimum``."""
    spans = sorted((i.bbox[1], i.bbox[3]) for i in items)
    best: tuple[float, float] | None = None
    reach = spans[0][1]
    for top, bottom in spans[1:]:
        gap = top - reach
        if gap > minimum and (best is None or gap > best[0]):
            best = (gap, reach + gap / 2)
        reach = max(reach, bottom)
    return best[1] if best else None
