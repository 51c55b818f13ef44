"""How a line is set compared with the body text: the evidence typography gives a heading.

Reports set headings apart in many ways besides size: a bold or heavier face (ゴシック in
a 明朝 body), a rule under the line (（１）対象者), a bar of colour behind it (１．事業の目的
on an orange band), white type on a dark band, or an accent colour (an orange 申請の注意点
in a black body).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pipeline.japanese.fonts import looks_heavier
from pipeline.model import Block
from pipeline.stages.sections.config import SectionConfig
from pipeline.stages.working import TextLine, WorkingDocument

Color = tuple[float, float, float]

_ACCENT_MIN_SPREAD = 0.25
"""A colour whose channels differ this much is a hue (orange, blue), not a gray."""
_WHITE_LEVEL = 0.9
"""Type lighter than this on every channel is white, printed on a dark band."""


@dataclass
class BodyStyle:
    """The typeface, size and colour most of the text is set in."""

    size: float
    font: str
    color: Color | None = None


def body_style(blocks: list[Block], work: WorkingDocument) -> BodyStyle:
    """The typeface, size and colour most of the text is set in (weighted by characters)."""
    sizes: Counter[float] = Counter()
    fonts: Counter[str] = Counter()
    colors: Counter[Color] = Counter()
    for block in blocks:
        for line in work.lines_of(block):
            sizes[round(line.font_size * 2) / 2] += len(line.text)
            fonts[line.font_name] += len(line.text)
            if line.color is not None:
                colors[line.color] += len(line.text)
    if not sizes:
        return BodyStyle(0.0, "")
    color = colors.most_common(1)[0][0] if colors else None
    return BodyStyle(sizes.most_common(1)[0][0], fonts.most_common(1)[0][0], color)


def is_accent(color: Color | None, body: BodyStyle) -> bool:
    """Set in a hue the body text is not (an orange or blue line in a black body)."""
    if color is None or color == body.color:
        return False
    return max(color) - min(color) >= _ACCENT_MIN_SPREAD


def is_reversed(color: Color | None) -> bool:
    """White type: it stands on a dark band, a heading bar or a tab."""
    return color is not None and min(color) >= _WHITE_LEVEL


def is_heavier(line: TextLine, body: BodyStyle) -> bool:
    """Bold, or a heavier face than the body's (ゴシック in a 明朝 body)."""
    return line.bold or (line.font_name != body.font and looks_heavier(line.font_name, body.font))


def is_display_line(line: TextLine, body: BodyStyle, config: SectionConfig) -> bool:
    """Set apart from the body by type: larger, heavier, underlined, on a bar, or in an accent
    colour (not smaller than the body)."""
    if not body.size or line.font_size < body.size - config.size_tolerance:
        return False
    return (
        line.font_size >= body.size + config.size_step
        or is_heavier(line, body)
        or line.underlined
        or line.shaded
        or is_accent(line.color, body)
        or is_reversed(line.color)
    )


def prominence(line: TextLine, body: BodyStyle) -> float:
    """How loudly a line is set, in points of type size: weight, a bar, a rule or colour each
    count as a fraction of a size step, so a larger size outranks any of them."""
    score = line.font_size
    if is_heavier(line, body):
        score += 0.6
    if line.shaded or is_reversed(line.color):
        score += 0.5
    if line.underlined:
        score += 0.4
    if is_accent(line.color, body):
        score += 0.3
    return score
