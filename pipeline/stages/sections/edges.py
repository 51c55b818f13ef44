"""Where the text of each page and column starts and ends.

A numbered line at the left edge opens a section; one indented past it is an item of a list
inside the text. A line in the body size wraps onto the next only when it reaches the right
edge::

    （２） 対象者                   ← at the left edge: a heading
        次の全てを満たす者とする。
    規則に定める事項は次のとおりです。
      （１） 勤務時間                ← indented past the edge: a list item
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pipeline.model import MARGIN_KINDS
from pipeline.stages.sections.config import SectionConfig
from pipeline.stages.sections.style import BodyStyle
from pipeline.stages.working import TextLine, WorkingDocument

_MIN_LINES_PER_PAGE = 5
"""A page column with fewer body lines than this uses the document's edges for that column."""

Edge = dict[tuple[int, int], float]


@dataclass
class TextEdges:
    """The usual start (x0) and end (x1) of body lines per page and column, with per-column fallbacks."""

    left: Edge
    right: Edge
    left_by_column: dict[int, float]
    right_by_column: dict[int, float]

    @classmethod
    def of(cls, work: WorkingDocument, body: BodyStyle, config: SectionConfig) -> "TextEdges":
        starts: dict[tuple[int, int], Counter[int]] = {}
        ends: dict[tuple[int, int], Counter[int]] = {}
        for block in work.doc.blocks:
            if block.kind in MARGIN_KINDS:
                continue
            for line in work.lines_of(block):
                if line.vertical or abs(line.font_size - body.size) > config.size_tolerance:
                    continue
                key = (line.page, line.column)
                starts.setdefault(key, Counter())[round(line.bbox[0])] += 1
                ends.setdefault(key, Counter())[round(line.bbox[2])] += 1
        return cls(_modes(starts), _modes(ends), _column_modes(starts), _column_modes(ends))

    def at_left_edge(self, line: TextLine, config: SectionConfig) -> bool:
        """The line starts at (or left of) where the body text of its page column starts."""
        edge = self.left.get((line.page, line.column), self.left_by_column.get(line.column))
        return edge is None or line.bbox[0] <= edge + config.indent_em * max(line.font_size, 1.0)

    def reaches_right_edge(self, line: TextLine, config: SectionConfig) -> bool:
        """The line runs to where full lines of its page column end (so it may wrap)."""
        edge = self.right.get((line.page, line.column), self.right_by_column.get(line.column))
        return edge is None or line.bbox[2] >= edge - config.full_line_em * max(line.font_size, 1.0)


def _modes(counts: dict[tuple[int, int], Counter[int]]) -> Edge:
    return {key: float(c.most_common(1)[0][0]) for key, c in counts.items() if sum(c.values()) >= _MIN_LINES_PER_PAGE}


def _column_modes(counts: dict[tuple[int, int], Counter[int]]) -> dict[int, float]:
    merged: dict[int, Counter[int]] = {}
    for (_, column), counter in counts.items():
        merged.setdefault(column, Counter()).update(counter)
    return {column: float(c.most_common(1)[0][0]) for column, c in merged.items()}
