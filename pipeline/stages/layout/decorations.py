"""What a page draws around its lines: an underline, or a bar of colour behind a line.

Reports mark headings this way as often as with a bold face: an orange bar behind
１．事業の目的, a gray band behind ２－１, a rule under （１）対象者. Both are read from the
page's rectangles and lines while it is open; the sections stage weighs them.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from pipeline.model import BBox
from pipeline.pdf.page import PdfPage, rgb_of
from pipeline.stages.layout.config import DecorationConfig
from pipeline.stages.working import TextLine


@dataclass(frozen=True)
class _Rule:
    top: float
    x0: float
    x1: float


def mark_decorations(lines: list[TextLine], page: PdfPage, config: DecorationConfig) -> None:
    """Set ``underlined`` and ``shaded`` on the lines of one open page."""
    rules, fills = _rules_and_fills(page, config)
    if not rules and not fills:
        return
    tops = [rule.top for rule in rules]
    for line in lines:
        if line.vertical:
            continue
        line.underlined = _underlined(line, rules, tops, config)
        line.shaded = any(_behind(box, line.bbox, config) for box in fills)
    _clear_passages(lines, config)


def _clear_passages(lines: list[TextLine], config: DecorationConfig) -> None:
    """A run of lines each underlined or shaded is an emphasised passage or a shaded box (Word
    shades a paragraph line by line), not a heading set apart from its text: the marks are
    dropped from such runs. A run follows each line to the one right under it in its column."""
    ordered = sorted((line for line in lines if not line.vertical), key=lambda line: (line.bbox[1], line.bbox[0]))
    below: dict[int, TextLine] = {}
    above: dict[int, TextLine] = {}
    for index, line in enumerate(ordered):
        reach = line.bbox[3] + max(line.font_size, 1.0)
        for other in ordered[index + 1:]:
            if other.bbox[1] > reach:
                break  # ordered by top: nothing further down is the next line
            if _next_line(line, other) and id(other) not in above:
                below[id(line)] = other
                above[id(other)] = line
                break
    for flag in ("underlined", "shaded"):
        starts = [
            line for line in ordered
            if getattr(line, flag) and not (id(line) in above and getattr(above[id(line)], flag))
        ]
        for start in starts:
            run = [start]
            while id(run[-1]) in below and getattr(below[id(run[-1])], flag):
                run.append(below[id(run[-1])])
            if len(run) >= config.passage_min_lines:
                for marked in run:
                    setattr(marked, flag, False)


def _next_line(upper: TextLine, lower: TextLine) -> bool:
    """``lower`` is the line right under ``upper`` in the same column."""
    size = max(upper.font_size, 1.0)
    overlap = min(upper.bbox[2], lower.bbox[2]) - max(upper.bbox[0], lower.bbox[0])
    return 0 <= lower.bbox[1] - upper.bbox[3] <= size and overlap > 0


def _rules_and_fills(page: PdfPage, config: DecorationConfig) -> tuple[list[_Rule], list[BBox]]:
    """Thin horizontal rules, and filled non-white rectangles thicker than a rule."""
    rules: list[_Rule] = []
    fills: list[BBox] = []
    for rect in page.rects:
        box = (float(rect["x0"]), float(rect["top"]), float(rect["x1"]), float(rect["bottom"]))
        if box[3] - box[1] <= config.rule_max_thickness and box[2] - box[0] > config.rule_max_thickness:
            if rect.get("fill") or rect.get("stroke"):
                rules.append(_Rule(box[1], box[0], box[2]))
            continue
        color = rgb_of(rect.get("non_stroking_color"))
        if rect.get("fill") and color is not None and min(color) < config.white_level:
            fills.append(box)
    for line in page.lines:
        if abs(float(line["bottom"]) - float(line["top"])) <= config.rule_max_thickness:
            rules.append(_Rule(float(line["top"]), float(line["x0"]), float(line["x1"])))
    rules.sort(key=lambda rule: rule.top)
    return rules, fills


def _underlined(line: TextLine, rules: list[_Rule], tops: list[float], config: DecorationConfig) -> bool:
    x0, _, x1, bottom = line.bbox
    width = max(x1 - x0, 1.0)
    overrun = config.underline_max_overrun_em * max(line.font_size, 1.0)
    start = bisect.bisect_left(tops, bottom - 1.0)
    for rule in rules[start:]:
        if rule.top > bottom + config.underline_max_gap:
            break
        cover = min(x1, rule.x1) - max(x0, rule.x0)
        if cover >= config.underline_min_cover * width and rule.x0 >= x0 - overrun and rule.x1 <= x1 + overrun:
            return True
    return False


def _behind(box: BBox, line: BBox, config: DecorationConfig) -> bool:
    """The fill covers the line's box and is a bar for it, not a box around a passage."""
    height = line[3] - line[1]
    return (
        box[0] <= line[0] + 1 and box[2] >= line[2] - 1 and box[1] <= line[1] + 1 and box[3] >= line[3] - 1
        and box[3] - box[1] <= config.shade_max_height_ratio * max(height, 1.0)
    )
