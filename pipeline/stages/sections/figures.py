"""Captions, chart text and footnotes: the text around figures that is neither a heading
nor body text.

- A figure or table caption (第1-2-1図 …, 図表3 …, 表2 …) is a ``caption`` however it is set.
- Between a figure's caption and its source line (資料：… / 出典：… / 注：…) every short
  line is chart text (axis labels, legends, the chart's own title): ``figure_text``.
- On slides, short lines clustered together are a diagram's labels (``figure_text``).
- Type set smaller than the body is a footnote (``note``) when numbered like one (1 …, ※…)
  or a link; short labels are chart text (``figure_text``) when several sit together and a
  caption when alone (a photo's title).
"""

from __future__ import annotations

import re

from pipeline.japanese.units import UNIT_ONLY, is_currency_unit
from pipeline.japanese.markers import (
    CAPTION,
    FIGURE_CAPTION,
    FOOTNOTE_START,
    NOTE_START,
    NUMBERED_CAPTION,
    SENTENCE_END,
)
from pipeline.model import MARGIN_KINDS, Block
from pipeline.stages.sections.config import SectionConfig
from pipeline.stages.sections.style import BodyStyle
from pipeline.stages.working import WorkingDocument


def mark_figures(work: WorkingDocument, body: BodyStyle, config: SectionConfig) -> None:
    """Set ``caption``, ``figure_text`` and ``note`` on the blocks they describe."""
    by_page: dict[int, list[Block]] = {}
    for block in work.doc.blocks:
        if block.kind not in MARGIN_KINDS:
            by_page.setdefault(block.page, []).append(block)
    for blocks in by_page.values():
        _mark_captions(blocks, config)
        _mark_figure_regions(blocks, work, body, config)
        _mark_small_type(blocks, work, body, config)


def _mark_captions(blocks: list[Block], config: SectionConfig) -> None:
    for block in blocks:
        text = block.text
        if block.kind == "paragraph" and CAPTION.match(text) and len(text) <= config.max_caption_chars:
            if not SENTENCE_END.search(text):
                block.kind = "caption"


def _mark_figure_regions(blocks: list[Block], work: WorkingDocument, body: BodyStyle, config: SectionConfig) -> None:
    """Short lines between a figure caption and the figure's source or note line."""
    for start, block in enumerate(blocks):
        if block.kind != "caption" or not FIGURE_CAPTION.match(block.text):
            continue
        end = next(
            (i for i in range(start + 1, len(blocks)) if NOTE_START.match(blocks[i].text) or blocks[i].kind == "caption"),
            None,
        )
        if end is None or not NOTE_START.match(blocks[end].text):
            continue
        inside = blocks[start + 1:end]
        if any(_is_body_paragraph(b, work, body, config) for b in inside):
            continue  # running text inside: not a figure's labels
        for label in inside:
            if label.kind in ("paragraph", "caption") and label.table_id is None:
                label.kind = "figure_text"


def _is_body_paragraph(block: Block, work: WorkingDocument, body: BodyStyle, config: SectionConfig) -> bool:
    lines = work.lines_of(block)
    return (
        block.kind == "paragraph"
        and len(lines) >= config.max_heading_lines + 1
        and abs(lines[0].font_size - body.size) <= config.size_tolerance
    )


def _mark_small_type(blocks: list[Block], work: WorkingDocument, body: BodyStyle, config: SectionConfig) -> None:
    """Text set smaller than the body: footnotes, numbered captions, and short labels, which
    are chart text when several sit together (axis ticks, a legend) and captions alone (a
    photo's or a table's title)."""
    if not body.size:
        return
    small = body.size - config.size_tolerance
    labels: list[Block] = []
    for block in blocks:
        lines = work.lines_of(block)
        if block.kind != "paragraph" or not lines or lines[0].font_size >= small:
            continue
        text = block.text
        if NOTE_START.match(text) or FOOTNOTE_START.match(text) or "http" in text:
            block.kind = "note"
        elif NUMBERED_CAPTION.match(text) and len(text) <= config.max_caption_chars:
            block.kind = "caption"  # 図表2-1製造品出荷額等の推移 in small type
        elif all(len(line.text) <= config.max_figure_text_chars // 2 for line in lines) or (
            len(text) <= config.max_figure_text_chars and len(lines) <= config.max_heading_lines
        ):
            labels.append(block)  # a short label, or a stack of short ones (axis ticks 12,000 / 10,000)
    reach = config.figure_label_gap_em * body.size
    for group in _near_groups(labels, reach):
        kind = "figure_text" if len(group) >= config.min_figure_labels else "caption"
        for block in group:
            block.kind = kind  # type: ignore[assignment]


