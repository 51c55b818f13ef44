"""Running headers, footers and page numbers: margin lines that recur from page to page."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from pipeline.japanese.markers import PAGE_NUMBER
from pipeline.stages.layout.config import LayoutConfig
from pipeline.stages.working import TextLine

MIN_REPEATS = 2
"""A running line recurs on at least two pages, however short the document."""
# Digits vary from page to page (第1章 / 第2章, - 3 -): they are ignored when lines are compared.
_DIGITS = re.compile(r"[0-9０-９]+")


def running_lines(pages: Sequence[tuple[int, list[TextLine]]], config: LayoutConfig) -> dict[tuple[int, int], str]:
    """Find running headers, footers and page numbers among each page's lines.

    ``pages`` pairs a page number with its lines; returns (page, line index) → kind
    (``header``, ``footer`` or ``page_number``).
    """
    result: dict[tuple[int, int], str] = {}
    keys_per_page: Counter[str] = Counter()
    candidates: list[tuple[int, int, str, str]] = []
    # Zones are measured on the area text actually covers: crop boxes can shift coordinates.
    boxes = [line.bbox for _, lines in pages for line in lines]
    if not boxes:
        return result
    left, upper = min(b[0] for b in boxes), min(b[1] for b in boxes)
    right, lower = max(b[2] for b in boxes), max(b[3] for b in boxes)
    height, width = max(lower - upper, 1.0), max(right - left, 1.0)
    for number, lines in pages:
        seen: set[str] = set()
        for index, line in enumerate(lines):
            x0, top, x1, bottom = line.bbox
            if bottom <= upper + height * config.margin_share:
                zone = "header"
            elif top >= lower - height * config.margin_share:
                zone = "footer"
            elif x1 <= left + width * config.side_margin_share or x0 >= right - width * config.side_margin_share:
                zone = "header"  # thumb index and page numbers printed in the side margin
            else:
                continue
            key = zone + ":" + _DIGITS.sub("#", line.text.replace(" ", ""))
            candidates.append((number, index, zone, key))
            if key not in seen:
                seen.add(key)
                keys_per_page[key] += 1
    needed = max(MIN_REPEATS, round(config.repeat_share * len(pages)))
    for number, index, zone, key in candidates:
        text = key.split(":", 1)[1]
        if PAGE_NUMBER.match(text.replace("#", "1")) and len(pages) > 1:
            result[(number, index)] = "page_number"
        elif keys_per_page[key] >= needed:
            result[(number, index)] = zone
    return result
