"""Entities stage: ORG, PROGRAM, YEAR and MONEY with normalized values, linked per document.

Every text unit of the Document (headings, paragraphs, list items, captions, notes, title,
table cells) goes through the entity pipeline of ``pipeline.nlp``; the linked entities and
their mentions become ``doc.entities`` and ``doc.mentions``. When asked, the units' tokens are
returned so that the caller can also write ``tokens.csv`` without tokenizing twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language

from pipeline.model import Document, Entity, Mention
from pipeline.model.ids import entity_id, mention_id
from pipeline.nlp.config import EntityConfig
from pipeline.nlp.linking import LinkedEntity
from pipeline.nlp.pipeline import analyze_units, build_nlp
from pipeline.nlp.units import TaggedUnit, TextUnit, text_units

_NOT_ON_A_PAGE = 10**9
"""Mentions without a page (plain-text input) sort last."""


def run(
    doc: Document, config: EntityConfig | None = None, nlp: Language | None = None, keep_tokens: bool = False
) -> list[TaggedUnit]:
    """Fill ``doc.entities`` and ``doc.mentions``; with ``keep_tokens``, returns each unit's
    tokens (for tokens.csv), otherwise an empty list.

    ``nlp`` is the pipeline ``build_nlp(config)`` makes (built here when not given)."""
    config = config or EntityConfig()
    nlp = nlp or build_nlp(config)
    units = text_units(doc, include_tables=config.include_tables)
    result = analyze_units(units, nlp, config, keep_tokens)
    doc.entities, doc.mentions = to_model(result.entities)
    _sort_mentions_in_reading_order(doc, units)
    return result.tagged


def to_model(linked: list[LinkedEntity]) -> tuple[list[Entity], list[Mention]]:
    """``Entity`` and ``Mention`` rows; entity_id E0001… in order of first mention."""
    entities: list[Entity] = []
    mentions: list[Mention] = []
    for number, item in enumerate(linked, start=1):
        identifier = entity_id(number)
        entities.append(Entity(
            entity_id=identifier, label=item.label, type=item.type, name=item.name,  # type: ignore[arg-type]
            aliases=list(item.aliases), value=item.value, value_min=item.value_min, value_max=item.value_max,
            approx=item.approx, bound=item.bound, per=item.per, negative=item.negative, fiscal=item.fiscal,
            month=item.month, mentions=len(item.mentions), first_page=item.first_page,
        ))
        for placed, value in zip(item.mentions, item.mention_values):
            candidate = placed.candidate
            mentions.append(Mention(
                entity_id=identifier, label=item.label, text=candidate.text, page=placed.page,
                section_id=placed.section_id, para_id=placed.para_id, sentence=placed.sentence,
                char_start=candidate.start, char_end=candidate.end, source=placed.source,  # type: ignore[arg-type]
                value=value, date=candidate.fields.get("date"),
            ))
    return entities, mentions


def _sort_mentions_in_reading_order(doc: Document, units: Sequence[TextUnit]) -> None:
    position = {u.para_id: k for k, u in enumerate(units)}
    doc.mentions.sort(key=lambda m: (m.page if m.page is not None else _NOT_ON_A_PAGE, position.get(m.para_id or "", 0),
                                     m.char_start, m.entity_id))
    for number, mention in enumerate(doc.mentions, start=1):
        mention.mention_id = mention_id(number)
