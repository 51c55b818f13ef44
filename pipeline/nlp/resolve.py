"""The overlap policy: which of several overlapping candidates of one text unit are kept.

Registered as a spaCy function (``@misc = "pipeline.resolve_overlaps.v1"``), in the style of
spaCy's ``*_ents_filter`` policies, so a config can name another one.
"""

from __future__ import annotations

from collections.abc import Callable

import spacy

from pipeline.nlp.candidate import Candidate

OverlapPolicy = Callable[[list[Candidate]], list[Candidate]]
NAME_LABELS = ("ORG", "PROGRAM")
USER_RULE = "user"
"""The rule of the user's own gazetteer entries (``--gazetteer``): they win every overlap."""
VALUE_LABELS = ("YEAR", "MONEY")


def resolve_overlaps(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the mentions that do not conflict.

    Names (ORG, PROGRAM): the user's own gazetteer entries first, then strong rules, longer
    first, then priority; an ORG may sit inside a PROGRAM (経済産業省 in 経済産業省新素材開発補助金),
    no other overlap.
    Values (YEAR, MONEY): higher priority first, then longer; no overlap. Values may sit
    inside names.
    """
    names = [c for c in candidates if c.label in NAME_LABELS]
    values = [c for c in candidates if c.label in VALUE_LABELS]
    kept: list[Candidate] = []
    names.sort(key=lambda c: (c.rule != USER_RULE, -c.is_strong, -(c.end - c.start), -c.priority, c.start))
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


@spacy.registry.misc("pipeline.resolve_overlaps.v1")
def make_overlap_policy() -> OverlapPolicy:
    """Registry entry: ``overlap_policy = {"@misc": "pipeline.resolve_overlaps.v1"}``."""
    return resolve_overlaps
