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
from collections.abc import Iterator, Sequence
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
from pipeline.nlp.textview import TextView
from pipeline.nlp.units import TaggedUnit, TextUnit, tagged_unit

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
    """Each unit's tokens, when asked for (``keep_tokens``); empty otherwise."""
    entities: list[LinkedEntity]
    placed: list[PlacedCandidate] = field(default_factory=list)
    n_tokens: int = 0
    """Tokens made, white space included."""


@dataclass
class _Analysis:
    """What is kept of one unit's ``Doc`` once it has been through the pipeline: a 1,000-page
    report makes half a million tokens, and their ``Doc``s would hold about 170 MB until the end."""

    view: TextView
    candidates: list[Candidate]
    sentence_chars: list[int]
    n_tokens: int


def analyze_units(
    units: Sequence[TextUnit], nlp: Language, config: EntityConfig | None = None, keep_tokens: bool = False
) -> EntityResult:
    """Tag units with ``nlp``, propagate names across them, and link the mentions; with
    ``keep_tokens``, each unit's tokens are kept too (``EntityResult.tagged``)."""
    config = config or EntityConfig()
    labels = set(config.labels)
    analyses: list[_Analysis] = []
    tagged: list[TaggedUnit] = []
    strings: dict[str, str] = {}
    for unit, spacy_doc in zip(units, _tag(units, nlp, config)):
        candidates = [c for c in candidates_of(spacy_doc) if c.label in labels]
        info = token_info(spacy_doc)
        view = text_view(spacy_doc)
        view.forget_token_offsets()
        analyses.append(_Analysis(view, candidates, info.sentence_chars or [0], len(spacy_doc)))
        if keep_tokens:
            tagged.append(tagged_unit(unit, spacy_doc, strings))
    rules = name_rules(config.data_dir)
    if config.propagate_names and ({"ORG", "PROGRAM"} & labels):
        spans: EntitySpans = nlp.get_pipe(SPANS_COMPONENT)
        for index in propagate_names([(a.view, a.candidates) for a in analyses], rules):
            analyses[index].candidates = spans.overlap_policy(analyses[index].candidates)
    placed = _place(units, analyses)
    return EntityResult(tagged, link(placed, rules), placed, sum(a.n_tokens for a in analyses))


def _tag(units: Sequence[TextUnit], nlp: Language, config: EntityConfig) -> Iterator[Doc]:
    """One ``Doc`` per unit through ``nlp.pipe``, each told what kind of unit it is, made and
    handed on one batch at a time."""
    def made() -> Iterator[Doc]:
        for unit in units:
            spacy_doc = nlp.make_doc(unit.text)
            spacy_doc._.unit_kind = unit.kind
            yield spacy_doc

    return nlp.pipe(made(), batch_size=config.batch_size)


def _place(units: Sequence[TextUnit], analyses: Sequence[_Analysis]) -> list[PlacedCandidate]:
    """Every kept candidate with its unit, page, section and sentence, in page order."""
    placed: list[PlacedCandidate] = []
    order = sorted(
        range(len(units)), key=lambda k: (units[k].page if units[k].page is not None else _NOT_ON_A_PAGE, k)
    )
    for rank, index in enumerate(order):
        unit, analysis = units[index], analyses[index]
        if not analysis.candidates:
            continue
        sentence_starts = analysis.sentence_chars
        for candidate in analysis.candidates:
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
