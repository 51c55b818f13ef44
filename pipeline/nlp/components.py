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

    [components.pipeline_user_entries]
    factory = "pipeline_user_entries"
    paths = []                # the user's gazetteer CSVs (label,name,aliases,type) or folders of them

    [components.pipeline_entity_spans]
    factory = "pipeline_entity_spans"
    spans_key = "entities"    # doc.spans[spans_key] gets every mention (nested ones too)
    overlap_policy = {"@misc": "pipeline.resolve_overlaps.v1"}

Each recognizer is split like spaCy's own components: ``match(doc)`` finds candidates,
``set_annotations(doc, candidates)`` adds them to ``doc._.candidates``; gazetteers are
loaded in ``initialize()`` (``nlp.initialize()`` calls it). ``pipeline_entity_spans``
resolves overlaps with its policy and writes ``doc.spans["entities"]`` and ``doc.ents``
(outermost mentions only). Each span carries ``span._.type``, ``span._.value``,
``span._.fields``, ``span._.rule`` and ``span._.canonical``. ``doc._.unit_kind`` tells the
recognizers what kind of text unit a ``Doc`` is (``list_item``, ``table_cell`` …).
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

import pipeline.nlp.resolve  # noqa: F401  (registers the overlap policy)
from pipeline.nlp.candidate import PRIORITY, Candidate
from pipeline.nlp.gazetteer import OrgData, ProgramData, load_org_data, load_program_data
from pipeline.nlp.recognizers.money import money_candidates
from pipeline.nlp.recognizers.orgs import find_orgs
from pipeline.nlp.recognizers.programs import find_programs
from pipeline.nlp.recognizers.years import year_candidates
from pipeline.nlp.resolve import USER_RULE, OverlapPolicy
from pipeline.nlp.textview import TextView
from pipeline.nlp.tokenizer import token_info
from pipeline.nlp.user_gazetteer import UserGazetteer, read_user_gazetteers

# Doc extensions: what the components read and write.
for _name in ("candidates", "unit_kind", "text_view", "span_info"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

CONTEXT_RULES = ("enumeration", "category", "description", "proper_noun")
"""ORG rules that read context rather than the name itself (off with ``context_rules = false``)."""
# Letters of any script: a text without them has no names (0.982, 18.6%, －)
_HAS_WORDS = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
# Cheap tests before the full recognizers: 年 / 円 / H30 / (2019) / Award 2021
_MAY_HAVE_VALUES = re.compile(r"[年円]|[0-9０-９]{2}")
_MAY_HAVE_YEARS = re.compile(r"年|[HRＨＲ][ 　]?[0-9０-９]|(?:19|20|１９|２０)[0-9０-９]{2}")


def candidates_of(doc: Doc) -> list[Candidate]:
    """The candidates recognized in ``doc`` so far (``doc._.candidates``)."""
    extensions = doc._  # (once: each ``doc._`` makes a new accessor object)
    found = extensions.candidates
    if found is None:
        found = extensions.candidates = []
    return found


def text_view(doc: Doc) -> TextView:
    """The matching view of a ``Doc`` (made once, kept on ``doc._.text_view``)."""
    extensions = doc._
    view = extensions.text_view
    if not isinstance(view, TextView):
        info = token_info(doc)
        view = TextView(info.text, info, extensions.unit_kind)
        extensions.text_view = view
    return view


def _span_getter(name: str) -> Any:
    def getter(span: Span) -> Any:
        info = span.doc._.span_info
        if not info:
            return None
        return (info.get((span.start_char, span.end_char, span.label_)) or {}).get(name)

    return getter


# Span._.type, ._.value, ._.fields, ._.rule, ._.canonical (fields keep the exact characters)
for _name in ("type", "value", "fields", "rule", "canonical"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, getter=_span_getter(_name))


class _Recognizer:
    """A component: ``match`` finds candidates, ``set_annotations`` adds them to the Doc."""

    def __call__(self, doc: Doc) -> Doc:
        found = self.match(doc)
        if found:  # (most texts give a recognizer nothing: no need to reach the Doc's candidates)
            self.set_annotations(doc, found)
        return doc

    def match(self, doc: Doc) -> list[Candidate]:
        raise NotImplementedError

    def set_annotations(self, doc: Doc, candidates: list[Candidate]) -> None:
        found = candidates_of(doc)
        found.extend(candidates)


@Language.factory("pipeline_years_money", default_config={"bare_years": True}, assigns=["doc._.candidates"])
def make_years_money(nlp: Language, name: str, bare_years: bool) -> YearsMoneyRecognizer:
    return YearsMoneyRecognizer(bare_years)


class YearsMoneyRecognizer(_Recognizer):
    """YEAR (Gregorian year, fiscal flag, month) and MONEY (yen) mentions."""

    def __init__(self, bare_years: bool = True) -> None:
        self.bare_years = bare_years

    def match(self, doc: Doc) -> list[Candidate]:
        text = token_info(doc).text
        if not _MAY_HAVE_VALUES.search(text):
            return []
        money = money_candidates(text) if "円" in text else []
        years = year_candidates(text, self.bare_years) if _MAY_HAVE_YEARS.search(text) else []
        return years + money


@Language.factory(
    "pipeline_orgs", default_config={"data_dir": None, "context_rules": True}, assigns=["doc._.candidates"]
)
def make_orgs(nlp: Language, name: str, data_dir: str | None, context_rules: bool) -> OrgRecognizer:
    return OrgRecognizer(data_dir, context_rules)


class OrgRecognizer(_Recognizer):
    """ORG mentions (types municipality, prefecture, national_gov, gov_agency, company, bank,
    university, research_institute, foundation, association, other)."""

    def __init__(self, data_dir: str | None = None, context_rules: bool = True) -> None:
        self.data_dir = data_dir
        self.context_rules = context_rules
        self.data: OrgData | None = None

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None) -> None:
        """Load the gazetteers (``nlp.initialize()`` calls this)."""
        self.data = load_org_data(self.data_dir)

    def match(self, doc: Doc) -> list[Candidate]:
        if self.data is None:  # a pipeline assembled by hand and never initialized
            self.initialize()
        assert self.data is not None
        if not _HAS_WORDS.search(token_info(doc).text):
            return []  # numbers and symbols only (most table cells)
        found = find_orgs(text_view(doc), self.data)
        if not self.context_rules:
            found = [c for c in found if c.rule not in CONTEXT_RULES]
        return found