def _near_groups(blocks: list[Block], reach: float) -> list[list[Block]]:
    """Blocks linked when their boxes come within ``reach`` points of each other (union-find;
    pairs are only compared within one page)."""
    parent = list(range(len(blocks)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_page: dict[int, list[int]] = {}
    for index, block in enumerate(blocks):
        by_page.setdefault(block.page, []).append(index)
    for indexes in by_page.values():
        for n, i in enumerate(indexes):
            for j in indexes[n + 1:]:
                if _near(blocks[i], blocks[j], reach):
                    parent[root(j)] = root(i)
    groups: dict[int, list[Block]] = {}
    for index, block in enumerate(blocks):
        groups.setdefault(root(index), []).append(block)
    return list(groups.values())


def _near(a: Block, b: Block, reach: float) -> bool:
    if a.bbox is None or b.bbox is None:
        return False
    dx = max(a.bbox[0] - b.bbox[2], b.bbox[0] - a.bbox[2], 0.0)
    dy = max(a.bbox[1] - b.bbox[3], b.bbox[1] - a.bbox[3], 0.0)
    return dx <= reach and dy <= reach


def mark_diagram_labels(work: WorkingDocument, config: SectionConfig) -> None:
    """On slides, short lines left as paragraphs that cluster with other short lines are the
    labels of a diagram or chart drawn on the slide (年度 / 8,000 / 万円 / 目標達成)."""
    by_page: dict[int, list[Block]] = {}
    for block in work.doc.blocks:
        if block.kind == "paragraph" and len(block.text) <= config.max_figure_text_chars // 2:
            by_page.setdefault(block.page, []).append(block)
    for labels in by_page.values():
        reach = config.figure_label_gap_em * max((b.font_size or 0.0) for b in labels)
        for group in _near_groups(labels, reach):
            if len(group) >= config.min_figure_labels:
                for block in group:
                    block.kind = "figure_text"


_VALUE_LABEL = re.compile(r"^[+\-−▲△]?[0-9０-９][0-9０-９,，.．]*$")



def _is_unit_label(text: str) -> bool:
    """An amount's unit printed as a label of its own: 万円, 円, ％."""
    return bool(UNIT_ONLY.match(text)) and (is_currency_unit(text) or text in ("%", "％"))


def join_value_labels(work: WorkingDocument) -> None:
    """A chart prints a value and its unit as two labels (8,000 over 万円, 1,230 beside 円):
    they are one label, so the amount can be read (8,000万円)."""
    blocks = work.doc.blocks
    units = [b for b in blocks if b.kind == "figure_text" and _is_unit_label(b.text.strip())]
    absorbed: set[str] = set()
    for value in (b for b in blocks if b.kind == "figure_text" and _VALUE_LABEL.match(b.text.strip())):
        unit = next((u for u in units if u.block_id not in absorbed and _carries_unit(value, u)), None)
        if unit is None:
            continue
        value.text = value.text.strip() + unit.text.strip()
        work.lines[value.block_id] = work.lines_of(value) + work.lines_of(unit)
        work.lines.pop(unit.block_id, None)
        absorbed.add(unit.block_id)
    blocks[:] = [b for b in blocks if b.block_id not in absorbed]


def _carries_unit(value: Block, unit: Block) -> bool:
    """The unit label sits right after the value: on its row just to the right, or just under it."""
    if value.page != unit.page or value.bbox is None or unit.bbox is None:
        return False
    size = max(value.font_size or 0.0, 1.0)
    vx0, vtop, vx1, vbottom = value.bbox
    ux0, utop, ux1, ubottom = unit.bbox
    beside = abs((vtop + vbottom) / 2 - (utop + ubottom) / 2) <= size / 2 and -size / 2 <= ux0 - vx1 <= size / 2
    below = 0 <= utop - vbottom <= size / 2 and min(vx1, ux1) - max(vx0, ux0) > 0
    return beside or below
