"""Grouping lines in reading order into blocks, and joining paragraphs cut by a page or column break."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass

from pipeline.japanese.fonts import same_family
from pipeline.japanese.lines import join_wrapped_lines
from pipeline.japanese.markers import BLOCK_ENDS, BULLET_START, ITEM_START, TOC_LEADERS
from pipeline.model import MARGIN_KINDS, BBox, Block, BlockKind
from pipeline.model.ids import block_id
from pipeline.stages.layout.config import BlockConfig, LayoutConfig
from pipeline.stages.layout.order import PlacedItem
from pipeline.stages.working import TextLine

_MIN_FULL_LINES = 3
"""Lines of a page that must end at one right edge for it to be the column's margin."""


@dataclass
class LaidBlock:
    """A block and the printed lines it was made of."""

    block: Block
    lines: list[TextLine]


class BlockNumbers:
    """Block ids in document order: b0001, b0002, …"""

    def __init__(self) -> None:
        self.value = 0

    def next(self) -> str:
        self.value += 1
        return block_id(self.value)


def single_line_block(number: str, kind: BlockKind, line: TextLine) -> LaidBlock:
    """A block of one line (a running header, footer or page number)."""
    block = Block(
        block_id=number, kind=kind, text=line.text, page=line.page, bbox=line.bbox,
        font_size=line.font_size, bold=line.bold,
    )
    return LaidBlock(block, [line])


def group_blocks(items: list[PlacedItem], page: int, numbers: BlockNumbers, config: LayoutConfig) -> list[LaidBlock]:
    """Group ordered lines into paragraphs and list items by geometry and typography."""
    rules = config.blocks
    neighbours = [(a.line, b.line) for a, b in zip(items, items[1:]) if a.line and b.line]
    page_lines = _PageLines(*_usual_pitches(neighbours, rules), _full_line_ends([i.line for i in items if i.line]))
    blocks: list[LaidBlock] = []
    current: list[TextLine] = []
    current_marks: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(_text_block(numbers.next(), list(current), list(current_marks)))
            current.clear()
            current_marks.clear()

    for item in items:
        if item.table_id is not None:
            flush()
            blocks.append(LaidBlock(Block(numbers.next(), "table", "", page, item.bbox, table_id=item.table_id), []))
            continue
        line = item.line
        assert line is not None
        if current and _starts_new_block(current, line, page_lines, config):
            flush()
        current.append(line)
        current_marks.extend(item.marks)
    flush()
    return blocks


@dataclass
class _PageLines:
    """What the lines of a page share: their usual pitch, and where full lines end."""

    usual_pitch: float
    """The median step from one line to the next, over the page."""
    pitch_by_size: dict[float, float]
    """The usual pitch of lines of one size, where the page has enough of them."""
    full_ends: list[float]
    """Right edges many lines of the page end at (a column's margin)."""

    def is_full(self, line: TextLine, em: float) -> bool:
        return any(abs(line.bbox[2] - end) <= em for end in self.full_ends)

    def pitch_for(self, line: TextLine) -> float:
        """The usual pitch of lines of this one's size, else of the page."""
        return self.pitch_by_size.get(round(line.font_size, 1), self.usual_pitch)


def _usual_pitches(neighbours: list[tuple[TextLine, TextLine]], rules: BlockConfig) -> tuple[float, dict[float, float]]:
    """The page's usual pitch, and that of each size with enough lines of running text
    (``rules.size_pitch_min_steps``), from the steps between lines next to each other in reading
    order: a コラム set in 9 pt at a 12 pt pitch beside 10.5 pt body text at 17 pt would otherwise
    make each of the body's lines a paragraph."""
    pitches: list[float] = []
    by_size: dict[float, list[float]] = {}
    for a, b in neighbours:
        pitch = b.bbox[1] - a.bbox[1]
        if 0 < pitch < rules.max_pitch_em * max(a.font_size, 1):
            pitches.append(pitch)
            if abs(a.font_size - b.font_size) <= rules.size_change and min(len(a.text), len(b.text)) >= rules.running_text_chars:
                by_size.setdefault(round(a.font_size, 1), []).append(pitch)
    usual = statistics.median(pitches) if pitches else 0.0
    return usual, {size: statistics.median(found) for size, found in by_size.items()
                   if len(found) >= rules.size_pitch_min_steps}


def _full_line_ends(lines: list[TextLine]) -> list[float]:
    """Right edges (to 2 points) that at least ``_MIN_FULL_LINES`` lines of the page end at."""
    ends = Counter(round(line.bbox[2] / 2) * 2 for line in lines)
    return sorted(float(end) for end, count in ends.items() if count >= _MIN_FULL_LINES)


