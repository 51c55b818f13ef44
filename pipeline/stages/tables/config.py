"""Settings of table detection and typing (lengths in PDF points unless said otherwise)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipeline.pdf.chars import CharSpacing
from pipeline.settings import SettingError, require_non_negative, require_positive, require_share

DEFAULT_MIN_EDGES = 4
DEFAULT_BOUNDARY_TOLERANCE = 2.0
DEFAULT_SLIVER_WIDTH = 8.0
DEFAULT_RULELESS_GAP_EM = 1.6
DEFAULT_CAPTION_GAP_EM = 3.0
DEFAULT_CAPTION_MAX_CHARS = 60
DEFAULT_KV_MAX_LABEL_CHARS = 20


RULED_STRATEGIES = ("lines", "lines_strict", "explicit")
"""pdfplumber's table strategies for grids drawn with rules, which the ruled-table finder runs."""


def _default_lines_settings() -> dict[str, Any]:
    # pdfplumber's defaults for the lines strategy already fit office-suite output (Word,
    # Excel, LibreOffice): rules closer than 3pt are one rule, dashes of a dashed rule are
    # joined, and an edge shorter than 3pt (a tick, a bullet square) is ignored. Rect
    # outlines count as rules, so shaded cells drawn as filled rectangles still form a grid.
    return {
        "vertical_strategy": "lines",
        "horizontal_strategy": "lines",
        "snap_tolerance": 3,
        "join_tolerance": 3,
        "edge_min_length": 3,
        "intersection_tolerance": 3,
    }


@dataclass(frozen=True)
class RulelessConfig:
    """Tables drawn without (full) rules, found from text alignment."""

    enabled: bool = True
    """Look for them at all."""
    gap_em: float = DEFAULT_RULELESS_GAP_EM
    """A horizontal gap wider than this many ems splits a text row into cells. Wider than the
    one-em U+3000 of letter-spaced labels (歳　入　合　計 stays one cell)."""
    min_gap: float = 8.0
    """…and never narrower than this many points."""
    min_rows: int = 3
    """Rows with two or more aligned cells a rule-less table needs."""
    max_row_gap_em: float = 2.2
    """A vertical gap larger than this many ems between two rows ends a rule-less table."""
    max_cell_chars: int = 24
    """A lone text piece longer than this is prose, not a table row."""
    max_prose_share: float = 0.25
    """A region where more than this share of cells read as prose is not a table."""
    max_rows: int = 120
    """Longer aligned runs are not examined (bounds the cost on pathological pages)."""
    min_column_support: float = 0.5
    """At least two columns must have text in this share of the rows."""
    min_free_chars: int = 6
    """A page with fewer characters outside ruled tables is not searched."""
    vertical_piece_share: float = 0.5
    """When this share of row pieces are one character, the page is vertical writing read across."""
    min_rule_length: float = 20.0
    """A horizontal rule at least this long can separate the rows of a rule-less table."""
    rule_reach: float = 5.0
    """A rule reaching within this many points of the table's sides crosses the whole table."""
    wrapped_row_gap_em: float = 0.6
    """A text-only row this close (ems) below a text-only row continues its cells (a wrapped header)."""
    max_extra_columns: int = 2
    """More column bands than the widest row fills plus this many are scattered words, not columns."""
    toc_share: float = 0.5
    """A region where this share of rows end in leader dots is a table of contents."""
    bullet_share: float = 0.8
    """A region where this share of cells open with a bullet is lists set side by side."""
    artwork_share: float = 0.2
    """A region this much covered by pictures is labels of a diagram."""
    split_gap_em: float = 0.75
    """Inside a piece over several columns, a gap this wide (ems) where the characters change
    column separates two cells (+20人 ＝ 120人)."""
    min_shape_size: float = 2.0
    """Curves thinner than this many points either way are underlines or rules, not artwork."""
    artwork_curves: int = 2
    """…and so is one holding this many curves (arrows, rounded boxes)."""

    def __post_init__(self) -> None:
        require_positive(
            self, "gap_em", "max_row_gap_em", "min_rows", "max_rows", "wrapped_row_gap_em", "split_gap_em",
        )
        require_non_negative(
            self, "min_gap", "max_cell_chars", "min_free_chars", "min_rule_length", "rule_reach",
            "max_extra_columns", "artwork_curves", "min_shape_size",
        )
        require_share(
            self, "max_prose_share", "min_column_support", "vertical_piece_share", "toc_share", "bullet_share",
            "artwork_share",
        )


