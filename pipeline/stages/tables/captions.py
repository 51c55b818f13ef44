"""Captions and source notes: the one place the tables stage decides which block names a
table (人口（2020年）, 表2 地区別事業所数, ■企業概要, a （単位：千円） line) and which notes
below it give its source (資料）…, 出典：…, ※…)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.japanese.glyphs import HIRAGANA
from pipeline.japanese.markers import (
    CAPTION_MARKER,
    NOTE_START,
    SENTENCE_END,
    TABLE_CAPTION_START,
    TITLE_WITH_PARENTHESIS,
    UNIT_LINE,
)
from pipeline.japanese.units import unit_of_label
from pipeline.model import Block
from pipeline.stages.tables.config import TableConfig
from pipeline.stages.working import RawTable, WorkingDocument

EDGE_TOLERANCE = 2.0
"""Points a caption may overlap the table's top edge (or a note its bottom edge)."""
FALLBACK_SIZE = 10.0
"""Points taken as the size of a block that carries none."""
MIN_SIZE = 6.0
"""Gaps are measured in ems of at least this size, so tiny print does not shrink them to nothing."""
MIN_CAPTION_CHARS = 2
"""A caption has at least two characters (表 alone names nothing)."""
MIN_UNMARKED_CAPTION_CHARS = 3
"""…and without its decorative marker at least three (売上高, not 度に)."""
STACK_TOLERANCE = 1.0
"""Points by which a table above may overlap the top of this one and still stand between."""
NO_GAP = 1e9


