"""Text inside tables: a cell's text rebuilt from its characters, rows of text split into
pieces at wide gaps (what rule-less tables and picture captions are read from), and the
test that tells a sentence from a cell."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from pipeline.japanese.glyphs import HIRAGANA
from pipeline.japanese.lines import join_wrapped_lines, tidy_cell_text
from pipeline.japanese.markers import CLAUSE_END
from pipeline.pdf.chars import group_rows, spaced_text
from pipeline.stages.tables.config import TableConfig

FALLBACK_SIZE = 10.0
"""Points taken as the size of a row whose characters carry none."""


def cell_text_from_chars(chars: list[dict], config: TableConfig) -> str:
    """Rebuild one cell's text: lines by vertical position, spaces from gaps, lines joined
    the Japanese way (鉱業，採石 / 業，砂利採 / 取業 → 鉱業，採石業，砂利採取業), then
    spacing tidied (歳　入　合　計 → 歳入合計)."""
    if not chars:
        return ""
    lines = [spaced_text(row, config.spacing) for row in group_rows(chars, config.spacing.line_merge_share)]
    return tidy_cell_text(join_wrapped_lines(lines))


@dataclass
class Segment:
    """A run of characters on one text row, separated from the next by a wide gap."""

    chars: list[dict]
    x0: float
    x1: float
    config: TableConfig = field(repr=False)
    _text: str | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        # Built on first use: most rows of a page never reach a table candidate.
        if self._text is None:
            self._text = spaced_text(self.chars, self.config.spacing)
        return self._text


@dataclass
class TextRow:
    """One printed row of a page, cut into segments at gaps wide enough to separate cells."""

    segments: list[Segment]
    top: float
    bottom: float
    size: float

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1


def text_rows(chars: list[dict], config: TableConfig) -> list[TextRow]:
    """The page's printed rows, each cut where a gap is wider than ``ruleless.gap_em`` ems."""
    rows: list[TextRow] = []
    for row_chars in group_rows([c for c in chars if c["text"].strip()], config.spacing.line_merge_share):
        sizes = [c.get("size") or (c["bottom"] - c["top"]) for c in row_chars]
        size = statistics.median(sizes) if sizes else FALLBACK_SIZE
        min_gap = max(config.ruleless.gap_em * size, config.ruleless.min_gap)
        groups: list[list[dict]] = [[row_chars[0]]]
        for previous, char in zip(row_chars, row_chars[1:]):
            if char["x0"] - previous["x1"] > min_gap:
                groups.append([char])
            else:
                groups[-1].append(char)
        segments = [Segment(g, min(c["x0"] for c in g), max(c["x1"] for c in g), config) for g in groups]
        rows.append(TextRow(segments, min(c["top"] for c in row_chars), max(c["bottom"] for c in row_chars), size))
    return rows


def is_prose(text: str, config: TableConfig) -> bool:
    """A sentence rather than a cell: long and kana-heavy, or ending like a sentence.
    e.g. 「事業所数は、製造業が全体の約3割を占め」 (cells are nouns and numbers)."""
    compact = text.replace(" ", "")
    if len(compact) < config.prose_min_chars:
        return False
    if CLAUSE_END.search(compact):
        return True
    return len(HIRAGANA.findall(compact)) / len(compact) >= config.prose_hiragana_share
