"""spaCy pipeline components that tag YEAR, MONEY, ORG and PROGRAM.

Registered factories (add them after the fugashi tokenizer, in this order)::

    [components.pipeline_years_money]
    factory = "pipeline_years_money"
    bare_years = true         # (2019) and Award 2021 read as years

    [components.pipeline_orgs]
    factory = "pipeline_orgs"
    data_dir = null           # folder with prefectures.csv, municipalities.csv, public_bodies.csv, org_suffixes.csv
    context_rules = true      # enumerations, category nouns, descriptions, unidic proper nouns

    [components.pipeline_programs]
    factory = "pipeline_programs"
    data_dir = null           # folder with program_suffixes.csv and programs.csv

    [components.pipeline_entity_spans]
    factory = "pipeline_entity_spans"
    spans_key = "entities"    # doc.spans[spans_key] gets every mention (nested ones too)

The recognizers add ``Candidate`` objects to ``doc.user_data["pipeline_candidates"]``;
``pipeline_entity_spans`` resolves overlaps and writes ``doc.spans["entities"]`` and
``doc.ents`` (outermost mentions only). Each span carries ``span._.type``,
``span._.value``, ``span._.fields``, ``span._.rule`` and ``span._.canonical``.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.entities.linking import Candidate
from pipeline.entities.money import find_money
from pipeline.entities.numerals import fold_width
from pipeline.entities.orgs import TextView, find_orgs, load_org_data
from pipeline.entities.programs import find_programs, load_program_data
from pipeline.entities.years import find_years
from pipeline.stages.tokens import token_info

CANDIDATES_KEY = "pipeline_candidates"
VIEW_KEY = "pipeline_view"
KIND_KEY = "pipeline_unit_kind"

SPAN_INFO_KEY = "pipeline_span_info"


def _span_info(span: Span) -> dict[str, Any]:
    info = span.doc.user_data.get(SPAN_INFO_KEY)
    if not info:
        return {}
    return info.get((span.start_char, span.end_char, span.label_)) or {}


def _span_getter(name: str) -> Any:
    def getter(span: Span) -> Any:
        return _span_info(span).get(name)

    return getter


# Span._.type, ._.value, ._.fields, ._.rule, ._.canonical, ._.start/._.end (exact characters)
for _name in ("type", "value", "fields", "rule", "canonical"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, getter=_span_getter(_name))


def _candidates_getter(doc: Doc) -> list[Candidate]:
    return doc.user_data.setdefault(CANDIDATES_KEY, [])


if not Doc.has_extension("candidates"):
    Doc.set_extension("candidates", getter=_candidates_getter)


def text_view(doc: Doc) -> TextView:
    """The matching view of a ``Doc`` (made once, kept in ``doc.user_data``)."""
    view = doc.user_data.get(VIEW_KEY)
    if not isinstance(view, TextView):
        info = token_info(doc)
        view = TextView(info.text, info, doc.user_data.get(KIND_KEY))
        doc.user_data[VIEW_KEY] = view
    return view


def candidates_of(doc: Doc) -> list[Candidate]:
    return doc.user_data.setdefault(CANDIDATES_KEY, [])


# --- YEAR and MONEY -------------------------------------------------------------------------
# A 4-digit year alone in parentheses: （2019）; or glued to a Latin title: Awards2020, Award 2021
_BARE_YEAR_PAREN = re.compile(r"(?<=\()\s*((?:19|20)[0-9]{2})\s*(?=\))")
_BARE_YEAR_TITLE = re.compile(r"(?<=[A-Za-z])\s?((?:19|20)[0-9]{2})(?![0-9A-Za-z年])")
# Letters of any script: a text without them has no names (0.982, 18.6%, －)
_HAS_WORDS = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
# Cheap tests before the full recognizers: 年 / 円 / H30 / (2019) / Award 2021
_MAY_HAVE_VALUES = re.compile(r"[年円]|[0-9０-９]{2}")
_MAY_HAVE_YEARS = re.compile(r"年|[HRＨＲ][ 　]?[0-9０-９]|(?:19|20|１９|２０)[0-9０-９]{2}")
# An era name right before a yen amount: 平成30 円 is a misprinted year, never 30 yen
_ERA_BEFORE = re.compile(r"(明治|大正|昭和|平成|令和)\s*$")


def year_candidates(text: str, bare_years: bool = True) -> list[Candidate]:
    """YEAR mentions: ``find_years`` plus bare years in parentheses and in Latin titles."""
    found: list[Candidate] = []
    for match in find_years(text):
        first = match.values[0]
        fields: dict[str, Any] = {
            "fiscal": first.fiscal, "month": first.month, "era": first.era,
            "values": [v.year for v in match.values],
            "fiscal_values": [v.fiscal for v in match.values],
        }
        found.append(Candidate("YEAR", match.start, match.end, match.text, value=first.year, fields=fields,
                               rule="years", priority=80))
    if bare_years:
        folded = fold_width(text)
        taken = [(c.start, c.end) for c in found]
        for pattern, rule in ((_BARE_YEAR_PAREN, "bare_year_paren"), (_BARE_YEAR_TITLE, "bare_year_title")):
            for match in pattern.finditer(folded):
                start, end = match.span(1)
                if any(a < end and start < b for a, b in taken):
                    continue
                year = int(match.group(1))
                if not 1868 <= year <= 2100:
                    continue
                taken.append((start, end))
                found.append(Candidate("YEAR", start, end, text[start:end], value=year,
                                       fields={"fiscal": False, "month": None, "era": None, "values": [year],
                                               "fiscal_values": [False]},
                                       rule=rule, priority=60))
    return found


def money_candidates(text: str) -> list[Candidate]:
    """MONEY mentions from ``find_money``; a number of yen right after an era name (平成30円) is skipped."""
    money: list[Candidate] = []
    folded = fold_width(text)
    for match in find_money(text):
        amount = match.amount
        era = _ERA_BEFORE.search(folded, 0, match.start)
        if era and re.fullmatch(r"\s*[0-9]{1,2}\s*円\s*", folded[match.start:match.end]):
            continue
        fields = {
            "value_min": amount.value_min, "value_max": amount.value_max, "approx": amount.approx,
            "bound": amount.bound, "per": amount.per, "negative": amount.negative,
        }
        money.append(Candidate("MONEY", match.start, match.end, match.text, value=amount.value, fields=fields,
                               rule="money", priority=80))
    return money


@Language.factory(
    "pipeline_years_money",
    default_config={"bare_years": True},
    assigns=["doc._.candidates"],
)
def make_years_money(nlp: Language, name: str, bare_years: bool) -> YearsMoneyRecognizer:
    return YearsMoneyRecognizer(bare_years)


class YearsMoneyRecognizer:
    """YEAR (Gregorian year, fiscal flag, month) and MONEY (yen) mentions."""

    def __init__(self, bare_years: bool = True) -> None:
        self.bare_years = bare_years

    def __call__(self, doc: Doc) -> Doc:
        text = token_info(doc).text
        if not _MAY_HAVE_VALUES.search(text):
            return doc
        found = candidates_of(doc)
        money = money_candidates(text) if "円" in text else []
        years = year_candidates(text, self.bare_years) if _MAY_HAVE_YEARS.search(text) else []
        found.extend(years + money)
        return doc


@Language.factory(
    "pipeline_orgs",
    default_config={"data_dir": None, "context_rules": True},
    assigns=["doc._.candidates"],
)
def make_orgs(nlp: Language, name: str, data_dir: str | None, context_rules: bool) -> OrgRecognizer:
    return OrgRecognizer(data_dir, context_rules)


class OrgRecognizer:
    """ORG mentions (types municipality, prefecture, national_gov, gov_agency, company, bank,
    university, research_institute, foundation, association, other)."""

    def __init__(self, data_dir: str | None = None, context_rules: bool = True) -> None:
        self.data = load_org_data(data_dir)
        self.context_rules = context_rules

    def __call__(self, doc: Doc) -> Doc:
        if not _HAS_WORDS.search(token_info(doc).text):
            return doc  # numbers and symbols only (most table cells)
        view = text_view(doc)
        found = find_orgs(view, self.data)
        if not self.context_rules:
            found = [c for c in found if c.rule not in ("enumeration", "category", "description", "proper_noun")]
        candidates_of(doc).extend(found)
        return doc


@Language.factory("pipeline_programs", default_config={"data_dir": None}, assigns=["doc._.candidates"])
def make_programs(nlp: Language, name: str, data_dir: str | None) -> ProgramRecognizer:
    return ProgramRecognizer(data_dir)


class ProgramRecognizer:
    """PROGRAM mentions (types subsidy, grant, law, plan, project, designation, loan, other)."""

    def __init__(self, data_dir: str | None = None) -> None:
        self.data = load_program_data(data_dir)

    def __call__(self, doc: Doc) -> Doc:
        if not _HAS_WORDS.search(token_info(doc).text):
            return doc
        view = text_view(doc)
        candidates_of(doc).extend(find_programs(view, self.data))
        return doc


# --- overlaps --------------------------------------------------------------------------------
def resolve(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the mentions that do not conflict.

    Names (ORG, PROGRAM): strong rules first, longer first, then priority; an ORG may sit
    inside a PROGRAM (経済産業省 in 経済産業省新素材開発補助金), no other overlap.
    Values (YEAR, MONEY): longer first, no overlap. Values may sit inside names.
    """
    names = [c for c in candidates if c.label in ("ORG", "PROGRAM")]
    values = [c for c in candidates if c.label in ("YEAR", "MONEY")]
    kept: list[Candidate] = []
    names.sort(key=lambda c: (-(c.priority >= 50), -(c.end - c.start), -c.priority, c.start))
    for candidate in names:
        ok = True
        for other in kept:
            if other.end <= candidate.start or candidate.end <= other.start:
                continue
            inside = other.start <= candidate.start and candidate.end <= other.end
            if inside and candidate.label == "ORG" and other.label == "PROGRAM":
                continue
            ok = False
            break
        if ok:
            kept.append(candidate)
    kept_values: list[Candidate] = []
    values.sort(key=lambda c: (-c.priority, -(c.end - c.start), c.start))
    for candidate in values:
        if all(o.end <= candidate.start or candidate.end <= o.start for o in kept_values):
            kept_values.append(candidate)
    result = kept + kept_values
    result.sort(key=lambda c: (c.start, -c.end))
    return result


