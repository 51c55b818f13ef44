"""Lines into paragraphs on a page that mixes type sizes: each size's own line pitch decides
where its paragraphs end (a 9 pt コラム at a 12 pt pitch beside 10.5 pt body text at 17 pt)."""

from __future__ import annotations

from pipeline.stages.layout.blocks import BlockNumbers, group_blocks
from pipeline.stages.layout.config import LayoutConfig
from pipeline.stages.layout.order import PlacedItem
from pipeline.stages.working import TextLine

RUNNING = "研究開発の成果を社会に還元するための取組を進めています"  # (a line of running text)


def lines_of(size: float, pitch: float, top: float, count: int, text: str = RUNNING) -> list[TextLine]:
    """``count`` lines of one paragraph running to the right margin, the last one stopping short."""
    lines = []
    for index in range(count):
        last = index == count - 1
        lines.append(TextLine(text + ("。" if last else ""), 1, (100.0, top + index * pitch, 300.0 if last else 500.0,
                                                                  top + index * pitch + size), "Mincho", size, False))
    return lines


def paragraphs(lines: list[TextLine]) -> list[int]:
    """How many lines each block of the page holds."""
    blocks = group_blocks([PlacedItem(line.bbox, line=line) for line in lines], 1, BlockNumbers(), LayoutConfig())
    return [len(block.lines) for block in blocks]


def test_body_text_at_its_own_pitch_stays_one_paragraph_beside_a_denser_box() -> None:
    box = lines_of(9.0, 12.0, 100.0, 8)
    body = lines_of(10.5, 17.0, 250.0, 5)
    assert paragraphs(box + body) == [8, 5]  # (by the page's pitch, 12, each body line would stand alone)


def test_characters_stacked_a_line_each_do_not_set_their_size_pitch() -> None:
    labels = [TextLine(char, 1, (560.0, 100.0 + 4.5 * k, 569.0, 109.0 + 4.5 * k), "Mincho", 9.0, False)
              for k, char in enumerate("申請手続の概要図")]
    note = lines_of(9.0, 13.5, 250.0, 4)
    body = lines_of(10.5, 13.5, 400.0, 6)
    # (counted with the labels, 9 pt would step 4.5 pt and the note be cut line by line)
    assert paragraphs(labels + note + body)[-2:] == [4, 6]
