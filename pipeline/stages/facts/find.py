"""One fact per yen amount: the program, organization and year it belongs to, and how.

The nearest evidence wins, in this order: the amount's clause, its sentence, its table row and
column, its paragraph before it, the paragraph just before in the same section, the headings of
its section, and (programs only) the document's own program. Each step down lowers the
confidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType

from pipeline.japanese.normalize import match_key
from pipeline.model import Document, Entity, Fact, Mention
from pipeline.model.ids import fact_id
from pipeline.stages.facts.config import FactConfig
from pipeline.stages.facts.context import (
    DocumentContext,
    Place,
    cell_path,
    chart_years,
    count_labels,
    document_context,
    heading_places,
    row_places,
    table_places,
)
from pipeline.stages.facts.relations import relation_of

CONFIDENCE = MappingProxyType({
    "clause": 0.9, "row": 0.85, "sentence": 0.8, "table": 0.7, "paragraph": 0.7, "previous": 0.6, "heading": 0.6,
    "chart": 0.6, "document": 0.5, "none": 0.3,
})
"""How sure an attribution is, by where its evidence was found."""

RELATION_WINDOW_AFTER = 8
"""Characters after an amount read for its relation: 100万円以内を補助 → a cap."""


@dataclass(frozen=True)
class Evidence:
    """What the whole document says: its own program, and which programs pay out money."""

    own_program: str | None
    funding_programs: set[str]
    chart_years: dict[str, str]
    """Amount mention id → the year under its bar (``chart_years``)."""


@dataclass
class Attribution:
    entity_id: str | None
    found_in: str


def find_facts(doc: Document, config: FactConfig) -> list[Fact]:
    """The funding facts of a document, in reading order of their first printing."""
    context = document_context(doc)
    entities = {e.entity_id: e for e in doc.entities}
    funding = {e.entity_id for e in doc.entities
               if e.label == "PROGRAM" and (e.type is None or e.type in config.funding_program_types)}
    document = Evidence(document_program(doc, funding, config), funding, chart_years(doc))
    facts: list[Fact] = []
    seen: dict[tuple, Fact] = {}
    for mention in doc.mentions:
        entity = entities.get(mention.entity_id)
        place = context.places.get(mention.para_id or "")
        if mention.label != "MONEY" or entity is None or place is None:
            continue
        for value, bound in _amounts(mention, entity):
            fact = _fact(context, place, mention, entity, (value, bound), document, config)
            if config.merge_repeats and _merged(fact, place, seen):
                continue
            fact.fact_id = fact_id(len(facts) + 1)
            seen.setdefault(_meaning(fact), fact)
            seen.setdefault(_meaning(fact, _column_key(place)), fact)
            facts.append(fact)
    return facts


def _merged(fact: Fact, place: Place, seen: dict[tuple, Fact]) -> bool:
    """Whether ``fact`` repeats one already found: printed on a later page with the same
    meaning (its page goes to ``also_on_pages``), or further down the same table column on the
    same page (補助上限 120万円 in each row: one cap; when the rows give different years, the
    fact keeps none)."""
    first = seen.get(_meaning(fact))
    if first is not None and fact.page != first.page:
        if fact.page is not None and fact.page not in first.also_on_pages:
            first.also_on_pages.append(fact.page)
        return True
    column = _column_key(place)
    if column is None:
        return False
    same_column = seen.get(_meaning(fact, column, with_year=False))
    if same_column is None or same_column.page != fact.page:
        return False
    if same_column.year_id != fact.year_id:
        same_column.year_id = None
    return True


def _meaning(fact: Fact, column: str | None = None, with_year: bool = True) -> tuple:
    """What makes printings of an amount one fact: its value, program, organization and year
    (and, for the rows of one column, the column). The words around it are not compared: a
    summary page's 上限80万円 and a later page's 80万円以内 are one cap, 3万円以上 and 3万円未満
    one floor."""
    return (fact.value_yen, fact.program_id, fact.org_id, fact.year_id if with_year else None, column)


def _amounts(mention: Mention, entity: Entity) -> list[tuple[int, str | None]]:
    """The yen values a mention prints, with their bounds: one, or both ends of a range
    (10万円～80万円: 10万円 the least, 80万円 the most); none for a vague amount (数百万円)."""
    if mention.value is not None:
        return [(mention.value, entity.bound)]
    if entity.value is not None:
        return [(entity.value, entity.bound)]
    if entity.value_min is not None and entity.value_max is not None and _RANGE.search(mention.text):
        if entity.value_min == entity.value_max:
            return [(entity.value_min, entity.bound)]
        return [(entity.value_min, "min"), (entity.value_max, "max")]
    return []


_RANGE = re.compile(r"[～~〜‐－-]|から")
"""A range prints both its ends (10万円～80万円); a vague amount (数百万円) prints none."""


def _column_key(place: Place) -> str | None:
    return f"{place.table.table_id}:{place.col}" if place.table is not None else None


def _fact(
    context: DocumentContext, place: Place, mention: Mention, entity: Entity, amount: tuple[int, str | None],
    document: Evidence, config: FactConfig,
) -> Fact:
    value, bound = amount
    scopes = _scopes(context, place, mention)
    funding = [(name, [m for m in found if m.label != "PROGRAM" or m.entity_id in document.funding_programs], at)
               for name, found, at in scopes]
    program = _attribute(funding, "PROGRAM", mention, Attribution(document.own_program, "document"))
    owners = [(name, _without_grantors(found, context.places), at) for name, found, at in scopes]
    org = _attribute(owners, "ORG", mention)
    year = _attribute([s for s in scopes if s[0] in ("clause", "row") or _single_amount(s)], "YEAR", mention,
                      Attribution(document.chart_years.get(mention.mention_id), "chart"))
    evidence, relation_text = _evidence(context, place, mention, config)
    return Fact(
        fact_id="", money_id=entity.entity_id, mention_id=mention.mention_id, value_yen=value, bound=bound,
        approx=entity.approx, program_id=program.entity_id, org_id=org.entity_id, year_id=year.entity_id,
        relation=relation_of(relation_text, bound, mention.text), evidence=evidence, page=mention.page,
        confidence=_confidence(program, org), source=mention.source,
    )


def _confidence(program: Attribution, org: Attribution) -> float:
    """As sure as the nearer of the program's and the organization's evidence."""
    return max(CONFIDENCE[program.found_in], CONFIDENCE[org.found_in])


Scope = tuple[str, list[Mention], int | None]
"""Where evidence is looked for: its name, the mentions there, and the amount's offset in it
(None when the amount is not printed there)."""


def _scopes(context: DocumentContext, place: Place, mention: Mention) -> list[Scope]:
    """The places to look in, nearest first: the amount's clause and sentence (in a paragraph
    or in a cell that holds sentences, as an FAQ grid's answers do), then its table row and
    column, or the text before it; then the headings above."""
    c_left, c_right = place.clause_span(mention.char_start, mention.char_end)
    s_left, s_right = place.sentence_span(mention.char_start, mention.char_end)
    clause = [m for m in place.mentions if c_left <= m.char_start and m.char_end <= c_right]
    sentence = [m for m in place.mentions if s_left <= m.char_start and m.char_end <= s_right]
    scopes: list[Scope] = [("clause", clause, mention.char_start), ("sentence", sentence, mention.char_start)]
    if place.table is not None:
        scopes.append(("row", [m for p in row_places(context, place) for m in p.mentions], None))
        if place.table.kind == "key_value":  # a profile (社名 | …, 資本金 | …): every row is about one body
            scopes.append(("table", [m for p in table_places(context, place.table) for m in p.mentions], None))
    else:
        scopes.append(("paragraph", [m for m in place.mentions if m.char_end <= s_left], s_left))
        previous = _previous_place(context, place)
        if previous is not None:
            scopes.append(("previous", previous.mentions, len(previous.text)))
    scopes.append(("heading", [m for p in heading_places(context, place.section_id) for m in p.mentions], None))
    return scopes


def _previous_place(context: DocumentContext, place: Place) -> Place | None:
    """The block just before in reading order, when it is in the same section."""
    index = context.position.get(place.para_id)
    if not index:
        return None
    previous = context.places[context.order[index - 1]]
    return previous if previous.section_id == place.section_id else None


GRANTOR_GAP = 2
"""At most this many characters between a body and the program it runs: 経済産業省の…補助金."""

_GRANTING = re.compile(r"^\s*の?\s*(?:補助|助成|支援|交付|融資|委託|出資)")
"""A body followed by what it gives is the giver: 見本市の補助による → not the amount's owner."""