@dataclass
class CaptionFinder:
    """Finds captions and notes for each table of a document, never giving a block to two tables."""

    work: WorkingDocument
    config: TableConfig
    content: list[Block] = field(init=False)
    position: dict[int, int] = field(init=False)
    claimed: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.content = self.work.doc.content_blocks()
        self.position = {id(b): i for i, b in enumerate(self.content)}

    def caption_of(self, raw: RawTable, block: Block | None) -> list[Block]:
        """The caption above the table (plus a separate unit line, if any); a 表N caption below
        is taken when there is none above."""
        config = self.config
        chosen: list[Block] = []
        for other in self.neighbours(raw, block, below=False):
            if id(other) in self.claimed or self._between_other_table(raw, other, below=False):
                continue
            size = self.block_size(other)
            if _gap(raw, other, below=False) > config.caption_max_gap_em * size + size * config.caption_line_em * len(chosen):
                break
            if _is_unit_line(other.text.strip()) and not any(_is_unit_line(b.text) for b in chosen):
                chosen.append(other)
                continue
            if self._is_caption_like(other):
                chosen.append(other)
            break
        if all(_is_unit_line(b.text) for b in chosen):
            for other in self.neighbours(raw, block, below=True):
                if id(other) in self.claimed or _gap(raw, other, below=True) > config.caption_max_gap_em * self.block_size(other):
                    break
                if TABLE_CAPTION_START.match(other.text) and len(other.text) <= config.caption_max_chars:
                    chosen.append(other)
                break
        self.claimed.update(id(other) for other in chosen)
        return chosen

    def context_of(self, raw: RawTable, block: Block | None, caption: list[Block]) -> str | None:
        """A short label above the table and its caption naming what the table is part of:
        歳入 / 歳出 over a budget table, （一般会計） over its caption. Headings count too."""
        config = self.config
        top = min([raw.bbox[1]] + [b.bbox[1] for b in caption if b.bbox is not None])
        for other in self.neighbours(raw, block, below=False):
            if other in caption or other.bbox is None or other.bbox[3] > top + EDGE_TOLERANCE:
                continue
            size = self.block_size(other)
            if top - other.bbox[3] > config.context_max_gap_em * size:
                return None
            text = other.text.strip()
            if other.kind in ("heading", "paragraph", "caption") and 0 < len(text) <= config.context_max_chars \
                    and not _is_unit_line(text):
                return text
            return None
        return None

    def notes_of(self, raw: RawTable, block: Block | None) -> list[Block]:
        """Source notes right below the table: 資料）住民基本台帳（総務省）, （出典：…）, ※…, 注）…"""
        notes: list[Block] = []
        reach = raw.bbox[3]
        for other in self.neighbours(raw, block, below=True):
            if id(other) in self.claimed or other.bbox is None or self._between_other_table(raw, other, below=True):
                break
            if other.bbox[1] - reach > self.config.note_max_gap_em * self.block_size(other):
                break
            if not NOTE_START.match(other.text.strip()) or other.kind == "heading":
                break
            notes.append(other)
            reach = other.bbox[3]
        self.claimed.update(id(other) for other in notes)
        return notes

    def neighbours(self, raw: RawTable, block: Block | None, below: bool) -> list[Block]:
        """Blocks right above (or below) the table on its page and overlapping it horizontally,
        nearest first; the layout's reading order decides between equally near ones."""
        geometric = self._geometric_neighbours(raw, below)
        if block is None or id(block) not in self.position:
            return geometric
        step = 1 if below else -1
        in_order: list[Block] = []
        i = self.position[id(block)] + step
        while 0 <= i < len(self.content) and len(in_order) < self.config.neighbours:
            other = self.content[i]
            if other.page != raw.page or other.kind == "table":
                break
            if other in geometric or self._beside_edge(raw, other, below):
                in_order.append(other)
            i += step
        return in_order + [b for b in geometric if b not in in_order]

    def _beside_edge(self, raw: RawTable, other: Block, below: bool) -> bool:
        """Next in reading order, above (below) the table and at most a little to its side: a
        caption at the margin over a centred table (人口（2020年） over a narrower grid)."""
        if other.bbox is None:
            return False
        x0, top, x1, bottom = raw.bbox
        bx0, btop, bx1, bbottom = other.bbox
        vertical = btop >= bottom - EDGE_TOLERANCE if below else bbottom <= top + EDGE_TOLERANCE
        side_gap = max(x0 - bx1, bx0 - x1, 0.0)
        return vertical and side_gap <= max(self.config.caption_side_gap, self.config.caption_side_share * (x1 - x0))

    def _geometric_neighbours(self, raw: RawTable, below: bool) -> list[Block]:
        candidates = []
        x0, top, x1, bottom = raw.bbox
        for other in self.content:
            if other.page != raw.page or other.bbox is None or other.kind == "table":
                continue
            bx0, btop, bx1, bbottom = other.bbox
            if bx0 >= x1 or bx1 <= x0:
                continue
            if below and btop >= bottom - EDGE_TOLERANCE:
                candidates.append((btop - bottom, other))
            elif not below and bbottom <= top + EDGE_TOLERANCE:
                candidates.append((top - bbottom, other))
        candidates.sort(key=lambda pair: pair[0])
        return [b for _, b in candidates[: self.config.neighbours]]

    def _between_other_table(self, raw: RawTable, other: Block, below: bool) -> bool:
        for table in self.work.raw_tables:
            if table is raw or table.page != raw.page or other.bbox is None:
                continue
            if below and raw.bbox[3] <= table.bbox[1] < other.bbox[1]:
                return True
            if not below and other.bbox[3] <= table.bbox[1] and table.bbox[3] <= raw.bbox[1] + STACK_TOLERANCE:
                return True
        return False

    def block_size(self, block: Block) -> float:
        lines = self.work.lines_of(block)
        return max(block.font_size or (lines[0].font_size if lines else FALLBACK_SIZE), MIN_SIZE)

    def _is_caption_like(self, block: Block) -> bool:
        """Short, not a sentence, and either styled as a caption, numbered 表N, a noun phrase
        closing with a parenthesis or a unit, or a short bold or ■-marked title:
        人口（2020年）, 業種別就業者数（人）, 表２　地区別事業所数, ■企業概要. A numbered heading
        （３）補助対象経費 is a heading, not a caption; a fragment like 度に is neither."""
        config = self.config
        text = block.text.strip()
        compact = text.replace(" ", "")
        if len(compact) < MIN_CAPTION_CHARS or len(text) > config.caption_max_chars or SENTENCE_END.search(text):
            return False
        if len(self.work.lines_of(block)) > config.caption_max_lines or NOTE_START.match(text) or block.kind == "title":
            return False
        if block.block_id in self.work.outline_headings or block.block_id in self.work.page_titles:
            return False  # the document's own outline names it a heading
        if TABLE_CAPTION_START.match(text):
            return True
        if "、" in text or "。" in text:
            return False
        body = CAPTION_MARKER.sub("", compact)
        if len(body) < MIN_UNMARKED_CAPTION_CHARS or HIRAGANA.match(body[-1]):
            return False  # 度に, 当該年度ごとに: a fragment of a sentence, not a title
        if block.kind in ("caption", "figure_text"):
            return True
        if block.kind == "heading" and block.numbering and not block.numbering.startswith(("marker:", "plain:")):
            return False
        if block.kind not in ("paragraph", "heading"):
            return False
        if unit_of_label(text) or TITLE_WITH_PARENTHESIS.match(body):
            return True
        if (CAPTION_MARKER.match(text) or block.kind == "heading") and len(body) <= config.caption_title_max_chars:
            return True
        return bool(block.bold) and len(body) <= config.caption_title_max_chars


def _is_unit_line(text: str) -> bool:
    return bool(UNIT_LINE.match(text.replace(" ", "")))


def _gap(raw: RawTable, other: Block, below: bool) -> float:
    if other.bbox is None:
        return NO_GAP
    return other.bbox[1] - raw.bbox[3] if below else raw.bbox[1] - other.bbox[3]


def caption_texts(blocks: list[Block]) -> tuple[str | None, str | None]:
    """The caption's text (its decorative marker dropped) and the text of a unit line, if any."""
    caption: str | None = None
    unit_text: str | None = None
    for block in blocks:
        text = block.text.strip()
        if _is_unit_line(text):
            unit_text = text
        elif caption is None:
            marker = block.marker if block.kind == "heading" and block.marker else ""
            caption = CAPTION_MARKER.sub("", text) if not marker else text
    return caption, unit_text


def mark_caption(block: Block, table_id: str) -> None:
    """Make a block the table's caption. A heading typeset like one (■企業概要 right above a
    table) is not a heading after all: the section tree, built after this, leaves it out."""
    if block.kind == "heading":
        block.numbering = None
    block.kind = "caption"
    block.table_id = table_id


def mark_note(block: Block, table_id: str) -> None:
    block.kind = "note"
    block.table_id = table_id
