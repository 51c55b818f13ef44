"""Everything the stages can be told, in one tree of dataclasses passed down explicitly."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.nlp.config import EntityConfig
from pipeline.settings import SettingError, require_positive
from pipeline.stages.facts.config import FactConfig
from pipeline.stages.layout.config import LayoutConfig
from pipeline.stages.sections.config import SectionConfig
from pipeline.stages.tables.config import TableConfig

DEFAULT_MAX_PAGES = 2000
READERS = ("pdfplumber", "pdfium", "auto")


@dataclass(frozen=True)
class PipelineConfig:
    """Settings of every stage, plus what a run writes; passed down explicitly."""

    layout: LayoutConfig = field(default_factory=LayoutConfig)
    sections: SectionConfig = field(default_factory=SectionConfig)
    tables: TableConfig = field(default_factory=TableConfig)
    entities: EntityConfig = field(default_factory=EntityConfig)
    facts: FactConfig = field(default_factory=FactConfig)
    write_tokens: bool = False
    """Also write tokens.csv (large: one row per token)."""
    write_review: bool = False
    """Also write review.html: the pages drawn with the extraction over them (``pipeline.review``)."""
    max_pages: int = DEFAULT_MAX_PAGES
    """Files with more pages than this fail with a clear reason instead of running for hours."""
    reader: str = "pdfplumber"
    """How PDF pages are read: ``pdfplumber`` (pdfminer, the reference), ``pdfium`` (PDFium,
    several times faster) or ``auto`` (PDFium, and pdfplumber for a page PDFium cannot read or
    draws without its text)."""

    def __post_init__(self) -> None:
        require_positive(self, "max_pages")
        if self.reader not in READERS:
            raise SettingError(f"PipelineConfig.reader must be one of {', '.join(READERS)}, got {self.reader!r}")
