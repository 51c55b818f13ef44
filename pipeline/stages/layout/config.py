"""Settings of the layout stage (units are PDF points unless said otherwise)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.pdf.chars import CharSpacing
from pipeline.settings import require_non_negative, require_positive, require_share

DEFAULT_MARGIN_SHARE = 0.1
DEFAULT_REPEAT_SHARE = 0.4
DEFAULT_SUPERSCRIPT_RATIO = 0.75
DEFAULT_RUBY_RATIO = 0.62
DEFAULT_FRAGMENT_GAP_EM = 1.5
DEFAULT_COLUMN_GAP = 9.0
DEFAULT_PARAGRAPH_GAP_RATIO = 1.3
DEFAULT_BAND_GAP_LINES = 2.5
DEFAULT_OVERPRINT_TOLERANCE = 1.0


@dataclass(frozen=True)
class VerticalTextConfig:
    """How vertical text (縦書き pages, and vertical labels on horizontal pages) is recognized."""

    same_column_em: float = 0.3
    """Two characters whose left edges are closer than this many ems stand in one column."""
    label_step_em: float = 1.8
    """A lone character at most this many ems below another continues a vertical label (厚/生/労/働/省)."""
    label_min_chars: int = 3
    """A vertical label has at least this many characters."""
    writing_step_em: float = 1.6
    """In vertical writing the next character sits at most this many ems below."""
    writing_min_steps: int = 10
    """A page needs this many character steps before it can be read as vertical writing."""
    writing_share: float = 0.6
    """…and more than this share of its steps must go downwards in one column."""
    column_em: float = 0.5
    """Characters whose centres are within this many ems are one column of vertical text."""
    segment_gap_em: float = 2.0
    """A gap longer than this many ems splits a column of vertical text into segments."""

    def __post_init__(self) -> None:
        require_positive(self, "same_column_em", "label_step_em", "writing_step_em", "column_em", "segment_gap_em")
        require_non_negative(self, "label_min_chars", "writing_min_steps")
        require_share(self, "writing_share")


@dataclass(frozen=True)
class BlockConfig:
    """How printed lines are grouped into blocks (paragraphs, list items, headings)."""

    max_pitch_em: float = 3.0
    """Line pitches under this many ems count towards a page's usual pitch."""
    size_change: float = 0.6
    """A change of font size larger than this (points) starts a new block."""
    indent_em: float = 0.4
    """A line starting this many ems right (or left) of where the block's lines start is indented."""
    max_first_indent_em: float = 4.0
    """A paragraph's first line is indented at most this many ems: a line starting further left
    under a lone line (a chart label above a source note) starts another block."""
    full_line_em: float = 1.0
    """A line ending within this many ems of the block's right edge runs to the margin."""
    max_hanging_indent_em: float = 3.0
    """A full line goes on in the line below indented at most this many ems (a hanging indent
    under a clause number)."""
    short_line_em: float = 2.0
    """A line ending more than this many ems before the right edge stopped short: its paragraph ended."""
    back_up_em: float = 0.5
    """A line this many ems above the previous one belongs to another box."""
    pitch_slack: float = 1.0
    """Points of leading tolerated above ``paragraph_gap_ratio`` times the usual pitch."""
    gap_em_without_pitch: float = 0.8
    """With no usual pitch on the page, a white gap over this many ems starts a new block."""
    centred_em: float = 1.0
    """Lines whose centres are within this many ems are centred text (a caption wrapping)."""
    continued_line_em: float = 1.5
    """A paragraph continues on the next page or column when its last line ends within this many
    ems of its right edge."""
    next_column_tolerance: float = 2.0
    """Points a block may start left of the previous block's right edge and still be the next column."""
    size_pitch_min_steps: int = 4
    """Steps between lines of one type size that give that size a usual pitch of its own (a 9 pt
    コラム at a 12 pt pitch beside 10.5 pt body text at 17 pt); fewer, and the page's counts."""
    running_text_chars: int = 8
    """Characters each of two lines holds for their step to count towards their size's pitch:
    chart labels stacked a character a line (申/請/書) are no running text."""

    def __post_init__(self) -> None:
        require_positive(self, "max_pitch_em", "size_pitch_min_steps", "running_text_chars")
        require_non_negative(
            self, "size_change", "indent_em", "max_first_indent_em", "full_line_em", "max_hanging_indent_em", "short_line_em", "back_up_em", "pitch_slack",
            "gap_em_without_pitch", "centred_em", "continued_line_em", "next_column_tolerance",
        )