def _without_grantors(mentions: list[Mention], places: dict[str, Place]) -> list[Mention]:
    """Organizations named as the giver of a program are not who the amount belongs to:
    経済産業省の地域工場補助金を活用し… — the amount is the company's, not the ministry's."""
    programs = [m for m in mentions if m.label == "PROGRAM"]

    def gives(org: Mention) -> bool:
        place = places.get(org.para_id or "")
        after = place.text[org.char_end:org.char_end + 8] if place else ""
        return bool(_GRANTING.search(after)) or any(
            org.para_id == p.para_id and 0 <= p.char_start - org.char_end <= GRANTOR_GAP for p in programs)

    return [m for m in mentions if m.label != "ORG" or not gives(m)]


def _single_amount(scope: Scope) -> bool:
    """A sentence with one amount: its year is that amount's (令和5年度の売上高は3億円)."""
    return scope[0] == "sentence" and sum(m.label == "MONEY" for m in scope[1]) == 1


def _attribute(scopes: list[Scope], label: str, amount: Mention, fallback: Attribution | None = None) -> Attribution:
    """The nearest mention of ``label``, before the amount rather than after it at the same
    distance; else the fallback (the document's own program, the year under a chart bar)."""
    for name, mentions, offset in scopes:
        found = [m for m in mentions if m.label == label and m is not amount]
        if not found:
            continue
        if offset is None:
            return Attribution(found[0].entity_id, name)
        best = min(found, key=lambda m: (abs((m.char_end if m.char_end <= offset else m.char_start) - offset),
                                         m.char_start > offset))
        return Attribution(best.entity_id, name)
    if fallback is not None and fallback.entity_id is not None:
        return fallback
    return Attribution(None, "none")


