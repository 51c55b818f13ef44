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
    size_tolerance: float = 0.4
    """Points within which a line is set in the body size (smaller is a caption or a note;
    larger is emphasis)."""
    title_size_ratio: float = DEFAULT_TITLE_SIZE_RATIO
    """The document title is at least this many times the body size (first page)."""
    title_max_chars: int = 80
    """…and at most this long."""
    title_max_lines: int = 3
    """…printed on at most this many lines."""
    plain_heading_text_ratio: float = 2.0
    """A numbered line in the body face is a heading when the text after it is this many times longer."""
    plain_marker_heading_max_chars: int = 30
    """In plain text, a marked line (■位置) this long at most is a heading when text follows it."""

    def __post_init__(self) -> None:
        require_positive(
            self, "max_heading_chars", "max_plain_heading_chars", "max_heading_lines", "title_size_ratio",
            "title_max_chars", "title_max_lines", "plain_heading_text_ratio", "plain_marker_heading_max_chars",
        )
        require_non_negative(self, "size_step", "size_tolerance")
