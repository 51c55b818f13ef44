"""Settings of the sections stage (sizes in points)."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.settings import require_non_negative, require_positive

DEFAULT_MAX_HEADING_CHARS = 60
DEFAULT_MAX_PLAIN_HEADING_CHARS = 40
DEFAULT_SIZE_STEP = 0.9
DEFAULT_TITLE_SIZE_RATIO = 1.35


@dataclass(frozen=True)
class SectionConfig:
    """Settings of the sections stage."""

    max_heading_chars: int = DEFAULT_MAX_HEADING_CHARS
    """A heading longer than this (characters) is read as text."""
    max_plain_heading_chars: int = DEFAULT_MAX_PLAIN_HEADING_CHARS
    """A heading set in the body typeface (recognized by its numbering alone) is at most this long."""
    max_heading_lines: int = 2
    """A heading printed over more lines than this is read as text."""
    size_step: float = DEFAULT_SIZE_STEP
    """Points above the body size that make a line typographically a heading; a heading that
    follows another and is this much smaller is its sub-heading."""
    size_tolerance: float = 0.5
    """Points within which a line is set in the body size (smaller is a caption or a note;
    larger is emphasis)."""
    title_size_ratio: float = DEFAULT_TITLE_SIZE_RATIO
    """The document title is at least this many times the body size (first page)."""
    title_max_chars: int = 80
    """…and at most this long."""
    title_max_lines: int = 3
    """…printed on at most this many lines."""
    title_join_ratio: float = 0.4
    """Lines stacked against the title in type at least this share of its size belong to it."""
    title_line_gap_em: float = 1.5
    """…when the gap between them is at most this many of the title's ems."""
    cover_max_body_chars: int = 400
    """A first page holding the title and at most this much text in the body size is a cover:
    its other display lines are not headings."""
    indent_em: float = 0.5
    """A line starting this many ems right of another is indented past it (the text's left
    edge, a list under its heading)."""
    prominence_step: float = 0.5
    """A heading set this much louder than another (in points of prominence: size, plus a
    fraction for weight, a bar, a rule, colour) ranks above it."""
    slide_text_gap: float = 0.5
    """On a slide, a heading stands over text at least this much quieter (prominence points)."""
    wrap_lookahead: int = 2
    """Blocks after a heading searched for the second line of a heading wrapped over two."""
    max_label_heading_chars: int = 20
    """A numbered line in the body face this short is a heading over indented text （ア） 対象経費."""
    plain_heading_text_ratio: float = 2.0
    """A numbered line in the body face is a heading when the text after it is this many times longer."""
    plain_marker_heading_max_chars: int = 30
    """In plain text, a marked line (■位置) this long at most is a heading when text follows it."""
    max_toc_entry_chars: int = 60
    """A 目次 line without leader dots or a page number is at most this long."""
    toc_page_share: float = 0.7
    """A page after the 目次 page continues it when this share of its lines look like entries."""
    toc_indent_em: float = 0.5
    """A 目次 entry indented this much (in ems) past the one above is nested under it."""
    toc_sibling_indent_em: float = 1.5
    """…unless it only continues that entry's numbering (第1条 → 第2条) and is indented less than this."""
    full_line_em: float = 2.0
    """A line ending within this many ems of its column's right edge is full (it may wrap)."""
    max_decorated_heading_lines: int = 3
    """A numbered line underlined, on a bar or in colour is a heading over at most this many lines."""
    max_figure_text_chars: int = 30
    """Type set smaller than the body and at most this long is chart text (axis labels, legends)."""
    figure_label_gap_em: float = 3.0
    """Small labels closer than this (in body ems) belong to one figure…"""
    min_figure_labels: int = 3
    """…and this many together are chart text; fewer are captions."""
    max_caption_chars: int = 80
    """A 図1 / 表2 caption line is at most this long."""
    page_title_band: float = 0.2
    """A page title starts in this top share of the page."""
    page_title_min_pages: int = 3
    """A display style opens at least this many pages to be the page-title style…"""
    page_title_share: float = 0.3
    """…and at least this share of the pages with text (in a slide deck)."""
    min_slide_text_chars: int = 10
    """On a titled page, an unnumbered heading stands over text at least this long."""
    page_title_fallback_ratio: float = 0.8
    """On a page without the page-title style, its largest top line at least this share of that
    size is its title."""

    def __post_init__(self) -> None:
        require_positive(
            self, "max_heading_chars", "max_plain_heading_chars", "max_heading_lines", "title_size_ratio",
            "title_max_chars", "title_max_lines", "cover_max_body_chars", "title_join_ratio", "title_line_gap_em", "plain_heading_text_ratio", "plain_marker_heading_max_chars",
            "max_toc_entry_chars", "toc_page_share", "max_decorated_heading_lines", "max_figure_text_chars",
            "max_caption_chars", "figure_label_gap_em", "min_figure_labels", "page_title_band", "page_title_min_pages", "page_title_share",
            "page_title_fallback_ratio", "min_slide_text_chars", "max_label_heading_chars",
        )
        require_non_negative(
            self, "size_step", "size_tolerance", "toc_indent_em", "toc_sibling_indent_em", "full_line_em", "indent_em",
            "prominence_step", "slide_text_gap",
        )
        require_positive(self, "wrap_lookahead")