def _evidence(context: DocumentContext, place: Place, mention: Mention, config: FactConfig) -> tuple[str, str]:
    """The evidence printed in facts.csv (the sentence; for a table cell, its row label and
    column header before it), and the text the relation is read from."""
    s_left, s_right = place.sentence_span(mention.char_start, mention.char_end)
    c_left, c_right = place.clause_span(mention.char_start, mention.char_end)
    sentence = place.text[s_left:s_right].strip()
    if len(sentence) > config.max_evidence_chars:
        half = config.max_evidence_chars // 2
        start = max(s_left, mention.char_start - half)
        sentence = place.text[start:start + config.max_evidence_chars].strip()
    relation_text = place.text[c_left:min(c_right, mention.char_end + RELATION_WINDOW_AFTER)]
    if place.table is not None:
        path = cell_path(context, place)
        return (f"{path}: {sentence}" if path else sentence)[: config.max_evidence_chars], f"{path} {relation_text}"
    return sentence, relation_text


def document_program(doc: Document, funding: set[str], config: FactConfig) -> str | None:
    """The program the whole document is about: named in its title (○○補助金 公募要領), or
    holding most mentions of the programs that pay out money."""
    title = match_key(doc.title or "")
    for entity in doc.entities:
        if entity.entity_id in funding and any(match_key(n) in title for n in (entity.name, *entity.aliases) if n):
            return entity.entity_id
    counts = {k: v for k, v in count_labels(doc, "PROGRAM").items() if k in funding}
    total = sum(counts.values())
    if not total:
        return None
    best = max(sorted(counts), key=lambda e: counts[e])
    if counts[best] >= config.min_document_program_mentions and counts[best] / total >= config.document_program_share:
        return best
    return None