def write_spans(doc: Doc, candidates: list[Candidate], spans_key: str = "entities") -> None:
    """Put resolved mentions on the ``Doc``: ``doc.spans[spans_key]`` (all) and ``doc.ents`` (outermost).

    A span covers whole tokens; ``span._.fields["start"/"end"/"text"]`` keep the exact characters.
    """
    spans: list[Span] = []
    info: dict[tuple[int, int, str], dict[str, Any]] = {}
    for candidate in candidates:
        span = doc.char_span(candidate.start, candidate.end, label=candidate.label, alignment_mode="expand")
        if span is None:
            continue
        info[(span.start_char, span.end_char, candidate.label)] = {
            "type": candidate.type, "value": candidate.value, "rule": candidate.rule, "canonical": candidate.canonical,
            "fields": dict(candidate.fields, start=candidate.start, end=candidate.end, text=candidate.text),
        }
        spans.append(span)
    doc.user_data[SPAN_INFO_KEY] = info
    doc.spans[spans_key] = spans
    doc.ents = filter_spans(spans)


@Language.factory("pipeline_entity_spans", default_config={"spans_key": "entities"})
def make_entity_spans(nlp: Language, name: str, spans_key: str) -> EntitySpans:
    return EntitySpans(spans_key)


class EntitySpans:
    """Resolve overlapping candidates and write spans (``doc.spans``, ``doc.ents``)."""

    def __init__(self, spans_key: str = "entities") -> None:
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        if not doc.user_data.get(CANDIDATES_KEY):
            doc.spans[self.spans_key] = []
            return doc
        resolved = resolve(candidates_of(doc))
        doc.user_data[CANDIDATES_KEY] = resolved
        write_spans(doc, resolved, self.spans_key)
        return doc
