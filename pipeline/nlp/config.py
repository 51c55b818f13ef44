"""Settings of the entity pipeline (the spaCy ``Language`` and linking)."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.settings import SettingError, require_positive

ALL_LABELS = ("ORG", "PROGRAM", "YEAR", "MONEY")
DEFAULT_BATCH_SIZE = 256


@dataclass(frozen=True)
class EntityConfig:
    """Settings of the entities stage (and of the spaCy pipeline it builds)."""

    labels: tuple[str, ...] = ALL_LABELS
    """Labels to keep; the others are dropped before linking."""
    include_tables: bool = True
    """Tag the text of table cells too (mentions get source ``table``)."""
    propagate_names: bool = True
    """Tag every further occurrence of a name the document has already introduced."""
    context_rules: bool = True
    """ORG rules that read context (enumerations, category nouns, descriptions, unidic proper nouns)."""
    org_rules: bool = True
    """The ORG rules (gazetteers, legal forms, suffixes, context); off only to measure the model alone."""
    statistical_orgs: bool = False
    """Add the trained ORG model (``make train``) beside the rules."""
    model_dir: str | None = None
    """Folder of the trained ORG model; None for ``pipeline/data/ner_model``."""
    bare_years: bool = True
    """Read (2019) and Award 2021 as years."""
    data_dir: str | None = None
    """Folder with the gazetteer CSVs; None for ``pipeline/data``."""
    gazetteers: tuple[str, ...] = ()
    """The user's own gazetteer CSVs (label,name,aliases,type), or folders of them; their
    entries win over the rules (``pipeline.nlp.user_gazetteer``)."""
    split_on_newline: bool = True
    """A line end inside a text unit ends a sentence."""
    spans_key: str = "entities"
    """``doc.spans`` key for all mentions of a unit."""
    batch_size: int = DEFAULT_BATCH_SIZE
    """Text units per batch handed to ``nlp.pipe``."""

    def __post_init__(self) -> None:
        unknown = [label for label in self.labels if label not in ALL_LABELS]
        if unknown:
            raise SettingError(f"EntityConfig.labels: unknown label(s) {unknown}; known: {list(ALL_LABELS)}")
        require_positive(self, "batch_size")
