"""Vertical text: whole pages set top to bottom (縦書き), and vertical labels on horizontal pages."""

from __future__ import annotations

import statistics

from pipeline.japanese.fonts import base_font, is_bold_font
from pipeline.japanese.glyphs import is_cjk
from pipeline.japanese.normalize import normalize_text
from pipeline.pdf.page import decode_font_name
from pipeline.stages.layout.config import VerticalTextConfig
from pipeline.stages.working import TextLine


def lift_vertical_runs(
    rows: list[list[dict]], number: int, lines: list[TextLine], config: VerticalTextConfig
) -> list[list[dict]]:
    """Take out vertical labels on a horizontal page (厚/生/労/働/省 stacked in one column).

    Single characters standing alone in their row, at the same x, one below the other,
    become one vertical line appended to ``lines``; the remaining rows are returned.
    """
    lonely: list[tuple[int, dict]] = []
    for index, row in enumerate(rows):
        printed = [c for c in row if c["text"].strip()]
        if len(printed) == 1 and is_cjk(printed[0]["text"]):
            lonely.append((index, printed[0]))
    if len(lonely) < config.label_min_chars:
        return rows
    lonely.sort(key=lambda item: (round(item[1]["x0"]), item[1]["top"]))
    taken: set[int] = set()
    run: list[tuple[int, dict]] = []

    def close_run() -> None:
        if len(run) >= config.label_min_chars:
            taken.update(index for index, _ in run)
            lines.append(vertical_segment_line([c for _, c in run], number))

    for item in lonely:
        char = item[1]
        if run:
            last = run[-1][1]
            size = max(last["size"], 1.0)
            if (
                abs(char["x0"] - last["x0"]) < config.same_column_em * size
                and 0 < char["top"] - last["top"] < config.label_step_em * size
            ):
                run.append(item)
                continue
            close_run()
        run = [item]
    close_run()
    return [row for index, row in enumerate(rows) if index not in taken]


def is_vertical_writing(chars: list[dict], config: VerticalTextConfig) -> bool:
    """True when most consecutive characters step downwards in one column (縦書き)."""
    steps = vertical = 0
    for a, b in zip(chars, chars[1:]):
        if not a["text"].strip() or not b["text"].strip():
            continue
        steps += 1
        down = b["top"] - a["top"]
        if down <= 0:
            continue  # (most pairs: the next character on the same line)
        size = max(a["size"], 1.0)
        if abs(a["x0"] - b["x0"]) < config.same_column_em * size and down < config.writing_step_em * size:
            vertical += 1
    return steps >= config.writing_min_steps and vertical > config.writing_share * steps


def vertical_lines(chars: list[dict], number: int, config: VerticalTextConfig) -> list[TextLine]:
    """Vertical (縦書き) text: columns read top to bottom, right to left, tier by tier."""
    by_x = sorted(chars, key=lambda c: -(c["x0"] + c["x1"]) / 2)
    columns: list[list[dict]] = []
    for char in by_x:
        middle = (char["x0"] + char["x1"]) / 2
        previous_middle = (columns[-1][0]["x0"] + columns[-1][0]["x1"]) / 2 if columns else None
        if previous_middle is not None and abs(middle - previous_middle) < config.column_em * max(char["size"], 1):
            columns[-1].append(char)
        else:
            columns.append([char])
    segments: list[list[dict]] = []
    for column in columns:
        column.sort(key=lambda c: c["top"])
        segment = [column[0]]
        for previous, char in zip(column, column[1:]):
            if char["top"] - previous["bottom"] > config.segment_gap_em * max(char["size"], 1):
                segments.append(segment)
                segment = []
            segment.append(char)
        segments.append(segment)
    lines = [vertical_segment_line(s, number) for s in segments]
    lines = [line for line in lines if line.text]
    # Tiers: segments whose vertical spans overlap are read together, right to left.
    lines.sort(key=lambda l: l.bbox[1])
    tiers: list[list[TextLine]] = []
    reach = -1e9
    for line in lines:
        if tiers and line.bbox[1] < reach:
            tiers[-1].append(line)
            reach = max(reach, line.bbox[3])
        else:
            tiers.append([line])
            reach = line.bbox[3]
    return [line for tier in tiers for line in sorted(tier, key=lambda l: -l.bbox[2])]


def vertical_segment_line(column: list[dict], number: int) -> TextLine:
    """One vertical line from characters stacked in a column, read top to bottom."""
    text = normalize_text("".join(c["text"] for c in column))
    sizes = [c["size"] for c in column]
    return TextLine(
        text=text,
        page=number,
        bbox=(
            round(min(c["x0"] for c in column), 2),
            round(min(c["top"] for c in column), 2),
            round(max(c["x1"] for c in column), 2),
            round(max(c["bottom"] for c in column), 2),
        ),
        font_name=base_font(decode_font_name(column[0]["fontname"])),
        font_size=round(statistics.median(sizes), 2),
        bold=is_bold_font(decode_font_name(column[0]["fontname"])),
        vertical=True,
    )
