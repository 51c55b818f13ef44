"""The entity pipeline: build the spaCy ``Language``, run it over text units, link mentions.

``build_nlp(config)`` makes the pipeline (fugashi tokenizer + the registered components of
``pipeline.nlp.components``, initialized). ``analyze_units(units, nlp, config)`` runs
``nlp.pipe`` over ready-made ``Doc``s that carry their unit kind, then, across the whole
document, tags further occurrences of the names it introduced (propagation) and links
every mention into entities. ``tag_text`` does the same for a plain string.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import pipeline.nlp.components  # noqa: F401  (registers the spaCy factories)
from pipeline.model.ids import entity_id
from pipeline.nlp.candidate import Candidate, PlacedCandidate
from pipeline.nlp.components import EntitySpans, candidates_of, text_view
from pipeline.nlp.config import EntityConfig
from pipeline.nlp.linking import LinkedEntity, link, propagate_names
from pipeline.nlp.model_orgs import MODEL_DIR, add_model_orgs
from pipeline.nlp.names import name_rules
from pipeline.nlp.tokenizer import token_info, tokenizer_config
from pipeline.nlp.units import TaggedUnit, TextUnit

SPANS_COMPONENT = "pipeline_entity_spans"
_NOT_ON_A_PAGE = 10**9
"""Units without a page (plain-text input) sort after every page."""
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def build_nlp(config: EntityConfig | None = None) -> Language:
    """A spaCy ``Language``: fugashi tokenizer + YEAR/MONEY, ORG, PROGRAM recognizers + span writer,
    initialized (gazetteers loaded)."""
    config = config or EntityConfig()
    nlp = spacy.blank("xx", config={"nlp": {"tokenizer": tokenizer_config(config.split_on_newline)}})
    if "YEAR" in config.labels or "MONEY" in config.labels:
        nlp.add_pipe("pipeline_years_money", config={"bare_years": config.bare_years})
    if "ORG" in config.labels and config.org_rules:
        nlp.add_pipe("pipeline_orgs", config={"data_dir": config.data_dir, "context_rules": config.context_rules})
    if "PROGRAM" in config.labels:
        nlp.add_pipe("pipeline_programs", config={"data_dir": config.data_dir})
    if config.gazetteers:
        nlp.add_pipe("pipeline_user_entries", config={"paths": list(config.gazetteers)})
    nlp.add_pipe(SPANS_COMPONENT, config={"spans_key": config.spans_key})
    nlp.initialize()
    if "ORG" in config.labels and config.statistical_orgs:
        add_model_orgs(nlp, Path(config.model_dir) if config.model_dir else MODEL_DIR)  # (after initialize)
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
    docs = _tag(units, nlp, config)
    labels = set(config.labels)
    for spacy_doc in docs:
        spacy_doc._.candidates = [c for c in candidates_of(spacy_doc) if c.label in labels]
    rules = name_rules(config.data_dir)
    if config.propagate_names and ({"ORG", "PROGRAM"} & labels):
        spans: EntitySpans = nlp.get_pipe(SPANS_COMPONENT)
        pairs = [(text_view(d), candidates_of(d)) for d in docs]
        for index in propagate_names(pairs, rules):
            spacy_doc = docs[index]
            spans.set_annotations(spacy_doc, spans.overlap_policy(candidates_of(spacy_doc)))
    placed = _place(units, docs)
    tagged = [TaggedUnit(u, d) for u, d in zip(units, docs)]
    return EntityResult(tagged, link(placed, rules), placed)


def _tag(units: Sequence[TextUnit], nlp: Language, config: EntityConfig) -> list[Doc]:
    """One ``Doc`` per unit through ``nlp.pipe``, each told what kind of unit it is."""
    docs: list[Doc] = []
    for unit in units:
        spacy_doc = nlp.make_doc(unit.text)
        spacy_doc._.unit_kind = unit.kind
        docs.append(spacy_doc)
    return list(nlp.pipe(docs, batch_size=config.batch_size))


def _place(units: Sequence[TextUnit], docs: list[Doc]) -> list[PlacedCandidate]:
    """Every kept candidate with its unit, page, section and sentence, in page order."""
    placed: list[PlacedCandidate] = []
    order = sorted(
        range(len(units)), key=lambda k: (units[k].page if units[k].page is not None else _NOT_ON_A_PAGE, k)
    )
    for rank, index in enumerate(order):
        unit, spacy_doc = units[index], docs[index]
        candidates: list[Candidate] = candidates_of(spacy_doc)
        if not candidates:
            continue
        sentence_starts = token_info(spacy_doc).sentence_chars or [0]
        for candidate in candidates:
            sentence = max(bisect.bisect_right(sentence_starts, candidate.start) - 1, 0)
            placed.append(
                PlacedCandidate(candidate, rank, unit.para_id, unit.page, unit.section_id, unit.source, sentence)
            )
    return placed


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
    base_of = {unit.para_id: offset for unit, offset in zip(units, offsets)}
    rows: list[dict[str, Any]] = []
    for number, entity in enumerate(result.entities, start=1):
        for placed, value in zip(entity.mentions, entity.mention_values):
            rows.append(_mention_row(entity_id(number), entity, placed, value, base_of[placed.para_id or ""]))
    rows.sort(key=lambda r: (r["start"], r["end"], r["entity_id"]))
    return rows


def _mention_row(
    number: str, entity: LinkedEntity, placed: PlacedCandidate, value: int | None, base: int
) -> dict[str, Any]:
    candidate = placed.candidate
    fields = {k: v for k, v in candidate.fields.items() if k not in ("alias_of", "values", "fiscal_values")}
    if entity.label == "YEAR":
        fields["fiscal"] = entity.fiscal
    return {
        "entity_id": number, "label": entity.label, "type": entity.type, "text": candidate.text,
        "name": entity.name, "value": value, "fields": fields, "start": base + candidate.start,
        "end": base + candidate.end, "sentence": placed.sentence, "rule": candidate.rule,
    }
