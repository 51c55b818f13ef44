"""Foreign and international organizations: a country and a government word (ノルウェー政府,
カナダ保健省) and capitalised Latin names closed by a Latin legal form or body word
(Example Labs Inc., European Commission). International bodies themselves (OECD, 国際連合) are
in the gazetteer (``data/public_bodies.csv``)."""

from __future__ import annotations

import re

from pipeline.japanese.normalize import fold_width
from pipeline.nlp.candidate import PRIORITY, Candidate
from pipeline.nlp.gazetteer import OrgData
from pipeline.nlp.textview import CONTENT, TextView, is_compound_final


# What a foreign government's body ends with: ノルウェー政府, カナダ保健省, 英国大使館
_FOREIGN_GOVERNMENT_WORDS = ("政府", "省", "庁", "大使館", "国務省")
FOREIGN_BODY_TOKENS = 5
"""Content words a foreign body's name may have between the country and 省/庁 (カナダ保健省)."""


def find_foreign_government_orgs(view: TextView, data: OrgData) -> list[Candidate]:
    """A country and a government word: ノルウェー政府, カナダ保健省, 英国政府."""
    found: list[Candidate] = []
    for match in data.country_pattern.finditer(view.key):
        start, end = view.orig_span(*match.span())
        first = view.start_token.get(start)
        last = view.end_token.get(end)
        if first is None or last is None:
            continue
        k = last + 1
        for _ in range(FOREIGN_BODY_TOKENS + 1):
            if k >= len(view.cls) or view.cls[k] not in CONTENT and view.cls[k] != "S":
                break
            if view.token_text(k) in _FOREIGN_GOVERNMENT_WORDS and is_compound_final(view, k + 1):
                found.append(view.candidate("ORG", first, k + 1, type="foreign_gov", rule="foreign_gov",
                                            priority=PRIORITY["strong"]))
                break
            k += 1
    return found


# Latin legal forms and body words closing a capitalised name: Example Labs Inc., Acme Co., Ltd.,
# European Commission (the words before them must be capitalised)
_LATIN_ORG = re.compile(
    r"(?<![A-Za-z0-9&.-])((?:[A-Z][A-Za-z0-9&'.-]*[ \t]){0,5})"
    r"(Inc\.|Incorporated|Ltd\.|Limited|LLC|LLP|Corp\.|Corporation|Co\., ?Ltd\.|GmbH|AG|PLC|plc|S\.A\.|"
    r"Labs|Laboratories|Commission|Foundation|Institute|University|Agency|Association|Council|Bank)(?![A-Za-z])"
)
_LATIN_NOT_A_NAME = frozenset(
    "The A An This That Our Your Their Its Each Every Any No Some In On At For Of By With From To As And Or".split()
)
_LATIN_COMPANY_WORDS = frozenset("Inc. Incorporated Ltd. Limited LLC LLP Corp. Corporation GmbH AG PLC plc S.A. Labs".split())


def find_latin_orgs(view: TextView) -> list[Candidate]:
    """Capitalised Latin names with a Latin legal form or body word (Example Labs, Acme Inc.)."""
    found: list[Candidate] = []
    folded = fold_width(view.text)  # (same length as the text; the key drops the space in Inc. and)
    for match in _LATIN_ORG.finditer(folded):
        begin = match.start(1)
        for word in match.group(1).split():
            if word not in _LATIN_NOT_A_NAME:
                break
            begin += len(word) + 1  # The Example Foundation → Example Foundation
        if begin >= match.end(1):
            continue  # The Foundation: a common noun
        start, end = begin, match.end()
        company = match.group(2) in _LATIN_COMPANY_WORDS or match.group(2).startswith("Co.")
        found.append(Candidate("ORG", start, end, view.text[start:end], type="company" if company else "other",
                               rule="latin_org", priority=PRIORITY["strong"]))
    return found