def _starts_new_block(current: list[TextLine], line: TextLine, page: _PageLines, config: LayoutConfig) -> bool:
    rules = config.blocks
    usual_pitch = page.pitch_for(line)
    previous = current[-1]
    size = max(line.font_size, 1.0)
    right_edge = max(l.bbox[2] for l in current + [line])
    previous_full = previous.bbox[2] >= right_edge - rules.full_line_em * size and not previous.text.endswith(BLOCK_ENDS)
    continuation_left = current[1].bbox[0] if len(current) > 1 else None
    at_continuation = continuation_left is not None and abs(line.bbox[0] - continuation_left) < rules.indent_em * size
    if len(current) == 1 and line.bbox[0] < current[0].bbox[0] - rules.indent_em * size:
        # The first line was indented; this is where the paragraph's lines start. (An item's
        # lines never start left of its bullet: ・ 市内の事業者 / （２） 対象外の事業者 are two blocks.)
        at_continuation = not ITEM_START.match(current[0].text)
    if ITEM_START.match(line.text) and not (previous_full and at_continuation and not BULLET_START.match(line.text)):
        return True
    if line.bbox[1] < previous.bbox[3] - rules.back_up_em * size and line.bbox[0] >= previous.bbox[2]:
        return True  # beside the previous line on the same row: another box
    if (
        len(current) == 1
        and line.bbox[0] < current[0].bbox[0] - rules.max_first_indent_em * size
        and line.bbox[1] >= previous.bbox[3]
    ):
        return True  # under a lone line and far left of it: no paragraph is indented that much
    if _style_changes(previous, line, rules):
        return True
    pitch = line.bbox[1] - previous.bbox[1]
    if pitch <= 0 or line.bbox[1] < previous.bbox[1] - rules.back_up_em * size:
        return True  # went back up: another box
    if usual_pitch and pitch > config.paragraph_gap_ratio * usual_pitch + rules.pitch_slack:
        return True
    if not usual_pitch and line.bbox[1] - previous.bbox[3] > rules.gap_em_without_pitch * size:
        return True
    centre, previous_centre = (line.bbox[0] + line.bbox[2]) / 2, (previous.bbox[0] + previous.bbox[2]) / 2
    if (
        abs(centre - previous_centre) < rules.centred_em * size
        and line.bbox[0] > previous.bbox[0]
        and not previous.text.endswith(BLOCK_ENDS)
    ):
        return False  # centred text (a caption) wrapping onto a shorter centred line
    if previous.bbox[2] < right_edge - rules.short_line_em * size and len(previous.text) > 0:
        return True  # the previous line stopped short: its paragraph ended
    if (
        page.is_full(previous, rules.full_line_em * size)
        and not previous.text.endswith(BLOCK_ENDS)
        and 0 <= line.bbox[0] - previous.bbox[0] <= rules.max_hanging_indent_em * size
    ):
        return False  # a full line running on under a hanging indent: 3前項の規定にかかわらず… / 　できる。
    return _indent_changes(current, line, rules.indent_em * size)


def _style_changes(previous: TextLine, line: TextLine, rules: BlockConfig) -> bool:
    """Another size, weight or typeface family: another block."""
    if abs(line.font_size - previous.font_size) > rules.size_change or line.bold != previous.bold:
        return True
    return line.font_name != previous.font_name and not same_family(line.font_name, previous.font_name)


def _indent_changes(current: list[TextLine], line: TextLine, indent: float) -> bool:
    if len(current) == 1:
        first = current[0]
        # Hanging indent under a bullet is a continuation; an indented line after a plain line starts anew.
        return line.bbox[0] > first.bbox[0] + indent and not ITEM_START.match(first.text)
    continuation_left = current[-1].bbox[0]  # where the paragraph's last line started
    return line.bbox[0] > continuation_left + indent or line.bbox[0] < continuation_left - indent


def _text_block(number: str, lines: list[TextLine], marks: list[str]) -> LaidBlock:
    first = lines[0]
    bbox: BBox = (
        min(l.bbox[0] for l in lines),
        min(l.bbox[1] for l in lines),
        max(l.bbox[2] for l in lines),
        max(l.bbox[3] for l in lines),
    )
    block = Block(
        block_id=number,
        kind="paragraph",
        text=join_wrapped_lines([l.text for l in lines]),
        page=first.page,
        bbox=bbox,
        font_size=first.font_size,
        bold=first.bold,
        footnote_marks=marks,
    )
    return LaidBlock(block, lines)


def join_across_pages(blocks: list[LaidBlock], rules: BlockConfig) -> list[LaidBlock]:
    """A paragraph cut by a page or column break (no sentence end, last line full) continues after it."""
    result: list[LaidBlock] = []
    last_text: LaidBlock | None = None
    for laid in blocks:
        block = laid.block
        if block.kind in MARGIN_KINDS:
            result.append(laid)
            continue
        if (
            last_text is not None
            and block.kind == "paragraph"
            and (block.page == last_text.block.page + 1 or _next_column(last_text.block, block, rules))
            and _continues(last_text, laid, rules)
        ):
            last_text.lines.extend(laid.lines)
            last_text.block.text = join_wrapped_lines([last_text.block.text, block.text])
            last_text.block.footnote_marks.extend(block.footnote_marks)
            last_text = None
            continue
        result.append(laid)
        last_text = laid if block.kind == "paragraph" and laid.lines else None
    return result


def _next_column(previous: Block, block: Block, rules: BlockConfig) -> bool:
    """``block`` starts the next column of the same page: higher up and to the right of ``previous``."""
    if block.page != previous.page or previous.bbox is None or block.bbox is None:
        return False
    return block.bbox[1] < previous.bbox[1] and block.bbox[0] >= previous.bbox[2] - rules.next_column_tolerance


def _continues(previous: LaidBlock, following: LaidBlock, rules: BlockConfig) -> bool:
    if not previous.lines or not following.lines or previous.block.text.endswith(BLOCK_ENDS):
        return False
    if TOC_LEADERS.search(previous.lines[-1].text):
        return False  # a 目次 line (総則……10) ends its entry
    last, first = previous.lines[-1], following.lines[0]
    if (
        ITEM_START.match(first.text)
        or abs(last.font_size - first.font_size) > rules.size_change
        or last.font_name != first.font_name
        or last.bold != first.bold
        or last.color != first.color
        or (last.underlined, last.shaded) != (first.underlined, first.shaded)
    ):
        return False  # another style after the break: a heading or a link, not the same paragraph
    right_edge = max(l.bbox[2] for l in previous.lines)
    return last.bbox[2] >= right_edge - rules.continued_line_em * max(last.font_size, 1.0)
