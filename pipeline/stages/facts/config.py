"""Settings of the facts stage."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.settings import require_positive, require_share

DEFAULT_MAX_EVIDENCE_CHARS = 300
DEFAULT_DOCUMENT_PROGRAM_SHARE = 0.4


@dataclass(frozen=True)
class FactConfig:
    """Settings of the facts stage."""

    max_evidence_chars: int = DEFAULT_MAX_EVIDENCE_CHARS
    """Evidence longer than this (characters) is cut around the amount."""
    document_program_share: float = DEFAULT_DOCUMENT_PROGRAM_SHARE
    """A program named in the title, or holding at least this share of the program mentions,
    is the document's own program: the fallback for amounts whose context names none (every
    amount of a call for applications belongs to its program)."""
    min_document_program_mentions: int = 3
    """A program needs this many mentions to be the document's own by its share alone."""
    funding_program_types: tuple[str, ...] = ("subsidy", "grant", "loan", "project")
    """Program types an amount can belong to (a law, a plan or a declaration is not paid out)."""
    merge_repeats: bool = True
    """An amount printed again on a later page for the same program, organization and year is
    one fact with ``also_on_pages``, not a new one. Printed twice on one page, it is two facts
    (a page repeats an amount for another purpose: 上限80万円 for two frames side by side),
    unless both stand in one table column (補助上限 120万円 in several rows)."""

    def __post_init__(self) -> None:
        require_positive(self, "max_evidence_chars", "min_document_program_mentions")
        require_share(self, "document_program_share")
