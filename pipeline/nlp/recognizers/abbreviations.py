"""Abbreviations given in parentheses right after a name: X（ABC）, X（以下「Y」）."""

from __future__ import annotations

import re

from pipeline.nlp.candidate import PRIORITY, Candidate
from pipeline.nlp.textview import TextView

# X（ABC）, X（以下、ABC）, X（「ABC」）: a Latin abbreviation in parentheses
_LATIN_ALIAS = re.compile(
    r"\s*[（(]\s*(?:以下[、,]?\s*)?[「『]?([A-Za-zＡ-Ｚａ-ｚ][A-Za-zＡ-Ｚａ-ｚ0-9０-９&＆・\-]{1,11})[」』]?\s*[）)]"
)
# X（以下「Y」という）: any short name the text defines
_DEFINED_ALIAS = re.compile(r"\s*[（(]\s*以下[、,]?\s*[「『]([^」』]{1,20})[」』]")
_ALIAS_WINDOW = 40
"""Characters after a name searched for its abbreviation."""


def find_abbreviations(view: TextView, primary: list[Candidate]) -> list[Candidate]:
    """X（ABC） right after a name: ABC is the same organization (北国…センター（NAMC））."""
    found: list[Candidate] = []
    text = view.text
    for candidate in primary:
        if candidate.label not in ("ORG", "PROGRAM"):
            continue
        rest = text[candidate.end:candidate.end + _ALIAS_WINDOW]
        match = _LATIN_ALIAS.match(rest) or _DEFINED_ALIAS.match(rest)
        if match is None:
            continue
        start = candidate.end + match.start(1)
        end = candidate.end + match.end(1)
        alias = text[start:end]
        if alias[:1] in ("本", "同", "当", "該", "各") or alias.strip() in ("事業", "補助金", "会社", "法人"):
            continue  # （以下「本事業」）: a generic back-reference, not a name
        candidate.aliases.append(alias)
        found.append(Candidate(candidate.label, start, end, alias, type=candidate.type, rule="abbreviation",
                               priority=PRIORITY["abbreviation"], fields={"alias_of": candidate.text}))
    return found
