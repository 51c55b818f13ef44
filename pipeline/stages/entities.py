"""Entities stage: ORG, PROGRAM, YEAR and MONEY with normalized values, linked per document.

``build_nlp(config)`` makes the spaCy pipeline (fugashi tokenizer + the registered
components of ``pipeline.entities.components``); ``run(doc, config, nlp)`` tags every text
unit of a ``Document`` (headings, paragraphs, list items, captions, notes, title, table
cells), links the mentions into entities and fills ``doc.entities`` and ``doc.mentions``.
It returns the tagged units so that the caller can also write ``tokens.csv``
(``pipeline.stages.tokens.write_tokens``) without tokenizing twice.

``tag_text(text, nlp)`` does the same for a plain string (one unit per paragraph separated
by a blank line) and returns one dict per mention, for ``python -m pipeline tag``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import pipeline.entities.components  # noqa: F401  (registers the spaCy factories)
from pipeline.entities.components import CANDIDATES_KEY, KIND_KEY, candidates_of, resolve, text_view, write_spans
from pipeline.entities.linking import Candidate, LinkedEntity, PlacedCandidate, link, propagate_names
from pipeline.model import Document, Entity, Mention
from pipeline.stages.tokens import TaggedUnit, TextUnit, text_units, token_info

ALL_LABELS = ("ORG", "PROGRAM", "YEAR", "MONEY")


@dataclass
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
    bare_years: bool = True
    """Read (2019) and Award 2021 as years."""
    data_dir: str | None = None
    """Folder with the gazetteer CSVs; None for ``pipeline/data``."""
    split_on_newline: bool = True
    """A line end inside a text unit ends a sentence."""
    spans_key: str = "entities"
    """``doc.spans`` key for all mentions of a unit."""


def build_nlp(config: EntityConfig | None = None) -> Language:
    """A spaCy ``Language``: fugashi tokenizer + YEAR/MONEY, ORG, PROGRAM recognizers + span writer."""
    config = config or EntityConfig()
    nlp = spacy.blank(
        "xx",
        config={"nlp": {"tokenizer": {"@tokenizers": "pipeline.FugashiTokenizer.v1",
                                      "split_on_newline": config.split_on_newline}}},
    )
    if "YEAR" in config.labels or "MONEY" in config.labels:
        nlp.add_pipe("pipeline_years_money", config={"bare_years": config.bare_years})
    if "ORG" in config.labels:
        nlp.add_pipe("pipeline_orgs", config={"data_dir": config.data_dir, "context_rules": config.context_rules})
    if "PROGRAM" in config.labels:
        nlp.add_pipe("pipeline_programs", config={"data_dir": config.data_dir})
    nlp.add_pipe("pipeline_entity_spans", config={"spans_key": config.spans_key})
    return nlp


@dataclass
class EntityResult:
    """What tagging a list of units produced."""

    tagged: list[TaggedUnit]
    entities: list[LinkedEntity]
    placed: list[PlacedCandidate] = field(default_factory=list)


def analyze_units(units: Sequence[TextUnit], nlp: Language, config: EntityConfig | None = None) -> EntityResult:
    """Tag units with ``nlp``, propagate names across them, and link the mentions."""
    config = config or EntityConfig()
    docs: list[Doc] = [_process(nlp, unit) for unit in units]
    labels = set(config.labels)
    for spacy_doc in docs:
        kept = [c for c in candidates_of(spacy_doc) if c.label in labels]
        spacy_doc.user_data[CANDIDATES_KEY] = kept
    if config.propagate_names and ({"ORG", "PROGRAM"} & labels):
        pairs = [(text_view(d), candidates_of(d)) for d in docs]
        for index in propagate_names(pairs):
            spacy_doc = docs[index]
            resolved = resolve(candidates_of(spacy_doc))
            spacy_doc.user_data[CANDIDATES_KEY] = resolved
            write_spans(spacy_doc, resolved, config.spans_key)
    placed: list[PlacedCandidate] = []
    order = sorted(range(len(units)), key=lambda k: (units[k].page if units[k].page is not None else 10**9, k))
    for rank, index in enumerate(order):
        unit, spacy_doc = units[index], docs[index]
        candidates: list[Candidate] = candidates_of(spacy_doc)
        if not candidates:
            continue
        sentence_starts = token_info(spacy_doc).sentence_chars or [0]
        for candidate in candidates:
            sentence = max(bisect.bisect_right(sentence_starts, candidate.start) - 1, 0)
            placed.append(PlacedCandidate(candidate, rank, unit.para_id, unit.page, unit.section_id, unit.source,
                                          sentence))
    entities = link(placed)
    tagged = [TaggedUnit(u, d) for u, d in zip(units, docs)]
    return EntityResult(tagged, entities, placed)


def _process(nlp: Language, unit: TextUnit) -> Doc:
    """Run the pipeline on one unit, telling the components what kind of unit it is."""
    spacy_doc = nlp.make_doc(unit.text)
    spacy_doc.user_data[KIND_KEY] = unit.kind
    for _name, component in nlp.pipeline:
        spacy_doc = component(spacy_doc)
    return spacy_doc


def to_model(linked: list[LinkedEntity]) -> tuple[list[Entity], list[Mention]]:
    """``Entity`` and ``Mention`` rows; entity_id E0001… in order of first mention."""
    entities: list[Entity] = []
    mentions: list[Mention] = []
    for number, item in enumerate(linked, start=1):
        entity_id = f"E{number:04d}"
        entities.append(Entity(
            entity_id=entity_id, label=item.label, type=item.type, name=item.name, aliases=list(item.aliases),
            value=item.value, value_min=item.value_min, value_max=item.value_max, approx=item.approx,
            bound=item.bound, per=item.per, negative=item.negative, fiscal=item.fiscal, month=item.month,
            mentions=len(item.mentions), first_page=item.first_page,
        ))
        for placed, value in zip(item.mentions, item.mention_values):
            candidate = placed.candidate
            mentions.append(Mention(
                entity_id=entity_id, label=item.label, text=candidate.text, page=placed.page,
                section_id=placed.section_id, para_id=placed.para_id, sentence=placed.sentence,
                char_start=candidate.start, char_end=candidate.end, source=placed.source,  # type: ignore[arg-type]
                value=value,
            ))
    mentions.sort(key=lambda m: (m.page if m.page is not None else 10**9, m.entity_id, m.char_start))
    return entities, mentions


def run(doc: Document, config: EntityConfig | None = None, nlp: Language | None = None) -> list[TaggedUnit]:
    """Fill ``doc.entities`` and ``doc.mentions``; returns the tagged units (for ``write_tokens``)."""
    config = config or EntityConfig()
    nlp = nlp or build_nlp(config)
    units = text_units(doc, include_tables=config.include_tables)
    result = analyze_units(units, nlp, config)
    doc.entities, doc.mentions = to_model(result.entities)
    _sort_mentions_in_reading_order(doc, units)
    return result.tagged


def _sort_mentions_in_reading_order(doc: Document, units: Sequence[TextUnit]) -> None:
    position = {u.para_id: k for k, u in enumerate(units)}
    doc.mentions.sort(key=lambda m: (m.page if m.page is not None else 10**9, position.get(m.para_id or "", 0),
                                     m.char_start, m.entity_id))


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def tag_text(text: str, nlp: Language | None = None, config: EntityConfig | None = None) -> list[dict[str, Any]]:
    """Tag a plain text; one dict per mention, in text order.

    Keys: entity_id, label, type, text, name (the entity's name), value, fields (normalized
    details: fiscal/month/era for YEAR; value_min/value_max/approx/bound/per/negative for MONEY),
    start, end (character offsets in ``text``), sentence, rule.
    """
    config = config or EntityConfig()
    nlp = nlp or build_nlp(config)
    units: list[TextUnit] = []
    offsets: list[int] = []
    position = 0
    for match in list(_PARAGRAPH_BREAK.finditer(text)) + [None]:
        end = match.start() if match else len(text)
        piece = text[position:end]
        if piece.strip():
            units.append(TextUnit(f"p{len(units) + 1}", piece, "paragraph", None, None, "paragraph"))
            offsets.append(position)
        position = match.end() if match else len(text)
    result = analyze_units(units, nlp, config)
    rows: list[dict[str, Any]] = []
    for number, entity in enumerate(result.entities, start=1):
        for placed, value in zip(entity.mentions, entity.mention_values):
            candidate = placed.candidate
            unit_index = next(k for k, u in enumerate(units) if u.para_id == placed.para_id)
            base = offsets[unit_index]
            fields = {k: v for k, v in candidate.fields.items() if k not in ("alias_of", "values", "fiscal_values")}
            if entity.label == "YEAR":
                fields["fiscal"] = entity.fiscal
            rows.append({
                "entity_id": f"E{number:04d}", "label": entity.label, "type": entity.type, "text": candidate.text,
                "name": entity.name, "value": value, "fields": fields, "start": base + candidate.start,
                "end": base + candidate.end, "sentence": placed.sentence, "rule": candidate.rule,
            })
    rows.sort(key=lambda r: (r["start"], r["end"], r["entity_id"]))
    return rows