@dataclass(frozen=True)
class TableConfig:
    """Settings of table detection and typing (lengths in PDF points unless said otherwise)."""

    enabled: bool = True
    """Off: no table is detected, every line stays in the paragraphs."""
    lines_settings: dict[str, Any] = field(default_factory=_default_lines_settings)
    """pdfplumber ``table_settings`` for ruled tables (the ``lines`` strategy; see ``RULED_STRATEGIES``)."""
    min_edges: int = DEFAULT_MIN_EDGES
    """The ruled-table finder (find_table_cells) runs only when the page has at least this many horizontal and this many
    vertical edges together (a page of plain text, or one box, costs nothing)."""
    min_rows: int = 2
    """A ruled grid needs at least this many rows to be a table (a framed line is not)."""
    min_cols: int = 2
    """…and this many columns (a box around a paragraph is a 1-column grid)."""
    min_filled_cells: int = 3
    """…and this many cells with text."""
    boundary_tolerance: float = DEFAULT_BOUNDARY_TOLERANCE
    """Cell edges closer than this are one grid line when cells are mapped to rows and columns."""
    sliver_width: float = DEFAULT_SLIVER_WIDTH
    """A grid row/column narrower than this with no text of its own joins its neighbour."""
    spacing: CharSpacing = field(default_factory=CharSpacing)
    """How characters are read into rows and words (the same rules as paragraph lines)."""
    prose_min_chars: int = 12
    """Cell text shorter than this is never prose."""
    prose_hiragana_share: float = 0.3
    """Longer text with at least this share of hiragana reads as a sentence, not a cell."""
    framed_prose_share: float = 0.5
    """A ruled box where this share of filled cells are prose …"""
    aside_box_max_rows: int = 3
    """A framed grid opening with an aside's title (コラム1-4) and holding prose, in at most this
    many rows, is the aside's box with its text set in columns, not a table."""
    framed_multi_row_share: float = 0.34
    """… and fewer than this share of rows hold several cells is framed prose (a コラム box)."""
    frame_caption_max_chars: int = 80
    """A caption printed inside a table's frame (its first row) is at most this long."""
    ruleless: RulelessConfig = field(default_factory=RulelessConfig)
    """Tables drawn without (full) rules."""

    image_min_area_share: float = 0.04
    """An image covering at least this share of the page may be a table pasted as a picture."""
    image_min_width_share: float = 0.2
    """…and it spans at least this share of the page's width."""
    image_max_chars: int = 3
    """…when at most this many characters are printed over it (no text layer)."""
    image_caption_gap: float = 36.0
    """A table-like caption within this distance above or below the image marks it as a table."""

    caption_max_gap_em: float = DEFAULT_CAPTION_GAP_EM
    """A caption sits at most this many ems (of its own size) above the table."""
    caption_line_em: float = 1.5
    """Each caption line already taken lets the next one sit this many ems further up."""
    caption_max_chars: int = DEFAULT_CAPTION_MAX_CHARS
    """A caption is at most this long."""
    caption_max_lines: int = 2
    """…and printed on at most this many lines."""
    min_stacked_rows: int = 3
    """A ruled cell holding this many lines of figures, beside another holding as many at the
    same heights, stacks printed rows (a statistics body with column rules only)."""
    context_max_chars: int = 12
    """A label above a table and its caption this short names its context (歳入, 歳出, 一般会計)."""
    context_max_gap_em: float = 4.0
    """…when it is at most this many ems above them."""
    caption_title_max_chars: int = 30
    """An unnumbered caption (■企業概要, a bold title) is at most this long."""
    caption_side_gap: float = 60.0
    """A caption next in reading order may stand this far beside the table …"""
    caption_side_share: float = 0.25
    """… or this share of the table's width, whichever is more."""
    neighbours: int = 3
    """Blocks looked at above and below a table for its caption and notes."""
    note_max_gap_em: float = 3.0
    """A source note sits at most this many ems below the table."""
    kv_max_label_chars: int = DEFAULT_KV_MAX_LABEL_CHARS
    """In a key–value table each label is at most this long (企業名, 本社所在地, 資本金)."""
    kv_filled_share: float = 0.8
    """A key–value table has a value in at least this share of its rows …"""
    kv_bare_number_share: float = 0.5
    """… and fewer than this share of its values are bare numbers (a grid of figures is not)."""
    column_tolerance_share: float = 0.05
    """Tables whose outer edges (and first column) agree within this share of the width share columns."""
    continuation_gap: float = 30.0
    """With no placeholders to go by, a table this close below another on its page continues it."""
    header_label_max_chars: int = 15
    """With no numbers in a table, a first row of labels this short at most is its header."""
    max_header_rows: int = 3
    """A header band deeper than this (or than half the table) is a form's rows, not a header."""
    max_label_cols: int = 3
    """Row-label columns at most."""
    numeric_column_share: float = 0.5
    """A column is numeric when at least this share of its body cells are numbers or dashes."""

    def __post_init__(self) -> None:
        if not isinstance(self.lines_settings, dict):
            raise SettingError(f"TableConfig.lines_settings must be a dict of pdfplumber table settings, got {self.lines_settings!r}")
        for key in ("vertical_strategy", "horizontal_strategy"):
            if self.lines_settings.get(key, "lines") not in RULED_STRATEGIES:
                raise SettingError(f"TableConfig.lines_settings[{key!r}] must be one of {', '.join(RULED_STRATEGIES)} "
                                   f"(grids drawn with rules), got {self.lines_settings[key]!r}")
        require_positive(self, "min_rows", "min_cols", "aside_box_max_rows", "caption_max_chars", "caption_max_lines", "neighbours")
        require_non_negative(
            self, "min_edges", "min_filled_cells", "boundary_tolerance", "sliver_width", "prose_min_chars",
            "frame_caption_max_chars", "image_max_chars", "image_caption_gap", "caption_max_gap_em",
            "caption_line_em", "caption_title_max_chars", "context_max_chars", "context_max_gap_em", "min_stacked_rows", "caption_side_gap", "note_max_gap_em", "kv_max_label_chars",
            "continuation_gap", "header_label_max_chars", "max_header_rows", "max_label_cols",
        )
        require_share(
            self, "prose_hiragana_share", "framed_prose_share", "framed_multi_row_share", "image_min_area_share",
            "image_min_width_share", "caption_side_share", "kv_filled_share", "kv_bare_number_share",
            "column_tolerance_share", "numeric_column_share",
        )