@Language.factory("pipeline_programs", default_config={"data_dir": None}, assigns=["doc._.candidates"])
def make_programs(nlp: Language, name: str, data_dir: str | None) -> ProgramRecognizer:
    return ProgramRecognizer(data_dir)


class ProgramRecognizer(_Recognizer):
    """PROGRAM mentions (types subsidy, grant, law, plan, project, designation, loan, other)."""

    def __init__(self, data_dir: str | None = None) -> None:
        self.data_dir = data_dir
        self.data: ProgramData | None = None

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None) -> None:
        """Load the suffix list and the scheme names (``nlp.initialize()`` calls this)."""
        self.data = load_program_data(self.data_dir)

    def match(self, doc: Doc) -> list[Candidate]:
        if self.data is None:  # a pipeline assembled by hand and never initialized
            self.initialize()
        assert self.data is not None
        if not _HAS_WORDS.search(token_info(doc).text):
            return []
        return find_programs(text_view(doc), self.data)


@Language.factory("pipeline_user_entries", default_config={"paths": []}, assigns=["doc._.candidates"])
def make_user_entries(nlp: Language, name: str, paths: list[str]) -> UserEntryRecognizer:
    return UserEntryRecognizer(paths)


class UserEntryRecognizer(_Recognizer):
    """ORG and PROGRAM names from the user's own gazetteers (``--gazetteer``), on word boundaries."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = list(paths)
        self.data: UserGazetteer | None = None

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None) -> None:
        """Read the gazetteer files (``nlp.initialize()`` calls this)."""
        self.data = read_user_gazetteers(self.paths)

    def match(self, doc: Doc) -> list[Candidate]:
        if self.data is None:
            self.initialize()
        assert self.data is not None
        if self.data.pattern is None or not _HAS_WORDS.search(token_info(doc).text):
            return []
        view = text_view(doc)
        found: list[Candidate] = []
        for match in self.data.pattern.finditer(view.key):
            start, end = view.orig_span(*match.span())
            if _inside_longer_name(doc, view, start, end):
                continue
            entry = self.data.entries[match.group()]
            found.append(Candidate(entry.label, start, end, view.text[start:end], type=entry.type, rule=USER_RULE,
                                   priority=PRIORITY["user"], canonical=entry.name))
        return found


def _inside_longer_name(doc: Doc, view: TextView, start: int, end: int) -> bool:
    """A user's name printed as part of a longer one: a noun right after it (山川精機販売: another
    company) or a proper noun right before it (東京山川精機). A suffix (山川精機様, 山川精機製),
    a particle or a bracket after it leaves it whole; so does a common noun before it (弊社山川精機)."""
    if start not in view.start_token or end not in view.end_token:
        return True  # the name ends inside a word
    after = view.start_token.get(end)
    if after is not None and doc[after].tag_.startswith("名詞"):
        return True
    before = view.end_token.get(start)
    return before is not None and doc[before].tag_.startswith("名詞-固有名詞")


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
    doc._.span_info = info
    doc.spans[spans_key] = spans
    doc.ents = filter_spans(spans)


@Language.factory(
    "pipeline_entity_spans",
    default_config={"spans_key": "entities", "overlap_policy": {"@misc": "pipeline.resolve_overlaps.v1"}},
)
def make_entity_spans(nlp: Language, name: str, spans_key: str, overlap_policy: OverlapPolicy) -> EntitySpans:
    return EntitySpans(spans_key, overlap_policy)


class EntitySpans:
    """Resolve overlapping candidates with the overlap policy and write spans (``doc.spans``, ``doc.ents``)."""

    def __init__(self, spans_key: str, overlap_policy: OverlapPolicy) -> None:
        self.spans_key = spans_key
        self.overlap_policy = overlap_policy

    def __call__(self, doc: Doc) -> Doc:
        if not doc._.candidates:
            doc.spans[self.spans_key] = []
            return doc
        self.set_annotations(doc, self.overlap_policy(candidates_of(doc)))
        return doc

    def set_annotations(self, doc: Doc, resolved: list[Candidate]) -> None:
        doc._.candidates = resolved
        write_spans(doc, resolved, self.spans_key)