@dataclass(frozen=True)
class DecorationConfig:
    """How underlines and shading behind a line are recognized from the page's drawings."""

    rule_max_thickness: float = 2.0
    """A drawn rectangle or line this thin (points) is a rule."""
    underline_max_gap: float = 4.0
    """An underline sits at most this far (points) below the line's bottom …"""
    underline_min_cover: float = 0.6
    """… runs under at least this share of the line's width …"""
    underline_max_overrun_em: float = 2.0
    """… and sticks out at most this many ems beyond it (a page-wide rule is a separator)."""
    shade_max_height_ratio: float = 2.5
    """A filled bar behind a line is at most this many times the line's height (a taller fill
    is a box around a whole passage)."""
    passage_min_lines: int = 3
    """This many lines in a row each underlined or shaded are a marked passage, not headings."""
    white_level: float = 0.95
    """A fill whose RGB components are all this bright is white: no shading."""

    def __post_init__(self) -> None:
        require_non_negative(self, "rule_max_thickness", "underline_max_gap", "underline_max_overrun_em")
        require_share(self, "underline_min_cover", "white_level")
        require_positive(self, "shade_max_height_ratio", "passage_min_lines")


@dataclass(frozen=True)
class LayoutConfig:
    """Settings of the layout stage (units are PDF points unless said otherwise)."""

    margin_share: float = DEFAULT_MARGIN_SHARE
    """Share of page height at the top and bottom where running headers and footers live."""
    side_margin_share: float = DEFAULT_MARGIN_SHARE
    """Share of page width at the left and right where thumb indexes and side page numbers live."""
    repeat_share: float = DEFAULT_REPEAT_SHARE
    """A margin line that recurs (digits ignored) on at least this share of pages is a running header/footer."""
    spacing: CharSpacing = field(default_factory=CharSpacing)
    """How characters are read into rows and words (the same rules as table cells)."""
    superscript_ratio: float = DEFAULT_SUPERSCRIPT_RATIO
    """A raised character smaller than this share of the line's size is a footnote marker."""
    superscript_row_max_chars: int = 6
    """A row of small digits and marks this long at most is a set of footnote markers."""
    ruby_ratio: float = DEFAULT_RUBY_RATIO
    """A line of kana smaller than this share of the line below, right above it, is ruby (furigana)."""
    ruby_max_gap_ratio: float = 0.5
    """…and the white gap between them is under this share of the lower line's size."""
    fragment_gap_em: float = DEFAULT_FRAGMENT_GAP_EM
    """A horizontal gap wider than this many ems splits a printed line into separate fragments."""
    column_gap: float = DEFAULT_COLUMN_GAP
    """Smallest white gutter (points) that separates two columns or text boxes."""
    column_min_share: float = 0.15
    """Each side of a column cut holds text at least this share of the region's width."""
    column_min_lines: int = 2
    """Each side of a column cut has at least this many lines (a lone label is not a column)."""
    paragraph_gap_ratio: float = DEFAULT_PARAGRAPH_GAP_RATIO
    """A line pitch larger than this multiple of the page's usual pitch starts a new block."""
    band_gap_lines: float = DEFAULT_BAND_GAP_LINES
    """A white band this many line heights tall, across the whole region, is cut before columns."""
    min_row_gap: float = 0.5
    """A white band thinner than this (points) between two lines is no gap at all."""
    overprint_tolerance: float = DEFAULT_OVERPRINT_TOLERANCE
    """Same character drawn again within this distance is fake-bold overprinting and dropped."""
    vertical: VerticalTextConfig = field(default_factory=VerticalTextConfig)
    blocks: BlockConfig = field(default_factory=BlockConfig)
    decorations: DecorationConfig = field(default_factory=DecorationConfig)

    def __post_init__(self) -> None:
        require_share(
            self, "margin_share", "side_margin_share", "repeat_share", "superscript_ratio", "ruby_ratio",
            "ruby_max_gap_ratio", "column_min_share",
        )
        require_positive(self, "fragment_gap_em", "paragraph_gap_ratio", "band_gap_lines", "overprint_tolerance")
        require_non_negative(self, "column_gap", "min_row_gap", "superscript_row_max_chars", "column_min_lines")
